/**
 * Loading households: one by id (unit, building, dwelling), its members, tags and file, and the
 * scoped, paged search by address, tag and unit (archive.scope.ts householdVisible).
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db, Trx } from '../db/database.js';
import { escapeLike } from '../policies/scope.js';
import type { ArchiveAccess } from './archive.policy.js';
import { householdVisible } from './archive.scope.js';
import { normalizeSearchText, searchGrams } from './name-keys.js';

function householdQuery(db: Db | Trx) {
  return db
    .selectFrom('household as h')
    .innerJoin('unit as u', (j) => j.onRef('u.district', '=', 'h.district').onRef('u.id', '=', 'h.unitId'))
    .leftJoin('building as b', (j) => j.onRef('b.district', '=', 'h.district').onRef('b.id', '=', 'h.buildingId'))
    .leftJoin('dwelling as w', (j) => j.onRef('w.district', '=', 'h.district').onRef('w.id', '=', 'h.dwellingId'))
    .select([
      'h.district',
      'h.id',
      'h.unitId',
      'h.unitPath',
      'h.number',
      'h.address',
      'h.buildingId',
      'h.dwellingId',
      'h.notes',
      'h.dissolvedAt',
      'h.synthetic',
      'h.version',
      'h.createdAt',
      'h.updatedAt',
      'u.code as unitCode',
      'u.name as unitName',
      'b.name as buildingName',
      'w.entrance as dwellingEntrance',
      'w.room as dwellingRoom',
    ]);
}

export type HouseholdRow = Awaited<ReturnType<ReturnType<typeof householdQuery>['executeTakeFirstOrThrow']>>;

export async function findHousehold(db: Db | Trx, id: string): Promise<HouseholdRow | undefined> {
  return householdQuery(db).where('h.id', '=', id).executeTakeFirst();
}

/** Members and their relation to the head, head first. */
export async function membersOf(db: Db | Trx, district: string, householdId: string) {
  return db
    .selectFrom('householdMember')
    .select(['personId', 'relation', 'joinedOn'])
    .where('district', '=', district)
    .where('householdId', '=', householdId)
    .orderBy(sql`relation = 'head'`, 'desc')
    .orderBy('createdAt')
    .execute();
}

export async function attachmentsOf(db: Db | Trx, district: string, householdId: string) {
  return db
    .selectFrom('householdAttachment')
    .select(['id', 'key', 'title', 'createdAt'])
    .where('district', '=', district)
    .where('householdId', '=', householdId)
    .orderBy('createdAt')
    .execute();
}

export interface HouseholdFilters {
  address?: string | undefined;
  tag?: string | undefined;
  unitPath?: string | undefined;
}

/** One page of households in scope, by address, with the head's name and the number of members. */
export async function searchHouseholds(
  db: Db | Trx,
  access: ArchiveAccess,
  filters: HouseholdFilters,
  page: { page: number; pageSize: number },
  today: string,
) {
  const where: Expression<SqlBool>[] = [householdVisible(access, today, 'h')];
  if (filters.address) {
    const normalized = normalizeSearchText(filters.address);
    where.push(
      sql<SqlBool>`(h.address_grams @> ${sql.val(searchGrams(normalized))}::text[] and archive_normalize(h.address) like ${`%${escapeLike(normalized)}%`})`,
    );
  }
  if (filters.tag)
    where.push(sql<SqlBool>`exists (select 1 from household_tag t join tag_type y on y.id = t.tag_type_id
      where t.district = h.district and t.household_id = h.id and y.code = ${filters.tag}
        and t.valid_from <= ${today}::date and (t.valid_to is null or t.valid_to >= ${today}::date))`);
  if (filters.unitPath) where.push(sql<SqlBool>`h.unit_path like ${`${escapeLike(filters.unitPath)}%`}`);
  const [items, count] = await Promise.all([
    householdQuery(db)
      .leftJoin('householdMember as hm', (j) =>
        j.onRef('hm.district', '=', 'h.district').onRef('hm.householdId', '=', 'h.id').on('hm.relation', '=', 'head'),
      )
      .leftJoin('person as hp', (j) => j.onRef('hp.district', '=', 'hm.district').onRef('hp.id', '=', 'hm.personId'))
      .select([
        'hp.id as headId',
        'hp.name as headName',
        sql<number>`(select count(*)::int from household_member c where c.district = h.district and c.household_id = h.id)`.as(
          'memberCount',
        ),
        sql<
          string[]
        >`array(select t.tag_type_id from household_tag t where t.district = h.district and t.household_id = h.id
          and t.valid_from <= ${today}::date and (t.valid_to is null or t.valid_to >= ${today}::date))`.as(
          'tagTypeIds',
        ),
      ])
      .where((eb) => eb.and(where))
      .orderBy('h.address')
      .orderBy('h.id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    db
      .selectFrom('household as h')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where((eb) => eb.and(where))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

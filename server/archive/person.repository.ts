/**
 * Loading people: one by id (with their unit, household, tags and relations), and the scoped,
 * paged search (exact ID number, name in Chinese or pinyin, address, tag, unit). The search's
 * scope is archive.scope.ts personVisible, so a list shows exactly the people a detail would.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { PersonStatus, Residency } from '../../common/archive.js';
import type { Db, Trx } from '../db/database.js';
import { executePrepared } from '../db/prepared.js';
import { AppError } from '../http/app-error.js';
import { escapeLike } from '../policies/scope.js';
import type { ArchiveAccess } from './archive.policy.js';
import { personVisible } from './archive.scope.js';
import { normalizeSearchText, readNameQuery, searchGrams } from './name-keys.js';

const personColumns = [
  'p.district',
  'p.id',
  'p.unitId',
  'p.unitPath',
  'p.name',
  'p.gender',
  'p.birthDate',
  'p.idNumber',
  'p.phones',
  'p.ethnicity',
  'p.residency',
  'p.politicalStatus',
  'p.politicalStatusShown',
  'p.work',
  'p.notes',
  'p.address',
  'p.status',
  'p.synthetic',
  'p.version',
  'p.createdAt',
  'p.updatedAt',
  'u.code as unitCode',
  'u.name as unitName',
  'm.householdId',
  'm.relation as householdRelation',
] as const;

function personQuery(db: Db | Trx) {
  return db
    .selectFrom('person as p')
    .innerJoin('unit as u', (j) => j.onRef('u.district', '=', 'p.district').onRef('u.id', '=', 'p.unitId'))
    .leftJoin('householdMember as m', (j) => j.onRef('m.district', '=', 'p.district').onRef('m.personId', '=', 'p.id'))
    .select(personColumns);
}

export type PersonRow = Awaited<ReturnType<ReturnType<typeof personQuery>['executeTakeFirstOrThrow']>>;

/** One person by id, unscoped (the route authorizes what it loaded). */
export async function findPerson(db: Db | Trx, id: string): Promise<PersonRow | undefined> {
  return personQuery(db).where('p.id', '=', id).executeTakeFirst();
}

/** A tag with its type and source department. */
export interface TagRow {
  id: string;
  tagTypeId: string;
  code: string;
  nameZh: string;
  nameEn: string;
  grade: number | null;
  sourceDepartmentId: string | null;
  sourceDepartmentCode: string | null;
  sourceDepartmentName: string | null;
  validFrom: string;
  validTo: string | null;
  evidence: string;
}

/** The tags of a person or a household (their whole history), newest first. */
export async function tagsOf(
  db: Db | Trx,
  kind: 'person' | 'household',
  district: string,
  subjectId: string,
): Promise<TagRow[]> {
  const { rows } = await sql<TagRow>`
    select t.id, t.tag_type_id, y.code, y.name_zh, y.name_en, t.grade, t.source_department_id,
      d.code as source_department_code, d.name as source_department_name, t.valid_from, t.valid_to, t.evidence
    from ${sql.raw(kind === 'person' ? 'person_tag' : 'household_tag')} t
    join tag_type y on y.id = t.tag_type_id
    left join department d on d.id = t.source_department_id
    where t.district = ${district} and ${sql.raw(kind === 'person' ? 't.person_id' : 't.household_id')} = ${subjectId}
    order by t.valid_from desc, t.id`.execute(db);
  return rows;
}

export async function relationsOf(db: Db | Trx, district: string, personId: string) {
  return db
    .selectFrom('personRelation as r')
    .innerJoin('person as o', (j) => j.onRef('o.district', '=', 'r.district').onRef('o.id', '=', 'r.relatedId'))
    .select(['o.id', 'o.name', 'r.relation'])
    .where('r.district', '=', district)
    .where('r.personId', '=', personId)
    .orderBy('o.name')
    .execute();
}

export interface PeopleFilters {
  /** A name in Chinese (any part of it) or pinyin (initials or the full reading, from the start). */
  q?: string | undefined;
  /** Exact, normalized ID number. */
  idNumber?: string | undefined;
  /** Part of the person's or their household's address. */
  address?: string | undefined;
  /** Tag type code: people carrying such a tag now (their own or their household's). */
  tag?: string | undefined;
  /** Path of a unit to narrow to (its subtree). */
  unitPath?: string | undefined;
  status?: PersonStatus | undefined;
  residency?: Residency | undefined;
}

/** The filters of a query, its unit resolved to a path (an unknown unit answers 404). */
export async function peopleFilters(
  db: Db | Trx,
  query: Omit<PeopleFilters, 'unitPath'> & { unitId?: string | undefined },
): Promise<PeopleFilters> {
  const { unitId, ...rest } = query;
  if (!unitId) return rest;
  const unit = await db.selectFrom('unit').select('path').where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path: 'query.unitId', reason: 'no such unit' }] });
  return { ...rest, unitPath: unit.path };
}

/** A person as a search lists them, with the codes of their currently valid tags. */
export interface PersonListRow extends PersonRow {
  tagTypeIds: string[];
}

function gramsMatch(column: string, normalizedColumn: string, text: string): Expression<SqlBool> {
  const normalized = normalizeSearchText(text);
  const grams = searchGrams(normalized);
  return sql<SqlBool>`(${sql.ref(column)} @> ${sql.val(grams)}::text[] and archive_normalize(${sql.ref(normalizedColumn)}) like ${`%${escapeLike(normalized)}%`})`;
}

/**
 * A person's name, in one of the scope's places: the grams of the text plus the key of a path the
 * actor reads under (and of the unit asked for), over the expression migration 0021 indexes — so the
 * index answers only people of the scope, whatever the city holds. The scope itself and the exact
 * substring are still checked beside it (personVisible, LIKE).
 */
function nameInScope(access: ArchiveAccess, filters: PeopleFilters, text: string): Expression<SqlBool> {
  const normalized = normalizeSearchText(text);
  const grams = searchGrams(normalized);
  const narrowed = filters.unitPath ? [pathKey(filters.unitPath)] : [];
  const places = [...new Set([...access.readPaths, ...access.departmentViews.map((v) => v.unitPath)])];
  if (places.length === 0) return sql<SqlBool>`false`;
  const keys = places.map((place) => nameKeysContain([...grams, pathKey(place), ...narrowed]));
  return sql<SqlBool>`((${sql.join(keys, sql` or `)}) and archive_normalize(p.name) like ${`%${escapeLike(normalized)}%`})`;
}

/** The index key of a unit path (archive_path_keys in migration 0021). */
export const pathKey = (path: string) => `u:${path}`;

/** `p`'s name grams and place keys hold every key: the expression person_name_scope_idx indexes. */
export const nameKeysContain = (keys: readonly string[]) =>
  sql<SqlBool>`(p.name_grams || archive_path_keys(p.unit_path)) @> ${sql.val(keys)}::text[]`;

/** The search's conditions, scope first. */
function peopleWhere(access: ArchiveAccess, filters: PeopleFilters, today: string): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [personVisible(access, today, 'p')];
  if (filters.idNumber) where.push(sql<SqlBool>`p.id_number = ${filters.idNumber}`);
  const name = filters.q ? readNameQuery(filters.q) : null;
  if (name?.kind === 'pinyin') {
    const prefix = `${escapeLike(name.text)}%`;
    where.push(sql<SqlBool>`(p.name_initials like ${prefix} or p.name_pinyin like ${prefix})`);
  } else if (name) {
    where.push(nameInScope(access, filters, name.text));
  }
  if (filters.address) {
    where.push(
      sql<SqlBool>`(${gramsMatch('p.addressGrams', 'p.address', filters.address)} or exists (
        select 1 from household_member hm join household h on h.district = hm.district and h.id = hm.household_id
        where hm.district = p.district and hm.person_id = p.id and ${gramsMatch('h.addressGrams', 'h.address', filters.address)}))`,
    );
  }
  if (filters.tag) {
    const active = sql`t.valid_from <= ${today}::date and (t.valid_to is null or t.valid_to >= ${today}::date)`;
    where.push(sql<SqlBool>`(exists (
        select 1 from person_tag t join tag_type y on y.id = t.tag_type_id
        where t.district = p.district and t.person_id = p.id and y.code = ${filters.tag} and ${active})
      or exists (
        select 1 from household_member hm join household_tag t on t.district = hm.district and t.household_id = hm.household_id
        join tag_type y on y.id = t.tag_type_id
        where hm.district = p.district and hm.person_id = p.id and y.code = ${filters.tag} and ${active}))`);
  }
  if (filters.unitPath) where.push(sql<SqlBool>`p.unit_path like ${`${escapeLike(filters.unitPath)}%`}`);
  if (filters.status) where.push(sql<SqlBool>`p.status = ${filters.status}`);
  if (filters.residency) where.push(sql<SqlBool>`p.residency = ${filters.residency}`);
  return where;
}

/** Active tag types of each listed person (their own and their household's). */
const activeTagTypes = (today: string) => sql<string[]>`array(
  select t.tag_type_id from person_tag t
  where t.district = p.district and t.person_id = p.id
    and t.valid_from <= ${today}::date and (t.valid_to is null or t.valid_to >= ${today}::date)
  union
  select t.tag_type_id from household_member hm join household_tag t on t.district = hm.district and t.household_id = hm.household_id
  where hm.district = p.district and hm.person_id = p.id
    and t.valid_from <= ${today}::date and (t.valid_to is null or t.valid_to >= ${today}::date))`;

/** One page of people in the actor's scope matching the filters, by name, and how many match in all. */
export async function searchPeople(
  db: Db | Trx,
  access: ArchiveAccess,
  filters: PeopleFilters,
  page: { page: number; pageSize: number },
  today: string,
): Promise<{ items: PersonListRow[]; total: number }> {
  const where = peopleWhere(access, filters, today);
  const query = personQuery(db)
    .select(activeTagTypes(today).as('tagTypeIds'))
    .where((eb) => eb.and(where))
    .orderBy('p.namePinyin')
    .orderBy('p.id')
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize);
  // An exact number is one probe of its unique index whatever else the query says, so its plan never
  // depends on the values: prepared, it skips the planning that was most of its cost.
  const items = () => (filters.idNumber ? executePrepared(db, query) : query.execute());
  const count = async () => {
    const row = await db
      .selectFrom('person as p')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where((eb) => eb.and(where))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  if (filters.idNumber) {
    // An exact number is on file at most once per district: a first page that is not full is the whole
    // answer, and the count would only repeat the probe.
    const found = await items();
    const whole = page.page === 1 && found.length < page.pageSize;
    return { items: found, total: whole ? found.length : await count() };
  }
  const [found, total] = await Promise.all([items(), count()]);
  return { items: found, total };
}

/** People by id in one district, with their currently valid tag types (a household's members). */
export async function peopleByIds(db: Db | Trx, district: string, ids: readonly string[], today: string) {
  if (ids.length === 0) return [];
  return personQuery(db)
    .select(activeTagTypes(today).as('tagTypeIds'))
    .where('p.district', '=', district)
    .where('p.id', 'in', ids)
    .execute();
}

/** Every person matching (for an export), in the same order, up to `limit` + 1 rows (so the caller sees "too many"). */
export async function peopleForExport(
  db: Db | Trx,
  access: ArchiveAccess,
  filters: PeopleFilters,
  limit: number,
  today: string,
): Promise<PersonListRow[]> {
  return personQuery(db)
    .select(activeTagTypes(today).as('tagTypeIds'))
    .where((eb) => eb.and(peopleWhere(access, filters, today)))
    .orderBy('p.namePinyin')
    .orderBy('p.id')
    .limit(limit + 1)
    .execute();
}

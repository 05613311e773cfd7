/**
 * SQL scoping of the archive (DESIGN rule 5): the same rules as archive.policy.ts, as conditions on
 * a query's `person` or `household` alias, and the loading of what the policy needs.
 *
 * A territorial reader's rows are a range on the unit path; a department's are the rows under its
 * grant's path with a currently valid tag of a granted type (for a person: their own, or their
 * household's).
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { StaffActor } from '../accounts/actor.js';
import type { Db, Trx } from '../db/database.js';
import { escapeLike } from '../policies/scope.js';
import { type ArchiveAccess, archiveAccessOf, type DepartmentView } from './archive.policy.js';

/** Loads the tag types granted to the actor's handler departments and builds their access. */
export async function loadArchiveAccess(db: Db | Trx, actor: StaffActor): Promise<ArchiveAccess> {
  const departments = [
    ...new Set(actor.grants.flatMap((g) => (g.role === 'handler' && g.departmentId ? [g.departmentId] : []))),
  ];
  const granted = new Map<string, string[]>();
  if (departments.length > 0) {
    const rows = await db
      .selectFrom('tagGrant as g')
      .innerJoin('tagType as t', 't.id', 'g.tagTypeId')
      .select(['g.departmentId', 'g.tagTypeId'])
      .where('g.departmentId', 'in', departments)
      .where('t.disabled', '=', false)
      .execute();
    for (const r of rows) granted.set(r.departmentId, [...(granted.get(r.departmentId) ?? []), r.tagTypeId]);
  }
  return archiveAccessOf(actor, granted);
}

const pathLike = (column: RawBuilder<unknown>, paths: readonly string[]): RawBuilder<SqlBool> =>
  paths.length === 0
    ? sql<SqlBool>`false`
    : sql<SqlBool>`(${sql.join(
        paths.map((p) => sql`${column} like ${`${escapeLike(p)}%`}`),
        sql` or `,
      )})`;

/** `t` is a tag row valid on `today` (YYYY-MM-DD). */
const activeTag = (today: string) =>
  sql`t.valid_from <= ${today}::date and (t.valid_to is null or t.valid_to >= ${today}::date)`;

function personThroughDepartment(alias: string, view: DepartmentView, today: string): RawBuilder<SqlBool> {
  const district = sql.ref(`${alias}.district`);
  const id = sql.ref(`${alias}.id`);
  const types = sql`${sql.val(view.tagTypeIds)}::uuid[]`;
  return sql<SqlBool>`(${pathLike(sql.ref(`${alias}.unitPath`), [view.unitPath])} and (
    exists (select 1 from person_tag t where t.district = ${district} and t.person_id = ${id}
      and t.tag_type_id = any(${types}) and ${activeTag(today)})
    or exists (select 1 from household_member m join household_tag t
      on t.district = m.district and t.household_id = m.household_id
      where m.district = ${district} and m.person_id = ${id} and t.tag_type_id = any(${types}) and ${activeTag(today)})))`;
}

function householdThroughDepartment(alias: string, view: DepartmentView, today: string): RawBuilder<SqlBool> {
  const types = sql`${sql.val(view.tagTypeIds)}::uuid[]`;
  return sql<SqlBool>`(${pathLike(sql.ref(`${alias}.unitPath`), [view.unitPath])} and
    exists (select 1 from household_tag t where t.district = ${sql.ref(`${alias}.district`)}
      and t.household_id = ${sql.ref(`${alias}.id`)} and t.tag_type_id = any(${types}) and ${activeTag(today)}))`;
}

/** The people (rows of `alias`) the actor may read; false when none (default deny). */
export function personVisible(access: ArchiveAccess, today: string, alias = 'p'): RawBuilder<SqlBool> {
  const parts = [
    ...(access.readPaths.length ? [pathLike(sql.ref(`${alias}.unitPath`), access.readPaths)] : []),
    ...access.departmentViews.map((v) => personThroughDepartment(alias, v, today)),
  ];
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** The households (rows of `alias`) the actor may read. */
export function householdVisible(access: ArchiveAccess, today: string, alias = 'h'): RawBuilder<SqlBool> {
  const parts = [
    ...(access.readPaths.length ? [pathLike(sql.ref(`${alias}.unitPath`), access.readPaths)] : []),
    ...access.departmentViews.map((v) => householdThroughDepartment(alias, v, today)),
  ];
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** Tag types valid on `today` on a person, their household's included (what the policy looks at). */
export async function activeTagTypesOfPerson(db: Db | Trx, district: string, personId: string, today: string) {
  const { rows } = await sql<{ tagTypeId: string }>`
    select t.tag_type_id from person_tag t
    where t.district = ${district} and t.person_id = ${personId} and ${activeTag(today)}
    union
    select t.tag_type_id from household_member m join household_tag t
      on t.district = m.district and t.household_id = m.household_id
    where m.district = ${district} and m.person_id = ${personId} and ${activeTag(today)}`.execute(db);
  return rows.map((r) => r.tagTypeId);
}

/** Tag types valid on `today` on a household. */
export async function activeTagTypesOfHousehold(db: Db | Trx, district: string, householdId: string, today: string) {
  const { rows } = await sql<{ tagTypeId: string }>`
    select distinct t.tag_type_id from household_tag t
    where t.district = ${district} and t.household_id = ${householdId} and ${activeTag(today)}`.execute(db);
  return rows.map((r) => r.tagTypeId);
}

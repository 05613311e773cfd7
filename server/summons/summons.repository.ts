/**
 * Loading summonses with what their policy and presenter need (issuing unit, issuer, case number,
 * the summoned departments and their replies), and the two scoped lists: the issuing side (unit
 * subtrees) and the summoned side (the actor's departments).
 */
import { type SqlBool, sql } from 'kysely';
import type { SummonsState } from '../../common/summons.js';
import type { Actor } from '../accounts/actor.js';
import type { Db, Trx } from '../db/database.js';
import { pathInScope } from '../policies/scope.js';
import { handlerDepartments, territorialPaths } from './summons.policy.js';

function selectSummons(db: Db | Trx) {
  return db
    .selectFrom('summons as s')
    .innerJoin('unit as u', (join) => join.onRef('u.district', '=', 's.district').onRef('u.id', '=', 's.unitId'))
    .leftJoin('account as a', 'a.id', 's.issuedBy')
    .leftJoin('cases as c', (join) => join.onRef('c.district', '=', 's.caseDistrict').onRef('c.id', '=', 's.caseId'))
    .select([
      's.district',
      's.id',
      's.unitId',
      's.unitPath',
      's.issuedBy',
      's.caseId',
      's.place',
      's.lng',
      's.lat',
      's.subject',
      's.description',
      's.requestedAt',
      's.replyAmount',
      's.replyUnit',
      's.sentAt',
      's.replyDueAt',
      's.state',
      's.outcome',
      's.endedAt',
      's.version',
      's.createdAt',
      's.updatedAt',
      'u.code as unitCode',
      'u.name as unitName',
      'u.level as unitLevel',
      'a.displayName as issuerName',
      'c.number as caseNumber',
    ]);
}

async function departmentsOf(db: Db | Trx, keys: { district: string; id: string }[]) {
  if (keys.length === 0) return [];
  return db
    .selectFrom('summonsDepartment as sd')
    .innerJoin('department as d', 'd.id', 'sd.departmentId')
    .leftJoin('account as r', 'r.id', 'sd.repliedBy')
    .select([
      'sd.district',
      'sd.summonsId',
      'sd.departmentId',
      'sd.reply',
      'sd.arrivalAt',
      'sd.declineReason',
      'sd.repliedBy',
      'sd.repliedAt',
      'sd.warnedAt',
      'sd.overdueAt',
      'd.code as departmentCode',
      'd.name as departmentName',
      'r.displayName as replierName',
    ])
    .where(
      'sd.summonsId',
      'in',
      keys.map((k) => k.id),
    )
    .where('sd.district', 'in', [...new Set(keys.map((k) => k.district))])
    .orderBy('d.code')
    .execute();
}

type Head = Awaited<ReturnType<ReturnType<typeof selectSummons>['executeTakeFirstOrThrow']>>;
export type SummonsDepartmentRow = Awaited<ReturnType<typeof departmentsOf>>[number];
export type SummonsRow = Head & { departments: SummonsDepartmentRow[] };

async function withDepartments(db: Db | Trx, heads: Head[]): Promise<SummonsRow[]> {
  const rows = await departmentsOf(db, heads);
  return heads.map((h) => ({
    ...h,
    departments: rows.filter((d) => d.summonsId === h.id && d.district === h.district),
  }));
}

/** One summons by id with its departments. */
export async function findSummons(db: Db | Trx, id: string): Promise<SummonsRow | undefined> {
  const head = await selectSummons(db).where('s.id', '=', id).executeTakeFirst();
  return head ? (await withDepartments(db, [head]))[0] : undefined;
}

export interface SummonsListQuery {
  state?: SummonsState[] | undefined;
  /** Only summonses with a department past its reply time and still silent. */
  overdue?: boolean | undefined;
  /** Only summonses with a department still to answer (the summoned side's to-do list). */
  waiting?: boolean | undefined;
  limit: number;
  before?: string | undefined;
}

/** SQL: the summons has a department row (of these departments; overdue and silent; or silent). */
function hasDepartment(options: {
  departments?: string[];
  overdue?: boolean | undefined;
  waiting?: boolean | undefined;
}) {
  const conditions = [sql`sd.district = s.district`, sql`sd.summons_id = s.id`];
  if (options.departments) conditions.push(sql`sd.department_id = any(${sql.val(options.departments)}::uuid[])`);
  if (options.overdue) conditions.push(sql`sd.overdue_at is not null`);
  if (options.overdue || options.waiting) conditions.push(sql`sd.reply is null`);
  return sql<SqlBool>`exists (select 1 from summons_department sd where ${sql.join(conditions, sql` and `)})`;
}

function filtered(db: Db, query: SummonsListQuery, departments?: string[]) {
  let select = selectSummons(db).orderBy('s.sentAt', 'desc').orderBy('s.id', 'desc').limit(query.limit);
  if (query.state?.length) select = select.where('s.state', 'in', query.state);
  if (query.overdue || query.waiting) {
    select = select
      .where('s.state', 'in', ['sent', 'answered'])
      .where(
        hasDepartment({ overdue: query.overdue, waiting: query.waiting, ...(departments ? { departments } : {}) }),
      );
  }
  if (query.before) select = select.where('s.sentAt', '<', new Date(query.before));
  return select;
}

/** The issuing side: summonses issued by units in the actor's territorial scope. */
export async function listIssued(db: Db, actor: Actor | null, query: SummonsListQuery): Promise<SummonsRow[]> {
  const paths = territorialPaths(actor);
  const heads = await filtered(db, query)
    .where((eb) => pathInScope(eb, 's.unitPath', paths))
    .execute();
  return withDepartments(db, heads);
}

/** The summoned side: summonses naming one of the actor's departments. */
export async function listSummoned(db: Db, actor: Actor | null, query: SummonsListQuery): Promise<SummonsRow[]> {
  const departments = handlerDepartments(actor);
  if (departments.length === 0) return [];
  const heads = await filtered(db, query, departments).where(hasDepartment({ departments })).execute();
  return withDepartments(db, heads);
}

/** Summonses about one case, newest first (the caller filters by the policy). */
export async function listForCase(db: Db, caseId: string) {
  const heads = await selectSummons(db).where('s.caseId', '=', caseId).orderBy('s.sentAt', 'desc').limit(200).execute();
  return withDepartments(db, heads);
}

/**
 * Loading cases: one case with what its policy needs, and scoped lists (SQL scoping: the actor's
 * unit subtrees, plus the cases dispatched or co-dispatched to their departments).
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { CaseState } from '../../common/cases.js';
import type { Actor } from '../accounts/actor.js';
import type { Db, Trx } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { isStaff, scopePaths } from '../policies/predicates.js';
import { escapeLike, pathInScope } from '../policies/scope.js';
import { disputeDaysSql } from './case-settings.js';

const caseColumns = [
  'cases.district',
  'cases.id',
  'cases.number',
  'cases.trackingCode',
  'cases.state',
  'cases.channel',
  'cases.categoryId',
  'cases.urgency',
  'cases.title',
  'cases.description',
  'cases.address',
  'cases.lng',
  'cases.lat',
  'cases.unitId',
  'cases.unitPath',
  'cases.outsideGrid',
  'cases.reporterKind',
  'cases.reporterResidentId',
  'cases.reporterAccountId',
  'cases.reporterName',
  'cases.reporterPhone',
  'cases.externalId',
  'cases.departmentId',
  'cases.coDepartmentIds',
  'cases.handlerAccountId',
  'cases.level',
  'cases.stage',
  'cases.stageUnit',
  'cases.stageStartedAt',
  'cases.dueAt',
  'cases.warnedAt',
  'cases.overdueAt',
  'cases.pausedAt',
  'cases.pendingRequest',
  'cases.closeReason',
  'cases.solvedLevel',
  'cases.closedAt',
  'cases.mergedIntoId',
  'cases.satisfaction',
  'cases.callbackSolved',
  'cases.handleDueAt',
  'cases.counters',
  'cases.version',
  'cases.createdAt',
  'cases.updatedAt',
] as const;

function selectCases(db: Db | Trx) {
  return db
    .selectFrom('cases')
    .innerJoin('category', 'category.id', 'cases.categoryId')
    .select([
      ...caseColumns,
      'category.code as categoryCode',
      'category.nameZh as categoryNameZh',
      'category.nameEn as categoryNameEn',
      'category.selfRegister as categorySelfRegister',
      'category.selfHandle as categorySelfHandle',
      disputeDaysSql.as('disputeDays'),
    ]);
}

export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;

/** One case by id with its category's flags; `forUpdate` locks the row (inside a transaction). */
export async function findCase(db: Db | Trx, id: string, forUpdate = false) {
  let query = selectCases(db).where('cases.id', '=', id);
  if (forUpdate) query = query.forUpdate('cases');
  const row = await query.executeTakeFirst();
  return row ? { ...row, pendingKind: row.pendingRequest?.kind ?? null } : undefined;
}

/** Rows the actor may see: their unit subtrees, their departments' cases, or (residents) their own reports. */
export function caseScope(actor: Actor | null) {
  return (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
    if (!actor) return sql<SqlBool>`false`;
    if (actor.kind === 'resident') return eb('cases.reporterResidentId', '=', actor.id);
    if (!isStaff(actor)) return sql<SqlBool>`false`;
    const departments = actor.grants.flatMap((g) => (g.role === 'handler' && g.departmentId ? [g.departmentId] : []));
    const ors = [pathInScope(eb, 'cases.unitPath', scopePaths(actor))];
    if (departments.length) {
      ors.push(eb('cases.departmentId', 'in', departments));
      ors.push(sql<SqlBool>`cases.co_department_ids && ${sql.val(departments)}::uuid[]`);
    }
    return eb.or(ors);
  };
}

export interface CaseListQuery {
  state?: CaseState[] | undefined;
  /** The path of the unit the list is limited to (resolveUnitFilter turns the asked unit id into it). */
  unitPath?: string | undefined;
  since?: string | undefined;
  overdue?: boolean | undefined;
  departmentId?: string | undefined;
  number?: string | undefined;
  q?: string | undefined;
  limit: number;
  before?: string | undefined;
}

/** The list's filters without its paging: what an export of the list takes. */
export type CaseFilters = Omit<CaseListQuery, 'limit' | 'before'>;

/**
 * The scoped, filtered cases, newest first, without a limit: the list (GET /api/cases) pages it,
 * the export (server/exports) streams it through a cursor. One builder, so both always agree.
 */
export function filteredCases(db: Db | Trx, actor: Actor | null, query: CaseFilters & { before?: string | undefined }) {
  let select = selectCases(db).where(caseScope(actor)).orderBy('cases.createdAt', 'desc').orderBy('cases.id', 'desc');
  if (query.state?.length) select = select.where('cases.state', 'in', query.state);
  if (query.overdue) select = select.where('cases.overdueAt', 'is not', null);
  if (query.departmentId) select = select.where('cases.departmentId', '=', query.departmentId);
  if (query.before) select = select.where('cases.createdAt', '<', new Date(query.before));
  if (query.since) select = select.where('cases.createdAt', '>=', new Date(query.since));
  if (query.unitPath) select = select.where('cases.unitPath', 'like', `${escapeLike(query.unitPath)}%`);
  if (query.number) select = select.where('cases.number', '=', query.number);
  if (query.q) {
    // LIKE's wildcards in what was typed stand for themselves.
    const escaped = query.q.replace(/[\\%_]/g, (c) => `\\${c}`);
    const like = `%${escaped}%`;
    const start = `${escaped}%`;
    select = select.where((eb) =>
      eb.or([
        eb('cases.title', 'ilike', like),
        eb('cases.description', 'ilike', like),
        eb('cases.address', 'ilike', like),
        eb('cases.number', 'like', start),
      ]),
    );
  }
  return select;
}

/**
 * The unit filter of a list or an export: the unit's path, or NOT_FOUND for an unknown id. A unit
 * outside the reader's scope is not an error: the scoped list simply holds none of its cases.
 */
export async function resolveUnitFilter(db: Db, unitId: string | undefined): Promise<string | undefined> {
  if (!unitId) return undefined;
  const unit = await db.selectFrom('unit').select('path').where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path: 'query.unitId', reason: 'unknown unit' }] });
  return unit.path;
}

export async function listCases(db: Db, actor: Actor | null, query: CaseListQuery) {
  const rows = await filteredCases(db, actor, query).limit(query.limit).execute();
  return rows.map((row) => ({ ...row, pendingKind: row.pendingRequest?.kind ?? null }));
}

export async function listEvents(db: Db, district: string, caseId: string) {
  return db
    .selectFrom('caseEvent')
    .selectAll()
    .where('district', '=', district)
    .where('caseId', '=', caseId)
    .orderBy('seq')
    .execute();
}

/** Open cases the actor may see (reported to handled), soonest due first: the inboxes are cut from these. */
export async function listOpenCases(db: Db, actor: Actor | null, limit: number) {
  const rows = await selectCases(db)
    .where(caseScope(actor))
    .where('cases.state', 'in', ['reported', 'registered', 'dispatched', 'handling', 'deferred', 'handled'])
    .orderBy(sql`cases.due_at asc nulls last`)
    .orderBy('cases.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, pendingKind: row.pendingRequest?.kind ?? null }));
}

/**
 * Reads of the catalogue: categories, their limits, open-case counts and dispatch rules.
 */
import { type SqlBool, sql } from 'kysely';
import { FINAL_STATES } from '../../../common/cases.js';
import type { Db, Trx } from '../../db/database.js';
import { escapeLike } from '../../policies/scope.js';

export function selectCategories(db: Db | Trx) {
  return db
    .selectFrom('category')
    .select([
      'id',
      'code',
      'majorCode',
      'kind',
      'nameZh',
      'nameEn',
      'departmentKind',
      'selfRegister',
      'selfHandle',
      'duplicateRadiusM',
      'duplicateWindowDays',
      'serviceNoticeZh',
      'serviceNoticeEn',
      'keywords',
      'disabled',
      'questions',
    ])
    .orderBy('code');
}

export type CategoryRow = Awaited<ReturnType<ReturnType<typeof selectCategories>['executeTakeFirstOrThrow']>>;

/** One category; `forUpdate` locks its row (inside a transaction) so concurrent edits queue. */
export function findCategoryByCode(db: Db | Trx, code: string, forUpdate = false): Promise<CategoryRow | undefined> {
  const query = selectCategories(db).where('code', '=', code);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/**
 * Categories open to reports: enabled minors whose major is enabled too (the public picker hides a
 * disabled major whole, so its minors are closed to every channel).
 */
export function selectReportable(db: Db | Trx) {
  return db
    .selectFrom('category')
    .where('disabled', '=', false)
    .where('code', 'not like', '%00')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('category as major')
            .select('major.id')
            .whereRef('major.majorCode', '=', 'category.majorCode')
            .where('major.code', 'like', '%00')
            .where('major.disabled', '=', true),
        ),
      ),
    );
}

export interface LimitRow {
  categoryId: string | null;
  urgency: 'normal' | 'urgent' | 'emergency';
  stage: 'register' | 'dispatch' | 'handle' | 'verify';
  amount: number;
  unit: 'natural_minutes' | 'natural_hours' | 'working_hours' | 'working_days';
}

/** Limits of the given categories and the defaults (category-less rows). */
export async function listLimits(db: Db | Trx, categoryIds?: readonly string[]): Promise<LimitRow[]> {
  let query = db.selectFrom('timeLimit').select(['categoryId', 'urgency', 'stage', 'amount', 'unit']);
  if (categoryIds) {
    query = query.where((eb) =>
      categoryIds.length
        ? eb.or([eb('categoryId', 'is', null), eb('categoryId', 'in', categoryIds)])
        : eb('categoryId', 'is', null),
    );
  }
  const rows = await query.orderBy('urgency').orderBy('stage').execute();
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}

/** Cases of a category that still run (not closed, rejected or merged). */
export async function countOpenCases(db: Db | Trx, categoryId: string): Promise<number> {
  const row = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('categoryId', '=', categoryId)
    .where('state', 'not in', [...FINAL_STATES])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function selectRules(db: Db | Trx) {
  return db
    .selectFrom('dispatchRule as r')
    .innerJoin('category as c', 'c.id', 'r.categoryId')
    .innerJoin('unit as u', 'u.id', 'r.unitId')
    .innerJoin('department as d', 'd.id', 'r.departmentId')
    .select([
      'r.id',
      'r.unitPath',
      'r.district',
      'r.createdAt',
      'c.id as categoryId',
      'c.code as categoryCode',
      'c.nameZh as categoryNameZh',
      'c.nameEn as categoryNameEn',
      'u.id as unitId',
      'u.code as unitCode',
      'u.name as unitName',
      'u.level as unitLevel',
      'd.id as departmentId',
      'd.code as departmentCode',
      'd.name as departmentName',
      'd.kind as departmentKind',
    ])
    .orderBy('c.code')
    .orderBy(sql`length(r.unit_path)`)
    .orderBy('u.code');
}

export type RuleRow = Awaited<ReturnType<ReturnType<typeof selectRules>['executeTakeFirstOrThrow']>>;

/** Rules at, below or above (governing) any of the scope paths: what staff of that scope are routed by. */
export function rulesTouching(paths: readonly string[]) {
  if (paths.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(
    paths.map((p) => sql`(r.unit_path like ${`${escapeLike(p)}%`} or ${p} like r.unit_path || '%')`),
    sql` or `,
  )})`;
}

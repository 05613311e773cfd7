/**
 * Dispatch rules: category × territory → department. The rule on the most specific unit (the
 * longest path that contains the case's unit) wins; without a rule the dispatcher chooses.
 */
import { sql } from 'kysely';
import type { Db, Trx } from '../db/database.js';

export async function suggestDepartment(db: Db | Trx, categoryId: string, unitPath: string): Promise<string | null> {
  const row = await db
    .selectFrom('dispatchRule')
    .innerJoin('department', 'department.id', 'dispatchRule.departmentId')
    .select('dispatchRule.departmentId')
    .where('dispatchRule.categoryId', '=', categoryId)
    .where('department.disabled', '=', false)
    .where(sql<boolean>`${unitPath} like dispatch_rule.unit_path || '%'`)
    .orderBy(sql`length(dispatch_rule.unit_path)`, 'desc')
    .executeTakeFirst();
  return row?.departmentId ?? null;
}

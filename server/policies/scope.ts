/**
 * SQL scoping: the one way lists, counts and exports are limited to the actor's scope (DESIGN rule 5).
 * A scope is a set of unit paths; a row is in scope when its path starts with one of them — a
 * left-anchored LIKE, which the text_pattern_ops index on each path column answers as a range scan.
 */
import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';

/** `column LIKE p1% OR column LIKE p2% …`; false when the scope is empty (default deny). */
export function pathInScope<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: Expression<string> | string,
  paths: readonly string[],
): Expression<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`false`;
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return eb.or(paths.map((p) => sql<SqlBool>`${ref} like ${`${escapeLike(p)}%`}`));
}

/** The same condition for queries written as raw SQL (lateral joins, aggregates): `(c like p1% or …)`, false when empty. */
export function pathsLike(column: Expression<unknown>, paths: readonly string[]): RawBuilder<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(
    paths.map((p) => sql`${column} like ${`${escapeLike(p)}%`}`),
    sql` or `,
  )})`;
}

/** Escapes LIKE wildcards (paths are digits and dots, but never trust that). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

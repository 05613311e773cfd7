/**
 * Many rows in few statements: `insert into t (…) select … from unnest($1::uuid[], $2::text[], …)`,
 * one array parameter per column, a few thousand rows per statement — 30,000 people in a handful of
 * round trips rather than 30,000. Array columns travel as JSON text and jsonb columns as text, since
 * unnest would flatten an array of arrays.
 */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.js';

export interface BulkColumn<R> {
  /** Column name (snake_case, as in the migration). */
  name: string;
  /** PostgreSQL type of the values sent: uuid, text, date, timestamptz, int4, numeric, bool, float8, jsonb, text[]. */
  type: string;
  value: (row: R) => unknown;
}

const ROWS_PER_STATEMENT = 5_000;

/** Inserts `rows` into `table` in batches. Column names and types come from code, never from input. */
export async function bulkInsert<R>(trx: Trx, table: string, columns: readonly BulkColumn<R>[], rows: readonly R[]) {
  const names = sql.join(columns.map((c) => sql.id(c.name)));
  // Array and jsonb values are sent as text and turned back in the select list.
  const sent = (c: BulkColumn<R>) => (c.type === 'jsonb' || c.type.endsWith('[]') ? 'text' : c.type);
  const select = sql.join(
    columns.map((c) => {
      const ref = sql.ref(`u.${c.name}`);
      if (c.type === 'jsonb') return sql`${ref}::jsonb`;
      if (c.type.endsWith('[]')) return sql`array(select jsonb_array_elements_text(${ref}::jsonb))::${sql.raw(c.type)}`;
      return ref;
    }),
  );
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const arrays = sql.join(
      columns.map((c) => {
        const values = chunk.map((row) => {
          const v = c.value(row);
          return c.type === 'jsonb' || c.type.endsWith('[]') ? JSON.stringify(v) : v;
        });
        return sql`${values}::${sql.raw(sent(c))}[]`;
      }),
    );
    await sql`insert into ${sql.table(table)} (${names})
      select ${select} from unnest(${arrays}) as u(${names})`.execute(trx);
  }
}

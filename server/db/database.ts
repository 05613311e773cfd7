/**
 * The Kysely instance over a pg pool. One per process (tests make one per database).
 */
import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { runMarkedTextsByName } from './prepared.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

// bigint (int8) columns: audit ids and counts. Keep them as strings where they may exceed 2^53,
// but counts (from count(*)) are parsed as numbers by the queries that need them.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// DATE columns are calendar days, not instants: keep 'yyyy-mm-dd' rather than a Date at UTC midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface DbOptions {
  connectionString: string;
  max?: number;
  /** Called when a pooled connection errors outside a query (for example the server was killed). */
  onPoolError?: (error: Error) => void;
}

/** Opens a pool and wraps it in Kysely. */
export function createDb(options: DbOptions): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    application_name: 'gridloop',
  });
  pool.on('error', (error) => options.onPoolError?.(error));
  // A client lent out by the pool has no 'error' listener of the pool's (pg-pool removes it while the
  // client is checked out): when PostgreSQL dies between two statements of a transaction, pg emits
  // 'error' on it with no query to reject, and an unhandled 'error' event ends the process. Listen for
  // good: the statement that follows fails on its own (a coded 503), and the pool drops the client when
  // it comes back unqueryable.
  pool.on('connect', (client) => {
    client.on('error', (error) => options.onPoolError?.(error));
    runMarkedTextsByName(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return { db, pool };
}

/**
 * Prepared (named) statements for the few statements every request or every archive lookup runs.
 *
 * PostgreSQL plans a statement each time it receives its text; for short statements the planning
 * is most of the cost (the archive's ID-number lookup: ~0.9 ms as plain text, 0.14 ms prepared, on
 * the same connection — docs/benchmarks.md, "Archive"). A statement marked here runs by a name on
 * every pooled connection: parsed once per connection, and after a few executions planned once (a
 * generic plan, which PostgreSQL keeps only when it costs no more than planning each time).
 *
 * Opt in per statement, never for every query: texts whose best plan depends on the values (a
 * prefix LIKE of a scope, a name's grams) are better planned each time. The registry is bounded, so a
 * statement built with a varying shape cannot fill the server's memory with prepared statements.
 */
import { type Compilable, CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { Db, Trx } from './database.js';

/** The texts marked to run by name, at most `limit` of them; later ones run as plain text. */
export class PreparedTexts {
  readonly #names = new Map<string, string>();
  constructor(readonly limit: number) {}

  /** Marks a statement's text to run by name (idempotent; ignored once the registry is full). */
  mark(text: string): void {
    if (!this.#names.has(text) && this.#names.size < this.limit)
      this.#names.set(text, `gridloop_${this.#names.size + 1}`);
  }

  /** The name a text runs under, if it is marked. */
  nameOf(text: string): string | undefined {
    return this.#names.get(text);
  }
}

/** The process's registry: a few dozen statements are marked in practice. */
const texts = new PreparedTexts(200);

/** Marks a statement's text to run by name on every connection. */
export const prepare = (text: string): void => texts.mark(text);

/** Runs a statement of fixed text (positional parameters `$1`…) as a prepared one; rows camelCased as any query's. */
export async function runPrepared<R>(db: Db | Trx, text: string, parameters: readonly unknown[]): Promise<R[]> {
  prepare(text);
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
  return result.rows;
}

/** Runs a query built with Kysely as a prepared one: the same shape compiles to the same text. */
export async function executePrepared<R>(db: Db | Trx, query: Compilable<R>): Promise<R[]> {
  const compiled = query.compile();
  prepare(compiled.sql);
  const result = await db.executeQuery<R>(compiled);
  return result.rows;
}

type QueryFn = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Lets a pooled client run marked texts by name. Kysely sends `query(text, parameters)`; a marked
 * text goes on as `{ name, text, values }`, which pg parses once per connection. Anything else (a
 * cursor, a config object, an unmarked text) passes through untouched.
 */
export function runMarkedTextsByName(client: pg.ClientBase, registry: PreparedTexts = texts): void {
  const target = client as unknown as { query: QueryFn };
  const query = target.query.bind(client) as QueryFn;
  target.query = (config, values, callback) => {
    const name = typeof config === 'string' && Array.isArray(values) ? registry.nameOf(config) : undefined;
    return name === undefined ? query(config, values, callback) : query({ name, text: config, values }, callback);
  };
}

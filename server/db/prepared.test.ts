/**
 * Prepared statements: a marked text runs by name on the connection (PostgreSQL lists it among the
 * session's prepared statements), an unmarked one does not, both answer the same rows; the registry
 * stops marking at its limit; the hot statements of every request are marked.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createSession, resolveSession } from '../accounts/session.service.js';
import { makeAccount, makeTerritory } from '../test/factories.js';
import { createTestDatabase } from '../test/harness.js';
import type { Db } from './database.js';
import { executePrepared, PreparedTexts, runMarkedTextsByName, runPrepared } from './prepared.js';

let db: Db;

/** The statements prepared on the connection of `trx`, by their text. */
const preparedOn = async (trx: Db) => {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx);
  return rows.map((r) => r.statement);
};

describe('prepared statements', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
  });

  it('runs a marked text by name on its connection, and an unmarked one as plain text', async () => {
    const marked = `select $1::int + 1 as next /* prepared.test ${Date.now()} */`;
    const plain = `select $1::int + 2 as next /* prepared.test plain ${Date.now()} */`;
    await db.connection().execute(async (conn) => {
      const [first] = await runPrepared<{ next: number }>(conn, marked, [41]);
      const [second] = await runPrepared<{ next: number }>(conn, marked, [1]);
      expect([first?.next, second?.next]).toEqual([42, 2]);
      const rows = await sql.raw(plain.replace('$1', '40')).execute(conn);
      expect(rows.rows).toHaveLength(1);
      const statements = await preparedOn(conn);
      expect(statements).toContain(marked);
      expect(statements.filter((s) => s === marked)).toHaveLength(1);
      expect(statements.some((s) => s.includes('prepared.test plain'))).toBe(false);
    });
  });

  it('prepares a query built with Kysely by its compiled text, rows camelCased as usual', async () => {
    await db.connection().execute(async (conn) => {
      const query = conn.selectFrom('unit').select(['id', 'parentId']).where('code', '=', 'no-such-unit');
      expect(await executePrepared(conn, query)).toEqual([]);
      const statements = await preparedOn(conn);
      expect(statements).toContain(query.compile().sql);
      const [row] = await runPrepared<Record<string, unknown>>(conn, 'select 1 as some_column', []);
      expect(row).toEqual({ someColumn: 1 });
    });
  });

  it('stops marking at its limit, so varying shapes cannot fill the server with statements', async () => {
    const registry = new PreparedTexts(2);
    for (const text of ['select 1', 'select 2', 'select 3', 'select 1']) registry.mark(text);
    expect(registry.nameOf('select 1')).toMatch(/^gridloop_\d+$/);
    expect(registry.nameOf('select 2')).toMatch(/^gridloop_\d+$/);
    expect(registry.nameOf('select 1')).not.toBe(registry.nameOf('select 2'));
    expect(registry.nameOf('select 3')).toBeUndefined();
    // A client taught by this registry runs only its texts by name.
    const client = new pg.Client({ connectionString: inject('adminUrl') });
    await client.connect();
    try {
      runMarkedTextsByName(client, registry);
      await client.query('select 1', []);
      await client.query('select 3', []);
      const { rows } = await client.query<{ name: string; statement: string }>(
        'select name, statement from pg_prepared_statements',
      );
      expect(rows.map((r) => r.statement)).toEqual(['select 1']);
      expect(rows[0]?.name).toBe(registry.nameOf('select 1'));
    } finally {
      await client.end();
    }
  });

  it('resolves a session in one prepared statement', async () => {
    const territory = await makeTerritory(db);
    const account = await makeAccount(db, territory, 'dispatcher', territory.subdistrict);
    const opened = await createSession(db, { kind: 'staff', accountId: account.id }, { hours: 1 });
    await db.connection().execute(async (conn) => {
      const resolved = await resolveSession(conn, opened.token);
      expect(resolved?.actor).toMatchObject({
        kind: 'staff',
        id: account.id,
        grants: [{ role: 'dispatcher', unitPath: territory.units.get(territory.subdistrict)?.path, department: null }],
      });
      const statements = await preparedOn(conn);
      expect(statements.filter((s) => s.includes('from session s'))).toHaveLength(1);
      expect(await resolveSession(conn, 'not-a-token')).toBeUndefined();
    });
  });
});

/**
 * PostgreSQL going away and coming back (issue 9, point 1; the whole-process version with `kill -9` is
 * `gridloop bench crash`). The app reaches its test database through a TCP relay that this test cuts
 * and restores, as a crashed and restarted server would look from the pool: connections dropped
 * mid-transaction, then refused, then accepted again on the same address.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseDown } from '../http/error-handler.js';
import { makeAccount, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { createDb, type Db } from './database.js';

/** A relay from a local port to PostgreSQL; `down()` drops every connection and refuses new ones until `up()`. */
async function relay(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      if (server?.listening) return resolve();
      server = createServer((inbound) => {
        const outbound = connect(target.port, target.host);
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        inbound.pipe(outbound).pipe(inbound);
      });
      server.listen(port, '127.0.0.1', () => {
        const address = server?.address();
        if (address && typeof address === 'object') port = address.port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server) server.close(() => resolve());
      else resolve();
    });
  await up();
  return { port: () => port, up, down };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('when PostgreSQL goes away and comes back', () => {
  let link: Awaited<ReturnType<typeof relay>>;
  let db: Db;
  let app: FastifyInstance;
  let staff: Client;

  beforeAll(async () => {
    const test = await createTestDatabase();
    const t = await makeTerritory(test.db);
    const account = await makeAccount(test.db, t, 'dispatcher', t.subdistrict);
    const direct = new URL(test.url);
    link = await relay({ host: direct.hostname, port: Number(direct.port) });
    const relayed = new URL(test.url);
    relayed.port = String(link.port());
    db = createDb({ connectionString: relayed.toString(), max: 4 }).db;
    app = await createTestApp(db);
    staff = await signIn(app, account.username, TEST_PASSWORD);
  });
  afterAll(async () => {
    await link.up().catch(() => {});
    await db.destroy();
  });

  it('a connection lost inside a transaction fails that transaction, not the process', async () => {
    // Without an error listener on lent-out clients, pg's 'error' event ends the process here.
    const lost = db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await link.down();
      await wait(100);
      await sql`select 2`.execute(trx);
    });
    const error = await lost.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(isDatabaseDown(error)).toBe(true);
    await link.up();
    // The pool dropped the broken client: the next transaction gets a fresh one.
    const { rows } = await sql<{ n: number }>`select 41 + 1 as n`.execute(db);
    expect(rows[0]?.n).toBe(42);
  });

  it('while it is down health and requests answer 503 DATABASE_UNAVAILABLE; afterwards they serve again', async () => {
    expect((await staff.request('GET', '/api/cases')).statusCode).toBe(200);
    await link.down();

    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'degraded', code: 'DATABASE_UNAVAILABLE', database: { ok: false } });
    for (const res of [
      await staff.request('GET', '/api/cases'),
      await staff.request('POST', '/api/cases', {
        categoryCode: '0101',
        description: '井盖缺失',
        lng: 121.4,
        lat: 31.2,
      }),
      await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'x', password: 'y' } }),
    ]) {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at \w+ \(/);
    }

    await link.up();
    const back = await app.inject({ method: 'GET', url: '/api/health' });
    expect(back.statusCode).toBe(200);
    expect(back.json().code).toBeUndefined();
    expect((await staff.request('GET', '/api/cases')).statusCode).toBe(200);
  });

  it('knows the failures of a database that is gone from those of a query', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08006'])
      expect(isDatabaseDown(Object.assign(new Error('x'), { code })), code).toBe(true);
    expect(isDatabaseDown(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    for (const code of ['23505', '40001', '42P01', '22P02'])
      expect(isDatabaseDown(Object.assign(new Error('x'), { code })), code).toBe(false);
  });
});

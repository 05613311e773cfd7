/**
 * A real deadlock on the real database: two transactions take two rows in opposite order. Bare,
 * PostgreSQL aborts one of them (40P01); through retryOnConflict both finish, the victim re-run.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import type { Db } from './database.js';
import { retryOnConflict } from './retry.js';

let db: Db;

/** Takes `first`, waits until both transactions hold their first row, then takes `second`. */
async function crossing(first: number, second: number, bothHold: () => Promise<void>, held: () => void) {
  await db.transaction().execute(async (trx) => {
    await sql`update crossing set n = n + 1 where id = ${first}`.execute(trx);
    held();
    await bothHold();
    await sql`update crossing set n = n + 1 where id = ${second}`.execute(trx);
  });
}

function barrier() {
  let count = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    held: () => {
      count += 1;
      if (count >= 2) release();
    },
    // After the first round, a re-run must not wait for a partner that already finished.
    wait: () => Promise.race([all, new Promise<void>((r) => setTimeout(r, 300))]),
  };
}

describe('retryOnConflict', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    await sql`create table crossing (id int primary key, n int not null)`.execute(db);
    await sql`insert into crossing values (1, 0), (2, 0)`.execute(db);
  });

  it('without it, one of two crossing transactions is aborted as a deadlock', async () => {
    const b = barrier();
    const results = await Promise.allSettled([crossing(1, 2, b.wait, b.held), crossing(2, 1, b.wait, b.held)]);
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed).toHaveLength(1);
    expect((failed[0]?.reason as { code?: string } | undefined)?.code).toBe('40P01');
  });

  it('with it, both finish and each row is counted once per transaction', async () => {
    const before = await sql<{ n: number }>`select sum(n)::int as n from crossing`.execute(db);
    const b = barrier();
    await Promise.all([
      retryOnConflict(() => crossing(1, 2, b.wait, b.held)),
      retryOnConflict(() => crossing(2, 1, b.wait, b.held)),
    ]);
    const after = await sql<{ n: number }>`select sum(n)::int as n from crossing`.execute(db);
    expect((after.rows[0]?.n ?? 0) - (before.rows[0]?.n ?? 0)).toBe(4);
  });

  it('does not retry other errors', async () => {
    let runs = 0;
    await expect(
      retryOnConflict(async () => {
        runs += 1;
        throw Object.assign(new Error('unique'), { code: '23505' });
      }),
    ).rejects.toThrow('unique');
    expect(runs).toBe(1);
  });
});

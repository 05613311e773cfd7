import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import { createTestDatabase } from '../test/database.js';
import { canonicalJson, sealAll, verifyAudit } from './audit.chain.js';
import { writeAudit } from './audit.writer.js';

let db: Db;

async function writeSome(n: number) {
  for (let i = 0; i < n; i++) {
    await writeAudit(
      db,
      { actor: SYSTEM_ACTOR, requestId: `r${i}` },
      { action: 'unit.created', data: { code: `c${i}`, name: `名${i}`, level: 'grid' } },
      { type: 'unit', id: `u${i}` },
    );
  }
}

/** Runs a statement with triggers off, as a superuser bent on tampering would. */
async function tamper(statement: ReturnType<typeof sql>) {
  await db.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    await statement.execute(conn);
    await sql`set session_replication_role = origin`.execute(conn);
  });
}

describe('audit chain', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":2,"f":1}]},"b":1}',
    );
  });

  it('seals rows in order and verifies an untouched chain', async () => {
    await writeSome(5);
    const before = await verifyAudit(db);
    expect(before).toMatchObject({ ok: true, unsealed: 5, sealed: 0 });
    expect(await sealAll(db)).toBe(5);
    // Past ten rows, so that any text ordering of seq ('10' < '2') would show.
    await writeSome(23);
    expect(await sealAll(db)).toBe(23);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, sealed: 28, unsealed: 0 });
    const seqs = (await db.selectFrom('auditLog').select('seq').orderBy('id').execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
  });

  it('refuses updates and deletes through the trigger', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    // Unsealed rows cannot be changed either, except by the sealer's columns.
    await writeSome(1);
    await expect(sql`update audit_log set data = '{}'::jsonb where seq is null`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await sealAll(db);
  });

  it('detects a row altered behind the trigger', async () => {
    await tamper(sql`update audit_log set data = jsonb_set(data, '{name}', '"篡改"') where seq = 3`);
    const result = await verifyAudit(db);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ seq: '3', kind: 'hash_mismatch' });
  });

  it('detects a deleted row as a gap', async () => {
    // Restore row 3 to a consistent state is impossible without the key: start a fresh check on a
    // new database instead, then delete a row.
    const fresh = (await createTestDatabase()).db;
    const previous = db;
    db = fresh;
    await writeSome(4);
    await sealAll(db);
    await tamper(sql`delete from audit_log where seq = 2`);
    const result = await verifyAudit(db);
    expect(result).toMatchObject({ ok: false, problem: { seq: '2', kind: 'gap' } });
    db = previous;
  });

  it('detects a re-hashed row through the next link', async () => {
    const fresh = (await createTestDatabase()).db;
    const previous = db;
    db = fresh;
    await writeSome(3);
    await sealAll(db);
    // A forger who recomputes the hash of the row they changed still breaks the next row's link.
    await tamper(sql`update audit_log set hash = repeat('a', 64) where seq = 1`);
    const result = await verifyAudit(db);
    expect(result.ok).toBe(false);
    expect(['hash_mismatch', 'broken_link']).toContain(result.problem?.kind);
    db = previous;
  });
});

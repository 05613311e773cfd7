/**
 * The audit writer: rows as the chain expects them, one statement for several; and the routine read's
 * row, committed without waiting for the disk flush — in its own implicit transaction only, never in a
 * caller's transaction that holds a change.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import type { Db, Trx } from '../db/database.js';
import { createTestDatabase } from '../test/database.js';
import type { AuditEvent } from './audit.events.js';
import { writeAudits, writeAuditUnflushed } from './audit.writer.js';

let db: Db;

const read = (marker: string): AuditEvent => ({
  action: 'archive.read',
  data: { people: [marker], via: 'lookup', fields: ['name'], purpose: null },
});

const rowsOf = async (marker: string) => {
  const { rows } = await sql<{ action: string; actor: { kind: string } }>`select action, actor from audit_log
    where data -> 'people' ? ${marker}`.execute(db);
  return rows;
};

const synchronousCommit = async (trx: Trx) =>
  (await sql<{ value: string }>`select current_setting('synchronous_commit') as value`.execute(trx)).rows[0]?.value;

describe('the audit writer', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
  });

  it('writes a routine read’s row, and the session keeps committing durably after it', async () => {
    const marker = randomUUID();
    await db.connection().execute(async (conn) => {
      // Durable as production is (the test cluster runs without waiting for its disk).
      await sql`set synchronous_commit = on`.execute(conn);
      await writeAuditUnflushed(conn, { actor: SYSTEM_ACTOR }, read(marker));
      // The setting lasted for the row's own transaction only.
      expect((await sql<{ value: string }>`show synchronous_commit`.execute(conn)).rows[0]).toEqual({
        synchronousCommit: 'on',
      });
      await sql`reset synchronous_commit`.execute(conn);
    });
    expect(await rowsOf(marker)).toEqual([{ action: 'archive.read', actor: { kind: 'system', name: 'system' } }]);
  });

  it('turns synchronous commit off for the statement’s transaction alone', async () => {
    const marker = randomUUID();
    await db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = on`.execute(trx);
      expect(await synchronousCommit(trx)).toBe('on');
      await writeAudits(trx, { actor: SYSTEM_ACTOR }, [{ event: read(marker) }], { flush: false });
      expect(await synchronousCommit(trx)).toBe('off');
    });
    expect(await rowsOf(marker)).toHaveLength(1);
  });

  it('inside a caller’s transaction writes the row durably, as every change must commit', async () => {
    const marker = randomUUID();
    await db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = on`.execute(trx);
      await writeAuditUnflushed(trx, { actor: SYSTEM_ACTOR }, read(marker));
      expect(await synchronousCommit(trx)).toBe('on');
    });
    expect(await rowsOf(marker)).toHaveLength(1);
  });
});

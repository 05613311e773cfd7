/**
 * The hash chain over the audit log. Rows are appended unsealed by concurrent transactions; the
 * sealer takes the committed unsealed rows in id order, one sealer at a time (advisory lock), and
 * gives each the next `seq`, the previous row's hash and its own hash. So writers never wait on
 * the chain's head, and any later change to a sealed row, or a deleted row, breaks the chain.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

const SEAL_LOCK = 7_301_004; // advisory lock key for the sealer
const GENESIS = '0'.repeat(64);

interface ChainRow {
  id: string;
  occurredAt: string;
  district: string | null;
  actor: unknown;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  data: unknown;
  requestId: string | null;
  ip: string | null;
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function rowHash(prevHash: string, seq: string, row: ChainRow): string {
  const body = canonicalJson({ seq, ...row });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

const chainColumns = sql<ChainRow>`
  id::text as "id",
  to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "occurredAt",
  district as "district", actor as "actor", action as "action", subject_type as "subjectType",
  subject_id as "subjectId", data as "data", request_id as "requestId", ip as "ip"`;

/** Seals up to `batch` committed rows; returns how many it sealed. Safe to call from many processes. */
export async function sealAudit(db: Db, batch = 2_000): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows: lock } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${SEAL_LOCK}) as ok`.execute(
      trx,
    );
    if (!lock[0]?.ok) return 0;
    const { rows: head } = await sql<{ seq: string; hash: string }>`
      select seq::text as seq, hash from audit_log where seq is not null order by audit_log.seq desc limit 1`.execute(
      trx,
    );
    let seq = BigInt(head[0]?.seq ?? '0');
    let prev = head[0]?.hash ?? GENESIS;
    const { rows } = await sql<ChainRow>`
      select ${chainColumns} from audit_log where seq is null order by audit_log.id limit ${batch}`.execute(trx);
    if (rows.length === 0) return 0;
    const ids: string[] = [];
    const seqs: string[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      seq += 1n;
      const hash = rowHash(prev, seq.toString(), row);
      ids.push(row.id);
      seqs.push(seq.toString());
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await sql`
      update audit_log a set seq = v.seq, prev_hash = v.prev, hash = v.hash
      from unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) as v(id, seq, prev, hash)
      where a.id = v.id`.execute(trx);
    return rows.length;
  });
}

/** Seals until nothing unsealed is left (CLI, tests, shutdown). */
export async function sealAll(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealAudit(db);
    total += n;
    if (n === 0) return total;
  }
}

export interface VerifyResult {
  ok: boolean;
  sealed: number;
  unsealed: number;
  problem?: { seq: string; id: string | null; kind: 'gap' | 'broken_link' | 'hash_mismatch' };
}

/** Walks the chain in seq order and recomputes every hash. Reads only. */
export async function verifyAudit(db: Db, batch = 5_000): Promise<VerifyResult> {
  let expectedSeq = 1n;
  let prev = GENESIS;
  let sealed = 0;
  for (;;) {
    const { rows } = await sql<ChainRow & { seq: string; prevHash: string; hash: string }>`
      select ${chainColumns}, seq::text as "seq", prev_hash as "prevHash", hash as "hash"
      from audit_log where audit_log.seq >= ${expectedSeq.toString()}::bigint order by audit_log.seq limit ${batch}`.execute(
      db,
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const { seq, prevHash, hash, ...content } = row;
      if (BigInt(seq) !== expectedSeq) return finish(false, { seq: expectedSeq.toString(), id: null, kind: 'gap' });
      if (prevHash !== prev) return finish(false, { seq, id: row.id, kind: 'broken_link' });
      if (rowHash(prev, seq, content) !== hash) return finish(false, { seq, id: row.id, kind: 'hash_mismatch' });
      prev = hash;
      expectedSeq += 1n;
      sealed += 1;
    }
  }
  return finish(true);

  async function finish(ok: boolean, problem?: VerifyResult['problem']): Promise<VerifyResult> {
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from audit_log where seq is null`.execute(db);
    return { ok, sealed, unsealed: Number(rows[0]?.n ?? 0), ...(problem ? { problem } : {}) };
  }
}

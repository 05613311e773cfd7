/**
 * Writes audit rows inside the caller's transaction (or alone, for denials that must survive a
 * failed request). Rows start unsealed; the sealer chains them after commit.
 */
import type { Actor } from '../accounts/actor.js';
import { actorSnapshot } from '../accounts/actor.js';
import type { Db, Trx } from '../db/database.js';
import { runPrepared } from '../db/prepared.js';
import { type AuditEvent, ZAuditEvent } from './audit.events.js';

export interface AuditContext {
  actor: Actor | null | { kind: 'system'; id: null; name: string };
  requestId?: string | undefined;
  ip?: string | undefined;
}

export interface AuditSubject {
  type: string;
  id: string;
  district?: string | null;
}

/**
 * One array per column (occurred_at and id take their defaults row by row); a prepared statement, as
 * every write and every read of the archive runs it.
 */
const INSERT_SQL = `insert into audit_log (action, data, actor, subject_type, subject_id, district, request_id, ip)
  select action, data, $1::jsonb, subject_type, subject_id, district, $2, $3
  from unnest($4::text[], $5::jsonb[], $6::text[], $7::text[], $8::char(6)[])
    as t(action, data, subject_type, subject_id, district)`;

/**
 * The same row written by a statement that commits without waiting for the disk: its own implicit
 * transaction turns synchronous commit off for itself alone (`set_config(…, true)` lasts until that
 * transaction's commit), so the answer does not wait for a WAL flush. A crash of PostgreSQL can lose
 * such rows of the last moment (up to three wal_writer_delay, 0.6 s by default); every later durable
 * commit flushes them with its own. Only for the routine reads of masked records (archive-audit.ts),
 * never for a change or an unmasking.
 */
const INSERT_UNFLUSHED_SQL = `with relaxed as (select set_config('synchronous_commit', 'off', true))
  insert into audit_log (action, data, actor, subject_type, subject_id, district, request_id, ip)
  select action, data, $1::jsonb, subject_type, subject_id, district, $2, $3
  from relaxed, unnest($4::text[], $5::jsonb[], $6::text[], $7::text[], $8::char(6)[])
    as t(action, data, subject_type, subject_id, district)`;

/** Appends one typed audit row in `trx` (use a transaction: the row commits with the change it records). */
export function writeAudit(
  trx: Trx | Db,
  context: AuditContext,
  event: AuditEvent,
  subject?: AuditSubject,
): Promise<void> {
  return writeAudits(trx, context, [{ event, subject }]);
}

/**
 * One audit row outside any transaction, committed without waiting for the disk (see
 * INSERT_UNFLUSHED_SQL). Inside a transaction it is written as any row is: that transaction's commit
 * must stay durable for what else it holds.
 */
export function writeAuditUnflushed(
  db: Db,
  context: AuditContext,
  event: AuditEvent,
  subject?: AuditSubject,
): Promise<void> {
  return writeAudits(db, context, [{ event, subject }], { flush: db.isTransaction });
}

/** Appends several typed audit rows of one actor in `trx` in one statement (the deadline sweep's orders). */
export async function writeAudits(
  trx: Trx | Db,
  context: AuditContext,
  entries: { event: AuditEvent; subject?: AuditSubject | undefined }[],
  options: { flush: boolean } = { flush: true },
): Promise<void> {
  const actor = JSON.stringify(
    context.actor && context.actor.kind === 'system'
      ? { kind: 'system', name: context.actor.name }
      : actorSnapshot(context.actor as Actor | null),
  );
  if (entries.length === 0) return;
  const checked = entries.map(({ event }) => ZAuditEvent.parse(event));
  const subjects = entries.map(({ subject }) => subject);
  await runPrepared(trx, options.flush ? INSERT_SQL : INSERT_UNFLUSHED_SQL, [
    actor,
    context.requestId ?? null,
    context.ip ?? null,
    checked.map((e) => e.action),
    checked.map((e) => JSON.stringify(e.data)),
    subjects.map((x) => x?.type ?? null),
    subjects.map((x) => x?.id ?? null),
    subjects.map((x) => x?.district ?? null),
  ]);
}

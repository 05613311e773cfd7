/**
 * Writes audit rows inside the caller's transaction (or alone, for denials that must survive a
 * failed request). Rows start unsealed; the sealer chains them after commit.
 */
import type { Actor } from '../accounts/actor.js';
import { actorSnapshot } from '../accounts/actor.js';
import type { Db, Trx } from '../db/database.js';
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

/** Appends one typed audit row in `trx` (use a transaction: the row commits with the change it records). */
export async function writeAudit(
  trx: Trx | Db,
  context: AuditContext,
  event: AuditEvent,
  subject?: AuditSubject,
): Promise<void> {
  const checked = ZAuditEvent.parse(event);
  const actor =
    context.actor && context.actor.kind === 'system'
      ? { kind: 'system', name: context.actor.name }
      : actorSnapshot(context.actor as Actor | null);
  await trx
    .insertInto('auditLog')
    .values({
      action: checked.action,
      data: JSON.stringify(checked.data),
      actor: JSON.stringify(actor),
      subjectType: subject?.type ?? null,
      subjectId: subject?.id ?? null,
      district: subject?.district ?? null,
      requestId: context.requestId ?? null,
      ip: context.ip ?? null,
    })
    .execute();
}

/**
 * Writing inbox rows: one per recipient, in the caller's transaction, then a NOTIFY that wakes the
 * recipients' open screens at commit. Each module decides whom to tell (case-notices.ts for the
 * loop, the summonses for theirs); this is how they all tell.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Trx } from '../db/database.js';

export type Recipient = { kind: 'account' | 'resident'; id: string };

export interface NotificationProps {
  kind: string;
  district: string | null;
  caseId?: string | null;
  seq?: number | null;
  /** What the inbox shows: number/title of the case or subject of the summons, a short reason … */
  data: Record<string, unknown>;
  /** When it happened: the step's time (a replayed history stamps its own), else the database's now(). */
  at?: Date | undefined;
}

/** The enabled handler accounts of a department. */
export async function departmentHandlers(trx: Trx, departmentId: string | null | undefined): Promise<string[]> {
  if (!departmentId) return [];
  const { rows } = await sql<{ id: string }>`
    select distinct g.account_id as id from account_grant g join account a on a.id = g.account_id
    where g.role = 'handler' and g.department_id = ${departmentId} and not a.disabled`.execute(trx);
  return rows.map((r) => r.id);
}

/** Writes one row per distinct recipient; returns how many were told. */
export async function writeNotifications(trx: Trx, recipients: Recipient[], props: NotificationProps): Promise<number> {
  const seen = new Set<string>();
  const unique = recipients.filter((r) => {
    const key = `${r.kind}:${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length === 0) return 0;
  const data = JSON.stringify(props.data);
  await trx
    .insertInto('notification')
    .values(
      unique.map((r) => ({
        id: uuidv7(),
        recipientKind: r.kind,
        recipientId: r.id,
        kind: props.kind,
        district: props.district,
        caseId: props.caseId ?? null,
        seq: props.seq ?? null,
        data,
        ...(props.at ? { createdAt: props.at } : {}),
      })),
    )
    .execute();
  // NOTIFY payloads are limited to 8000 bytes: wake recipients in chunks.
  for (let i = 0; i < unique.length; i += 100) {
    const ids = unique.slice(i, i + 100).map((r) => r.id);
    await sql`select pg_notify('notifications', ${JSON.stringify({ ids })})`.execute(trx);
  }
  return unique.length;
}

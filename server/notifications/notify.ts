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
export function writeNotifications(trx: Trx, recipients: Recipient[], props: NotificationProps): Promise<number> {
  return writeNotificationBatch(trx, [{ recipients, props }]);
}

/**
 * Several notifications at once (the deadline sweep tells thousands of cases' people in one
 * transaction): one row per distinct recipient of each, all inserted by one statement (a column per
 * array parameter: nine parameters however many rows), and one NOTIFY per hundred distinct
 * recipients. Returns how many rows were written.
 */
export async function writeNotificationBatch(
  trx: Trx,
  items: { recipients: Recipient[]; props: NotificationProps }[],
): Promise<number> {
  const rows = items.flatMap(({ recipients, props }) => {
    const seen = new Set<string>();
    const data = JSON.stringify(props.data);
    return recipients
      .filter((r) => {
        const key = `${r.kind}:${r.id}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((r) => ({
        id: uuidv7(),
        recipientKind: r.kind,
        recipientId: r.id,
        kind: props.kind,
        district: props.district,
        caseId: props.caseId ?? null,
        seq: props.seq ?? null,
        data,
        createdAt: props.at ?? null,
      }));
  });
  if (rows.length === 0) return 0;
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key]);
  // A row without its own time is stamped with the database's now(), as the column's default does.
  await sql`
    insert into notification (id, recipient_kind, recipient_id, kind, district, case_id, seq, data, created_at)
    select id, recipient_kind, recipient_id, kind, district, case_id, seq, data, coalesce(created_at, now())
    from unnest(${column('id')}::uuid[], ${column('recipientKind')}::text[], ${column('recipientId')}::uuid[],
      ${column('kind')}::text[], ${column('district')}::char(6)[], ${column('caseId')}::uuid[], ${column('seq')}::int[],
      ${column('data')}::jsonb[], ${column('createdAt')}::timestamptz[])
      as t(id, recipient_kind, recipient_id, kind, district, case_id, seq, data, created_at)`.execute(trx);
  // NOTIFY payloads are limited to 8000 bytes: wake recipients in chunks.
  const ids = [...new Set(rows.map((r) => r.recipientId))];
  for (let i = 0; i < ids.length; i += 100) {
    await sql`select pg_notify('notifications', ${JSON.stringify({ ids: ids.slice(i, i + 100) })})`.execute(trx);
  }
  return rows.length;
}

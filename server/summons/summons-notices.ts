/**
 * Who hears about a summons: the summoned departments' handlers when it is issued, warned,
 * overdue, closed or cancelled; the issuer when a department replies or is late.
 */
import { sql } from 'kysely';
import type { Trx } from '../db/database.js';
import { departmentHandlers, type Recipient, writeNotifications } from '../notifications/notify.js';

export type SummonsNoticeKind =
  | 'summons_issued'
  | 'summons_replied'
  | 'summons_warning'
  | 'summons_overdue'
  | 'summons_closed'
  | 'summons_cancelled';

export interface SummonsNotice {
  kind: SummonsNoticeKind;
  district: string;
  summonsId: string;
  /** Only these departments' handlers (a late one); all summoned departments when absent. */
  departmentIds?: string[];
  /** Tell the issuer (replies, lateness). */
  issuer?: boolean;
  /** Not told: whoever acted. */
  actorAccountId?: string | null;
  data?: Record<string, unknown>;
}

export async function notifySummons(trx: Trx, n: SummonsNotice): Promise<number> {
  const { rows } = await sql<{ issuedBy: string; subject: string; caseId: string | null; departmentIds: string[] }>`
    select s.issued_by, s.subject, s.case_id,
      array(select sd.department_id from summons_department sd
            where sd.district = s.district and sd.summons_id = s.id) as department_ids
    from summons s where s.district = ${n.district} and s.id = ${n.summonsId}`.execute(trx);
  const s = rows[0];
  if (!s) return 0;
  const recipients: Recipient[] = [];
  if (n.issuer) recipients.push({ kind: 'account', id: s.issuedBy });
  for (const departmentId of n.departmentIds ?? (n.issuer ? [] : s.departmentIds)) {
    for (const id of await departmentHandlers(trx, departmentId)) recipients.push({ kind: 'account', id });
  }
  return writeNotifications(
    trx,
    recipients.filter((r) => r.id !== n.actorAccountId),
    {
      kind: n.kind,
      district: n.district,
      caseId: s.caseId,
      data: { summonsId: n.summonsId, title: s.subject, ...n.data },
    },
  );
}

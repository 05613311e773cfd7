import type { AuditContext } from '../../audit/audit.writer.js';
import type { Db } from '../../db/database.js';

/** What every webhook command gets: the database, who acts (for the audit row), the target rule, the clock. */
export interface WebhookContext {
  db: Db;
  who: AuditContext;
  /** Private, loopback and reserved targets allowed (config: GRIDLOOP_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  now?: Date | undefined;
}

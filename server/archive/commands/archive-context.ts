import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';

/** What every archive command gets: the database, who acts (for the audit row) and the clock. */
export interface ArchiveContext {
  db: Db;
  who: AuditContext;
  now?: Date | undefined;
}

/** The acting staff member's id, for `created_by` columns (null for the system). */
export const actingAccount = (ctx: ArchiveContext): string | null =>
  ctx.who.actor?.kind === 'staff' ? ctx.who.actor.id : null;

/** A unit a record is placed in (already checked to be a community or grid in the actor's scope). */
export interface PlacedUnit {
  id: string;
  path: string;
  district: string;
}

/** The PostgreSQL error code of a failed statement, if any. */
export const pgCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/** The constraint a failed statement named, if any. */
export const pgConstraint = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'constraint' in error && typeof error.constraint === 'string'
    ? error.constraint
    : undefined;

/** An optimistic update's result: exactly one row, or someone else changed the record first (409). */
export function assertOneUpdated(result: { numUpdatedRows: bigint }): void {
  if (Number(result.numUpdatedRows) !== 1) throw new AppError('ARCHIVE_VERSION_CONFLICT');
}

export interface ArchiveChange {
  people: string[];
  record:
    | 'person'
    | 'household'
    | 'member'
    | 'relation'
    | 'tag'
    | 'matter_record'
    | 'attachment'
    | 'building'
    | 'dwelling'
    | 'venue';
  change: 'created' | 'updated' | 'deleted';
  fields: string[];
  /** The departmental import run that wrote the change. */
  importRun?: string | undefined;
}

/** The `archive.changed` audit row of a write, in its transaction. */
export async function auditChange(
  trx: Trx,
  ctx: ArchiveContext,
  data: ArchiveChange,
  subject: { type: string; id: string; district: string },
): Promise<void> {
  await writeAudit(trx, ctx.who, { action: 'archive.changed', data }, subject);
}

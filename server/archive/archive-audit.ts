/**
 * The read audit: every read of a person or household — a detail, a list, a lookup — is one
 * audit row naming the people shown, the fields shown and why (DESIGN rule 7). A list writes one
 * row for the whole page, so reading stays cheap. Rows are written on their own (a read has no
 * transaction) before the answer leaves. A routine read — masked, no purpose stated — commits its row
 * without waiting for the disk flush (writeAuditUnflushed: a crash of PostgreSQL can lose the last
 * moment's such rows; docs/security.md); a read with a purpose, an unmasking and an export wait for it.
 */
import { maskIdNumber } from '../../common/id-number.js';
import { type AuditContext, writeAudit, writeAuditUnflushed } from '../audit/audit.writer.js';
import type { Db } from '../db/database.js';

export interface ReadAudit {
  people: string[];
  via: 'detail' | 'list' | 'lookup' | 'household';
  fields: string[];
  purpose: string | null;
  household?: string | undefined;
  query?: Record<string, unknown> | undefined;
}

/** A list's filters as the log keeps them: an ID number masked, empty values dropped. */
export function queryForLog(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    out[key] = key === 'idNumber' && typeof value === 'string' ? maskIdNumber(value) : value;
  }
  return out;
}

export async function auditRead(
  db: Db,
  who: AuditContext,
  read: ReadAudit,
  subject?: { type: 'person' | 'household' | 'building'; id: string; district: string },
): Promise<void> {
  await (read.purpose === null ? writeAuditUnflushed : writeAudit)(
    db,
    who,
    {
      action: 'archive.read',
      data: {
        people: read.people,
        via: read.via,
        fields: read.fields,
        purpose: read.purpose,
        ...(read.household ? { household: read.household } : {}),
        ...(read.query ? { query: queryForLog(read.query) } : {}),
      },
    },
    subject,
  );
}

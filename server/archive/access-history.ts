/**
 * A person's access history (a data subject's request): every audit row that names them — reads
 * of their page, lists and lookups that showed them, their household's page, unmasking, exports,
 * changes — and refused attempts on their record, newest first. Producing it is itself audited.
 */
import { sql } from 'kysely';
import type { AccessHistoryEntry, AccessVia } from '../../common/archive.js';
import { writeAudit } from '../audit/audit.writer.js';
import type { ArchiveContext } from './commands/archive-context.js';
import type { PersonRow } from './person.repository.js';

interface HistoryRow {
  occurredAt: Date;
  action: string;
  actor: Record<string, unknown>;
  data: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function viaOf(row: HistoryRow): AccessVia {
  switch (row.action) {
    case 'archive.read': {
      const via = row.data.via;
      return via === 'list' || via === 'lookup' || via === 'household' ? via : 'detail';
    }
    case 'archive.unmasked':
      return 'unmask';
    case 'archive.exported':
      return 'export';
    case 'archive.changed':
      return 'change';
    case 'archive.history_read':
      return 'history';
    default:
      return 'denied';
  }
}

export function presentHistoryRow(row: HistoryRow): AccessHistoryEntry {
  const fields = Array.isArray(row.data.fields) ? row.data.fields.filter((f) => typeof f === 'string') : [];
  const purposeText = str(row.data.purposeText);
  const purpose = str(row.data.purpose);
  return {
    at: row.occurredAt.toISOString(),
    action: row.action,
    actor: { kind: str(row.actor.kind) ?? 'unknown', name: str(row.actor.name), username: str(row.actor.username) },
    fields,
    purpose: purpose && purposeText ? `${purpose}: ${purposeText}` : purpose,
    via: viaOf(row),
  };
}

export async function accessHistory(
  ctx: ArchiveContext,
  person: PersonRow,
  page: { page: number; pageSize: number },
): Promise<{ items: AccessHistoryEntry[]; total: number; page: number; pageSize: number }> {
  const names = sql`${JSON.stringify([person.id])}::jsonb`;
  // Two index paths: the GIN index on archive rows' data.people, and (subject_type, subject_id) for denials.
  const where = sql`((action like 'archive.%' and data -> 'people' @> ${names})
    or (subject_type = 'person' and subject_id = ${person.id} and action = 'access.denied'))`;
  const [rows, count] = await Promise.all([
    sql<HistoryRow>`select occurred_at, action, actor, data from audit_log where ${where}
      order by id desc limit ${page.pageSize} offset ${(page.page - 1) * page.pageSize}`.execute(ctx.db),
    sql<{ n: string }>`select count(*) as n from audit_log where ${where}`.execute(ctx.db),
  ]);
  await writeAudit(
    ctx.db,
    ctx.who,
    { action: 'archive.history_read', data: { people: [person.id] } },
    { type: 'person', id: person.id, district: person.district },
  );
  return {
    items: rows.rows.map(presentHistoryRow),
    total: Number(count.rows[0]?.n ?? 0),
    page: page.page,
    pageSize: page.pageSize,
  };
}

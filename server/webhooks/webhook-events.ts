/**
 * Webhook events as they are read from their two sources — the case event log and the log of the
 * deadline sweep's lights — past a cursor, and the payload each becomes. Rows are read only below
 * the oldest transaction still running (`pg_snapshot_xmin`), in the order of the writing
 * transaction's id: every row that order puts behind the cursor has committed or never will, so
 * nothing committed is skipped and nothing rolled back is ever seen.
 */
import { sql } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import type { CaseState, Channel, CloseReason, Satisfaction, Stage, Urgency } from '../../common/cases.js';
import { ACTION_EVENTS, LIGHT_EVENTS, type WebhookEventType, type WebhookPayload } from '../../common/webhooks.js';
import type { CaseAction } from '../../common/workflow.js';
import { light } from '../cases/case.presenter.js';
import type { Trx } from '../db/database.js';

export type EventSource = 'case_event' | 'case_light';
export const EVENT_SOURCES: readonly EventSource[] = ['case_event', 'case_light'];

export interface Cursor {
  xid: string;
  district: string;
  caseId: string;
  seq: number;
}

/** One row of either source with the case as it is now. */
interface SourceRow extends Cursor {
  at: Date;
  action: CaseAction | null;
  toState: CaseState | null;
  data: Record<string, unknown> | null;
  light: 'yellow' | 'red' | null;
  stage: Stage | null;
  number: string;
  state: CaseState;
  unitPath: string;
  urgency: Urgency;
  channel: Channel;
  caseStage: Stage | null;
  pausedAt: Date | null;
  overdueAt: Date | null;
  warnedAt: Date | null;
  dueAt: Date | null;
  categoryCode: string;
  unitCode: string;
  departmentCode: string | null;
}

/** One event to deliver to every subscription it matches. */
export interface WebhookEvent {
  key: string;
  type: WebhookEventType;
  /** The writing transaction's id: a subscription sees events of transactions after its own. */
  xid: bigint;
  unitPath: string;
  payload: WebhookPayload;
}

// Fixed: event ids are UUIDv5 of the event's key in this namespace, the same on every run.
const EVENT_NAMESPACE = '6f1d2c1e-5b7a-4c55-9a43-2f0c3e8d7b11';

const ACTIONS_WITH_EVENTS = Object.keys(ACTION_EVENTS);

/** The columns both sources share: the case now, its category, unit and department codes. */
const CASE_COLUMNS = sql`
  c.number, c.state, c.unit_path, c.urgency, c.channel, c.stage as case_stage, c.paused_at, c.overdue_at,
  c.warned_at, c.due_at, cat.code as category_code, u.code as unit_code`;
const CASE_JOINS = sql`
  join cases c on c.district = s.district and c.id = s.case_id
  join category cat on cat.id = c.category_id
  join unit u on u.district = c.district and u.id = c.unit_id
  left join department d on d.id = c.department_id`;
const PAST = (cursor: Cursor) =>
  sql`s.xid < pg_snapshot_xmin(pg_current_snapshot())
    and (s.xid, s.district, s.case_id, s.seq) > (${cursor.xid}::xid8, ${cursor.district}::char(6), ${cursor.caseId}::uuid, ${cursor.seq}::int)`;

/** The next rows of a source after the cursor, oldest transaction first. */
export async function readSource(trx: Trx, source: EventSource, cursor: Cursor, batch: number): Promise<SourceRow[]> {
  if (source === 'case_event') {
    const { rows } = await sql<SourceRow>`
      select s.xid::text as xid, s.district, s.case_id, s.seq, s.created_at as at, s.action, s.to_state, s.data,
        null as light, null as stage, ${CASE_COLUMNS},
        -- A dispatch names its department in the step: the one it went to then, not a later reassignment.
        coalesce(sd.code, d.code) as department_code
      from case_event s ${CASE_JOINS}
      left join department sd on sd.id::text = s.data->>'departmentId'
      where s.xid is not null and ${PAST(cursor)} and s.action in (${sql.join(ACTIONS_WITH_EVENTS)})
      order by s.xid, s.district, s.case_id, s.seq
      limit ${batch}`.execute(trx);
    return rows;
  }
  const { rows } = await sql<SourceRow>`
    select s.xid::text as xid, s.district, s.case_id, s.seq, s.at, null as action, null as to_state, null as data,
      s.light, s.stage, ${CASE_COLUMNS}, d.code as department_code
    from case_light s ${CASE_JOINS}
    where ${PAST(cursor)}
    order by s.xid, s.district, s.case_id, s.seq
    limit ${batch}`.execute(trx);
  return rows;
}

/** A time in Beijing (+08:00), e.g. 2026-11-22T10:05:00+08:00. */
export const beijingIso = (at: Date) => `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;

/** The events of a row: one per type its step or light announces. */
export function eventsOf(source: EventSource, row: SourceRow, now: Date): WebhookEvent[] {
  const types: readonly WebhookEventType[] =
    source === 'case_event'
      ? (ACTION_EVENTS[row.action as CaseAction] ?? [])
      : row.light
        ? [LIGHT_EVENTS[row.light]]
        : [];
  const data = row.data ?? {};
  return types.map((type) => {
    const key = `${source}:${row.district}:${row.caseId}:${row.seq}:${type}`;
    const closeReason = type === 'case.closed' ? ((data.closeReason as CloseReason | undefined) ?? 'solved') : null;
    const rated = type === 'case.rated';
    return {
      key,
      type,
      xid: BigInt(row.xid),
      unitPath: row.unitPath,
      payload: {
        id: uuidv5(key, EVENT_NAMESPACE),
        type,
        occurredAt: beijingIso(new Date(row.at)),
        case: {
          number: row.number,
          district: row.district,
          state: row.toState ?? row.state,
          categoryCode: row.categoryCode,
          unitCode: row.unitCode,
          departmentCode: row.departmentCode,
          light: row.light ?? light({ ...row, stage: row.caseStage }, now),
          urgency: row.urgency,
          channel: row.channel,
        },
        action: row.action,
        seq: source === 'case_event' ? row.seq : null,
        stage: row.light ? row.stage : null,
        satisfaction: rated ? ((data.satisfaction as Satisfaction | undefined) ?? null) : null,
        solved: rated && typeof data.solved === 'boolean' ? data.solved : null,
        closeReason,
      },
    };
  });
}

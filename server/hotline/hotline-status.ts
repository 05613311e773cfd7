/**
 * The status the hotline reads back (办理情况回传): for each order whose case or order changed in a
 * period, in the reader's scope, its number and case number, the status in the hotline's words
 * (已受理 / 办理中 / 已办结 / 退回 / 已合并) beside our state, the handling department and the
 * handling report's text, the times (call, received, dispatched, handled, closed) and the callback
 * (satisfaction, solved). Read a page at a time in the order of change, for JSON, CSV and XLSX alike.
 */
import { sql } from 'kysely';
import { type CaseState, SATISFACTION_LABELS, type Satisfaction } from '../../common/cases.js';
import {
  HOTLINE_EXPORT_MAX_DAYS,
  HOTLINE_STATUS_LABELS,
  HOTLINE_STATUS_OF,
  type HotlineStatus,
} from '../../common/hotline.js';
import { parseInstant, toShanghaiIso } from '../calendar/civil.js';
import type { Db } from '../db/database.js';
import type { Cell, TableColumn } from '../exports/table-writer.js';
import { AppError } from '../http/app-error.js';
import { escapeLike } from '../policies/scope.js';

export interface StatusRow {
  district: string;
  orderNumber: string;
  caseNumber: string;
  state: CaseState;
  department: string | null;
  result: string | null;
  calledAt: Date | null;
  receivedAt: Date;
  dispatchedAt: Date | null;
  handledAt: Date | null;
  closedAt: Date | null;
  satisfaction: Satisfaction | null;
  solved: boolean | null;
  mergedInto: string | null;
  changedAt: Date;
}

export interface StatusRange {
  since: Date;
  until: Date;
}

const PAGE = 1000;

/** The period asked for: since required, until defaulting to now, in order, at most 92 days. */
export function statusRange(since: string, until: string | undefined, now = new Date()): StatusRange {
  const from = parseInstant(since);
  const to = until ? parseInstant(until) : now;
  const days = from && to ? (to.getTime() - from.getTime()) / 86_400_000 : Number.NaN;
  if (!from || !to || !(days > 0) || days > HOTLINE_EXPORT_MAX_DAYS) {
    throw new AppError('HOTLINE_EXPORT_RANGE_INVALID', {
      fields: [{ path: 'query.since', reason: `since < until, at most ${HOTLINE_EXPORT_MAX_DAYS} days` }],
    });
  }
  return { since: from, until: to };
}

/** The orders of the scope whose case or order changed in the period. */
function scoped(paths: readonly string[], range: StatusRange) {
  const scope = paths.length
    ? sql.join(
        paths.map((p) => sql`c.unit_path like ${`${escapeLike(p)}%`}`),
        sql` or `,
      )
    : sql`false`;
  return sql`(${scope})
    and greatest(c.updated_at, o.updated_at) >= ${range.since}
    and greatest(c.updated_at, o.updated_at) < ${range.until}`;
}

/** How many orders the period has in the scope. */
export async function countStatus(db: Db, paths: readonly string[], range: StatusRange): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n
    from hotline_order o join cases c on c.district = o.district and c.id = o.case_id
    where ${scoped(paths, range)}`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * The rows, a page at a time, oldest change first (keyset on the change time and the order): the
 * handling department, the latest handling report (its text and time), the latest dispatch.
 */
export async function* statusPages(db: Db, paths: readonly string[], range: StatusRange): AsyncGenerator<StatusRow[]> {
  let after: { changedAt: Date; district: string; orderNumber: string } | undefined;
  for (;;) {
    const keyset = after
      ? sql`and (greatest(c.updated_at, o.updated_at), o.district, o.order_number) >
          (${after.changedAt}::timestamptz, ${after.district}::char(6), ${after.orderNumber}::text)`
      : sql``;
    const { rows } = await sql<StatusRow>`
      select o.district, o.order_number, c.number as case_number, c.state, d.name as department,
        h.reason as result, o.called_at, c.created_at as received_at, dsp.created_at as dispatched_at,
        h.created_at as handled_at, c.closed_at, c.satisfaction, c.callback_solved as solved,
        m.number as merged_into, greatest(c.updated_at, o.updated_at) as changed_at
      from hotline_order o
      join cases c on c.district = o.district and c.id = o.case_id
      left join department d on d.id = c.department_id
      left join cases m on m.id = c.merged_into_id
      left join lateral (
        select e.created_at, e.reason from case_event e
        where e.district = c.district and e.case_id = c.id and e.action in ('submit_handling', 'self_handle')
        order by e.seq desc limit 1) h on true
      left join lateral (
        select e.created_at from case_event e
        where e.district = c.district and e.case_id = c.id and e.action in ('dispatch', 'reassign')
        order by e.seq desc limit 1) dsp on true
      where ${scoped(paths, range)} ${keyset}
      order by changed_at, o.district, o.order_number
      limit ${PAGE}`.execute(db);
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) return;
    after = { changedAt: last.changedAt, district: last.district, orderNumber: last.orderNumber };
  }
}

const iso = (at: Date | null) => (at ? toShanghaiIso(at) : null);

/** An order's status as the JSON export gives it (times ISO 8601 with +08:00). */
export function presentStatus(row: StatusRow) {
  const status: HotlineStatus = HOTLINE_STATUS_OF[row.state];
  return {
    orderNumber: row.orderNumber,
    caseNumber: row.caseNumber,
    status,
    statusLabel: HOTLINE_STATUS_LABELS[status],
    state: row.state,
    department: row.department,
    result: row.result,
    calledAt: iso(row.calledAt),
    receivedAt: toShanghaiIso(row.receivedAt),
    dispatchedAt: iso(row.dispatchedAt),
    handledAt: iso(row.handledAt),
    closedAt: iso(row.closedAt),
    callback: row.satisfaction
      ? { satisfaction: row.satisfaction, label: SATISFACTION_LABELS[row.satisfaction], solved: row.solved }
      : null,
    mergedInto: row.mergedInto,
    changedAt: toShanghaiIso(row.changedAt),
  };
}

/** The CSV / XLSX columns: bilingual headers, the hotline's words in Chinese. */
export const STATUS_COLUMNS: TableColumn[] = [
  { header: '工单编号 Order number', type: 'text', width: 22 },
  { header: '案件编号 Case number', type: 'text', width: 24 },
  { header: '办理状态 Status', type: 'text', width: 10 },
  { header: '状态代码 Status code', type: 'text', width: 12 },
  { header: '案件状态 Case state', type: 'text', width: 12 },
  { header: '承办部门 Handling department', type: 'text', width: 20 },
  { header: '办理结果 Handling result', type: 'text', width: 40 },
  { header: '来电时间 Call time', type: 'time', width: 26 },
  { header: '接收时间 Received', type: 'time', width: 26 },
  { header: '派遣时间 Dispatched', type: 'time', width: 26 },
  { header: '处置时间 Handled', type: 'time', width: 26 },
  { header: '结案时间 Closed', type: 'time', width: 26 },
  { header: '回访结果 Callback', type: 'text', width: 14 },
  { header: '合并至 Merged into', type: 'text', width: 24 },
  { header: '更新时间 Changed', type: 'time', width: 26 },
];

/** One row's cells; CSV gets times as ISO 8601 with +08:00 (what the hotline parses), XLSX date cells. */
export function statusCells(row: StatusRow, format: 'csv' | 'xlsx'): Cell[] {
  const time = (at: Date | null): Cell => (at && format === 'csv' ? toShanghaiIso(at) : at);
  const status = HOTLINE_STATUS_OF[row.state];
  const callback = row.satisfaction
    ? `${SATISFACTION_LABELS[row.satisfaction].zh}${row.solved === null ? '' : row.solved ? '，已解决' : '，未解决'}`
    : null;
  return [
    row.orderNumber,
    row.caseNumber,
    HOTLINE_STATUS_LABELS[status].zh,
    status,
    row.state,
    row.department,
    row.result,
    time(row.calledAt),
    time(row.receivedAt),
    time(row.dispatchedAt),
    time(row.handledAt),
    time(row.closedAt),
    callback,
    row.mergedInto,
    time(row.changedAt),
  ];
}

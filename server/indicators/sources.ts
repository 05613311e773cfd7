/**
 * Which table answers which part of a period (migration 0013-indicator-months):
 * - flows: whole months of an unfiltered slice of a community or above, grouped by nothing or by
 *   units down to communities, from `indicator_month` (one row per community and month),
 *   the days before and after them — and every day of a slice filtered by department, category or
 *   channel — from the daily rollup `indicator_day`;
 * - the closure cohort: when the period ends at a month's end, its whole months that are over from
 *   `indicator_due_month`, the rest (leading days, the month still running) from `cases` by
 *   `handle_due_at`; a period ending mid-month (a day, a week, some custom runs) from `cases` alone,
 *   since whether a case closed by then is told only by its own `closed_at`.
 * Each part is one aggregate over one index range; the caller sums the parts.
 */
import { type RawBuilder, sql } from 'kysely';
import { LEVEL_DEPTH } from '../../common/territory.js';
import { civilFromDays, daysFromCivil, formatDay, parseDay } from '../calendar/civil.js';
import { escapeLike } from '../policies/scope.js';
import { FLOW_COUNTS } from './definitions.js';
import { type DayRange, dayStart } from './period.js';
import type { Slice } from './query.js';

export const snake = (code: string) => code.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Sums of every flow column, as float8 (bigint sums would come back as strings). */
export const FLOW_SUMS = sql.raw(
  FLOW_COUNTS.map((c) => `coalesce(sum(${snake(c)}), 0)::float8 as ${snake(c)}`).join(', '),
);
const DUE_SUMS = sql.raw(
  ['due_for_closure', 'due_closed', 'due_closed_on_time'].map((c) => `coalesce(sum(${c}), 0)::int as ${c}`).join(', '),
);

/** The slice as conditions on a rollup (departments by `department_key`) or on `cases`. */
export function where(slice: Slice, table: 'rollup' | 'cases'): RawBuilder<unknown> {
  const parts = [
    sql`district in (${sql.join(slice.districts)})`,
    sql`unit_path like ${`${escapeLike(slice.unit.path)}%`}`,
  ];
  if (slice.department)
    parts.push(
      table === 'rollup' ? sql`department_key = ${slice.department.id}` : sql`department_id = ${slice.department.id}`,
    );
  if (slice.category) parts.push(sql`category_id in (${sql.join(slice.category.ids)})`);
  if (slice.channel) parts.push(sql`channel = ${slice.channel}`);
  return sql.join(parts, sql` and `);
}

/** A group key: its expression on the rollups and on `cases`, and whether the monthly tables hold it (units down to communities). */
export interface GroupKey {
  rollup: RawBuilder<unknown>;
  cases: RawBuilder<unknown>;
  monthly: boolean;
}

/**
 * The monthly tables hold no department, category or channel, and nothing below communities: only a
 * bare subtree of a community or above reads them.
 */
const monthly = (slice: Slice, key: GroupKey | null) =>
  !slice.department &&
  !slice.category &&
  !slice.channel &&
  LEVEL_DEPTH[slice.unit.level] <= LEVEL_DEPTH.community &&
  (key?.monthly ?? true);

const monthStartOf = (n: number) => {
  const { year, month } = civilFromDays(n);
  return daysFromCivil(year, month, 1);
};
const nextMonthStart = (n: number) => {
  const { year, month } = civilFromDays(n);
  return month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
};

/** The whole months inside a range (first days of the first and last) and the days outside them. */
export function splitMonths(r: DayRange): { months: DayRange | null; days: DayRange[] } {
  const first = r.from === monthStartOf(r.from) ? r.from : nextMonthStart(r.from);
  const end = r.to + 1 === nextMonthStart(r.to) ? r.to + 1 : monthStartOf(r.to); // first day after the whole months
  if (first >= end) return { months: null, days: [r] };
  const days: DayRange[] = [];
  if (r.from < first) days.push({ from: r.from, to: first - 1 });
  if (end <= r.to) days.push({ from: end, to: r.to });
  return { months: { from: first, to: monthStartOf(end - 1) }, days };
}

const date = (n: number) => sql`${formatDay(n)}::date`;

/**
 * Parts of the flows of a range: each `select <key> g, <sums>` over one table (ungrouped when
 * `key` is null). `key` is the group expression, the same column names in both rollups.
 */
export function flowParts(slice: Slice, r: DayRange, key: GroupKey | null): RawBuilder<unknown>[] {
  const g = key ? sql`${key.rollup} as g, ` : sql``;
  const groupBy = key ? sql` group by 1` : sql``;
  const days = (d: DayRange) =>
    sql`select ${g}${FLOW_SUMS} from indicator_day
      where ${where(slice, 'rollup')} and day between ${date(d.from)} and ${date(d.to)}${groupBy}`;
  if (!monthly(slice, key)) return [days(r)];
  const split = splitMonths(r);
  const parts = split.days.map(days);
  const m = split.months;
  if (m)
    parts.unshift(
      sql`select ${g}${FLOW_SUMS} from indicator_month
        where ${where(slice, 'rollup')} and month between ${date(m.from)} and ${date(m.to)}${groupBy}`,
    );
  return parts;
}

type Row = Record<string, unknown>;

/**
 * The flows of several ranges in one statement of at most two aggregates: the whole months of every
 * range grouped by month (`k` 'm'), the other days grouped by day ('d'), `d` the month's or day's
 * first day; `sum` adds the rows up range by range (a row counts for every range holding it).
 */
export function rangeFlows(slice: Slice, ranges: readonly DayRange[]) {
  const useMonths = monthly(slice, null);
  const plans = ranges.map((r) => {
    if (!useMonths) return { months: new Set<string>(), days: [r] };
    const { months: whole, days } = splitMonths(r);
    const months = new Set<string>();
    if (whole) for (let m = whole.from; m <= whole.to; m = nextMonthStart(m)) months.add(formatDay(m));
    return { months, days };
  });
  const months = [...new Set(plans.flatMap((p) => [...p.months]))];
  const days = plans.flatMap((p) => p.days);
  const parts: RawBuilder<unknown>[] = [];
  if (months.length)
    parts.push(sql`select 'm' as k, month::text as d, ${FLOW_SUMS} from indicator_month
      where ${where(slice, 'rollup')} and month = any(${months}::date[]) group by month`);
  if (days.length)
    parts.push(sql`select 'd' as k, day::text as d, ${FLOW_SUMS} from indicator_day
      where ${where(slice, 'rollup')} and (${sql.join(
        days.map((d) => sql`day between ${date(d.from)} and ${date(d.to)}`),
        sql` or `,
      )}) group by day`);
  return {
    statement: sql<Row & { k: 'm' | 'd'; d: string }>`${sql.join(parts, sql` union all `)}`,
    /** Per range, the sum of its rows' flow columns (camelCase, as the rows come back). */
    sum(rows: readonly (Row & { k: 'm' | 'd'; d: string })[]): Record<string, number>[] {
      return plans.map((plan) => {
        const total: Record<string, number> = {};
        for (const row of rows) {
          const day = row.k === 'd' ? parseDay(row.d) : null;
          const holds =
            row.k === 'm'
              ? plan.months.has(row.d)
              : day !== null && plan.days.some((r) => day >= r.from && day <= r.to);
          if (!holds) continue;
          for (const [column, value] of Object.entries(row))
            if (column !== 'k' && column !== 'd') total[column] = (total[column] ?? 0) + Number(value);
        }
        return total;
      });
    },
  };
}

/**
 * Parts of the closure cohort of a range: cases whose handling deadline fell in it and before
 * `now`, closed before the range's end, on time; ever-deferred cases out when `deferredLeave`.
 */
export function dueParts(
  slice: Slice,
  r: DayRange,
  now: Date,
  deferredLeave: boolean,
  key: GroupKey | null,
): RawBuilder<unknown>[] {
  const groupBy = key ? sql` group by 1` : sql``;
  const end = dayStart(r.to + 1);
  const fromCases = (d: DayRange) => {
    const until = dayStart(d.to + 1);
    const conditions = [
      where(slice, 'cases'),
      sql`handle_due_at >= ${dayStart(d.from)}`,
      sql`handle_due_at < ${until < now ? until : now}`,
    ];
    if (deferredLeave) conditions.push(sql`coalesce((counters ->> 'deferred')::int, 0) = 0`);
    return sql`select ${key ? sql`${key.cases} as g, ` : sql``}count(*)::int as due_for_closure,
      count(*) filter (where closed_at < ${end})::int as due_closed,
      count(*) filter (where closed_at < ${end} and closed_on_time)::int as due_closed_on_time
      from cases where ${sql.join(conditions, sql` and `)}${groupBy}`;
  };
  const months = splitMonths(r).months;
  if (!monthly(slice, key) || r.to + 1 !== nextMonthStart(r.to) || !months) return [fromCases(r)];
  // Months whose last instant has passed come from the rollup; the month now runs in, from cases.
  let lastOver = months.to;
  while (lastOver >= months.from && dayStart(nextMonthStart(lastOver)) > now) lastOver = monthStartOf(lastOver - 1);
  const parts = r.from < months.from ? [fromCases({ from: r.from, to: months.from - 1 })] : [];
  if (lastOver >= months.from) {
    const lastMonth = date(monthStartOf(r.to));
    const conditions = [where(slice, 'rollup'), sql`month between ${date(months.from)} and ${date(lastOver)}`];
    if (deferredLeave) conditions.push(sql`not deferred`);
    parts.push(sql`select ${key ? sql`${key.rollup} as g, ` : sql``}coalesce(sum(cases), 0)::int as due_for_closure,
      coalesce(sum(cases) filter (where closed_month <= ${lastMonth}), 0)::int as due_closed,
      coalesce(sum(closed_on_time) filter (where closed_month <= ${lastMonth}), 0)::int as due_closed_on_time
      from indicator_due_month where ${sql.join(conditions, sql` and `)}${groupBy}`);
  }
  const rest = lastOver < months.from ? months.from : nextMonthStart(lastOver);
  if (rest <= r.to) parts.push(fromCases({ from: rest, to: r.to }));
  return parts;
}

/** Parts summed into one row per `p` (or per `p` and `g`). */
export function summed(parts: { p: number; sql: RawBuilder<unknown> }[], sums: 'flow' | 'due', grouped: boolean) {
  const columns = sums === 'flow' ? FLOW_SUMS : DUE_SUMS;
  const keys = grouped ? sql`p, g` : sql`p`;
  return sql`select ${keys}, ${columns} from (${sql.join(
    parts.map((part) => sql`select ${sql.lit(part.p)}::int as p, * from (${part.sql}) s`),
    sql` union all `,
  )}) t group by ${keys}`;
}

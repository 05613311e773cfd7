/**
 * Indicator queries: a panel (one slice — unit subtree, optionally one department, category or
 * channel — over a period, with 环比 and 同比) and a ranking of a unit's children or of the
 * departments working in it by a weighted score. Flows are sums over the rollups, the closure
 * cohort is counted by the cases' handling deadline: whole months from the monthly tables, the rest
 * from the daily rollup and the case rows (sources.ts says which part comes from where). Formulas
 * live in definitions.ts.
 */
import { sql } from 'kysely';
import type { Channel } from '../../common/cases.js';
import { LEVEL_DEPTH, type UnitLevel } from '../../common/territory.js';
import type { Db } from '../db/database.js';
import {
  type AverageCode,
  averagesOf,
  type Counts,
  DUE_COUNTS,
  FLOW_COUNTS,
  RATE_CODES,
  type RateCode,
  type RateValue,
  ratesOf,
  round,
  zeroCounts,
} from './definitions.js';
import type { IndicatorSettings } from './indicator-settings.js';
import type { DayRange, Period } from './period.js';
import { dueParts, flowParts, type GroupKey, rangeFlows, summed, where } from './sources.js';

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export interface SliceUnit {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  path: string;
  district: string;
}

/** What a query covers: a unit subtree, optionally narrowed to a department, categories, a channel. */
export interface Slice {
  unit: SliceUnit;
  /** The districts the subtree spans (the shard key, so every query names them). */
  districts: string[];
  department: { id: string; code: string; name: string } | null;
  category: { code: string; ids: string[] } | null;
  channel: Channel | null;
}

type Row = Record<string, unknown>;

function countsFrom(flow: Row | undefined, due: Row | undefined): Counts {
  const counts = zeroCounts();
  for (const c of FLOW_COUNTS) counts[c] = Number(flow?.[c] ?? 0);
  for (const c of DUE_COUNTS) counts[c] = Number(due?.[c] ?? 0);
  return counts;
}

/** The flow statement for several ranges of a slice (rows by month and by day: see rangeFlows). */
export function flowStatement(slice: Slice, ranges: readonly DayRange[]) {
  return rangeFlows(slice, ranges).statement;
}

/** The closure-cohort statement for several ranges of a slice. */
export function dueStatement(slice: Slice, ranges: readonly DayRange[], now: Date, deferredLeave: boolean) {
  const parts = ranges.flatMap((r, p) =>
    dueParts(slice, r, now, deferredLeave, null).map((part) => ({ p, sql: part })),
  );
  return sql<Row & { p: number }>`${summed(parts, 'due', false)}`;
}

/** Counts of a slice over several ranges, one statement each for the rollup and the cohort. */
export async function countRanges(db: Db, slice: Slice, ranges: DayRange[], now: Date, deferredLeave: boolean) {
  const flows = rangeFlows(slice, ranges);
  const [flowRows, dueRows] = await Promise.all([
    flows.statement.execute(db),
    dueStatement(slice, ranges, now, deferredLeave).execute(db),
  ]);
  const sums = flows.sum(flowRows.rows);
  return ranges.map((_, i) =>
    countsFrom(
      sums[i],
      dueRows.rows.find((r) => r.p === i),
    ),
  );
}

/** Cases of the slice in the handle stage, running (not deferred) and past due at `now`. */
export async function overdueUnhandled(db: Db, slice: Slice, now: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from cases
    where ${where(slice, 'cases')} and stage = 'handle' and paused_at is null and due_at < ${now}`.execute(db);
  return rows[0]?.n ?? 0;
}

export interface Compared<T> {
  value: T;
  /** The period before (环比). */
  previous: T;
  /** The same period a year earlier (同比). */
  lastYear: T;
  /** Relative change for counts and averages ((value − previous) / previous), difference for rates; null when it cannot be told. */
  vsPrevious: number | null;
  vsLastYear: number | null;
}

const relative = (a: number | null, b: number | null) =>
  a === null || b === null || b === 0 ? null : round((a - b) / b, 4);
const difference = (a: number | null, b: number | null) => (a === null || b === null ? null : round(a - b, 4));

export interface Panel {
  counts: Record<string, Compared<number | null>>;
  rates: Record<RateCode, Compared<number | null> & { numerator: number; denominator: number }>;
  averages: Record<AverageCode, Compared<number | null>>;
}

/** The panel of a slice: every count, rate and average of the period with 环比 and 同比. */
export async function panel(
  db: Db,
  slice: Slice,
  period: Period,
  settings: IndicatorSettings,
  now: Date,
): Promise<Panel> {
  const deferredLeave = settings.deferredLeaveDenominators;
  const [[current, previous, lastYear], overdue] = await Promise.all([
    countRanges(db, slice, [period, period.previous, period.lastYear], now, deferredLeave),
    overdueUnhandled(db, slice, now),
  ]);
  const [c, p, y] = [current, previous, lastYear] as [Counts, Counts, Counts];
  const counts: Panel['counts'] = {};
  for (const code of [...FLOW_COUNTS, ...DUE_COUNTS]) {
    counts[code] = {
      value: c[code],
      previous: p[code],
      lastYear: y[code],
      vsPrevious: relative(c[code], p[code]),
      vsLastYear: relative(c[code], y[code]),
    };
  }
  counts.overdueUnhandled = { value: overdue, previous: null, lastYear: null, vsPrevious: null, vsLastYear: null };

  const [rc, rp, ry] = [ratesOf(c, deferredLeave), ratesOf(p, deferredLeave), ratesOf(y, deferredLeave)];
  const rates = {} as Panel['rates'];
  for (const code of RATE_CODES) {
    const [now_, prev, last] = [rc[code], rp[code], ry[code]] as [RateValue, RateValue, RateValue];
    rates[code] = {
      value: now_.value,
      numerator: now_.numerator,
      denominator: now_.denominator,
      previous: prev.value,
      lastYear: last.value,
      vsPrevious: difference(now_.exact, prev.exact),
      vsLastYear: difference(now_.exact, last.exact),
    };
  }
  const [ac, ap, ay] = [averagesOf(c), averagesOf(p), averagesOf(y)];
  const averages = {} as Panel['averages'];
  for (const code of Object.keys(ac) as AverageCode[]) {
    averages[code] = {
      value: ac[code].value,
      previous: ap[code].value,
      lastYear: ay[code].value,
      vsPrevious: relative(ac[code].exact, ap[code].exact),
      vsLastYear: relative(ac[code].exact, ay[code].exact),
    };
  }
  return { counts, rates, averages };
}

/**
 * The weighted score (0–100): Σ weight × rate / Σ weight over the weighted rates that have a value
 * (a rate without a denominator drops out, its weight with it), × 100, two decimals; null when
 * none has a value. Computed from unrounded rates.
 */
export function scoreOf(rates: Record<RateCode, RateValue>, weights: IndicatorSettings['scoreWeights']): number | null {
  let sum = 0;
  let weight = 0;
  for (const [code, w] of Object.entries(weights) as [RateCode, number | undefined][]) {
    const exact = rates[code]?.exact;
    if (!w || exact === null || exact === undefined) continue;
    sum += w * exact;
    weight += w;
  }
  return weight > 0 ? round((sum / weight) * 100, 2) : null;
}

export interface RankingGroup {
  key: string;
  counts: Counts;
  rates: Record<RateCode, RateValue>;
  score: number | null;
}

/**
 * What counts are grouped by: a unit's children (the path segment below it), departments, the
 * unit a case is placed in (its grid), categories (minor), channels.
 */
export type GroupBy = 'units' | 'departments' | 'places' | 'categories' | 'channels';

/** Units of one level under a slice's unit, and the path segment (1-based) that holds their code. */
export interface UnitGrouping {
  level: UnitLevel;
  segment: number;
}

/**
 * The group key in the rollups and in the case rows. Units group by a path segment: by default the
 * one below the slice's unit (its children).
 */
function groupKey(slice: Slice, by: GroupBy, units?: UnitGrouping): GroupKey {
  switch (by) {
    case 'units': {
      const key = sql`split_part(unit_path, '.', ${sql.lit(units?.segment ?? slice.unit.path.split('.').length)})`;
      const depth = units ? LEVEL_DEPTH[units.level] : LEVEL_DEPTH[slice.unit.level] + 1;
      return { rollup: key, cases: key, monthly: depth <= LEVEL_DEPTH.community };
    }
    case 'departments':
      return { rollup: sql`department_key::text`, cases: sql`department_id::text`, monthly: false };
    case 'places':
      return { rollup: sql`unit_id::text`, cases: sql`unit_id::text`, monthly: false };
    case 'categories':
      return { rollup: sql`category_id::text`, cases: sql`category_id::text`, monthly: false };
    case 'channels':
      return { rollup: sql`channel`, cases: sql`channel`, monthly: false };
  }
}

/** The rollup and cohort statements of a slice over a period, grouped. */
export function groupStatements(
  slice: Slice,
  period: DayRange,
  by: GroupBy,
  now: Date,
  deferredLeave: boolean,
  units?: UnitGrouping,
) {
  const key = groupKey(slice, by, units);
  const flow = flowParts(slice, period, key).map((part) => ({ p: 0, sql: part }));
  const due = dueParts(slice, period, now, deferredLeave, key).map((part) => ({ p: 0, sql: part }));
  return {
    flow: sql<Row & { g: string }>`${summed(flow, 'flow', true)}`,
    due: sql<Row & { g: string }>`${summed(due, 'due', true)}`,
  };
}

/**
 * Counts per group of a slice over one period (see GroupBy): cases placed at the unit itself belong
 * to none of its children, cases without a department to no department. `units` groups units of
 * another level than the children (e.g. every subdistrict of a city).
 */
export async function groupCounts(
  db: Db,
  slice: Slice,
  period: DayRange,
  by: GroupBy,
  settings: IndicatorSettings,
  now: Date,
  units?: UnitGrouping,
): Promise<Map<string, RankingGroup>> {
  const deferredLeave = settings.deferredLeaveDenominators;
  const statements = groupStatements(slice, period, by, now, deferredLeave, units);
  const [flows, dues] = await Promise.all([statements.flow.execute(db), statements.due.execute(db)]);
  const groups = new Map<string, RankingGroup>();
  const flowBy = new Map(flows.rows.map((r) => [r.g, r]));
  const dueBy = new Map(dues.rows.map((r) => [r.g, r]));
  const keys = new Set([...flowBy.keys(), ...dueBy.keys()].filter((g) => g && g !== NIL_UUID));
  for (const key of keys) {
    const counts = countsFrom(flowBy.get(key), dueBy.get(key));
    const rates = ratesOf(counts, deferredLeave);
    groups.set(key, { key, counts, rates, score: scoreOf(rates, settings.scoreWeights) });
  }
  return groups;
}

/** Competition ranking (1, 2, 2, 4) by value, highest first; no value, no rank (listed last). */
export function rankBy<T>(items: T[], valueFor: (item: T) => number | null, nameOf: (item: T) => string) {
  const sorted = [...items].sort((a, b) => {
    const [va, vb] = [valueFor(a), valueFor(b)];
    if (va === null || vb === null) return va === vb ? nameOf(a).localeCompare(nameOf(b)) : va === null ? 1 : -1;
    return vb - va || nameOf(a).localeCompare(nameOf(b));
  });
  return sorted.map((item) => {
    const value = valueFor(item);
    const rank = value === null ? null : 1 + sorted.filter((o) => (valueFor(o) ?? -Infinity) > value).length;
    return { item, value, rank };
  });
}

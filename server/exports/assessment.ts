/**
 * Monthly assessment (月度考核): for a month and a unit, each child unit (or each department working
 * in the unit) with its indicators, weighted score and rank — the indicators module's ranking
 * (ranking.ts) and formulas (definitions.ts), laid out for a printed page and a spreadsheet — and
 * the unit's own figures as the total row.
 */
import type { DepartmentRef, UnitRef } from '../../common/api.js';
import type { Db } from '../db/database.js';
import {
  COUNT_DEFINITIONS,
  type PeriodCount,
  RATE_CODES,
  RATE_DEFINITIONS,
  type RateCode,
  ratesOf,
  zeroCounts,
} from '../indicators/definitions.js';
import type { IndicatorSettings } from '../indicators/indicator-settings.js';
import type { Period } from '../indicators/period.js';
import { countRanges, type Slice, scoreOf } from '../indicators/query.js';
import { ranking } from '../indicators/ranking.js';
import type { TableColumn } from './table-writer.js';

export type AssessmentGroup = 'units' | 'departments';

/** The counts an assessment shows: what was asked of the units and what they did. */
export const ASSESSMENT_COUNTS: readonly PeriodCount[] = [
  'reported',
  'dispatched',
  'handled',
  'dueForClosure',
  'dueClosed',
  'dueClosedOnTime',
  'callbacks',
];

/** The rates it shows besides the weighted ones. */
const SHOWN_RATES: readonly RateCode[] = [
  'closureRate',
  'onTimeClosureRate',
  'handlingRate',
  'onTimeHandlingRate',
  'reworkRate',
  'accurateDispatchRate',
  'satisfactionRate',
];

export interface AssessmentColumn {
  code: string;
  kind: 'count' | 'rate';
  zh: string;
  en: string;
  /** The rate's weight in the score, or null. */
  weight: number | null;
}

export interface AssessmentRow {
  rank: number | null;
  score: number | null;
  unit: UnitRef | null;
  department: DepartmentRef | null;
  values: Record<string, number | null>;
}

export interface Assessment {
  columns: AssessmentColumn[];
  weights: Record<string, number>;
  items: AssessmentRow[];
  total: { score: number | null; values: Record<string, number | null> };
}

/** The columns: the weighted rates first (heaviest first), the other shown rates, then the counts. */
export function assessmentColumns(weights: IndicatorSettings['scoreWeights']): AssessmentColumn[] {
  const weightOf = (code: RateCode) => weights[code] ?? 0;
  const weighted = RATE_CODES.filter((c) => weightOf(c) > 0).sort((a, b) => weightOf(b) - weightOf(a));
  const rates = [...weighted, ...SHOWN_RATES.filter((c) => !weighted.includes(c))];
  return [
    ...rates.map((code) => {
      const d = RATE_DEFINITIONS.find((r) => r.code === code);
      return { code, kind: 'rate' as const, zh: d?.zh ?? code, en: d?.en ?? code, weight: weights[code] || null };
    }),
    ...ASSESSMENT_COUNTS.map((code) => {
      const d = COUNT_DEFINITIONS.find((c) => c.code === code);
      return { code, kind: 'count' as const, zh: d?.zh ?? code, en: d?.en ?? code, weight: null };
    }),
  ];
}

export async function assessment(
  db: Db,
  slice: Slice,
  period: Period,
  group: AssessmentGroup,
  settings: IndicatorSettings,
  now: Date,
): Promise<Assessment> {
  const columns = assessmentColumns(settings.scoreWeights);
  const deferredLeave = settings.deferredLeaveDenominators;
  const [ranked, [unitCounts]] = await Promise.all([
    ranking(db, slice, period, { group, by: 'score' }, settings, now),
    countRanges(db, slice, [period], now, deferredLeave),
  ]);
  const pick = (rates: Record<string, number | null>, c: Record<string, number>) =>
    Object.fromEntries(
      columns.map((col) => [col.code, col.kind === 'rate' ? (rates[col.code] ?? null) : (c[col.code] ?? 0)]),
    );
  const items = ranked.map((r) => ({
    rank: r.rank,
    score: r.score,
    unit: r.unit,
    department: r.department,
    values: pick(r.rates, r.counts),
  }));
  const counts = unitCounts ?? zeroCounts();
  const totalRates = ratesOf(counts, deferredLeave);
  return {
    columns,
    weights: Object.fromEntries(
      Object.entries(settings.scoreWeights).filter((e): e is [string, number] => (e[1] ?? 0) > 0),
    ),
    items,
    total: {
      score: scoreOf(totalRates, settings.scoreWeights),
      values: pick(Object.fromEntries(RATE_CODES.map((c) => [c, totalRates[c].value])), counts),
    },
  };
}

/** The table of the XLSX file: rank, name, code, score, then the columns (rates as percentages). */
export function assessmentTable(a: Assessment, group: AssessmentGroup) {
  const columns: TableColumn[] = [
    { header: '排名 Rank', type: 'number', width: 8 },
    { header: group === 'units' ? '单位 Unit' : '部门 Department', type: 'text', width: 22 },
    { header: '代码 Code', type: 'text', width: 16 },
    { header: '综合得分 Score', type: 'number', width: 12 },
    ...a.columns.map((c) => ({
      header: `${c.zh} ${c.en}${c.weight ? ` (${c.weight})` : ''}`,
      type: c.kind === 'rate' ? ('percent' as const) : ('number' as const),
      width: c.kind === 'rate' ? 14 : 10,
    })),
  ];
  const values = (v: Record<string, number | null>) => a.columns.map((c) => v[c.code] ?? null);
  const rows = [
    ...a.items.map((r) => [
      r.rank,
      r.unit?.name ?? r.department?.name ?? '',
      r.unit?.code ?? r.department?.code ?? '',
      r.score,
      ...values(r.values),
    ]),
    [null, '合计 Total', null, a.total.score, ...values(a.total.values)],
  ];
  return { columns, rows };
}

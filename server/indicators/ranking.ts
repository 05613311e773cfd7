/**
 * Ranking (排名): a unit's children, or the departments working in its territory, by the weighted
 * score (综合得分, weights a setting) or by one rate. Every child unit is listed, also without
 * cases; departments are listed when they have counts in the period.
 */
import type { DepartmentRef, UnitRef } from '../../common/api.js';
import type { Db } from '../db/database.js';
import { type Counts, RATE_CODES, type RateCode, zeroCounts } from './definitions.js';
import type { IndicatorSettings } from './indicator-settings.js';
import type { Period } from './period.js';
import { groupCounts, type RankingGroup, rankBy, type Slice } from './query.js';

export interface RankingOptions {
  group: 'units' | 'departments';
  by: RateCode | 'score';
}

export interface RankingItem {
  rank: number | null;
  value: number | null;
  score: number | null;
  unit: UnitRef | null;
  department: DepartmentRef | null;
  rates: Record<RateCode, number | null>;
  counts: Counts;
}

export async function ranking(
  db: Db,
  slice: Slice,
  period: Period,
  options: RankingOptions,
  settings: IndicatorSettings,
  now: Date,
): Promise<RankingItem[]> {
  const groups = await groupCounts(db, slice, period, options.group, settings, now);
  const entries: { unit: UnitRef | null; department: DepartmentRef | null; group?: RankingGroup; name: string }[] =
    options.group === 'units'
      ? (
          await db
            .selectFrom('unit')
            .select(['id', 'code', 'name', 'level'])
            .where('parentId', '=', slice.unit.id)
            .orderBy('code')
            .execute()
        ).map((unit) => ({ unit, department: null, group: groups.get(unit.code), name: unit.code }))
      : (groups.size
          ? await db
              .selectFrom('department')
              .select(['id', 'code', 'name'])
              .where('id', 'in', [...groups.keys()])
              .execute()
          : []
        ).map((department) => ({ unit: null, department, group: groups.get(department.id), name: department.code }));

  const valueFor = (g: RankingGroup | undefined) =>
    !g ? null : options.by === 'score' ? g.score : g.rates[options.by].value;
  return rankBy(
    entries,
    (e) => valueFor(e.group),
    (e) => e.name,
  ).map(({ item, value, rank }) => ({
    rank,
    value,
    score: item.group?.score ?? null,
    unit: item.unit,
    department: item.department,
    rates: Object.fromEntries(RATE_CODES.map((c) => [c, item.group?.rates[c].value ?? null])) as Record<
      RateCode,
      number | null
    >,
    counts: item.group?.counts ?? zeroCounts(),
  }));
}

/**
 * Ranking (排名): a unit's children — or every unit of a lower level under it, such as all the
 * subdistricts of a city — or the departments working in its territory, by the weighted score
 * (综合得分, weights a setting) or by one rate. Every ranked unit is listed, also without cases;
 * departments are listed when they have counts in the period.
 */
import type { DepartmentRef, UnitRef } from '../../common/api.js';
import { LEVEL_DEPTH, type UnitLevel } from '../../common/territory.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { escapeLike } from '../policies/scope.js';
import { type Counts, RATE_CODES, type RateCode, zeroCounts } from './definitions.js';
import type { IndicatorSettings } from './indicator-settings.js';
import type { Period } from './period.js';
import { groupCounts, type RankingGroup, rankBy, type Slice } from './query.js';

export interface RankingOptions {
  group: 'units' | 'departments';
  by: RateCode | 'score';
  /** Rank every unit of this level under the slice's unit instead of its children (units only). */
  level?: UnitLevel | undefined;
}

const levelInvalid = (reason: string) =>
  new AppError('INDICATOR_LEVEL_INVALID', { fields: [{ path: 'query.level', reason }] });

/**
 * The units ranked and their counts: the children, or the units of `level` under the slice's unit
 * (grouped by their own path segment; a tree of uneven depth takes one statement per depth).
 */
async function unitGroups(
  db: Db,
  slice: Slice,
  period: Period,
  options: RankingOptions,
  settings: IndicatorSettings,
  now: Date,
) {
  const { level } = options;
  if (!level) {
    const units = await db
      .selectFrom('unit')
      .select(['id', 'code', 'name', 'level'])
      .where('parentId', '=', slice.unit.id)
      .orderBy('code')
      .execute();
    return { units, groups: await groupCounts(db, slice, period, 'units', settings, now) };
  }
  if (LEVEL_DEPTH[level] <= LEVEL_DEPTH[slice.unit.level]) throw levelInvalid(`below ${slice.unit.level}`);
  const rows = await db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'level', 'path'])
    .where('level', '=', level)
    .where('path', 'like', `${escapeLike(slice.unit.path)}%`)
    .orderBy('code')
    .execute();
  const segments = [...new Set(rows.map((u) => u.path.split('.').length - 1))];
  const groups = new Map<string, RankingGroup>();
  for (const segment of segments)
    for (const [key, group] of await groupCounts(db, slice, period, 'units', settings, now, { level, segment }))
      groups.set(key, group);
  return { units: rows.map(({ path: _path, ...unit }) => unit), groups };
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
  let entries: { unit: UnitRef | null; department: DepartmentRef | null; group?: RankingGroup; name: string }[];
  if (options.group === 'units') {
    const { units, groups } = await unitGroups(db, slice, period, options, settings, now);
    entries = units.map((unit) => ({ unit, department: null, group: groups.get(unit.code), name: unit.code }));
  } else {
    if (options.level) throw levelInvalid('only with group=units');
    const groups = await groupCounts(db, slice, period, 'departments', settings, now);
    entries = (
      groups.size
        ? await db
            .selectFrom('department')
            .select(['id', 'code', 'name'])
            .where('id', 'in', [...groups.keys()])
            .execute()
        : []
    ).map((department) => ({ unit: null, department, group: groups.get(department.id), name: department.code }));
  }

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

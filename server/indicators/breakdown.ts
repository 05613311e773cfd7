/**
 * What the leader dashboard and the heat map draw beside the panel: a slice's indicators period by
 * period (the trend), and the slice broken down by the grid a case is placed in, by category (minor
 * or major) or by channel. Same rollup, same formulas (definitions.ts) as the panel and the ranking:
 * a breakdown's parts add up to the panel's counts.
 */
import type { Channel } from '../../common/cases.js';
import type { UnitLevel } from '../../common/territory.js';
import { formatDay } from '../calendar/civil.js';
import type { Db } from '../db/database.js';
import { type Counts, RATE_CODES, type RateCode, type RateValue, ratesOf, zeroCounts } from './definitions.js';
import type { IndicatorSettings } from './indicator-settings.js';
import { type DayRange, formatRange, type Period, parsePeriod } from './period.js';
import { countRanges, groupCounts, type Slice, scoreOf } from './query.js';

/** Most periods in one trend (three years of months). */
export const MAX_TREND_PERIODS = 36;

export interface TrendPoint {
  from: string;
  to: string;
  counts: Counts;
  rates: Record<RateCode, number | null>;
  score: number | null;
}

const rateValues = (rates: Record<RateCode, RateValue>) =>
  Object.fromEntries(RATE_CODES.map((c) => [c, rates[c].value])) as Record<RateCode, number | null>;

/** The `count` periods of a kind ending with `last`, oldest first. */
export function periodsBack(last: Period, count: number): DayRange[] {
  const ranges: DayRange[] = [last];
  let current = last;
  while (ranges.length < count) {
    current = parsePeriod({ period: current.kind, date: formatDay(current.previous.from) });
    ranges.unshift(current);
  }
  return ranges;
}

/** The slice's counts, rates and score in each of `count` periods of one kind ending with `last`. */
export async function trend(
  db: Db,
  slice: Slice,
  last: Period,
  count: number,
  settings: IndicatorSettings,
  now: Date,
): Promise<TrendPoint[]> {
  const ranges = periodsBack(last, count);
  const counted = await countRanges(db, slice, ranges, now, settings.deferredLeaveDenominators);
  return ranges.map((range, i) => {
    const counts = counted[i] ?? zeroCounts();
    const rates = ratesOf(counts, settings.deferredLeaveDenominators);
    return {
      ...formatRange(range),
      counts,
      rates: rateValues(rates),
      score: scoreOf(rates, settings.scoreWeights),
    };
  });
}

export const BREAKDOWN_BY = ['places', 'categories', 'majors', 'channels'] as const;
export type BreakdownBy = (typeof BREAKDOWN_BY)[number];

export interface BreakdownItem {
  /** The unit id (places), category code (categories, majors) or channel. */
  key: string;
  unit: { id: string; code: string; name: string; level: UnitLevel } | null;
  category: { code: string; kind: 'component' | 'event'; name: { zh: string; en: string } } | null;
  channel: Channel | null;
  counts: Counts;
  rates: Record<RateCode, number | null>;
  score: number | null;
}

function addInto(sum: Counts, counts: Counts): void {
  for (const code of Object.keys(counts) as (keyof Counts)[]) sum[code] += counts[code];
}

/**
 * The slice over a period, part by part; parts without cases are left out (the heat map draws
 * them as zero). Most reported first.
 */
export async function breakdown(
  db: Db,
  slice: Slice,
  period: DayRange,
  by: BreakdownBy,
  settings: IndicatorSettings,
  now: Date,
): Promise<BreakdownItem[]> {
  const groups = await groupCounts(db, slice, period, by === 'majors' ? 'categories' : by, settings, now);
  const item = (key: string, counts: Counts, extra: Partial<BreakdownItem>): BreakdownItem => {
    const rates = ratesOf(counts, settings.deferredLeaveDenominators);
    return {
      key,
      unit: null,
      category: null,
      channel: null,
      counts,
      rates: rateValues(rates),
      score: scoreOf(rates, settings.scoreWeights),
      ...extra,
    };
  };
  const ids = [...groups.keys()];
  let items: BreakdownItem[];
  if (by === 'channels') {
    items = ids.map((key) => item(key, groups.get(key)?.counts ?? zeroCounts(), { channel: key as Channel }));
  } else if (by === 'places') {
    const units = ids.length
      ? await db.selectFrom('unit').select(['id', 'code', 'name', 'level']).where('id', 'in', ids).execute()
      : [];
    items = units.map((unit) => item(unit.id, groups.get(unit.id)?.counts ?? zeroCounts(), { unit }));
  } else {
    const categories = ids.length
      ? await db
          .selectFrom('category')
          .select(['id', 'code', 'majorCode', 'kind', 'nameZh', 'nameEn'])
          .where('id', 'in', ids)
          .execute()
      : [];
    if (by === 'categories') {
      items = categories.map((c) =>
        item(c.code, groups.get(c.id)?.counts ?? zeroCounts(), {
          category: { code: c.code, kind: c.kind, name: { zh: c.nameZh, en: c.nameEn } },
        }),
      );
    } else {
      const majorCodes = [...new Set(categories.map((c) => c.majorCode))];
      const majors = majorCodes.length
        ? await db
            .selectFrom('category')
            .select(['code', 'kind', 'nameZh', 'nameEn'])
            .where(
              'code',
              'in',
              majorCodes.map((m) => `${m}00`),
            )
            .execute()
        : [];
      const names = new Map(majors.map((m) => [m.code.slice(0, 2), m]));
      const sums = new Map<string, Counts>();
      const kinds = new Map(categories.map((c) => [c.majorCode, c.kind]));
      for (const c of categories) {
        const sum = sums.get(c.majorCode) ?? zeroCounts();
        addInto(sum, groups.get(c.id)?.counts ?? zeroCounts());
        sums.set(c.majorCode, sum);
      }
      items = [...sums].map(([major, counts]) =>
        item(major, counts, {
          category: {
            code: major,
            kind: names.get(major)?.kind ?? kinds.get(major) ?? 'event',
            name: { zh: names.get(major)?.nameZh ?? major, en: names.get(major)?.nameEn ?? major },
          },
        }),
      );
    }
  }
  return items.sort((a, b) => b.counts.reported - a.counts.reported || a.key.localeCompare(b.key));
}

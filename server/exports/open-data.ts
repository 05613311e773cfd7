/**
 * Public open data (政务公开): how many cases were reported, registered and closed per grid and
 * category over whole months — summed from the daily rollup (indicator_day), so nothing of a single
 * case (no id, number, text, place, time of day or person) can come out of it.
 *
 * Small counts are suppressed (小数抑制): a count of 1 or 2 in one grid and category — one child in
 * difficulty, one dispute in a lane — can point at a household, so it is published as "fewer than 3"
 * (null in JSON, `<3` in CSV); zero stays zero. This is primary suppression only: totals over other
 * periods or units can still be subtracted, which is why only whole months and fixed units are offered.
 */
import { sql } from 'kysely';
import { formatDay } from '../calendar/civil.js';
import type { Db } from '../db/database.js';
import type { DayRange } from '../indicators/period.js';
import { escapeLike } from '../policies/scope.js';

/** Counts from 1 up to this (excluded) are published as "fewer than" it. */
export const SUPPRESS_BELOW = 3;

/** A count as published: itself, or null for 1 … SUPPRESS_BELOW − 1. */
export const published = (n: number): number | null => (n > 0 && n < SUPPRESS_BELOW ? null : n);

export interface OpenDataRow {
  grid: { code: string; name: string; level: string };
  category: { code: string; name: { zh: string; en: string } };
  /** null: between 1 and SUPPRESS_BELOW − 1. */
  reported: number | null;
  registered: number | null;
  closed: number | null;
}

/** Rows with any count, by grid code then category code. `path` narrows to one unit's subtree. */
export async function openDataCounts(db: Db, range: DayRange, path: string | null): Promise<OpenDataRow[]> {
  // Naming the districts lets the rollup's (district, day, unit_path) index answer per district.
  const { rows } = await sql<{
    gridCode: string;
    gridName: string;
    level: string;
    categoryCode: string;
    nameZh: string;
    nameEn: string;
    reported: number;
    registered: number;
    closed: number;
  }>`
    select u.code as grid_code, u.name as grid_name, u.level, c.code as category_code,
      c.name_zh, c.name_en, sum(d.reported)::int as reported, sum(d.registered)::int as registered,
      sum(d.closed)::int as closed
    from indicator_day d
    join unit u on u.district = d.district and u.id = d.unit_id
    join category c on c.id = d.category_id
    where d.district in (select distinct district from unit)
      and d.day between ${formatDay(range.from)}::date and ${formatDay(range.to)}::date
      ${path ? sql`and d.unit_path like ${`${escapeLike(path)}%`}` : sql``}
    group by u.code, u.name, u.level, c.code, c.name_zh, c.name_en
    having sum(d.reported) + sum(d.registered) + sum(d.closed) > 0
    order by u.code, c.code`.execute(db);
  return rows.map((r) => ({
    grid: { code: r.gridCode, name: r.gridName, level: r.level },
    category: { code: r.categoryCode, name: { zh: r.nameZh, en: r.nameEn } },
    reported: published(r.reported),
    registered: published(r.registered),
    closed: published(r.closed),
  }));
}

/** The CSV / XLSX columns of the open data. */
export const OPEN_DATA_COLUMNS = [
  { header: '网格代码 Grid code', type: 'text' as const, width: 18 },
  { header: '网格 Grid', type: 'text' as const, width: 16 },
  { header: '类别代码 Category code', type: 'text' as const, width: 10 },
  { header: '类别 Category', type: 'text' as const, width: 16 },
  // Text: a suppressed count is written as "<3".
  { header: '上报数 Reported', type: 'text' as const },
  { header: '立案数 Registered', type: 'text' as const },
  { header: '结案数 Closed', type: 'text' as const },
];

const cell = (n: number | null) => (n === null ? `<${SUPPRESS_BELOW}` : String(n));

export const openDataCells = (r: OpenDataRow) => [
  r.grid.code,
  r.grid.name,
  r.category.code,
  r.category.name.zh,
  cell(r.reported),
  cell(r.registered),
  cell(r.closed),
];

/**
 * The indicator benchmark's city, written straight into the tables in a few statements: units from
 * the city down to unit grids (codes, paths, levels and depths as server/territory writes them; no
 * boundaries — indicators never read them), the built-in category catalogue with its time limits,
 * one department of each kind per district, and the helper tables the case generator draws from:
 * grids in a shuffled order (the first ones are the busy ones), categories likewise, and the days of
 * the year as "slots", a working day holding more slots than a weekend and a weekend more than a
 * statutory holiday (chinese-days), with a summer peak.
 */
import { sql } from 'kysely';
import { DEPARTMENT_KIND_LABELS, DEPARTMENT_KINDS } from '../common/territory.js';
import { SYSTEM_ACTOR } from '../server/accounts/actor.js';
import { civilFromDays, daysFromCivil, formatDay, weekdayOf } from '../server/calendar/civil.js';
import { statutoryDay, statutoryWorkday } from '../server/calendar/statutory.js';
import { seedCatalogue } from '../server/cases/catalogue/seed-catalogue.js';
import type { Db } from '../server/db/database.js';

export interface CityShape {
  districts: number;
  /** Over all districts, spread evenly. */
  subdistricts: number;
  communitiesPerSubdistrict: number;
  gridsPerCommunity: number;
}

/** ~16 districts, 200 subdistricts, 4,000 communities, 40,000 unit grids: a large Chinese city. */
export const CITY: CityShape = {
  districts: 16,
  subdistricts: 200,
  communitiesPerSubdistrict: 20,
  gridsPerCommunity: 10,
};
/** One district of 4 subdistricts, 200 grids: the CI smoke size. */
export const TOWN: CityShape = { districts: 1, subdistricts: 4, communitiesPerSubdistrict: 5, gridsPerCommunity: 10 };

const CITY_CODE = '310000000000';

export interface BenchUnit {
  id: string;
  code: string;
  path: string;
  district: string;
}

export interface City {
  city: BenchUnit;
  subdistricts: BenchUnit[];
  grids: number;
  categories: number;
  /** Slots of the year: a case falls in slot n with probability 1 / slots. */
  slots: number;
  /** First and last day of the year of cases (day numbers, +08:00). */
  from: number;
  to: number;
}

/** The units, level by level: each level one INSERT … SELECT from its parents. */
async function makeUnits(db: Db, shape: CityShape) {
  await sql`
    insert into unit (district, id, code, name, level, parent_id, path, depth)
    values (${CITY_CODE.slice(0, 6)}, gen_random_uuid(), ${CITY_CODE}, '基准市', 'city', null, ${`${CITY_CODE}.`}, 0)`.execute(
    db,
  );
  const base = Math.floor(shape.subdistricts / shape.districts);
  const extra = shape.subdistricts % shape.districts;
  const levels = [
    // [level, depth, parent level, number of children of a parent, code of child n of parent p]
    ['district', 1, 'city', sql`${shape.districts}::int`, sql`'3101' || lpad(n::text, 2, '0') || '000000'`],
    [
      'subdistrict',
      2,
      'district',
      sql`${base}::int + (substr(p.code, 5, 2)::int <= ${extra})::int`,
      sql`left(p.code, 6) || lpad(n::text, 3, '0') || '000'`,
    ],
    [
      'community',
      3,
      'subdistrict',
      sql`${shape.communitiesPerSubdistrict}::int`,
      sql`left(p.code, 9) || lpad(n::text, 3, '0')`,
    ],
    ['grid', 5, 'community', sql`${shape.gridsPerCommunity}::int`, sql`p.code || lpad(n::text, 3, '0')`],
  ] as const;
  const names = { district: '区', subdistrict: '街道', community: '居委会', grid: '网格' } as const;
  for (const [level, depth, parentLevel, count, code] of levels) {
    await sql`
      insert into unit (district, id, code, name, level, parent_id, path, depth)
      select left(c.code, 6), gen_random_uuid(), c.code, '第' || c.n || ${names[level]}, ${level}, p.id, p.path || c.code || '.', ${depth}
      from unit p cross join lateral (select n, ${code} as code from generate_series(1, ${count}) n) c
      where p.level = ${parentLevel} and p.path like ${`${CITY_CODE}.%`}`.execute(db);
  }
}

/** The year of cases: the twelve whole months before the current one (+08:00). */
export function caseYear(now: Date): { from: number; to: number } {
  const today = civilFromDays(Math.floor((now.getTime() + 8 * 3_600_000) / 86_400_000));
  return { from: daysFromCivil(today.year - 1, today.month, 1), to: daysFromCivil(today.year, today.month, 1) - 1 };
}

/** Slots per day: working days 10, weekends 6, statutory holidays 4; ±15 % over the year, highest in July. */
function slotsOf(day: number): number {
  const { month } = civilFromDays(day);
  const kind = statutoryDay(formatDay(day))?.kind;
  const base = kind === 'holiday' ? 4 : statutoryWorkday(day, weekdayOf(day)) ? 10 : 6;
  return Math.round(base * (1 + 0.15 * Math.cos(((month - 7) / 12) * 2 * Math.PI)));
}

export async function makeCity(db: Db, shape: CityShape, now: Date): Promise<City> {
  await makeUnits(db, shape);
  await db.transaction().execute((trx) => seedCatalogue(trx, { actor: SYSTEM_ACTOR }));
  await sql`
    insert into department (id, code, name, kind, level, serves_unit_id, serves_path, district)
    select gen_random_uuid(), 'B' || u.district || '-' || k.kind, u.name || k.name, k.kind, 'district', u.id, u.path, u.district
    from unit u cross join unnest(${DEPARTMENT_KINDS as unknown as string[]}::text[],
      ${DEPARTMENT_KINDS.map((k) => DEPARTMENT_KIND_LABELS[k].zh)}::text[]) k(kind, name)
    where u.level = 'district'`.execute(db);

  // Helper tables of the generator (unlogged: throwaway).
  await sql`
    create unlogged table bench_grid as
    select (row_number() over (order by md5(code)) - 1)::int as n, district, id as unit_id, path as unit_path,
      121.1 + ((row_number() over (order by code)) % 250) * 0.0024 as lng,
      30.9 + ((row_number() over (order by code)) / 250) * 0.0024 as lat
    from unit where level = 'grid'`.execute(db);
  await sql`alter table bench_grid add primary key (n)`.execute(db);
  // The normal handling limit of each minor category, in natural hours (a working day ≈ 33.6 h with weekends).
  await sql`
    create unlogged table bench_category as
    select (row_number() over (order by md5(c.code)) - 1)::int as n, c.id as category_id, c.name_zh,
      coalesce(c.department_kind, 'grid_centre') as department_kind, c.self_handle,
      coalesce(case l.unit when 'working_days' then l.amount * 33.6 when 'working_hours' then l.amount * 4.5
        when 'natural_hours' then l.amount else l.amount / 60.0 end, 100.8)::float8 as handle_hours
    from category c
    left join lateral (select amount, unit from time_limit t
      where (t.category_id = c.id or t.category_id is null) and t.stage = 'handle' and t.urgency = 'normal'
      order by t.category_id nulls last limit 1) l on true
    where c.code not like '__00' and not c.disabled`.execute(db);
  await sql`alter table bench_category add primary key (n)`.execute(db);
  const year = caseYear(now);
  const days: string[] = [];
  const counts: number[] = [];
  for (let day = year.from; day <= year.to; day += 1) {
    days.push(formatDay(day));
    counts.push(slotsOf(day));
  }
  await sql`
    create unlogged table bench_slot as
    select (row_number() over (order by d.day) - 1)::int as n, d.day
    from unnest(${days}::date[], ${counts}::int[]) d(day, slots), generate_series(1, d.slots)`.execute(db);
  await sql`alter table bench_slot add primary key (n)`.execute(db);
  // The instant the cases are generated around, for a later run that measures them again.
  await sql`create table bench_meta as select ${now}::timestamptz as generated_at`.execute(db);
  return readCity(db, now);
}

/** The instant the city's cases were generated around (`makeCity`'s `now`; for a run before it was kept, the latest step, just before it). */
export async function generatedAt(db: Db): Promise<Date> {
  const { rows: kept } = await sql<{ table: string | null }>`select to_regclass('bench_meta')::text as table`.execute(
    db,
  );
  const { rows } = kept[0]?.table
    ? await sql<{ at: Date | null }>`select generated_at as at from bench_meta limit 1`.execute(db)
    : await sql<{ at: Date | null }>`select max(created_at) as at from case_event`.execute(db);
  const at = rows[0]?.at;
  if (!at) throw new Error('no city was generated in this database');
  return new Date(at);
}

/** The city `makeCity` wrote, read back (also from a database an earlier run left). */
export async function readCity(db: Db, now: Date): Promise<City> {
  const year = caseYear(now);
  const units = await db
    .selectFrom('unit')
    .select(['id', 'code', 'path', 'district', 'level'])
    .where('level', 'in', ['city', 'subdistrict'])
    .where('path', 'like', `${CITY_CODE}.%`)
    .orderBy('code')
    .execute();
  const city = units.find((u) => u.level === 'city');
  if (!city) throw new Error('the city was not written');
  const { rows } = await sql<{ grids: number; categories: number; slots: number }>`
    select (select count(*) from bench_grid)::int as grids, (select count(*) from bench_category)::int as categories,
      (select count(*) from bench_slot)::int as slots`.execute(db);
  const sizes = rows[0];
  if (!sizes) throw new Error('no helper tables');
  const strip = ({ level: _level, ...u }: (typeof units)[number]) => u;
  return {
    city: strip(city),
    subdistricts: units.filter((u) => u.level === 'subdistrict').map(strip),
    ...sizes,
    ...year,
  };
}

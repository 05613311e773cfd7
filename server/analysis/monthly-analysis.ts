/**
 * The monthly community analysis (社区月度分析), computed from the archive, the visits and the
 * cases of one residents' committee: every formula of common/monthly-analysis.ts's
 * MONTHLY_DEFINITIONS is one SQL expression here, and nowhere else.
 */
import { sql } from 'kysely';
import type { MonthlyAnalysis } from '../../common/monthly-analysis.js';
import { beijingDay, beijingDayStart, monthEnd } from '../../common/visits.js';
import type { Db } from '../db/database.js';
import { escapeLike } from '../policies/scope.js';
import { coverageByPath, rollUp } from '../visits/half-year.js';
import { monthlyFigures } from './monthly-figures.js';

export interface AnalysisUnit {
  id: string;
  code: string;
  name: string;
  path: string;
}

/** The month's bounds: [from, to) as instants, and its first and last counted day (Beijing). */
export function monthWindow(month: string, now: Date) {
  const from = beijingDayStart(`${month}-01`);
  const last = monthEnd(month);
  const nextMonth = beijingDayStart(new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
  const partial = nextMonth > now;
  return {
    from,
    to: partial ? now : nextMonth,
    firstDay: `${month}-01`,
    lastDay: partial ? beijingDay(now) : last,
    partial,
  };
}

type Window = ReturnType<typeof monthWindow>;

/** People filed before `t` who had not departed by then. */
const livingAt = (t: Date) => sql`(created_at < ${t} and (status = 'active' or status_changed_at >= ${t}))`;

async function population(db: Db, like: string, w: Window) {
  const { rows } = await sql<MonthlyAnalysis['population']>`
    select
      count(*) filter (where ${livingAt(w.from)})::int as start,
      count(*) filter (where ${livingAt(w.to)})::int as end,
      count(*) filter (where created_at >= ${w.from} and created_at < ${w.to})::int as added,
      count(*) filter (where status = 'moved_out' and status_changed_at >= ${w.from} and status_changed_at < ${w.to})::int as moved_out,
      count(*) filter (where status = 'deceased' and status_changed_at >= ${w.from} and status_changed_at < ${w.to})::int as deceased,
      count(*) filter (where ${livingAt(w.to)} and residency = 'registered')::int as registered,
      count(*) filter (where ${livingAt(w.to)} and residency = 'floating')::int as floating,
      (select count(*)::int from household where unit_path like ${like}
        and created_at < ${w.to} and (dissolved_at is null or dissolved_at >= ${w.to})) as households,
      (select count(*)::int from household where unit_path like ${like}
        and created_at >= ${w.from} and created_at < ${w.to}) as households_added,
      (select count(*)::int from household where unit_path like ${like}
        and dissolved_at >= ${w.from} and dissolved_at < ${w.to}) as households_dissolved
    from person where unit_path like ${like}`.execute(db);
  return rows[0] as MonthlyAnalysis['population'];
}

async function tags(db: Db, like: string, w: Window): Promise<MonthlyAnalysis['tags']> {
  const { rows } = await sql<{ tagTypeId: string; active: number; started: number; ended: number }>`
    select t.tag_type_id,
      count(*) filter (where t.alive and t.valid_from <= ${w.lastDay}::date
        and (t.valid_to is null or t.valid_to >= ${w.lastDay}::date))::int as active,
      count(*) filter (where t.valid_from between ${w.firstDay}::date and ${w.lastDay}::date)::int as started,
      count(*) filter (where t.valid_to between ${w.firstDay}::date and ${w.lastDay}::date)::int as ended
    from (
      select x.tag_type_id, x.valid_from, x.valid_to,
        (p.created_at < ${w.to} and (p.status = 'active' or p.status_changed_at >= ${w.to})) as alive
      from person_tag x join person p on p.district = x.district and p.id = x.person_id
      where p.unit_path like ${like}
      union all
      select x.tag_type_id, x.valid_from, x.valid_to,
        (h.created_at < ${w.to} and (h.dissolved_at is null or h.dissolved_at >= ${w.to}))
      from household_tag x join household h on h.district = x.district and h.id = x.household_id
      where h.unit_path like ${like}
    ) t group by t.tag_type_id`.execute(db);
  const counts = new Map(rows.map((r) => [r.tagTypeId, r]));
  const types = await db
    .selectFrom('tagType')
    .select(['id', 'code', 'nameZh', 'nameEn'])
    .where('disabled', '=', false)
    .orderBy('builtIn', 'desc')
    .orderBy('code')
    .execute();
  return types.map((t) => ({
    code: t.code,
    nameZh: t.nameZh,
    nameEn: t.nameEn,
    active: counts.get(t.id)?.active ?? 0,
    started: counts.get(t.id)?.started ?? 0,
    ended: counts.get(t.id)?.ended ?? 0,
  }));
}

async function visits(db: Db, unit: AnalysisUnit, like: string, w: Window): Promise<MonthlyAnalysis['visits']> {
  const { rows } = await sql<{ count: number; night: number; householdsVisited: number }>`
    select count(*)::int as count, count(*) filter (where night)::int as night,
      count(distinct (district, household_id))::int as households_visited
    from visit where unit_path like ${like} and visited_at >= ${w.from} and visited_at < ${w.to}`.execute(db);
  const byPath = await coverageByPath(db, unit.path, w.lastDay);
  const grids = await db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'path'])
    .where('path', 'like', like)
    .where('level', '=', 'grid')
    .orderBy('code')
    .execute();
  const visited = rows[0] ?? { count: 0, night: 0, householdsVisited: 0 };
  return {
    ...visited,
    coverage: rollUp(byPath, unit.path),
    grids: grids.map((g) => {
      const f = rollUp(byPath, g.path);
      return {
        unit: { id: g.id, code: g.code, name: g.name },
        households: f.households,
        covered: f.covered,
        rate: f.rate,
      };
    }),
  };
}

async function cases(db: Db, like: string, w: Window): Promise<MonthlyAnalysis['cases']> {
  const { rows } = await sql<{ code: string; name: string; nameEn: string; reported: number; closed: number }>`
    select k.major_code as code, coalesce(m.name_zh, k.major_code) as name, coalesce(m.name_en, k.major_code) as name_en,
      count(*) filter (where c.created_at >= ${w.from} and c.created_at < ${w.to})::int as reported,
      count(*) filter (where c.closed_at >= ${w.from} and c.closed_at < ${w.to})::int as closed
    from cases c
    join category k on k.id = c.category_id
    left join category m on m.code = k.major_code || '00'
    where c.unit_path like ${like}
      and ((c.created_at >= ${w.from} and c.created_at < ${w.to}) or (c.closed_at >= ${w.from} and c.closed_at < ${w.to}))
    group by 1, 2, 3 order by reported desc, code`.execute(db);
  return {
    reported: rows.reduce((s, r) => s + r.reported, 0),
    closed: rows.reduce((s, r) => s + r.closed, 0),
    byCategory: rows,
  };
}

async function needs(db: Db, like: string, w: Window): Promise<MonthlyAnalysis['needs']> {
  const { rows } = await sql<{ kind: string; new: number; referred: number; resolved: number; open: number }>`
    select n.kind,
      count(*) filter (where n.created_at >= ${w.from} and n.created_at < ${w.to})::int as new,
      count(*) filter (where n.referred_at >= ${w.from} and n.referred_at < ${w.to})::int as referred,
      count(*) filter (where n.resolved_at >= ${w.from} and n.resolved_at < ${w.to})::int as resolved,
      count(*) filter (where n.created_at < ${w.to}
        and not coalesce(n.resolved_at < ${w.to}, false)
        and not coalesce(n.referred_at < ${w.to} and c.closed_at < ${w.to}, false))::int as open
    from visit_need n
    left join cases c on c.district = n.case_district and c.id = n.case_id
    where n.unit_path like ${like}
    group by n.kind order by n.kind`.execute(db);
  const sum = (k: 'new' | 'referred' | 'resolved' | 'open') => rows.reduce((s, r) => s + r[k], 0);
  return {
    new: sum('new'),
    referred: sum('referred'),
    resolved: sum('resolved'),
    open: sum('open'),
    openByKind: rows.filter((r) => r.open > 0).map((r) => ({ kind: r.kind, count: r.open })),
  };
}

/** The analysis of a committee for a month (`yyyy-mm`, not after the current one). */
export async function monthlyAnalysis(
  db: Db,
  unit: AnalysisUnit,
  month: string,
  now: Date = new Date(),
): Promise<MonthlyAnalysis> {
  const w = monthWindow(month, now);
  const like = `${escapeLike(unit.path)}%`;
  const [p, t, v, c, n] = await Promise.all([
    population(db, like, w),
    tags(db, like, w),
    visits(db, unit, like, w),
    cases(db, like, w),
    needs(db, like, w),
  ]);
  const analysis: Omit<MonthlyAnalysis, 'figures'> = {
    unit: { id: unit.id, code: unit.code, name: unit.name },
    month,
    from: w.from.toISOString(),
    to: w.to.toISOString(),
    partial: w.partial,
    generatedAt: now.toISOString(),
    population: p,
    tags: t,
    visits: v,
    cases: c,
    needs: n,
  };
  return { ...analysis, figures: monthlyFigures(analysis) };
}

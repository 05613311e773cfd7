/**
 * What the indicator benchmark checks and profiles at every size:
 * - correctness (the CI smoke check at `--scale small`): for a few subdistrict-months, the panel the
 *   route answers equals counts taken straight from the case rows (reports, closures, closures on
 *   time, on-the-spot handlings, rejections, callbacks, the closure cohort); the monthly rollup
 *   equals the sum of the daily rollup there; a month's city-wide ranking adds up to the month's
 *   reports and lists every subdistrict;
 * - a profile: EXPLAIN (ANALYZE, BUFFERS) of the statements behind one panel and one ranking.
 */
import { sql } from 'kysely';
import type { Db } from '../server/db/database.js';
import { FLOW_COUNTS } from '../server/indicators/definitions.js';
import { parsePeriod } from '../server/indicators/period.js';
import { dueStatement, flowStatement, groupStatements, type Slice } from '../server/indicators/query.js';
import { snake } from '../server/indicators/sources.js';
import type { Month } from './indicators.js';
import type { BenchUnit, City } from './indicators-city.js';

type Get = (url: string) => Promise<unknown>;
interface PanelBody {
  counts: Record<string, { value: number | null }>;
}
interface RankingBody {
  items: { unit: { code: string }; counts: { reported: number } }[];
}

/** The panel's counts that the case rows tell directly, as SQL over one unit-month. */
const DIRECT: Record<string, string> = {
  reported: 'created_at >= p.t_from and created_at < p.t_to',
  closed: 'closed_at >= p.t_from and closed_at < p.t_to',
  closedOnTime: 'closed_at >= p.t_from and closed_at < p.t_to and closed_on_time',
  selfHandled: "closed_at >= p.t_from and closed_at < p.t_to and solved_level = 'grid'",
  rejected: "state = 'rejected' and updated_at >= p.t_from and updated_at < p.t_to",
  callbacks: 'closed_at >= p.t_from and closed_at < p.t_to and satisfaction is not null',
  callbackSatisfied: "closed_at >= p.t_from and closed_at < p.t_to and satisfaction = 'satisfied'",
  dueForClosure: 'handle_due_at >= p.t_from and handle_due_at < least(p.t_to, p.t_now)',
  dueClosed: 'handle_due_at >= p.t_from and handle_due_at < least(p.t_to, p.t_now) and closed_at < p.t_to',
  dueClosedOnTime:
    'handle_due_at >= p.t_from and handle_due_at < least(p.t_to, p.t_now) and closed_at < p.t_to and closed_on_time',
};

function slice(unit: BenchUnit, level: 'city' | 'subdistrict', districts: string[]): Slice {
  return {
    unit: { id: unit.id, code: unit.code, name: unit.code, level, path: unit.path, district: unit.district },
    districts,
    department: null,
    category: null,
    channel: null,
  };
}

function fail(what: string, expected: unknown, actual: unknown): never {
  throw new Error(
    `indicator bench check failed: ${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
  );
}

export async function checkSample(db: Db, city: City, months: Month[], now: Date, get: Get): Promise<string[]> {
  const subs = city.subdistricts;
  const units = [...new Set([subs[0], subs[Math.floor(subs.length / 2)], subs.at(-1)])].filter(
    (u): u is BenchUnit => u !== undefined,
  );
  const sampleMonths = [months[0], months[Math.floor(months.length / 2)], months.at(-1)].filter(
    (m): m is Month => m !== undefined,
  );
  const columns = FLOW_COUNTS.map(snake);
  let compared = 0;
  for (const unit of units)
    for (const month of sampleMonths) {
      const body = (await get(`/api/indicators?unitId=${unit.id}&period=month&date=${month.date}`)) as PanelBody;
      const filters = Object.entries(DIRECT).map(
        ([code, where]) => `count(*) filter (where ${where})::int as "${code}"`,
      );
      const { rows: found } = await sql<Record<string, number>>`
        select ${sql.raw(filters.join(', '))}
        from cases, (select ${month.from}::timestamptz as t_from, ${month.to}::timestamptz as t_to, ${now}::timestamptz as t_now) p
        where district = ${unit.district} and unit_path like ${`${unit.path}%`}`.execute(db);
      const direct = found[0] ?? {};
      for (const code of Object.keys(DIRECT))
        if (body.counts[code]?.value !== direct[code])
          fail(`${code} of ${unit.code} in ${month.date.slice(0, 7)}`, direct[code], body.counts[code]?.value);
      const sums = columns.map((c) => `sum(${c})::bigint as ${c}`).join(', ');
      const first = `${month.date.slice(0, 8)}01`;
      const where = sql`district = ${unit.district} and unit_path like ${`${unit.path}%`}`;
      const [days, monthly] = await Promise.all([
        sql`select ${sql.raw(sums)} from indicator_day where ${where}
          and day >= ${first}::date and day < ${first}::date + interval '1 month'`.execute(db),
        sql`select ${sql.raw(sums)} from indicator_month where ${where} and month = ${first}::date`.execute(db),
      ]).then((results) => results.map((r) => r.rows[0]));
      if (JSON.stringify(days) !== JSON.stringify(monthly))
        fail(`indicator_month of ${unit.code} in ${month.date.slice(0, 7)}`, days, monthly);
      compared += 1;
    }
  const month = sampleMonths[0] as Month;
  const ranking = (await get(
    `/api/indicators/ranking?unitId=${city.city.id}&period=month&date=${month.date}&level=subdistrict`,
  )) as RankingBody;
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from cases where created_at >= ${month.from} and created_at < ${month.to}`.execute(db);
  const reported = ranking.items.reduce((sum, i) => sum + i.counts.reported, 0);
  if (reported !== rows[0]?.n) fail(`Σ reported of the ranking of ${month.date.slice(0, 7)}`, rows[0]?.n, reported);
  if (ranking.items.length !== subs.length) fail('subdistricts ranked', subs.length, ranking.items.length);
  return [
    `panel = case rows (${Object.keys(DIRECT).length} counts) and indicator_month = Σ indicator_day for ${compared} subdistrict-months`,
    `ranking of ${subs.length} subdistricts adds up to the month's ${reported.toLocaleString('en')} reports`,
  ];
}

/** EXPLAIN (ANALYZE, BUFFERS) of one panel's and one ranking's statements. */
export async function profile(db: Db, city: City, months: Month[]): Promise<Record<string, string>> {
  const unit = city.subdistricts[Math.floor(city.subdistricts.length / 2)] as BenchUnit;
  const month = months[Math.floor(months.length / 2)] as Month;
  const period = parsePeriod({ period: 'month', date: month.date });
  const sub = slice(unit, 'subdistrict', [unit.district]);
  const all = slice(city.city, 'city', [...new Set([city.city.district, ...city.subdistricts.map((s) => s.district)])]);
  const now = new Date();
  const ranking = groupStatements(all, period, 'units', now, false, {
    level: 'subdistrict',
    segment: city.city.path.split('.').length + 1,
  });
  const statements = {
    panelFlows: flowStatement(sub, [period, period.previous, period.lastYear]),
    panelCohort: dueStatement(sub, [period, period.previous, period.lastYear], now, false),
    rankingFlows: ranking.flow,
    rankingCohort: ranking.due,
  };
  const plans: Record<string, string> = {};
  for (const [name, statement] of Object.entries(statements)) {
    const { rows } = await sql<Record<string, string>>`explain (analyze, buffers) ${statement}`.execute(db);
    plans[name] = rows.map((r) => Object.values(r)[0]).join('\n');
  }
  return plans;
}

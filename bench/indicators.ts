/**
 * Indicator benchmark (issue "fast at scale"): at 1 M, 3 M and 10 M cases of a city of 16 districts,
 * 200 subdistricts, 4,000 communities and 40,000 unit grids, how fast
 * - the panel of one subdistrict for one month answers (GET /api/indicators, through the app:
 *   session, scope, settings, three periods for 环比/同比, the overdue snapshot), target p95 ≤ 50 ms;
 * - the city-wide ranking of every subdistrict for one month answers (GET /api/indicators/ranking
 *   ?unitId=<city>&level=subdistrict: one ranking of all 200, not 16 rankings of each district's
 *   children, which is what a city's assessment compares), target p95 ≤ 200 ms;
 * beside baselines measured in the same run, warmed the same way (one untimed pass over the same
 * samples): a single indexed COUNT of the same subdistrict-month's cases, and a COUNT of the
 * month's cases per subdistrict. Figures should stay flat from 1 M to 10 M.
 *
 * `npx gridloop bench indicators [--scale small|medium|full]`: small 20 k cases in one district of
 * 4 subdistricts (CI: checks the counts, not the speed), medium 1 M then 3 M (default), full adds
 * 10 M. Its own embedded cluster in <os tmpdir>/gridloop-bench-bench-indicators (or DATABASE_URL's server), a fresh
 * database each run; data from bench/indicators-city.ts and bench/indicators-cases.ts.
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { build } from '../server/app.js';
import { civilFromDays, daysFromCivil, formatDay } from '../server/calendar/civil.js';
import { progressBar } from '../server/cli/output.js';
import { loadConfig } from '../server/config.js';
import type { Db } from '../server/db/database.js';
import { dayStart } from '../server/indicators/period.js';
import { BENCH_PASSWORD, createBenchLeader, openBenchDatabase } from './database.js';
import { chunksOf, writeChunk } from './indicators-cases.js';
import { checkSample, profile } from './indicators-check.js';
import { type BenchUnit, CITY, type City, generatedAt, makeCity, readCity, TOWN } from './indicators-city.js';

export const SCALES = ['small', 'medium', 'full'] as const;
export type Scale = (typeof SCALES)[number];
const SIZES: Record<Scale, number[]> = {
  small: [20_000],
  medium: [1_000_000, 3_000_000],
  full: [1_000_000, 3_000_000, 10_000_000],
};
const TARGET = { panelP95Ms: 50, rankingP95Ms: 200 };
const PANEL_SAMPLES = 200;
const RANKING_SAMPLES = 60;

export interface Timing {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface SizeResult {
  cases: number;
  generationSeconds: number;
  rows: Record<string, number>;
  panel: Timing;
  panelBaseline: Timing;
  ranking: Timing;
  rankingBaseline: Timing;
  /** p95 over the baseline's p95. */
  panelRatio: number;
  rankingRatio: number;
  panelMet: boolean;
  rankingMet: boolean;
  checked: string[];
  /** The machine's 1-minute load average before and after measuring (2 cores: above 2, others were busy too). */
  load: [number, number];
  /** Measured again on the cases an earlier run generated (generationSeconds is then 0). */
  reused?: boolean;
  /** EXPLAIN (ANALYZE, BUFFERS) of the statements behind a missed target (or of the largest size). */
  profiles?: Record<string, string>;
}

export interface IndicatorBenchResult {
  scale: Scale;
  city: { districts: number; subdistricts: number; grids: number; categories: number };
  sizes: SizeResult[];
  /** p95 at the largest size over p95 at the smallest (≈ 1: flat). */
  panelGrowth: number | null;
  rankingGrowth: number | null;
}

export interface Month {
  date: string;
  from: Date;
  to: Date;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function timing(ms: number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);
  return { samples: sorted.length, p50: at(50), p95: at(95), p99: at(99) };
}

/** One untimed pass over the samples (warming caches as the timed pass will find them), then the timed pass. */
export async function measure<T>(samples: T[], run: (sample: T) => Promise<unknown>): Promise<Timing> {
  for (const s of samples) await run(s);
  const ms: number[] = [];
  for (const s of samples) {
    const started = performance.now();
    await run(s);
    ms.push(performance.now() - started);
  }
  return timing(ms);
}

/** The twelve months of the case year: a day inside each (`yyyy-mm-15`) and its +08:00 bounds. */
export function monthsOf(city: City): Month[] {
  const months: Month[] = [];
  for (let day = city.from; day <= city.to; ) {
    const { year, month } = civilFromDays(day);
    const next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
    months.push({ date: `${formatDay(day).slice(0, 8)}15`, from: dayStart(day), to: dayStart(next) });
    day = next;
  }
  return months;
}

async function signedIn(db: Db, city: City): Promise<{ app: FastifyInstance; get: (url: string) => Promise<unknown> }> {
  const leader = await db.selectFrom('account').select('id').where('username', '=', 'benchleader').executeTakeFirst();
  if (!leader) await createBenchLeader(db, city.city);
  const app = await build({
    db,
    config: { ...loadConfig({}), logLevel: 'silent', mediaDir: join(tmpdir(), 'gridloop-bench-media') },
    logger: false,
  });
  const res = await app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { username: 'benchleader', password: BENCH_PASSWORD },
  });
  const cookie = res.cookies.find((c) => c.name === 'gridloop_session');
  if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const headers = { cookie: `gridloop_session=${cookie.value}` };
  return {
    app,
    async get(url: string) {
      const r = await app.inject({ method: 'GET', url, headers });
      if (r.statusCode !== 200) throw new Error(`${url} answered ${r.statusCode}: ${r.body}`);
      return r.json();
    },
  };
}

/** Generates cases `from` … `to − 1` with a progress bar; returns the seconds it took. */
async function generate(db: Db, city: City, from: number, to: number, now: Date): Promise<number> {
  const started = performance.now();
  const label = `生成案件 cases ${from.toLocaleString('en')} → ${to.toLocaleString('en')}`;
  const bar = progressBar(label);
  let done = 0;
  const steps: Record<string, number> = {};
  for (const chunk of chunksOf(city, from, to - from)) {
    for (const [name, s] of Object.entries(await writeChunk(db, city, chunk, now)))
      steps[name] = (steps[name] ?? 0) + s;
    done += chunk.count;
    bar(done, to - from);
    // The bar draws on a terminal only; a log gets a line per chunk.
    if (!process.stderr.isTTY)
      console.error(
        `${label}: ${Math.floor((done / (to - from)) * 100)}%, ${round((performance.now() - started) / 1000, 1)} s`,
      );
  }
  console.error(
    `${label}: ${Object.entries(steps)
      .map(([name, s]) => `${name} ${round(s, 1)} s`)
      .join(', ')}`,
  );
  for (const table of ['cases', 'indicator_day', 'indicator_month', 'indicator_due_month'])
    await sql`vacuum analyze ${sql.table(table)}`.execute(db);
  return round((performance.now() - started) / 1000, 1);
}

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*) from cases)::int as cases, (select count(*) from indicator_day)::int as indicator_day,
      (select count(*) from indicator_month)::int as indicator_month,
      (select count(*) from indicator_due_month)::int as indicator_due_month,
      round(pg_total_relation_size('cases') / 1048576.0)::int as cases_mib,
      round(pg_total_relation_size('indicator_day') / 1048576.0)::int as indicator_day_mib`.execute(db);
  return rows[0] ?? {};
}

async function measureSize(
  db: Db,
  city: City,
  get: (url: string) => Promise<unknown>,
): Promise<Pick<SizeResult, 'panel' | 'panelBaseline' | 'ranking' | 'rankingBaseline'>> {
  const months = monthsOf(city);
  const subs = city.subdistricts;
  const panels = Array.from({ length: PANEL_SAMPLES }, (_, k) => ({
    unit: subs[(k * 7919) % subs.length] as BenchUnit,
    month: months[(k * 5) % months.length] as Month,
  }));
  const rankings = Array.from({ length: RANKING_SAMPLES }, (_, k) => months[k % months.length] as Month);
  const districts = [...new Set(subs.map((s) => s.district))];
  const segment = city.city.path.split('.').length + 1; // city.district.subdistrict.
  return {
    panel: await measure(panels, (s) => get(`/api/indicators?unitId=${s.unit.id}&period=month&date=${s.month.date}`)),
    panelBaseline: await measure(panels, (s) =>
      sql`select count(*)::int as n from cases where district = ${s.unit.district}
        and unit_path like ${`${s.unit.path}%`} and created_at >= ${s.month.from} and created_at < ${s.month.to}`.execute(
        db,
      ),
    ),
    ranking: await measure(rankings, (m) =>
      get(`/api/indicators/ranking?unitId=${city.city.id}&period=month&date=${m.date}&level=subdistrict`),
    ),
    rankingBaseline: await measure(rankings, (m) =>
      sql`select split_part(unit_path, '.', ${sql.lit(segment)}) as g, count(*)::int as n from cases
        where district in (${sql.join(districts)}) and created_at >= ${m.from} and created_at < ${m.to}
        group by 1`.execute(db),
    ),
  };
}

const ms = (t: Timing) => `${t.p50} / ${t.p95} / ${t.p99}`;
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length));

/** The table: ratios first, absolute figures after; PASS / MISS against the targets. */
export function printIndicatorBench(result: IndicatorBenchResult): void {
  const head = [
    'cases',
    'measure',
    'p95 ÷ baseline p95',
    'p50 / p95 / p99 ms',
    'baseline p50 / p95 / p99 ms',
    'target',
  ];
  const lines = [head];
  for (const s of result.sizes) {
    const n = s.cases.toLocaleString('en');
    lines.push([
      n,
      'panel: 1 subdistrict × 1 month',
      `${s.panelRatio}×`,
      ms(s.panel),
      `${ms(s.panelBaseline)} (COUNT of its cases)`,
      `p95 ≤ ${TARGET.panelP95Ms} ms ${s.panelMet ? 'PASS' : 'MISS'}`,
    ]);
    lines.push([
      n,
      'ranking: all subdistricts × 1 month',
      `${s.rankingRatio}×`,
      ms(s.ranking),
      `${ms(s.rankingBaseline)} (COUNT per subdistrict)`,
      `p95 ≤ ${TARGET.rankingP95Ms} ms ${s.rankingMet ? 'PASS' : 'MISS'}`,
    ]);
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => [...(l[i] ?? '')].length)));
  for (const l of lines) console.log(l.map((c, i) => pad(c, widths[i] ?? 0)).join('  '));
  if (result.panelGrowth !== null)
    console.log(
      `p95 from the smallest to the largest size: panel ×${result.panelGrowth}, ranking ×${result.rankingGrowth} (flat ≈ 1)`,
    );
  for (const s of result.sizes)
    console.log(
      `${s.cases.toLocaleString('en')} cases: ${s.reused ? 'generated by an earlier run' : `generated in ${s.generationSeconds} s`}; load ${s.load.join(' → ')}; rows ${JSON.stringify(s.rows)}; checked: ${s.checked.join(', ')}`,
    );
}

/**
 * `reuse` (`--reuse`): generate nothing and measure again the cases the last run left in its
 * database (e.g. the 10 M of a `full` run, on a quieter machine than the one that generated them).
 */
export async function runIndicatorBench(
  options: { scale?: Scale; reuse?: boolean } = {},
): Promise<IndicatorBenchResult> {
  const scale = options.scale ?? 'medium';
  const reuse = options.reuse ?? false;
  const shape = scale === 'small' ? TOWN : CITY;
  // CI's small run has a cluster of its own: it must never drop the millions a full run left for --reuse.
  const dir = scale === 'small' ? 'bench-indicators-small' : 'bench-indicators';
  const { db, cluster } = await openBenchDatabase(dir, 'gridloop_bench_indicators', 8, { keep: reuse });
  let app: FastifyInstance | undefined;
  try {
    const now = reuse ? await generatedAt(db) : new Date();
    const city = reuse ? await readCity(db, now) : await makeCity(db, shape, now);
    console.log(
      `city: ${new Set(city.subdistricts.map((u) => u.district)).size} districts, ${city.subdistricts.length} subdistricts, ${city.grids} grids, ${city.categories} categories`,
    );
    const session = await signedIn(db, city);
    app = session.app;
    const sizes: SizeResult[] = [];
    let inserted = 0;
    const plan = reuse ? [(await rowCounts(db)).cases ?? 0] : SIZES[scale];
    for (const size of plan) {
      const generationSeconds = reuse ? 0 : await generate(db, city, inserted, size, now);
      inserted = size;
      const rows = await rowCounts(db);
      console.log(
        reuse
          ? `${size.toLocaleString('en')} cases generated ${now.toISOString()}, measured again: ${JSON.stringify(rows)}`
          : `${size.toLocaleString('en')} cases in ${generationSeconds} s: ${JSON.stringify(rows)}`,
      );
      const checked = await checkSample(db, city, monthsOf(city), now, session.get);
      const loadBefore = round(loadavg()[0] ?? 0, 1);
      const timings = await measureSize(db, city, session.get);
      const load: [number, number] = [loadBefore, round(loadavg()[0] ?? 0, 1)];
      const result: SizeResult = {
        cases: size,
        generationSeconds,
        rows,
        ...timings,
        panelRatio: round(timings.panel.p95 / timings.panelBaseline.p95),
        rankingRatio: round(timings.ranking.p95 / timings.rankingBaseline.p95),
        panelMet: timings.panel.p95 <= TARGET.panelP95Ms,
        rankingMet: timings.ranking.p95 <= TARGET.rankingP95Ms,
        checked,
        load,
        ...(reuse ? { reused: true } : {}),
      };
      if (!result.panelMet || !result.rankingMet || size === plan.at(-1))
        result.profiles = await profile(db, city, monthsOf(city));
      sizes.push(result);
      console.log(JSON.stringify({ cases: size, panel: result.panel, ranking: result.ranking }));
    }
    const first = sizes[0];
    const last = sizes.at(-1);
    const growth = (pick: (s: SizeResult) => number) =>
      first && last && sizes.length > 1 ? round(pick(last) / pick(first)) : null;
    return {
      scale,
      city: {
        districts: new Set(city.subdistricts.map((u) => u.district)).size,
        subdistricts: city.subdistricts.length,
        grids: city.grids,
        categories: city.categories,
      },
      sizes,
      panelGrowth: growth((s) => s.panel.p95),
      rankingGrowth: growth((s) => s.ranking.p95),
    };
  } finally {
    await app?.close();
    await db.destroy();
    await cluster?.stop();
  }
}

/**
 * Intake benchmark (issue "Benchmarks …": the intake and memory rows): reports per second through the
 * whole report pipeline over HTTP, beside a baseline measured in the same run on the same machine and
 * database server, and the server's memory meanwhile.
 *
 * - The server is `gridloop serve` itself, a process of its own (so its RSS is its alone), on an
 *   embedded cluster with fsync and synchronous commit on (checked and printed), the demo subdistrict's
 *   territory and catalogue (bench/intake-world.ts). A report there is validated, placed in its unit
 *   grid, numbered, written as case + first event + notifications + audit row with the indicator
 *   rollups' triggers, announced (NOTIFY) and answered; a resident's report first asks for nearby open
 *   cases (the duplicate check its page makes). Its jobs run beside it as in production (the audit
 *   sealer, the deadline sweep, the webhook worker).
 * - The baseline is bench/intake-baseline.ts: bare Fastify, one INSERT of a row of a case's size.
 * - The load comes from bench/intake-load.ts, a process per run: keep-alive connections, a fixed
 *   concurrency; baseline and intake runs alternate at each concurrency so that both meet the same noise.
 * - After every run the acknowledged reports must equal the rows: cases, their first events, their
 *   audit rows (and the baseline's rows); any difference fails the benchmark.
 *
 * `npx gridloop bench intake [--scale small|medium|full]`: small (CI) 300 reports at concurrency 4,
 * checking the counts only; medium (default) 30 s at each of 1, 4, 16, 64; full 60 s at 1 … 256.
 * Targets: peak reports/s ≥ 0.6 × the baseline's peak; server RSS ≤ 300 MB.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { SERVE_NODE_FLAGS } from '../server/cli/serve.js';
import type { Db } from '../server/db/database.js';
import { BENCH_PASSWORD, openBenchDatabase } from './database.js';
import type { Scale } from './indicators.js';
import type { LoadJob, LoadResult } from './intake-load.js';
import { DIR, memoryOf, runLoad, startServer, type Watched } from './intake-processes.js';
import type { WaitShare } from './intake-profile.js';
import { makeIntakeWorld } from './intake-world.js';

export const INTAKE_TARGET = { ratio: 0.6, rssMB: 300 };

interface Run {
  concurrency: number;
  count?: number;
  durationMs?: number;
}
/** Seconds per timed run: BENCH_INTAKE_SECONDS shortens (or lengthens) medium and full. */
const seconds = (fallback: number) => (Number(process.env.BENCH_INTAKE_SECONDS) || fallback) * 1000;
const PLANS: Record<Scale, { warmup?: Run; runs: Run[] }> = {
  small: { runs: [{ concurrency: 4, count: 300 }] },
  medium: {
    warmup: { concurrency: 4, count: 400 },
    runs: [1, 4, 16, 64].map((concurrency) => ({ concurrency, durationMs: seconds(30) })),
  },
  full: {
    warmup: { concurrency: 4, count: 400 },
    runs: [1, 4, 16, 64, 256].map((concurrency) => ({ concurrency, durationMs: seconds(60) })),
  },
};

/** A run's figures with the CPU it cost: ms per acknowledged report in the server process and in the cluster. */
export type Measured = LoadResult & { serverCpuMs: number | null; databaseCpuMs: number | null };

export interface IntakePoint {
  concurrency: number;
  intake: Measured;
  baseline: Measured;
  /** intake reports/s ÷ baseline inserts/s at this concurrency. */
  ratio: number;
  /** Server RSS sampled during the intake run, MB (10⁶ bytes, the target's unit). */
  rssMaxMB: number;
  /** 1-minute load average before and after the pair of runs (2 cores: above 2, others were busy too). */
  load: [number, number];
  /** With BENCH_INTAKE_PROFILE: what the server's connections waited for during the intake run. */
  waits?: WaitShare[];
}

export interface IntakeBenchResult {
  scale: Scale;
  settings: Record<string, string>;
  territory: { grids: number; categories: number; gridWorkers: number };
  points: IntakePoint[];
  /** Peak intake reports/s ÷ peak baseline inserts/s, each at its best concurrency. */
  headline: {
    ratio: number;
    intakePeak: number;
    intakeAt: number;
    baselinePeak: number;
    baselineAt: number;
    met: boolean;
  };
  /**
   * CPU per report over all timed runs, server process + cluster, ms: steadier than the clock on a shared
   * machine. `ratio` = the baseline's ÷ the intake's (what the throughput ratio would be if CPU were all).
   */
  cpu: { intakeMs: number | null; baselineMs: number | null; ratio: number | null };
  memory: { maxRssMB: number; finalRssMB: number; peakRssMB: number | null; samples: number; met: boolean };
  counts: Record<string, number>;
  /** Mean stored size of a row (pg_column_size), bytes: the baseline writes rows of a case's size. */
  rowBytes: { cases: number; baseline: number };
  duplicates: { checks: number; withCandidates: number };
  failures: Record<string, number>;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const load1 = () => round(loadavg()[0] ?? 0, 1);

/**
 * Signs each account in (as a proxy would forward them: one address each, 10.255.<net>.<i>) and reads
 * its CSRF token. One after another, as people sign in: four at once leave argon2's 19 MiB each resident
 * in the server's allocator, which would then count against the intake runs' memory.
 */
export async function signIn(
  url: string,
  usernames: readonly string[],
  password = BENCH_PASSWORD,
  net = 0,
): Promise<{ cookie: string; csrf: string }[]> {
  const sessions: { cookie: string; csrf: string }[] = [];
  for (const [i, username] of usernames.entries()) {
    const res = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.255.${net}.${i + 1}` },
      body: JSON.stringify({ username, password }),
    });
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0] ?? '')
      .find((c) => c.startsWith('gridloop_session='));
    const body = (await res.json()) as { csrfToken?: string };
    if (res.status !== 200 || !cookie || !body.csrfToken) throw new Error(`sign-in of ${username}: ${res.status}`);
    sessions.push({ cookie, csrf: body.csrfToken });
  }
  return sessions;
}

/** Counts what the runs wrote; throws when it differs from what was acknowledged. */
async function checkCounts(
  db: Db,
  acknowledged: { intake: number; baseline: number },
): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*) from cases)::int as cases,
      (select count(*) from case_event where seq = 1 and action = 'report')::int as "firstEvents",
      (select count(*) from audit_log where action = 'case.reported')::int as "auditRows",
      (select count(*) from notification)::int as notifications,
      (select count(*) from bench_intake_row)::int as "baselineRows"`.execute(db);
  const counts: Record<string, number> = {
    acknowledged: acknowledged.intake,
    ...rows[0],
    baselineAcknowledged: acknowledged.baseline,
  };
  const wrong = ['cases', 'firstEvents', 'auditRows'].filter((k) => counts[k] !== acknowledged.intake);
  if (counts.baselineRows !== acknowledged.baseline) wrong.push('baselineRows');
  if (wrong.length)
    throw new Error(`acknowledged reports ≠ rows in the database (${wrong.join(', ')}): ${JSON.stringify(counts)}`);
  return counts;
}

export async function runIntakeBench(options: { scale?: Scale } = {}): Promise<IntakeBenchResult> {
  const scale = options.scale ?? 'medium';
  const plan = PLANS[scale];
  mkdirSync(DIR, { recursive: true });
  let started = performance.now();
  const phases: string[] = [];
  const phase = (name: string) => {
    phases.push(`${name} ${round((performance.now() - started) / 1000, 1)} s`);
    started = performance.now();
  };
  const { db, url, cluster } = await openBenchDatabase('bench-intake', 'gridloop_bench_intake', 4, { durable: true });
  phase('database');
  const stops: (() => Promise<void>)[] = [];
  try {
    const world = await makeIntakeWorld(db);
    phase('territory');
    const { rows } = await sql<{ name: string; setting: string }>`select name, setting from pg_settings
      where name in ('synchronous_commit', 'fsync', 'full_page_writes', 'server_version', 'wal_sync_method')`.execute(
      db,
    );
    const settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
    console.log(`PostgreSQL ${settings.server_version}: ${rows.map((r) => `${r.name}=${r.setting}`).join(', ')}`);
    if (settings.synchronous_commit !== 'on') throw new Error('synchronous_commit must be on for this benchmark');

    const starting = [
      startServer(
        'intake-server',
        // BENCH_INTAKE_PROFILE=1: a CPU profile of the server (.cpuprofile in DIR, written when it stops).
        [
          ...(process.env.BENCH_INTAKE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${DIR}`] : []),
          ...SERVE_NODE_FLAGS,
          'bin/gridloop.mjs',
          'serve',
          '--skip-web',
        ],
        { DATABASE_URL: url, NODE_ENV: 'production', GRIDLOOP_DATA_DIR: join(DIR, 'data') },
        '/api/health',
      ),
      startServer(
        'intake-baseline',
        ['--import', 'tsx', 'bench/intake-baseline.ts'],
        { DATABASE_URL: url, BENCH_UNIT_PATH: world.samplePath },
        '/health',
      ),
    ] as const;
    // Both start at once (tsx compiles the server for a while); whichever started is stopped at the end.
    const settled = await Promise.allSettled(starting);
    for (const s of settled) if (s.status === 'fulfilled') stops.push(s.value.stop);
    const [server, baseline] = await Promise.all(starting);
    phase('servers');
    const sessions = await signIn(server.url, world.workers);
    phase('sign-in');
    const pid = server.child.pid ?? 0;
    const pids = { intake: pid, baseline: baseline.child.pid ?? 0 };
    console.log(
      `territory: ${world.grids.length} unit grids, ${world.categories.length} categories, ${world.workers.length} grid workers; server pid ${pid}, logs in ${DIR}; setup: ${phases.join(', ')}`,
    );

    let seed = 1;
    const job = (target: 'intake' | 'baseline', run: Run): LoadJob => ({
      target,
      url: target === 'intake' ? server.url : baseline.url,
      ...run,
      seed: seed++,
      grids: world.grids,
      categories: world.categories,
      sessions,
    });
    const acknowledged = { intake: 0, baseline: 0 };
    const failures: Record<string, number> = {};
    const duplicates = { checks: 0, withCandidates: 0 };
    const tally = (r: LoadResult, target: 'intake' | 'baseline') => {
      acknowledged[target] += r.acknowledged;
      for (const [k, n] of Object.entries(r.failures))
        failures[`${target} ${k}`] = (failures[`${target} ${k}`] ?? 0) + n;
      for (const sample of r.failureSamples) console.error(`  failed (${target}): ${sample}`);
      duplicates.checks += r.duplicateChecks;
      duplicates.withCandidates += r.duplicateHits;
    };
    const memory = { max: 0, final: 0, samples: 0 };
    let counts: Record<string, number> = {};
    if (plan.warmup) {
      for (const target of ['baseline', 'intake'] as const)
        tally((await runLoad(job(target, plan.warmup), { pid: pids[target] })).result, target);
      counts = await checkCounts(db, acknowledged);
      console.log(`warm-up: ${plan.warmup.count} reports each; counts ${JSON.stringify(counts)}`);
    }
    const points: IntakePoint[] = [];
    for (const [i, run] of plan.runs.entries()) {
      const before = load1();
      const results: Partial<Record<'intake' | 'baseline', Watched>> = {};
      // Alternate which goes first, so that neither always meets the machine fresher.
      for (const target of i % 2 === 0 ? (['baseline', 'intake'] as const) : (['intake', 'baseline'] as const)) {
        const out = await runLoad(job(target, run), { pid: pids[target], rss: target === 'intake', db });
        results[target] = out;
        tally(out.result, target);
      }
      counts = await checkCounts(db, acknowledged);
      const measured = (w: Watched): Measured => ({
        ...w.result,
        serverCpuMs: w.serverCpuMs,
        databaseCpuMs: w.databaseCpuMs,
      });
      const intake = measured(results.intake as Watched);
      const base = measured(results.baseline as Watched);
      const rss = (results.intake?.rss ?? []).filter(Number.isFinite);
      const waits = results.intake?.waits;
      const point: IntakePoint = {
        concurrency: run.concurrency,
        intake,
        baseline: base,
        ratio: round(intake.reportsPerSecond / base.reportsPerSecond),
        rssMaxMB: round(Math.max(0, ...rss), 1),
        load: [before, load1()],
        ...(waits ? { waits } : {}),
      };
      memory.max = Math.max(memory.max, point.rssMaxMB);
      memory.final = round(rss.at(-1) ?? memoryOf(pid).rss, 1);
      memory.samples += rss.length;
      points.push(point);
      console.log(
        `concurrency ${run.concurrency}: intake ${intake.reportsPerSecond}/s (p50 ${intake.latency.p50} ms, p99 ${intake.latency.p99} ms), ` +
          `baseline ${base.reportsPerSecond}/s, ratio ${point.ratio}, RSS ≤ ${point.rssMaxMB} MB, load ${point.load.join(' → ')}; ` +
          `CPU ms per report: server ${intake.serverCpuMs} + database ${intake.databaseCpuMs} (baseline ${base.serverCpuMs} + ${base.databaseCpuMs}); counts match`,
      );
      for (const w of waits ?? []) console.log(`  ${String(w.share).padStart(5)} %  ${w.what}`);
    }
    // The CI smoke asserts correctness: every valid report must be taken. Larger scales print what failed.
    if (scale === 'small' && Object.keys(failures).length)
      throw new Error(`reports failed: ${JSON.stringify(failures)} (see ${DIR}/intake-server.log)`);
    const peak = memoryOf(pid).peak;
    const { rows: sizes } = await sql<{ cases: number; baseline: number }>`
      select (select round(avg(pg_column_size(c.*))) from cases c)::int as cases,
        (select round(avg(pg_column_size(b.*))) from bench_intake_row b)::int as baseline`.execute(db);
    const best = (pick: (p: IntakePoint) => LoadResult) =>
      points.reduce((a, b) => (pick(b).reportsPerSecond > pick(a).reportsPerSecond ? b : a));
    const intakeBest = best((p) => p.intake);
    const baselineBest = best((p) => p.baseline);
    const ratio = round(intakeBest.intake.reportsPerSecond / baselineBest.baseline.reportsPerSecond);
    const cpuOf = (pick: (p: IntakePoint) => Measured) => {
      let ms = 0;
      let n = 0;
      for (const p of points) {
        const m = pick(p);
        if (m.serverCpuMs === null || m.databaseCpuMs === null) return null;
        ms += (m.serverCpuMs + m.databaseCpuMs) * m.acknowledged;
        n += m.acknowledged;
      }
      return n ? round(ms / n) : null;
    };
    const cpu = { intakeMs: cpuOf((p) => p.intake), baselineMs: cpuOf((p) => p.baseline) };
    return {
      scale,
      settings,
      territory: { grids: world.grids.length, categories: world.categories.length, gridWorkers: world.workers.length },
      points,
      headline: {
        ratio,
        intakePeak: intakeBest.intake.reportsPerSecond,
        intakeAt: intakeBest.concurrency,
        baselinePeak: baselineBest.baseline.reportsPerSecond,
        baselineAt: baselineBest.concurrency,
        met: ratio >= INTAKE_TARGET.ratio,
      },
      cpu: { ...cpu, ratio: cpu.intakeMs && cpu.baselineMs ? round(cpu.baselineMs / cpu.intakeMs, 3) : null },
      memory: {
        maxRssMB: memory.max,
        finalRssMB: memory.final,
        peakRssMB: peak === null || Number.isNaN(peak) ? null : round(peak, 1),
        samples: memory.samples,
        met: memory.max <= INTAKE_TARGET.rssMB,
      },
      counts,
      rowBytes: sizes[0] ?? { cases: 0, baseline: 0 },
      duplicates,
      failures,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await db.destroy();
    await cluster?.stop();
  }
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length));
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

/** The table: the ratio first, absolute figures after; targets said plainly. */
export function printIntakeBench(r: IntakeBenchResult): void {
  const head = [
    'concurrency',
    'intake ÷ baseline',
    'intake reports/s',
    'p50 / p99 ms',
    'baseline rows/s',
    'p50 / p99 ms',
    'CPU ms/report: server + db',
    'baseline',
    'server RSS',
    'load',
  ];
  const lines = [head];
  for (const p of r.points)
    lines.push([
      String(p.concurrency),
      `${p.ratio}×`,
      String(p.intake.reportsPerSecond),
      `${p.intake.latency.p50} / ${p.intake.latency.p99}`,
      String(p.baseline.reportsPerSecond),
      `${p.baseline.latency.p50} / ${p.baseline.latency.p99}`,
      `${p.intake.serverCpuMs ?? '?'} + ${p.intake.databaseCpuMs ?? '?'}`,
      `${p.baseline.serverCpuMs ?? '?'} + ${p.baseline.databaseCpuMs ?? '?'}`,
      `≤ ${p.rssMaxMB} MB`,
      p.load.join(' → '),
    ]);
  const widths = head.map((_, i) => Math.max(...lines.map((l) => [...(l[i] ?? '')].length)));
  for (const l of lines) console.log(l.map((c, i) => pad(c, widths[i] ?? 0)).join('  '));
  const h = r.headline;
  console.log(
    `intake: ${h.ratio}× the baseline (peak ${h.intakePeak} reports/s at concurrency ${h.intakeAt} ÷ peak ${h.baselinePeak} rows/s at ${h.baselineAt}); target ≥ ${INTAKE_TARGET.ratio}× — ${verdict(h.met)}`,
  );
  if (r.cpu.ratio !== null)
    console.log(
      `CPU per report (server + database, all timed runs): intake ${r.cpu.intakeMs} ms, baseline ${r.cpu.baselineMs} ms — ${r.cpu.ratio}× (the ceiling of the ratio where CPU is the limit)`,
    );
  const m = r.memory;
  console.log(
    `memory: server RSS during the intake runs max ${m.maxRssMB} MB, final ${m.finalRssMB} MB (${m.samples} samples; kernel peak since start ${m.peakRssMB ?? '?'} MB); target ≤ ${INTAKE_TARGET.rssMB} MB — ${verdict(m.met)}`,
  );
  console.log(`counts (acknowledged = rows, checked after every run): ${JSON.stringify(r.counts)}`);
  console.log(
    `rows: a case ${r.rowBytes.cases} B, a baseline row ${r.rowBytes.baseline} B; duplicate checks ${r.duplicates.checks}, ${r.duplicates.withCandidates} listing open cases nearby; ` +
      `failed requests: ${Object.keys(r.failures).length ? JSON.stringify(r.failures) : 'none'}`,
  );
  console.log(
    `PostgreSQL ${r.settings.server_version}: synchronous_commit=${r.settings.synchronous_commit}, fsync=${r.settings.fsync}`,
  );
}

/**
 * Deadline sweep benchmark (issue "Benchmarks", row "sweep"): one sweep (server/cases/deadline-sweep.ts:
 * yellow and red lights, their inbox notices, an automatic supervision order on every case that just
 * turned red) over 1 M open cases of which a few thousand crossed a threshold since the last sweep a
 * minute earlier; target ≤ 1 s. A series of sweeps one minute apart, each with its own crossed set
 * (bench/sweep-data.ts), each checked: exactly the crossed cases changed light, each told and
 * supervised once, nothing else touched. Baseline in the same run: one indexed SELECT of the crossed
 * cases' rows (by id), what any sweep must at least read.
 *
 * `npx gridloop bench sweep [--scale small|medium|full]`: small 20 k open cases (CI: checks, not
 * speed), medium and full 1 M. Its own embedded cluster in <os tmpdir>/gridloop-bench-bench-sweep (or
 * DATABASE_URL's server), a fresh database each run.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { readCaseSettings } from '../server/cases/case-settings.js';
import { type SweepResult, sweepDeadlines, sweepProfile } from '../server/cases/deadline-sweep.js';
import { progressBar } from '../server/cli/output.js';
import type { Db } from '../server/db/database.js';
import { dayStart } from '../server/indicators/period.js';
import { openBenchDatabase } from './database.js';
import type { Scale } from './indicators.js';
import { CITY, makeCity, TOWN } from './indicators-city.js';
import { checkRun, type Snapshot, snapshot } from './sweep-check.js';
import { armClocks, countOpen, runAt, type SweepPlan, writeOpenCases, writeStaff } from './sweep-data.js';

const TARGET_MS = 1_000;
const SHAPES: Record<Scale, { open: number; runs: number; yellow: number; red: number }> = {
  small: { open: 20_000, runs: 3, yellow: 100, red: 50 },
  medium: { open: 1_000_000, runs: 7, yellow: 2_000, red: 1_000 },
  full: { open: 1_000_000, runs: 7, yellow: 2_000, red: 1_000 },
};

export interface SweepRun {
  at: string;
  ms: number;
  baselineMs: number;
  result: SweepResult;
}

export interface SweepBenchResult {
  scale: Scale;
  openCases: number;
  casesWritten: number;
  generationSeconds: number;
  crossedPerRun: { yellow: number; red: number; straightToRed: number };
  runs: SweepRun[];
  /** Median and worst of the runs, and the baseline's median. */
  sweepMsMedian: number;
  sweepMsMax: number;
  baselineMsMedian: number;
  /** Median sweep over median baseline. */
  ratio: number;
  targetMs: number;
  met: boolean;
  checked: string[];
  /** The machine's 1-minute load average before and after the runs (2 cores: above 2, others were busy too). */
  load: [number, number];
  /** EXPLAIN (ANALYZE, BUFFERS) of the sweep's selections, taken before the last run. */
  profiles: Record<string, string>;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: round(performance.now() - started), value };
}

/** The crossed cases of run k read by id: the baseline. */
async function readCrossed(db: Db, k: number): Promise<number> {
  const { rows: ids } = await sql<{ id: string }>`select id from bench_sweep_case where run = ${k}`.execute(db);
  const { ms } = await timed(() =>
    sql`select district, id, number, title, unit_path, state, stage, department_id, handler_account_id,
        reporter_account_id, reporter_resident_id, due_at, warned_at, overdue_at
      from cases where id = any(${ids.map((r) => r.id)}::uuid[])`.execute(db),
  );
  return ms;
}

export async function runSweepBench(options: { scale?: Scale } = {}): Promise<SweepBenchResult> {
  const scale = options.scale ?? 'medium';
  const shape = SHAPES[scale];
  const { db, cluster } = await openBenchDatabase('bench-sweep', 'gridloop_bench_sweep', 8, { durable: true });
  try {
    const city = await makeCity(db, scale === 'small' ? TOWN : CITY, new Date());
    // The series starts at midnight (+08:00) after the generated year's last day.
    const plan: SweepPlan = { t0: dayStart(city.to + 1), ...shape };
    await writeStaff(db);
    const started = performance.now();
    const bar = progressBar(`生成未结案件 open cases → ${shape.open.toLocaleString('en')}`);
    const casesWritten = await writeOpenCases(db, city, plan.t0, shape.open, (done) => {
      bar(done, shape.open);
      if (!process.stderr.isTTY)
        console.error(`open cases: ${done.toLocaleString('en')} / ${shape.open.toLocaleString('en')}`);
    });
    const share = (await readCaseSettings(db)).warnShare;
    await armClocks(db, plan, share);
    const generationSeconds = round((performance.now() - started) / 1000);
    const openCases = await countOpen(db);
    console.error(
      `${openCases.toLocaleString('en')} open of ${casesWritten.toLocaleString('en')} cases, clocks armed in ${generationSeconds} s`,
    );

    // The armed state is what a sweep at t0 leaves: one there (untimed, warming up) must change nothing.
    const before: Snapshot = await snapshot(db);
    const idle = await sweepDeadlines(db, { now: plan.t0 });
    const checked = [await checkRun(db, plan, 0, before, idle)];
    const runs: SweepRun[] = [];
    let profiles: Record<string, string> = {};
    const loadBefore = round(loadavg()[0] ?? 0);
    for (let k = 1; k <= plan.runs; k += 1) {
      const at = runAt(plan, k);
      if (k === plan.runs) profiles = await sweepProfile(db, at);
      const baselineMs = await readCrossed(db, k);
      const snap = await snapshot(db);
      const { ms, value } = await timed(() => sweepDeadlines(db, { now: at }));
      checked.push(await checkRun(db, plan, k, snap, value));
      runs.push({ at: at.toISOString(), ms, baselineMs, result: value });
      console.error(`sweep ${k}/${plan.runs}: ${ms} ms (${JSON.stringify(value)}), baseline ${baselineMs} ms`);
    }
    const load: [number, number] = [loadBefore, round(loadavg()[0] ?? 0)];
    const sweepMsMedian = median(runs.map((r) => r.ms));
    const baselineMsMedian = median(runs.map((r) => r.baselineMs));
    return {
      scale,
      openCases,
      casesWritten,
      generationSeconds,
      crossedPerRun: { yellow: plan.yellow, red: plan.red, straightToRed: Math.floor(plan.red / 5) },
      runs,
      sweepMsMedian,
      sweepMsMax: Math.max(...runs.map((r) => r.ms)),
      baselineMsMedian,
      ratio: round(sweepMsMedian / baselineMsMedian),
      targetMs: TARGET_MS,
      met: Math.max(...runs.map((r) => r.ms)) <= TARGET_MS,
      checked,
      load,
      profiles,
    };
  } finally {
    await db.destroy();
    await cluster?.stop();
  }
}

/** The table: the ratio first, the absolute figures after; PASS / MISS against the target. */
export function printSweepBench(r: SweepBenchResult): void {
  const c = r.crossedPerRun;
  console.log(
    `sweep over ${r.openCases.toLocaleString('en')} open cases, ${c.yellow.toLocaleString('en')} turning yellow and ` +
      `${c.red.toLocaleString('en')} red (${c.straightToRed} straight from none) per run, ${r.runs.length} runs a minute apart`,
  );
  console.log(
    `  median ${r.sweepMsMedian} ms, worst ${r.sweepMsMax} ms = ${r.ratio}× baseline (indexed SELECT of the crossed ` +
      `cases: median ${r.baselineMsMedian} ms); target ≤ ${r.targetMs} ms ${r.met ? 'PASS' : 'MISS'}`,
  );
  console.log(`  runs (ms): ${r.runs.map((run) => run.ms).join(', ')}; load ${r.load.join(' → ')}`);
  for (const line of r.checked) console.log(`  checked: ${line}`);
  for (const [name, plan] of Object.entries(r.profiles)) {
    const lines = plan.split('\n');
    console.log(`  ${name} selection before the last run: ${lines[0]?.trim()} … ${lines.at(-1)?.trim()}`);
  }
}

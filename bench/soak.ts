/**
 * Soak (issue 9, point 9): minutes of mixed load — intake, the loop's transitions, dashboards, exports — against
 * one server process, to see whether anything creeps: latency, memory, errors.
 *
 * The intake benchmark's setting (bench/intake-*.ts): an embedded cluster of its own with fsync and synchronous
 * commit on, the demo territory with a grid worker per responsibility grid and the demo's dispatcher, handler and
 * leader, `gridloop serve` as a process of its own; the load from bench/soak-load.ts, a process of its own, at
 * fixed rates. The harness samples the server's RSS (and the load average) every second.
 *
 * Per bucket (a minute) and kind: count, p50, p99; the server's RSS. The checks, stated before the run:
 * - **no errors**: not one non-2xx answer or failed connection (each is listed);
 * - **p99 flat**: for each kind, p99 over the last three minutes ≤ 1.5 × p99 over minutes 2–4 (minute 1
 *   warms up), or at most 50 ms above it (a few ms of jitter on a fast answer is no trend);
 * - **memory flat**: the least-squares slope of RSS from minute 2 on ≤ 2 MB per minute;
 * - **counts**: every acknowledged report is a case, every walk that closed is a closed case, no case's event
 *   log has a gap, the audit chain verifies.
 *
 * `npx gridloop bench soak [--scale small|medium|full]`: small (CI) 40 s in 10-second buckets, checking errors and
 * counts only; medium 10 minutes; full 30. BENCH_SOAK_SECONDS changes the length.
 */
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { sealAll, verifyAudit } from '../server/audit/audit.chain.js';
import { SERVE_NODE_FLAGS } from '../server/cli/serve.js';
import { DEMO_ENFORCEMENT_SQUAD_CODE, DEMO_PASSWORD } from '../server/seed/demo-data.js';
import { openBenchDatabase } from './database.js';
import type { Scale } from './indicators.js';
import { signIn } from './intake.js';
import { memoryOf, ROOT, startServer } from './intake-processes.js';
import { makeIntakeWorld } from './intake-world.js';
import { SOAK_KINDS, type SoakFailure, type SoakJob, type SoakKind, type SoakResult } from './soak-load.js';

const NAME = 'bench-soak';
const DIR = join(tmpdir(), `gridloop-bench-${NAME}`);
const RATES: SoakJob['rates'] = { reports: 2, dashboards: 0.5, exportEveryMs: 10_000 };
const seconds = (fallback: number) => (Number(process.env.BENCH_SOAK_SECONDS) || fallback) * 1000;
const PLANS: Record<Scale, { durationMs: number; bucketMs: number; judged: boolean }> = {
  small: { durationMs: seconds(40), bucketMs: 10_000, judged: false },
  medium: { durationMs: seconds(600), bucketMs: 60_000, judged: true },
  full: { durationMs: seconds(1_800), bucketMs: 60_000, judged: true },
};
export const SOAK_RULES = { p99Ratio: 1.5, p99SlackMs: 50, rssSlopeMBPerMinute: 2 };

export interface SoakBucket {
  bucket: number;
  kinds: Partial<Record<SoakKind, { n: number; p50: number; p99: number }>>;
  rss: { meanMB: number; maxMB: number };
  load: number;
}

export interface SoakBenchResult {
  scale: Scale;
  bucketSeconds: number;
  rates: SoakJob['rates'];
  settings: Record<string, string>;
  buckets: SoakBucket[];
  flat: { kind: SoakKind; firstP99: number; lastP99: number; met: boolean }[] | null;
  memory: { slopeMBPerMinute: number; firstMB: number; lastMB: number; met: boolean | null };
  failures: SoakFailure[];
  counts: SoakResult['counts'] & { cases: number; closedCases: number; eventGaps: number };
  audit: { ok: boolean; sealed: number };
  ok: boolean;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (values: number[], p: number) => {
  const sorted = Float64Array.from(values).sort();
  return round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Least-squares slope of y over x. */
export function slope(points: [number, number][]): number {
  const mx = mean(points.map((p) => p[0]));
  const my = mean(points.map((p) => p[1]));
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den ? num / den : 0;
}

/** The p99 rule: the last minutes' p99 within 1.5× the first's, or within 50 ms of it. */
export function p99Flat(first: number[], last: number[]): { firstP99: number; lastP99: number; met: boolean } {
  const firstP99 = percentile(first, 99);
  const lastP99 = percentile(last, 99);
  const met = lastP99 <= SOAK_RULES.p99Ratio * firstP99 || lastP99 - firstP99 <= SOAK_RULES.p99SlackMs;
  return { firstP99, lastP99, met };
}

/** Runs the job in bench/soak-load.ts; meanwhile samples the server's RSS and the load average every second. */
function runSoakLoad(job: SoakJob, pid: number) {
  return new Promise<{ result: SoakResult; samples: { t: number; rss: number; load: number }[] }>((done, fail) => {
    const child = fork(join(ROOT, 'bench/soak-load.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const samples: { t: number; rss: number; load: number }[] = [];
    let timer: NodeJS.Timeout | undefined;
    let answered = false;
    child.on('message', (message: { started?: true; result?: SoakResult; error?: string }) => {
      if (message.started) {
        const t0 = Date.now();
        const take = () => samples.push({ t: Date.now() - t0, rss: memoryOf(pid).rss, load: loadavg()[0] ?? 0 });
        take();
        timer = setInterval(take, 1_000);
        return;
      }
      answered = true;
      clearInterval(timer);
      if (!message.result) return fail(new Error(`soak load: ${message.error}`));
      done({ result: message.result, samples });
    });
    child.once('exit', (code) => {
      clearInterval(timer);
      if (!answered) fail(new Error(`the soak load generator exited (${code}) without a result`));
    });
    child.send(job);
  });
}

export async function runSoakBench(options: { scale?: Scale } = {}): Promise<SoakBenchResult> {
  const scale = options.scale ?? 'medium';
  const plan = PLANS[scale];
  mkdirSync(DIR, { recursive: true });
  const { db, url, cluster } = await openBenchDatabase(NAME, 'gridloop_bench_soak', 4, { durable: true });
  let stop: (() => Promise<void>) | undefined;
  try {
    const world = await makeIntakeWorld(db);
    const department = await db
      .selectFrom('department')
      .select('id')
      .where('code', '=', DEMO_ENFORCEMENT_SQUAD_CODE)
      .executeTakeFirstOrThrow();
    const { rows } = await sql<{ name: string; setting: string }>`select name, setting from pg_settings
      where name in ('synchronous_commit', 'fsync', 'server_version')`.execute(db);
    const settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
    const server = await startServer(
      'soak-server',
      [...SERVE_NODE_FLAGS, 'bin/gridloop.mjs', 'serve', '--skip-web'],
      { DATABASE_URL: url, NODE_ENV: 'production', GRIDLOOP_DATA_DIR: join(DIR, 'data') },
      '/api/health',
      { dir: DIR },
    );
    stop = server.stop;
    const workers = await signIn(server.url, world.workers);
    const [dispatcher, handler, leader] = await signIn(
      server.url,
      ['dispatcher', 'handler', 'leader'],
      DEMO_PASSWORD,
      1,
    );
    if (!dispatcher || !handler || !leader) throw new Error('the demo accounts did not sign in');
    const pid = server.child.pid ?? 0;
    console.log(
      `soak: ${plan.durationMs / 1000} s, ${RATES.reports} reports/s (each walked to closed), a dashboard round every ` +
        `${1 / RATES.dashboards} s, an export every ${RATES.exportEveryMs / 1000} s; server pid ${pid}, log in ${DIR}`,
    );
    const { result, samples } = await runSoakLoad(
      {
        url: server.url,
        durationMs: plan.durationMs,
        bucketMs: plan.bucketMs,
        seed: 1,
        grids: world.grids,
        categories: world.categories,
        sessions: { workers, dispatcher, handler, leader },
        departmentId: department.id,
        rates: RATES,
      },
      pid,
    );

    const count = Math.ceil(plan.durationMs / plan.bucketMs);
    const buckets: SoakBucket[] = Array.from({ length: count }, (_, b) => {
      const row = result.latencies[b] ?? {};
      const kinds: SoakBucket['kinds'] = {};
      for (const kind of SOAK_KINDS) {
        const xs = row[kind];
        if (xs?.length) kinds[kind] = { n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99) };
      }
      const inside = samples.filter((s) => Math.floor(s.t / plan.bucketMs) === b);
      return {
        bucket: b + 1,
        kinds,
        rss: { meanMB: round(mean(inside.map((s) => s.rss))), maxMB: round(Math.max(0, ...inside.map((s) => s.rss))) },
        load: round(mean(inside.map((s) => s.load)), 2),
      };
    });
    const pooled = (kind: SoakKind, from: number, to: number) =>
      result.latencies.slice(from, to).flatMap((row) => row[kind] ?? []);
    const flat = plan.judged
      ? SOAK_KINDS.flatMap((kind) => {
          const first = pooled(kind, 1, 4);
          const last = pooled(kind, count - 3, count);
          if (!first.length || !last.length) return [];
          return [{ kind, ...p99Flat(first, last) }];
        })
      : null;
    const steady = samples.filter((s) => s.t >= plan.bucketMs);
    const rssSlope = round(slope(steady.map((s) => [s.t / 60_000, s.rss])), 2);
    const memory = {
      slopeMBPerMinute: rssSlope,
      firstMB: buckets[1]?.rss.meanMB ?? buckets[0]?.rss.meanMB ?? 0,
      lastMB: buckets.at(-1)?.rss.meanMB ?? 0,
      met: plan.judged ? rssSlope <= SOAK_RULES.rssSlopeMBPerMinute : null,
    };

    await sealAll(db);
    const audit = await verifyAudit(db);
    const { rows: found } = await sql<{ cases: number; closedCases: number; eventGaps: number }>`
      select (select count(*) from cases)::int as cases,
        (select count(*) from cases where state = 'closed')::int as "closedCases",
        (select count(*) from (select case_id from case_event group by case_id
          having max(seq) <> count(*) or min(seq) <> 1) g)::int as "eventGaps"`.execute(db);
    const counts = { ...result.counts, ...(found[0] ?? { cases: 0, closedCases: 0, eventGaps: 0 }) };
    const countsOk =
      counts.cases === counts.acknowledged &&
      counts.closedCases === counts.closed &&
      counts.eventGaps === 0 &&
      audit.ok &&
      counts.closed > 0;
    const ok =
      countsOk &&
      result.failures.length === 0 &&
      (flat ?? []).every((f) => f.met) &&
      memory.met !== false &&
      counts.skipped === 0;
    const out: SoakBenchResult = {
      scale,
      bucketSeconds: plan.bucketMs / 1000,
      rates: RATES,
      settings,
      buckets,
      flat,
      memory,
      failures: result.failures,
      counts,
      audit: { ok: audit.ok, sealed: audit.sealed },
      ok,
    };
    // CI's smoke fails on errors or counts; the timed scales print their verdicts.
    if (!plan.judged && !ok) {
      printSoakBench(out);
      throw new Error(`soak: ${result.failures.length} error responses, counts ${JSON.stringify(counts)}`);
    }
    return out;
  } finally {
    await stop?.().catch(() => {});
    await db.destroy();
    await cluster?.stop();
  }
}

const verdict = (met: boolean | null) => (met === null ? 'not judged at this scale' : met ? 'met' : 'MISSED');

/** Per bucket: RSS, load and each kind's count and p50 / p99; then the checks. */
export function printSoakBench(r: SoakBenchResult): void {
  console.table(
    r.buckets.map((b) => ({
      [r.bucketSeconds === 60 ? 'minute' : `${r.bucketSeconds} s`]: b.bucket,
      'RSS MB': b.rss.meanMB,
      load: b.load,
      ...Object.fromEntries(Object.entries(b.kinds).map(([kind, k]) => [kind, `${k.n}: ${k.p50} / ${k.p99}`])),
    })),
  );
  for (const f of r.flat ?? [])
    console.log(
      `p99 ${f.kind}: minutes 2–4 ${f.firstP99} ms, last 3 ${f.lastP99} ms — ${verdict(f.met)} (≤ ${SOAK_RULES.p99Ratio}× or +${SOAK_RULES.p99SlackMs} ms)`,
    );
  console.log(
    `memory: RSS slope ${r.memory.slopeMBPerMinute} MB/min from the second bucket on (${r.memory.firstMB} → ${r.memory.lastMB} MB) — ${verdict(r.memory.met)} (≤ ${SOAK_RULES.rssSlopeMBPerMinute} MB/min)`,
  );
  console.log(
    `errors: ${r.failures.length ? r.failures.map((f) => `${f.kind} ${f.status} ${f.code} (bucket ${f.bucket + 1})`).join('; ') : 'none'}`,
  );
  console.log(
    `counts: ${JSON.stringify(r.counts)}; audit chain ${r.audit.ok ? 'verified' : 'BROKEN'} (${r.audit.sealed} rows); ` +
      `PostgreSQL ${r.settings.server_version}, fsync=${r.settings.fsync}, synchronous_commit=${r.settings.synchronous_commit}`,
  );
  console.log(`soak: ${r.ok ? 'every check met' : 'a check MISSED'}`);
}

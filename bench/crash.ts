/**
 * Crash durability (issue 9, point 1): what Gridloop acknowledged survives a `kill -9` of the server and
 * of PostgreSQL.
 *
 * The intake benchmark's pieces (bench/intake-*.ts): an embedded cluster of its own with fsync and
 * synchronous commit on, the demo territory with a grid worker per responsibility grid, `gridloop serve`
 * as a process of its own, and a load generator process sending reports over HTTP — grid workers' patrol
 * reports and residents' (duplicate check, then report), all at once. Each round:
 *
 * - **server**: 1,000 reports in flight; once `killAfter` of them are cases, SIGKILL the server; start it
 *   again on the same port and data (nothing else restarted); it must serve (a follow-up batch, all 201).
 * - **database**: 1,000 reports in flight; once `killAfter` are cases, SIGKILL the postmaster (its pid
 *   from postmaster.pid). The server must stay up: GET /api/health answers 503 DATABASE_UNAVAILABLE, a
 *   report 503 DATABASE_UNAVAILABLE — never a 500 or a dropped connection. Start the cluster again (crash
 *   recovery) on the same port: the server reconnects by itself (health 200, same pid) and serves.
 *
 * After each round every acknowledged case (its id, from the 201) must be in the database with its first
 * event (seq 1, `report`) and its `case.reported` audit row; no case may lack either; at the end the
 * server's own sealer must have sealed every audit row and the chain must verify (verifyAudit, as
 * `gridloop audit verify`), and the job queue must have run a scheduled deadline sweep since PostgreSQL's
 * last restart.
 *
 * `npx gridloop bench crash [--scale small|medium|full]`: small (CI) one round of each kind, killed after
 * 300 cases; medium and full three of each, killed after 100, 400 and 700 (BENCH_CRASH_REPORTS scales them).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { verifyAudit } from '../server/audit/audit.chain.js';
import { SERVE_NODE_FLAGS } from '../server/cli/serve.js';
import type { Db } from '../server/db/database.js';
import { type Cluster, readPostmasterPid, startCluster } from '../server/db/embedded.js';
import { openBenchDatabase } from './database.js';
import type { Scale } from './indicators.js';
import { signIn } from './intake.js';
import { type LoadJob, type LoadResult, reportWriter } from './intake-load.js';
import { runLoad, startServer } from './intake-processes.js';
import { makeIntakeWorld } from './intake-world.js';

const NAME = 'bench-crash';
/** The benchmark's directory: its cluster (pg/), the server's log. */
const DIR = join(tmpdir(), `gridloop-bench-${NAME}`);
/** Reports in flight at once each round; BENCH_CRASH_REPORTS changes it (development runs). */
const REPORTS = Number(process.env.BENCH_CRASH_REPORTS) || 1_000;
const FOLLOW_UP = { count: 60, concurrency: 6 };
/** When to kill, as the share of the round's reports written as cases by then. */
const KILL_AT: Record<Scale, number[]> = { small: [0.3], medium: [0.1, 0.4, 0.7], full: [0.1, 0.4, 0.7] };

export interface CrashRound {
  kill: 'server' | 'database';
  /** Cases written when the kill was sent. */
  killAfter: number;
  load: Pick<LoadResult, 'reports' | 'acknowledged' | 'failures' | 'seconds'>;
  /** Cases in the database that no 201 acknowledged (committed while the answer was lost): allowed. */
  unacknowledged: number;
  /** The database round: what the server answered while PostgreSQL was down, and how long it took back. */
  outage?: {
    health: { status: number; code: string | null; afterMs: number };
    report: { status: number; code: string | null };
    read: { status: number; code: string | null };
    /** From the cluster's restart to the first health 200; the server process was never restarted. */
    reconnectedMs: number;
    samePid: boolean;
  };
  /** From the kill to the server answering again (server round: its restart). */
  downMs: number;
  followUp: { acknowledged: number; failures: Record<string, number> };
}

export interface CrashBenchResult {
  scale: Scale;
  settings: Record<string, string>;
  rounds: CrashRound[];
  totals: { acknowledged: number; cases: number; firstEvents: number; auditRows: number };
  audit: { ok: boolean; sealed: number; unsealed: number };
  /** Waited, after the checks, for a scheduled deadline sweep completed since PostgreSQL's last restart. */
  sweepAfterMs: number;
}

type Server = Awaited<ReturnType<typeof startServer>>;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The acknowledged ids missing a case, a first event or an audit row; and cases lacking either. */
async function checkAcknowledged(db: Db, ids: string[]) {
  const { rows } = await sql<{ missing: number; noEvent: number; noAudit: number; orphans: number; cases: number }>`
    with acked as (select unnest(${ids}::uuid[]) as id)
    select
      (select count(*) from acked a where not exists (select 1 from cases c where c.id = a.id))::int as missing,
      (select count(*) from cases c where not exists (
        select 1 from case_event e where e.case_id = c.id and e.seq = 1 and e.action = 'report'))::int as "noEvent",
      (select count(*) from cases c where not exists (
        select 1 from audit_log l where l.subject_id = c.id::text and l.action = 'case.reported'))::int as "noAudit",
      (select count(*) from cases c where not exists (
        select 1 from case_event e where e.case_id = c.id))::int as orphans,
      (select count(*) from cases)::int as cases`.execute(db);
  const found = rows[0];
  if (!found) throw new Error('no answer from the check');
  const wrong = (['missing', 'noEvent', 'noAudit', 'orphans'] as const).filter((k) => found[k] !== 0);
  if (wrong.length) throw new Error(`acknowledged reports lost or incomplete: ${JSON.stringify(found)}`);
  return found.cases;
}

const casesNow = async (db: Db) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from cases`.execute(db)).rows[0]?.n ?? 0);

/** Polls the case count (through the harness's own pool) until `n` more exist, then runs `kill`. */
async function killAfter(db: Db, n: number, kill: () => void, loadDone: () => boolean): Promise<number> {
  const base = await casesNow(db);
  for (;;) {
    const now = await casesNow(db);
    if (now - base >= n || loadDone()) {
      kill();
      return now - base;
    }
    await wait(20);
  }
}

async function answer(url: string, init?: RequestInit): Promise<{ status: number; code: string | null }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string }; code?: string };
  return { status: res.status, code: body.error?.code ?? body.code ?? null };
}

/** Polls `url` until `ok` holds for its answer; returns the answer and how long it took. */
async function until(url: string, ok: (a: { status: number; code: string | null }) => boolean, timeoutMs: number) {
  const started = performance.now();
  for (;;) {
    const a = await answer(url).catch(() => ({ status: 0, code: 'connection failed' }));
    if (ok(a)) return { ...a, afterMs: Math.round(performance.now() - started) };
    if (performance.now() - started > timeoutMs)
      throw new Error(`${url}: still ${a.status} ${a.code ?? ''} after ${timeoutMs} ms`);
    await wait(100);
  }
}

/** Starts the cluster again in its directory and port (crash recovery runs first); retries while the old one's backends exit. */
async function restartCluster(pgDir: string, port: number): Promise<Cluster> {
  const started = performance.now();
  for (;;) {
    try {
      const cluster = await startCluster({ pgDir, port });
      if (cluster.port !== port) throw new Error(`the cluster came back on port ${cluster.port}, not ${port}`);
      return cluster;
    } catch (error) {
      if (performance.now() - started > 60_000) throw error;
      await wait(500);
    }
  }
}

export async function runCrashBench(options: { scale?: Scale } = {}): Promise<CrashBenchResult> {
  const scale = options.scale ?? 'medium';
  mkdirSync(DIR, { recursive: true });
  const pgDir = join(DIR, 'pg');
  const opened = await openBenchDatabase(NAME, 'gridloop_bench_crash', 4, { durable: true });
  const { db, url } = opened;
  let cluster = opened.cluster;
  let server: Server | undefined;
  try {
    if (!cluster) throw new Error('the crash benchmark kills its own embedded cluster: run it without DATABASE_URL');
    const world = await makeIntakeWorld(db);
    const { rows } = await sql<{ name: string; setting: string }>`select name, setting from pg_settings
      where name in ('synchronous_commit', 'fsync', 'full_page_writes', 'server_version')`.execute(db);
    const settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
    if (settings.synchronous_commit !== 'on' || settings.fsync !== 'on')
      throw new Error('fsync and synchronous_commit must be on for this benchmark');

    const env = { DATABASE_URL: url, NODE_ENV: 'production', GRIDLOOP_DATA_DIR: join(DIR, 'data') };
    const serve = (port?: number) =>
      startServer(
        'crash-server',
        [...SERVE_NODE_FLAGS, 'bin/gridloop.mjs', 'serve', '--skip-web'],
        env,
        '/api/health',
        port ? { dir: DIR, port } : { dir: DIR },
      );
    server = await serve();
    const sessions = await signIn(server.url, world.workers);
    console.log(`crash: server pid ${server.child.pid}, cluster port ${cluster.port}, logs in ${DIR}`);

    let seed = 1;
    const job = (s: Server, run: { count: number; concurrency: number }): LoadJob => ({
      target: 'intake',
      url: s.url,
      ...run,
      seed: seed++,
      grids: world.grids,
      categories: world.categories,
      sessions,
      collect: true,
    });
    const acknowledged: string[] = [];
    const rounds: CrashRound[] = [];
    let lastRestart = new Date();
    const kinds = KILL_AT[scale]
      .map((share) => Math.round(share * REPORTS))
      .flatMap((n) => [
        ['server', n],
        ['database', n],
      ]) as ['server' | 'database', number][];

    for (const [kill, after] of kinds) {
      const live = server;
      const before = await casesNow(db);
      let done = false;
      const loading = runLoad(job(live, { count: REPORTS, concurrency: REPORTS }), { pid: live.child.pid ?? 0 });
      void loading.finally(() => {
        done = true;
      });
      let killedAt = 0;
      let outage: CrashRound['outage'];
      let downMs = 0;
      if (kill === 'server') {
        const written = await killAfter(
          db,
          after,
          () => live.child.kill('SIGKILL'),
          () => done,
        );
        killedAt = performance.now();
        const load = await loading;
        server = await serve(live.port);
        downMs = Math.round(performance.now() - killedAt);
        rounds.push(await finishRound(kill, written, load.result, before));
      } else {
        const postmaster = readPostmasterPid(pgDir);
        if (!postmaster) throw new Error(`no postmaster.pid in ${pgDir}`);
        const written = await killAfter(
          db,
          after,
          () => process.kill(postmaster.pid, 'SIGKILL'),
          () => done,
        );
        killedAt = performance.now();
        // While it is down: health and requests answer coded 503s, the server stays up.
        const health = await until(`${live.url}/api/health`, (a) => a.status === 503, 15_000);
        const probe = reportWriter({ seed: 0, grids: world.grids, categories: world.categories })(0);
        const session = sessions[probe.worker];
        const auth = { cookie: session?.cookie ?? '', 'x-csrf-token': session?.csrf ?? '' };
        const report = await answer(`${live.url}/api/cases`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth },
          body: JSON.stringify(probe.body),
        });
        const read = await answer(`${live.url}/api/cases`, { headers: auth });
        const load = await loading;
        cluster = await restartCluster(pgDir, cluster.port);
        lastRestart = new Date();
        const back = performance.now();
        await until(`${live.url}/api/health`, (a) => a.status === 200, 60_000);
        downMs = Math.round(performance.now() - killedAt);
        outage = {
          health: { status: health.status, code: health.code, afterMs: health.afterMs },
          report,
          read,
          reconnectedMs: Math.round(performance.now() - back),
          samePid: live.child.exitCode === null && live.child.signalCode === null,
        };
        checkOutage(load.result.failures, outage);
        rounds.push({ ...(await finishRound(kill, written, load.result, before)), outage });
      }
      const last = rounds.at(-1);
      if (last) last.downMs = downMs;
      console.log(
        `kill -9 ${kill} after ${last?.killAfter} cases: ${last?.load.acknowledged} of ${REPORTS} acknowledged, all found with event and audit row; ` +
          `${last?.unacknowledged} committed unanswered; back in ${downMs} ms; follow-up ${last?.followUp.acknowledged}/${FOLLOW_UP.count}; ` +
          `failures ${JSON.stringify(last?.load.failures)}`,
      );
    }

    async function finishRound(
      kill: CrashRound['kill'],
      written: number,
      result: LoadResult,
      before: number,
    ): Promise<CrashRound> {
      const ids = result.acknowledgedIds ?? [];
      acknowledged.push(...ids);
      const cases = await checkAcknowledged(db, acknowledged);
      const live = server;
      if (!live) throw new Error('no server');
      // It serves again: a follow-up batch, every report taken.
      const follow = (await runLoad(job(live, FOLLOW_UP), { pid: live.child.pid ?? 0 })).result;
      acknowledged.push(...(follow.acknowledgedIds ?? []));
      if (follow.acknowledged !== FOLLOW_UP.count)
        throw new Error(`after the ${kill} came back, reports failed: ${JSON.stringify(follow.failures)}`);
      await checkAcknowledged(db, acknowledged);
      return {
        kill,
        killAfter: written,
        load: {
          reports: result.reports,
          acknowledged: result.acknowledged,
          failures: result.failures,
          seconds: result.seconds,
        },
        unacknowledged: cases - before - ids.length,
        downMs: 0,
        followUp: { acknowledged: follow.acknowledged, failures: follow.failures },
      };
    }

    // The job queue works again, not only answers: a scheduled deadline sweep completes after the last restart
    // of PostgreSQL (pg-boss's cron fires every minute).
    const sweepWaited = performance.now();
    for (;;) {
      const { rows: swept } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job
        where name = 'deadline-sweep' and state = 'completed' and completed_on > ${lastRestart}`.execute(db);
      if (swept[0]?.n) break;
      if (performance.now() - sweepWaited > 90_000)
        throw new Error('no deadline sweep completed after PostgreSQL came back: the job queue did not resume');
      await wait(1_000);
    }
    const sweepMs = Math.round(performance.now() - sweepWaited);
    // The server's own sealer (a timer that outlived the outage) seals what the rounds wrote.
    const sealing = performance.now();
    while (
      Number(
        (await sql<{ n: number }>`select count(*)::int as n from audit_log where seq is null`.execute(db)).rows[0]?.n,
      )
    ) {
      if (performance.now() - sealing > 30_000) throw new Error("the server's audit sealer did not resume");
      await wait(250);
    }
    const audit = await verifyAudit(db);
    if (!audit.ok || audit.unsealed) throw new Error(`the audit chain does not verify: ${JSON.stringify(audit)}`);
    const { rows: totals } = await sql<{ cases: number; firstEvents: number; auditRows: number }>`
      select (select count(*) from cases)::int as cases,
        (select count(*) from case_event where seq = 1 and action = 'report')::int as "firstEvents",
        (select count(*) from audit_log where action = 'case.reported')::int as "auditRows"`.execute(db);
    return {
      scale,
      settings,
      rounds,
      totals: { acknowledged: acknowledged.length, ...(totals[0] ?? { cases: 0, firstEvents: 0, auditRows: 0 }) },
      audit: { ok: audit.ok, sealed: audit.sealed, unsealed: audit.unsealed },
      sweepAfterMs: sweepMs,
    };
  } finally {
    await server?.stop().catch(() => {});
    await db.destroy();
    await cluster?.stop().catch(() => {});
  }
}

/** While PostgreSQL was down the server answered coded 503s and stayed up; no request saw a 500 or a dropped connection. */
function checkOutage(failures: Record<string, number>, outage: NonNullable<CrashRound['outage']>): void {
  const problems: string[] = [];
  if (outage.health.code !== 'DATABASE_UNAVAILABLE') problems.push(`health answered ${JSON.stringify(outage.health)}`);
  for (const [what, a] of [
    ['report', outage.report],
    ['read', outage.read],
  ] as const)
    if (a.status !== 503 || a.code !== 'DATABASE_UNAVAILABLE') problems.push(`${what} answered ${a.status} ${a.code}`);
  if (!outage.samePid) problems.push('the server process exited');
  const bad = Object.keys(failures).filter((k) => !/ 503 DATABASE_UNAVAILABLE$/.test(k));
  if (bad.length) problems.push(`failures other than 503 DATABASE_UNAVAILABLE: ${bad.join(', ')}`);
  if (problems.length) throw new Error(`while PostgreSQL was down: ${problems.join('; ')}`);
}

/** The rounds as a table, then the totals. */
export function printCrashBench(r: CrashBenchResult): void {
  console.table(
    r.rounds.map((x) => ({
      kill: x.kill,
      'killed after': x.killAfter,
      acknowledged: x.load.acknowledged,
      'committed, unanswered': x.unacknowledged,
      'back in ms': x.downMs,
      health: x.outage ? `${x.outage.health.status} ${x.outage.health.code}` : '—',
      'follow-up': `${x.followUp.acknowledged}/${FOLLOW_UP.count}`,
      failures: Object.entries(x.load.failures)
        .map(([k, n]) => `${k} ×${n}`)
        .join(', '),
    })),
  );
  console.log(
    `acknowledged ${r.totals.acknowledged}; cases ${r.totals.cases} = first events ${r.totals.firstEvents} = audit rows ${r.totals.auditRows}; ` +
      `audit chain ${r.audit.ok ? 'verified' : 'BROKEN'} (${r.audit.sealed} sealed, ${r.audit.unsealed} unsealed); ` +
      `a deadline sweep ran after PostgreSQL came back (waited ${r.sweepAfterMs} ms after the checks); ` +
      `PostgreSQL ${r.settings.server_version}, fsync=${r.settings.fsync}, synchronous_commit=${r.settings.synchronous_commit}`,
  );
}

/**
 * The intake benchmark's processes, seen from the harness: a server started and stopped (its output in
 * a log file), a load generator run for one job, and meanwhile the server's memory, the CPU spent by it
 * and by the cluster, and (BENCH_INTAKE_PROFILE) what its database connections wait for.
 */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Db } from '../server/db/database.js';
import { freePort } from '../server/db/embedded.js';
import type { LoadJob, LoadResult } from './intake-load.js';
import { clusterCpu, processCpu, sampleWaits, type WaitShare } from './intake-profile.js';

export const ROOT = resolve(import.meta.dirname, '..');
/** The benchmark's directory: its cluster (pg/), the servers' logs, CPU profiles. */
export const DIR = join(tmpdir(), 'gridloop-bench-bench-intake');
/** The cluster openBenchDatabase starts for this benchmark (absent with DATABASE_URL). */
const PG_DIR = process.env.DATABASE_URL ? undefined : join(DIR, 'pg');

const round = (n: number) => Math.round(n * 100) / 100;

/** Resident set of a process, MB (Linux /proc; elsewhere `ps`), and its peak so far where the kernel keeps it. */
export function memoryOf(pid: number): { rss: number; peak: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rss: (kib('VmRSS') * 1024) / 1e6, peak: (kib('VmHWM') * 1024) / 1e6 };
  } catch {
    const kib = Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
        .toString()
        .trim(),
    );
    return { rss: (kib * 1024) / 1e6, peak: null };
  }
}

async function waitForHttp(url: string, child: ChildProcess, log: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${log}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within 2 minutes; see ${log}`);
}

/**
 * Starts a server process logging to <dir>/<name>.log and waits until `health` answers 200. `port`
 * restarts a server where its clients expect it; the log is then appended to.
 */
export async function startServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  health: string,
  options: { dir?: string; port?: number } = {},
) {
  const port = options.port ?? (await freePort());
  const log = join(options.dir ?? DIR, `${name}.log`);
  const fd = openSync(log, options.port ? 'a' : 'w');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(`${url}${health}`, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, url, port, log, stop };
}

export interface Watched {
  result: LoadResult;
  /** The server's RSS every 100 ms, MB (when asked). */
  rss: number[];
  /** CPU ms per acknowledged report, from the clock's start to the result: the server process, the cluster. */
  serverCpuMs: number | null;
  databaseCpuMs: number | null;
  waits?: WaitShare[];
}

/**
 * Runs one job in a load generator process of its own; meanwhile samples the server's memory (`rss`)
 * and, with BENCH_INTAKE_PROFILE, what its connections wait for; counts the CPU the server and the
 * cluster spend from the clock's start to the end.
 */
export function runLoad(job: LoadJob, watch: { pid: number; rss?: boolean; db?: Db }): Promise<Watched> {
  return new Promise((done, fail) => {
    const child = fork(join(ROOT, 'bench/intake-load.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const rss: number[] = [];
    let timer: NodeJS.Timeout | undefined;
    let cpu: [number | null, number | null] = [null, null];
    let waits: ReturnType<typeof sampleWaits> | undefined;
    let answered = false;
    const perReport = (now: number | null, then: number | null, n: number) =>
      now === null || then === null || n === 0 ? null : round(((now - then) * 1000) / n);
    child.on('message', (message: { started?: true; result?: LoadResult; error?: string }) => {
      if (message.started) {
        cpu = [processCpu(watch.pid), clusterCpu(PG_DIR)];
        if (watch.rss) timer = setInterval(() => rss.push(memoryOf(watch.pid).rss), 100);
        if (watch.db && process.env.BENCH_INTAKE_PROFILE) waits = sampleWaits(watch.db);
        return;
      }
      answered = true;
      clearInterval(timer);
      const used = [processCpu(watch.pid), clusterCpu(PG_DIR)];
      const result = message.result;
      if (!result) return fail(new Error(`load generator: ${message.error}`));
      const n = result.acknowledged;
      void (waits?.stop() ?? Promise.resolve(undefined)).then((w) =>
        done({
          result,
          rss,
          serverCpuMs: perReport(used[0] ?? null, cpu[0], n),
          databaseCpuMs: perReport(used[1] ?? null, cpu[1], n),
          ...(w ? { waits: w } : {}),
        }),
      );
    });
    child.once('exit', (code) => {
      clearInterval(timer);
      if (!answered) fail(new Error(`the load generator exited (${code}) without a result`));
    });
    child.send(job);
  });
}

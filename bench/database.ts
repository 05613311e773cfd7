/**
 * A fresh, migrated database for a benchmark: on DATABASE_URL's server, else on an embedded cluster of
 * the benchmark's own under <os tmpdir>/gridloop-bench-<dir> (fsync off unless asked to be durable: the data is thrown away; outside the
 * checkout, whose parent directories the embedded server's own user may not be allowed to enter). Dropped and recreated on
 * every run, so a run never measures what an earlier one left — unless asked to (`keep`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SYSTEM_ACTOR } from '../server/accounts/actor.js';
import { createAccount } from '../server/accounts/commands/create-account.js';
import { createDb, type Db } from '../server/db/database.js';
import { type Cluster, startCluster } from '../server/db/embedded.js';
import { migrateToLatest } from '../server/db/migrate.js';

export interface BenchDatabase {
  db: Db;
  /** The database's connection URL (for a server the benchmark runs in another process). */
  url: string;
  /** The embedded cluster, when one was started (stop it at the end). */
  cluster?: Cluster;
}

export async function openBenchDatabase(
  dir: string,
  database: string,
  poolSize = 5,
  /**
   * durable: fsync and synchronous commit on (the intake benchmark measures commits as production makes them);
   * keep: measure again what an earlier run left (the database must exist; not dropped, only migrated).
   */
  options: { durable?: boolean; keep?: boolean } = {},
): Promise<BenchDatabase> {
  let cluster: Cluster | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const { path, own } = claimDirectory(join(tmpdir(), `gridloop-bench-${dir}`));
    mkdirSync(path, { recursive: true });
    const started = await startCluster({ pgDir: join(path, 'pg'), fast: !options.durable });
    cluster = own
      ? started
      : {
          ...started,
          url: started.url,
          async stop() {
            await started.stop();
            rmSync(path, { recursive: true, force: true });
          },
        };
    adminUrl = cluster.url('postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (cluster) {
    // Our own throwaway cluster: bulk loads run without a checkpoint every few hundred megabytes.
    await admin.query(`alter system set max_wal_size = '8GB'`);
    await admin.query(`alter system set checkpoint_timeout = '30min'`);
    await admin.query('select pg_reload_conf()');
  }
  if (options.keep) {
    const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      await admin.end();
      throw new Error(`no database ${database} left by an earlier run to measure again`);
    }
  } else {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`create database ${database}`);
  }
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const { db } = createDb({ connectionString: url.toString(), max: poolSize });
  await migrateToLatest(db);
  return cluster ? { db, url: url.toString(), cluster } : { db, url: url.toString() };
}

/**
 * The benchmark's directory, unless a live run of the same benchmark holds it (its pid in `<path>.lock`): then
 * a directory of this process's own, removed when its cluster stops — two runs at once must not share (and
 * stop, or drop the database of) one cluster. The shared directory is kept for the next run (`keep`).
 */
function claimDirectory(path: string): { path: string; own: boolean } {
  const lock = `${path}.lock`;
  const holder = existsSync(lock) ? Number.parseInt(readFileSync(lock, 'utf8'), 10) : Number.NaN;
  if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
    const mine = `${path}-${process.pid}`;
    console.log(`${path} is in use by process ${holder}: this run uses ${mine}`);
    return { path: mine, own: false };
  }
  writeFileSync(lock, String(process.pid));
  return { path, own: true };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const BENCH_PASSWORD = 'Benchmark12345';

/** The benchmarks' reader: `benchleader` (password BENCH_PASSWORD), a leader of `unit`. Returns the account id. */
export function createBenchLeader(db: Db, unit: { id: string; code: string; path: string; district: string }) {
  return db.transaction().execute((trx) =>
    createAccount(
      trx,
      { actor: SYSTEM_ACTOR },
      {
        username: 'benchleader',
        displayName: '测试领导',
        phone: null,
        password: BENCH_PASSWORD,
        mustChangePassword: false,
        grants: [{ role: 'leader', unit, department: null, grantedBy: null }],
      },
    ),
  );
}

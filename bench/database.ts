/**
 * A fresh, migrated database for a benchmark: on DATABASE_URL's server, else on an embedded cluster of
 * the benchmark's own under <os tmpdir>/gridloop-bench-<dir> (fsync off unless asked to be durable: the data is thrown away; outside the
 * checkout, whose parent directories the embedded server's own user may not be allowed to enter). Dropped and recreated on
 * every run, so a run never measures what an earlier one left.
 */
import { mkdirSync } from 'node:fs';
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
  /** durable: fsync and synchronous commit on (the intake benchmark measures commits as production makes them). */
  options: { durable?: boolean } = {},
): Promise<BenchDatabase> {
  let cluster: Cluster | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const path = join(tmpdir(), `gridloop-bench-${dir}`);
    mkdirSync(path, { recursive: true });
    cluster = await startCluster({ pgDir: join(path, 'pg'), fast: !options.durable });
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
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const { db } = createDb({ connectionString: url.toString(), max: poolSize });
  await migrateToLatest(db);
  return cluster ? { db, url: url.toString(), cluster } : { db, url: url.toString() };
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

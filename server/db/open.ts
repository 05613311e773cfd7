/**
 * Opens Gridloop's database: DATABASE_URL when set; otherwise the embedded cluster in
 * <data>/pg — started here, or attached to when another Gridloop process is already running it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../config.js';
import { createDb, type Db } from './database.js';
import { attachUrl, type Cluster, startCluster } from './embedded.js';
import { migrateToLatest } from './migrate.js';

export const DATABASE_NAME = 'gridloop';

export interface OpenDatabase {
  db: Db;
  pool: pg.Pool;
  url: string;
  /** True when this call created the embedded cluster's database (first start). */
  created: boolean;
  embedded: boolean;
  close(): Promise<void>;
}

/** Creates the database on the cluster if it is missing; true when it was created. */
async function ensureDatabase(adminUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`create database "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}

/** Another `gridloop serve` owns the data directory. */
export class DataDirInUseError extends Error {}

/** The pid of the live `gridloop serve` that owns the data directory, if any. */
function readOwner(lockFile: string): number | undefined {
  if (!existsSync(lockFile)) return undefined;
  const pid = Number(readFileSync(lockFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export async function openDatabase(
  config: Config,
  options: {
    log?: (line: string) => void;
    migrate?: boolean;
    poolSize?: number;
    /** The serving process: owns the embedded cluster (pid file) and refuses to share it. */
    serve?: boolean;
  } = {},
): Promise<OpenDatabase> {
  let url = config.databaseUrl;
  let cluster: Cluster | undefined;
  let created = false;
  const lock = join(config.dataDir, 'gridloop.pid');
  let ownsLock = false;
  if (!url) {
    const pgDir = join(config.dataDir, 'pg');
    // Attach only to a cluster that a live `gridloop serve` owns; any other running cluster is a
    // leftover of a killed run, which startCluster stops before starting afresh.
    const owner = readOwner(lock);
    if (owner && options.serve) {
      throw new DataDirInUseError(
        `另一个 Gridloop 正在使用 ${config.dataDir}（进程 ${owner}）/ another Gridloop (pid ${owner}) is using ${config.dataDir}`,
      );
    }
    url = owner ? attachUrl(pgDir, DATABASE_NAME) : undefined;
    if (!url) {
      options.log?.(`starting the embedded PostgreSQL in ${pgDir} …`);
      cluster = await startCluster({ pgDir, port: 54329, log: options.log });
      created = await ensureDatabase(cluster.url('postgres'), DATABASE_NAME);
      url = cluster.url(DATABASE_NAME);
      if (options.serve) {
        writeFileSync(lock, String(process.pid));
        ownsLock = true;
      }
    }
  }
  const { db, pool } = createDb({ connectionString: url, max: options.poolSize ?? 20 });
  try {
    if (options.migrate !== false) await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    await cluster?.stop();
    throw error;
  }
  return {
    db,
    pool,
    url,
    created,
    embedded: !config.databaseUrl,
    async close() {
      await db.destroy();
      await cluster?.stop();
      if (ownsLock) rmSync(lock, { force: true });
    },
  };
}

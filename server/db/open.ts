/**
 * Opens Gridloop's database: DATABASE_URL when set; otherwise the embedded cluster in
 * <data>/pg — started here, or attached to when another Gridloop process is already running it.
 */
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

export async function openDatabase(
  config: Config,
  options: { log?: (line: string) => void; migrate?: boolean; poolSize?: number } = {},
): Promise<OpenDatabase> {
  let url = config.databaseUrl;
  let cluster: Cluster | undefined;
  let created = false;
  if (!url) {
    const pgDir = join(config.dataDir, 'pg');
    url = attachUrl(pgDir, DATABASE_NAME);
    if (!url) {
      options.log?.(`starting the embedded PostgreSQL in ${pgDir} …`);
      cluster = await startCluster({ pgDir, port: 54329, log: options.log });
      created = await ensureDatabase(cluster.url('postgres'), DATABASE_NAME);
      url = cluster.url(DATABASE_NAME);
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
    },
  };
}

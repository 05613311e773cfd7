/**
 * One throwaway PostgreSQL cluster per test run (embedded, fast settings), or DATABASE_URL's server
 * when set. A template database is migrated once; each test file clones it (see harness.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../db/database.js';
import { type Cluster, startCluster } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrate.js';

export const TEMPLATE = `gridloop_template_${process.pid}`;

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    template: string;
    /** This run's directory for test apps' photo stores, removed at the end of the run. */
    mediaRoot: string;
  }
}

export default async function setup(project: TestProject) {
  let cluster: Cluster | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dir = mkdtempSync(join(tmpdir(), 'gridloop-test-'));
    cluster = await startCluster({ pgDir: join(dir, 'pg'), fast: true });
    adminUrl = cluster.url('postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE}`);
  await admin.query(`create database ${TEMPLATE}`);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  const { db } = createDb({ connectionString: templateUrl.toString(), max: 2 });
  await migrateToLatest(db);
  await db.destroy();
  project.provide('adminUrl', adminUrl);
  project.provide('template', TEMPLATE);
  const mediaRoot = mkdtempSync(join(tmpdir(), 'gridloop-test-media-'));
  project.provide('mediaRoot', mediaRoot);

  return async () => {
    await admin.query(`drop database if exists ${TEMPLATE} with (force)`).catch(() => {});
    const { rows } = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like 'gltest_%'`,
    );
    for (const r of rows) await admin.query(`drop database if exists "${r.datname}" with (force)`).catch(() => {});
    await admin.end();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    rmSync(mediaRoot, { recursive: true, force: true });
  };
}

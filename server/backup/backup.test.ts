/**
 * Backup and restore: a database with a case, its photo and a sealed audit chain is backed up, then
 * restored into a fresh PostgreSQL cluster — same rows in every table, the photo's bytes, a chain that
 * verifies and goes on growing; a database that is not empty, a damaged file and a backup from a newer
 * Gridloop are refused with their codes and change nothing.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAll, verifyAudit } from '../audit/audit.chain.js';
import { writeAudit } from '../audit/audit.writer.js';
import { createDb, type Db } from '../db/database.js';
import { type Cluster, startCluster } from '../db/embedded.js';
import { AppError } from '../http/app-error.js';
import { openVariant } from '../media/media.store.js';
import { uploadPhoto } from '../media/test-upload.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { backupDatabase } from './backup.js';
import { type BackupManifest, readManifest } from './manifest.js';
import { restoreDatabase } from './restore.js';

const work = mkdtempSync(join(tmpdir(), 'gridloop-backup-test-'));
const clusterDir = mkdtempSync(join(tmpdir(), 'gridloop-backup-cluster-'));
const BIN = resolve(import.meta.dirname, '../../bin/gridloop.mjs');
let source: { db: Db; pool: pg.Pool };
let sourceUrl: string;
let app: FastifyInstance;
let cluster: Cluster;
let manifest: BackupManifest;
let caseId: string;
let photoKey: string;
const backupDir = join(work, 'backup');
const open: { db: Db; pool: pg.Pool }[] = [];
const SYSTEM = { actor: { kind: 'system', id: null, name: 'backup-test' } } as const;

/** A new empty database on the fresh cluster. */
async function freshDatabase(name: string): Promise<{ db: Db; pool: pg.Pool }> {
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const database = createDb({ connectionString: cluster.url(name), max: 3 });
  open.push(database);
  return database;
}

/** Each table's row count and a digest of all its rows as text (rollups, logs and chains included). */
async function contents(db: Db, tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const { rows } = await sql<{ n: number; digest: string }>`
      select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest
      from ${sql.table(t)} x`.execute(db);
    out[t] = `${rows[0]?.n} ${rows[0]?.digest}`;
  }
  return out;
}

async function refusal(run: Promise<unknown>): Promise<AppError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('backup and restore', () => {
  beforeAll(async () => {
    const { db, url } = await createTestDatabase();
    sourceUrl = url;
    source = { db, pool: new pg.Pool({ connectionString: url, max: 2 }) };
    app = await createTestApp(db, { mediaDir: join(work, 'media') });
    const t = await makeTerritory(db);
    const category = await makeCategory(db);
    const worker = await signIn(
      app,
      (await makeAccount(db, t, 'grid_worker', t.communities[0])).username,
      TEST_PASSWORD,
    );
    const dispatcher = await signIn(
      app,
      (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username,
      TEST_PASSWORD,
    );
    photoKey = await uploadPhoto(app, { client: worker });
    const [lng, lat] = t.gridCentres[0] as [number, number];
    const res = await worker.request('POST', '/api/cases', {
      channel: 'patrol',
      categoryCode: category.code,
      description: '人行道上堆放建筑垃圾，影响通行',
      lng,
      lat,
      photos: [photoKey],
    });
    expect(res.statusCode, res.body).toBe(201);
    caseId = res.json().id;
    const { version } = (await dispatcher.request('GET', `/api/cases/${caseId}`)).json() as { version: number };
    const registered = await dispatcher.request('POST', `/api/cases/${caseId}/transitions`, {
      action: 'register',
      version,
    });
    expect(registered.statusCode, registered.body).toBe(200);
    expect(await sealAll(db)).toBeGreaterThan(3);
    // One more row left unsealed: a backup taken while the sealer is behind.
    await writeAudit(db, SYSTEM, { action: 'settings.changed', data: { area: 'test', changes: ['before backup'] } });
    // Its own folder under the temp dir: the server's own user must be able to enter its parent.
    cluster = await startCluster({ pgDir: join(clusterDir, 'pg'), fast: true });
    manifest = await backupDatabase(source.pool, { dir: backupDir, mediaDir: join(work, 'media') });
  }, 120_000);

  afterAll(async () => {
    await source?.pool.end();
    for (const d of open) await d.db.destroy();
    await cluster?.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(clusterDir, { recursive: true, force: true });
  });

  it('writes every table, the migrations and the photos with their checksums', async () => {
    const again = await readManifest(backupDir);
    expect(again).toEqual(manifest);
    const names = manifest.tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['cases', 'case_event', 'audit_log', 'photo', 'case_photo']));
    expect(names).not.toContain('kysely_migration');
    // Parents before children.
    expect(names.indexOf('cases')).toBeLessThan(names.indexOf('case_photo'));
    expect(names.indexOf('account')).toBeLessThan(names.indexOf('account_grant'));
    expect(manifest.tables.find((t) => t.name === 'cases')?.rows).toBe(1);
    expect(manifest.media.files).toBe(3); // original, public copy, thumbnail
    const list = readFileSync(join(backupDir, 'media.sha256'), 'utf8');
    expect(list).toContain(`media/${photoKey.slice(0, 2)}/${photoKey.slice(2, 4)}/${photoKey}-original.`);
    const refused = await refusal(backupDatabase(source.pool, { dir: backupDir, mediaDir: join(work, 'media') }));
    expect(refused.code).toBe('BACKUP_DESTINATION_NOT_EMPTY');
  });

  it('restores into a fresh cluster: same rows, the photo, a chain that verifies and keeps growing', async () => {
    const target = await freshDatabase('restored');
    const mediaDir = join(work, 'restored-media');
    const summary = await restoreDatabase(target.db, target.pool, { dir: backupDir, mediaDir });
    expect(summary).toMatchObject({ tables: manifest.tables.length, mediaFiles: 3, migratedAfter: [] });
    const tables = manifest.tables.map((t) => t.name);
    expect(await contents(target.db, tables)).toEqual(await contents(source.db, tables));
    const pick = (db: Db) =>
      db
        .selectFrom('cases')
        .select(['number', 'state', 'version', 'counters', 'createdAt', 'dueAt', 'lng', 'lat'])
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow();
    expect(await pick(target.db)).toEqual(await pick(source.db));
    const original = await openVariant(mediaDir, photoKey, 'original');
    expect(original).not.toBeNull();
    original?.stream.destroy();

    const before = await verifyAudit(source.db);
    const restored = await verifyAudit(target.db);
    expect(restored).toEqual({ ok: true, sealed: before.sealed, unsealed: 1 });
    // The identity sequence was restored: new rows follow the old ones and seal onto the chain.
    await writeAudit(target.db, SYSTEM, { action: 'settings.changed', data: { area: 'test', changes: ['restored'] } });
    expect(await sealAll(target.db)).toBe(2);
    expect(await verifyAudit(target.db)).toEqual({ ok: true, sealed: before.sealed + 2, unsealed: 0 });
  });

  it('refuses a database that is not empty unless forced, and then replaces it', async () => {
    const target = await freshDatabase('occupied');
    const mediaDir = join(work, 'occupied-media');
    await restoreDatabase(target.db, target.pool, { dir: backupDir, mediaDir });
    await target.db.updateTable('cases').set({ title: '改过的标题' }).where('id', '=', caseId).execute();
    const refused = await refusal(restoreDatabase(target.db, target.pool, { dir: backupDir, mediaDir }));
    expect(refused.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    const title = () =>
      target.db.selectFrom('cases').select('title').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect((await title()).title).toBe('改过的标题');
    await restoreDatabase(target.db, target.pool, { dir: backupDir, mediaDir, force: true });
    const original = await source.db
      .selectFrom('cases')
      .select('title')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(await title()).toEqual(original);
    expect((await verifyAudit(target.db)).ok).toBe(true);
  });

  it('refuses a damaged data file and leaves the database empty', async () => {
    const damaged = join(work, 'damaged');
    rmSync(damaged, { recursive: true, force: true });
    await backupDatabase(source.pool, { dir: damaged, mediaDir: join(work, 'media') });
    const file = (await readManifest(damaged)).tables.find((t) => t.name === 'audit_log')?.file as string;
    appendFileSync(join(damaged, file), Buffer.from([0]));
    const target = await freshDatabase('damaged');
    const refused = await refusal(
      restoreDatabase(target.db, target.pool, { dir: damaged, mediaDir: join(work, 'damaged-media') }),
    );
    expect(refused.code).toBe('BACKUP_INVALID');
    expect(refused.fields?.[0]?.path).toBe(file);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'`.execute(target.db);
    expect(rows[0]?.n).toBe(0);
  });

  it('runs as `gridloop backup` and `gridloop restore`, and says why it refuses', async () => {
    const gridloop = (url: string, mediaDir: string, ...args: string[]) => {
      const result = spawnSync(process.execPath, [BIN, ...args], {
        env: { ...process.env, DATABASE_URL: url, GRIDLOOP_MEDIA_DIR: mediaDir, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 90_000,
      });
      return { code: result.status, out: result.stdout, err: result.stderr };
    };
    const dir = join(work, 'cli-backup');
    const backup = gridloop(sourceUrl, join(work, 'media'), 'backup', dir);
    expect(backup.code, backup.err).toBe(0);
    expect(backup.out).toContain('backup written to');
    await freshDatabase('cli');
    const restore = gridloop(cluster.url('cli'), join(work, 'cli-media'), 'restore', dir);
    expect(restore.code, restore.err).toBe(0);
    expect(restore.out).toContain('audit chain intact');
    const again = gridloop(cluster.url('cli'), join(work, 'cli-media'), 'restore', dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain('RESTORE_TARGET_NOT_EMPTY');
    expect(again.err).toContain('--force');
  }, 240_000);

  it('refuses a backup from a newer Gridloop, and a directory that is no backup', async () => {
    const newer = join(work, 'newer');
    await backupDatabase(source.pool, { dir: newer, mediaDir: join(work, 'empty-media') });
    const m = await readManifest(newer);
    writeFileSync(join(newer, 'manifest.json'), JSON.stringify({ ...m, migrations: [...m.migrations, '9999-future'] }));
    const target = await freshDatabase('newer');
    const tooNew = await refusal(restoreDatabase(target.db, target.pool, { dir: newer, mediaDir: join(work, 'x') }));
    expect(tooNew.code).toBe('BACKUP_TOO_NEW');
    expect(tooNew.details).toEqual({ migrations: ['9999-future'] });
    const none = await refusal(restoreDatabase(target.db, target.pool, { dir: work, mediaDir: join(work, 'x') }));
    expect(none.code).toBe('BACKUP_INVALID');
  });
});

/**
 * `gridloop restore <dir> [--force]`: a backup (manifest.ts) into an empty database — or, with
 * --force, into one whose contents it replaces. In order: check the manifest and that this Gridloop
 * knows every migration it names; copy the photos, each checked against its SHA-256; migrate the
 * empty database to the backup's migrations; load every table in one transaction with the tables'
 * own triggers off (the rows already hold what the triggers would write: rollups, light logs, the
 * audit chain), each data file checked against its SHA-256 and row count before commit; set the
 * sequences; migrate on to the latest. A failed restore leaves the database empty again.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../db/database.js';
import { migrateTo, migrateToLatest } from '../db/migrate.js';
import { migrations as known } from '../db/migrations/index.js';
import { AppError } from '../http/app-error.js';
import { COPY_SETTINGS } from './backup.js';
import { copyIn } from './copy.js';
import { type BackupManifest, hashing, invalidBackup, MEDIA_LIST, readManifest, sha256Hex } from './manifest.js';

export interface RestoreOptions {
  dir: string;
  /** The photo store to restore into (`config.mediaDir`). */
  mediaDir: string;
  /** Replace a database that is not empty. */
  force?: boolean;
  log?: (line: string) => void;
}

export interface RestoreSummary {
  tables: number;
  rows: number;
  mediaFiles: number;
  /** Migrations run after loading (the backup was older than this Gridloop). */
  migratedAfter: string[];
}

/** Schemas of the database's own (not PostgreSQL's): public, and pg-boss's queue. */
async function userSchemas(db: Db): Promise<{ schema: string; tables: number }[]> {
  const { rows } = await sql<{ schema: string; tables: number }>`
    select n.nspname as schema, count(c.oid)::int as tables from pg_namespace n
    left join pg_class c on c.relnamespace = n.oid and c.relkind in ('r', 'p')
    where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
    group by 1 order by 1`.execute(db);
  return rows;
}

/** Drops everything of ours: the schemas (and with them tables, functions, extensions' objects), then an empty public. */
async function wipe(db: Db): Promise<void> {
  for (const { schema } of await userSchemas(db)) await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
  await sql`create schema public`.execute(db);
}

/** `media.sha256` → the photo store: each file copied beside its place, checked, then renamed in. */
async function restoreMedia(dir: string, manifest: BackupManifest, mediaDir: string): Promise<number> {
  const list = await readFile(join(dir, MEDIA_LIST), 'utf8').catch(() => {
    throw invalidBackup(MEDIA_LIST, 'missing');
  });
  if (sha256Hex(list) !== manifest.media.sha256) throw invalidBackup(MEDIA_LIST, 'checksum differs');
  let count = 0;
  for (const line of list.split('\n').filter(Boolean)) {
    const match = /^([a-f0-9]{64}) {2}media\/(.+)$/.exec(line);
    const path = match?.[2] ? normalize(match[2]) : undefined;
    if (!match || !path || path.startsWith('..') || path.startsWith('/'))
      throw invalidBackup(MEDIA_LIST, `bad line ${count + 1}`);
    const target = join(mediaDir, path);
    count += 1;
    // Content-addressed: a file already in place is the same photo.
    if (await stat(target).catch(() => undefined)) continue;
    await mkdir(dirname(target), { recursive: true });
    const temporary = join(dirname(target), `.restore-${process.pid}-${count}`);
    const hash = hashing();
    await pipeline(createReadStream(join(dir, 'media', path)), hash, createWriteStream(temporary)).catch(() => {
      throw invalidBackup(`media/${path}`, 'missing or unreadable');
    });
    if (hash.digest() !== match[1]) throw invalidBackup(`media/${path}`, 'checksum differs');
    await rename(temporary, target);
  }
  if (count !== manifest.media.files)
    throw invalidBackup(MEDIA_LIST, `${count} files, manifest says ${manifest.media.files}`);
  return count;
}

/** Every table of the backup, in its order, in one transaction on one connection. */
async function load(client: pg.ClientBase, dir: string, manifest: BackupManifest): Promise<number> {
  let total = 0;
  await client.query('begin');
  try {
    for (const setting of COPY_SETTINGS) await client.query(setting);
    const tables = manifest.tables.map((t) => `public."${t.name}"`);
    for (const table of tables) await client.query(`alter table ${table} disable trigger user`);
    // Rows a migration wrote (defaults, cursors) are in the backup as they stood: theirs replace them.
    if (tables.length) await client.query(`truncate ${tables.join(', ')} cascade`);
    for (const t of manifest.tables) {
      const hash = hashing();
      const source = createReadStream(join(dir, t.file));
      const unzipped = source.pipe(hash).pipe(createGunzip());
      let damaged = false;
      source.on('error', (error) => unzipped.destroy(error));
      unzipped.on('error', () => {
        damaged = true;
      });
      const columns = t.columns.map((c) => `"${c}"`).join(', ');
      const rows = await copyIn(client, `copy public."${t.name}" (${columns}) from stdin`, unzipped).catch(
        (error: unknown) => {
          if (damaged) throw invalidBackup(t.file, 'unreadable or not gzip');
          throw error;
        },
      );
      if (hash.digest() !== t.sha256) throw invalidBackup(t.file, 'checksum differs');
      if (rows !== t.rows) throw invalidBackup(t.file, `${rows} rows, manifest says ${t.rows}`);
      total += rows;
    }
    for (const table of tables) await client.query(`alter table ${table} enable trigger user`);
    for (const s of manifest.sequences)
      await client.query(`select setval('public."${s.name}"', $1::bigint, $2)`, [s.lastValue, s.isCalled]);
    await client.query('commit');
    return total;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

export async function restoreDatabase(db: Db, pool: pg.Pool, options: RestoreOptions): Promise<RestoreSummary> {
  const { dir } = options;
  const manifest = await readManifest(dir);
  const unknown = manifest.migrations.filter((m) => !(m in known));
  if (unknown.length) throw new AppError('BACKUP_TOO_NEW', { details: { migrations: unknown } });
  for (const t of manifest.tables)
    if (!(await stat(join(dir, t.file)).catch(() => undefined))) throw invalidBackup(t.file, 'missing');

  const occupied = (await userSchemas(db)).filter((s) => s.tables > 0 || s.schema !== 'public');
  if (occupied.length && !options.force)
    throw new AppError('RESTORE_TARGET_NOT_EMPTY', { details: { schemas: occupied.map((s) => s.schema) } });
  if (occupied.length) await wipe(db);

  const mediaFiles = await restoreMedia(dir, manifest, options.mediaDir);
  options.log?.(`media: ${mediaFiles.toLocaleString('en')} files`);
  const last = [...manifest.migrations].sort().at(-1) as string;
  const client = await pool.connect();
  try {
    await migrateTo(db, last);
    const rows = await load(client, dir, manifest);
    options.log?.(`${manifest.tables.length} tables, ${rows.toLocaleString('en')} rows`);
    const migratedAfter = await migrateToLatest(db);
    return { tables: manifest.tables.length, rows, mediaFiles, migratedAfter };
  } catch (error) {
    await wipe(db).catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

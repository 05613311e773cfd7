/**
 * `gridloop backup <dir>`: the database and the photo store into a new directory (layout in
 * manifest.ts), while the server keeps running. Every table is read in one REPEATABLE READ, read-only
 * transaction, so the copy is one consistent moment as pg_dump's is; the photo store is copied after
 * that moment, and as photos are never changed or deleted (content-addressed) every photo a copied
 * row names is there. Node only: the embedded PostgreSQL ships no pg_dump, and a server's pg_dump must
 * match its major version; COPY's text format is what pg_dump writes for the rows.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { AppError } from '../http/app-error.js';
import { copyOut } from './copy.js';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type BackupManifest,
  hashing,
  MANIFEST_FILE,
  MEDIA_LIST,
  sha256Hex,
} from './manifest.js';

/** Tables a restore makes by migrating, not by loading. */
const MIGRATOR_TABLES = ['kysely_migration', 'kysely_migration_lock'];

/** The settings pg_dump reads with, so that text round-trips whatever the server's defaults. */
export const COPY_SETTINGS = [
  "set local timezone = 'UTC'",
  "set local datestyle = 'ISO'",
  "set local intervalstyle = 'postgres'",
  'set local extra_float_digits = 3',
];

interface Table {
  name: string;
  columns: string[];
}

/** The tables of `public` with their stored columns (generated ones are computed again), parents first. */
async function listTables(client: pg.ClientBase): Promise<Table[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `select c.relname::text as name, array_agg(a.attname::text order by a.attnum) as columns
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition and c.relname <> all($1)
     group by c.relname order by c.relname`,
    [MIGRATOR_TABLES],
  );
  const { rows: edges } = await client.query<{ child: string; parent: string }>(
    `select ch.relname::text as child, pa.relname::text as parent from pg_constraint k
     join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
     where k.contype = 'f' and k.connamespace = 'public'::regnamespace and k.conrelid <> k.confrelid`,
  );
  // Parents before children (Kahn's algorithm, by name among equals), so a restore checks every key.
  const parents = new Map(rows.map((t) => [t.name, new Set<string>()]));
  for (const e of edges) parents.get(e.child)?.add(e.parent);
  const ordered: Table[] = [];
  const done = new Set<string>();
  while (ordered.length < rows.length) {
    const next = rows.find((t) => !done.has(t.name) && [...(parents.get(t.name) ?? [])].every((p) => done.has(p)));
    if (!next) throw new Error('the foreign keys of the schema form a cycle: a backup cannot order its tables');
    ordered.push(next);
    done.add(next.name);
  }
  return ordered;
}

async function sequences(client: pg.ClientBase): Promise<BackupManifest['sequences']> {
  const { rows } = await client.query<{ name: string }>(
    `select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'S' order by 1`,
  );
  const out: BackupManifest['sequences'] = [];
  for (const { name } of rows) {
    const { rows: state } = await client.query<{ lastValue: string; isCalled: boolean }>(
      `select last_value::text as "lastValue", is_called as "isCalled" from public.${name}`,
    );
    const s = state[0];
    if (s) out.push({ name, ...s });
  }
  return out;
}

/** Every regular file under `root` (relative, `/`-separated), leaving out the store's half-written temporaries. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

export interface BackupOptions {
  /** The new backup directory: missing or empty. */
  dir: string;
  /** The photo store (`config.mediaDir`). */
  mediaDir: string;
  log?: (line: string) => void;
}

/** Writes a backup of the database behind `pool` and of the photo store; returns its manifest. */
export async function backupDatabase(pool: pg.Pool, options: BackupOptions): Promise<BackupManifest> {
  const { dir } = options;
  const existing = await readdir(dir).catch(() => []);
  if (existing.length > 0) throw new AppError('BACKUP_DESTINATION_NOT_EMPTY', { details: { dir } });
  await mkdir(join(dir, 'data'), { recursive: true });

  const client = await pool.connect();
  let manifest: Omit<BackupManifest, 'media'>;
  try {
    await client.query('begin isolation level repeatable read read only');
    for (const setting of COPY_SETTINGS) await client.query(setting);
    const { rows: version } = await client.query<{ server_version: string }>('show server_version');
    const { rows: migrations } = await client.query<{ name: string }>(
      'select name from kysely_migration order by timestamp, name',
    );
    const tables: BackupManifest['tables'] = [];
    const listed = await listTables(client);
    for (const [i, table] of listed.entries()) {
      const file = `data/${String(i + 1).padStart(4, '0')}-${table.name}.copy.gz`;
      const gzip = createGzip();
      const hash = hashing();
      const written = pipeline(gzip, hash, createWriteStream(join(dir, file)));
      const columns = table.columns.map((c) => `"${c}"`).join(', ');
      const rows = await copyOut(client, `copy (select ${columns} from public."${table.name}") to stdout`, gzip);
      gzip.end();
      await written;
      tables.push({ name: table.name, file, columns: table.columns, rows, sha256: hash.digest() });
      options.log?.(`${table.name}: ${rows.toLocaleString('en')} rows`);
    }
    const seq = await sequences(client);
    await client.query('commit');
    manifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      server: version[0]?.server_version ?? '?',
      migrations: migrations.map((m) => m.name),
      tables,
      sequences: seq,
    };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }

  // Photos named by rows of that moment were written before those rows committed: all are here now.
  const lines: string[] = [];
  let bytes = 0;
  for (const path of await filesUnder(options.mediaDir)) {
    const target = join(dir, 'media', path);
    await mkdir(dirname(target), { recursive: true });
    const hash = hashing();
    await pipeline(createReadStream(join(options.mediaDir, path)), hash, createWriteStream(target));
    lines.push(`${hash.digest()}  media/${path}`);
    bytes += hash.bytes();
  }
  const list = lines.length ? `${lines.join('\n')}\n` : '';
  await writeFile(join(dir, MEDIA_LIST), list);
  options.log?.(`media: ${lines.length.toLocaleString('en')} files, ${bytes.toLocaleString('en')} bytes`);
  const full: BackupManifest = { ...manifest, media: { files: lines.length, bytes, sha256: sha256Hex(list) } };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

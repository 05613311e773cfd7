/**
 * A Gridloop backup is a directory (see docs/operations.md):
 *
 *   manifest.json          what is in it (below); written last, so a directory without it is no backup
 *   data/NNNN-<table>.copy.gz   each table of the `public` schema as COPY text, gzip, parents before children
 *   media.sha256           the photo store's files, `sha256sum -c` format (`<hex>  media/<path>`)
 *   media/…                the photo store (`<dataDir>/media`) as it is laid out
 *
 * The schema is not in it: it is the migrations', and the manifest names those that had run, so a
 * restore rebuilds the schema by migrating to the same point and then loads the rows.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';

export const BACKUP_FORMAT = 'gridloop-backup';
export const BACKUP_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const MEDIA_LIST = 'media.sha256';

export const ZBackupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  /** PostgreSQL of the backed-up database, e.g. "17.10". */
  server: z.string(),
  /** Migrations that had run, in the order they ran. */
  migrations: z.array(z.string()).min(1),
  tables: z.array(
    z.object({
      name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
      file: z.string().regex(/^data\/[0-9]{4}-[a-z0-9_]+\.copy\.gz$/),
      columns: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
      rows: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[a-f0-9]{64}$/),
    }),
  ),
  /** Sequences (identity columns among them): where each stood. */
  sequences: z.array(
    z.object({
      name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
      lastValue: z.string().regex(/^-?[0-9]+$/),
      isCalled: z.boolean(),
    }),
  ),
  media: z.object({ files: z.number().int().nonnegative(), bytes: z.number().nonnegative(), sha256: z.string() }),
});
export type BackupManifest = z.infer<typeof ZBackupManifest>;

export const invalidBackup = (path: string, reason: string) =>
  new AppError('BACKUP_INVALID', { fields: [{ path, reason }] });

/** Reads and checks a backup's manifest; a missing or malformed one is BACKUP_INVALID. */
export async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw invalidBackup(MANIFEST_FILE, 'missing: not a finished Gridloop backup');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidBackup(MANIFEST_FILE, 'not JSON');
  }
  const parsed = ZBackupManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidBackup(`${MANIFEST_FILE}:${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
  }
  return parsed.data;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** A pass-through stream that hashes what flows through it (SHA-256, hex in `digest()` once finished). */
export function hashing(): Transform & { digest(): string; bytes(): number } {
  const hash = createHash('sha256');
  let bytes = 0;
  let hex: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return Object.assign(stream, {
    digest: () => {
      hex ??= hash.digest('hex');
      return hex;
    },
    bytes: () => bytes,
  });
}

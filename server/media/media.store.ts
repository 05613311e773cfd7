/**
 * Content-addressed photo store on disk, and the all-or-nothing batch of one submission.
 *
 * Layout under `root` (the caller passes `<dataDir>/media`):
 *   `ab/cd/<sha256>-original.<jpg|png|webp>`, `ab/cd/<sha256>-public.jpg`, `ab/cd/<sha256>-thumb.webp`
 * where `ab`, `cd` are the first two byte pairs of the key, the SHA-256 of the original bytes.
 * Nothing the client sent is ever part of a path. Each file is written to a temporary name in its
 * final directory, flushed, then renamed into place, so a reader sees a whole file or none; saving
 * the same content again writes nothing. A crash between variants leaves some of them; the next
 * save of that content writes the missing ones.
 *
 * Files are never deleted here. A save whose database transaction then fails leaves unreferenced
 * files; they are harmless (content-addressed) and a later sweep can remove keys no row refers to.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sanitiseFilename } from './filename.js';
import { MediaError } from './media.errors.js';
import {
  EXTENSIONS,
  IMAGE_FORMATS,
  type ImageFormat,
  MAX_FILE_BYTES,
  MAX_FILES,
  MAX_TOTAL_BYTES,
  MIME_TYPES,
} from './media.limits.js';
import { type DeclaredFile, type MediaInfo, mediaInfo, type ProcessedImage, processImage } from './process-image.js';

export const MEDIA_VARIANTS = ['original', 'public', 'thumb'] as const;
export type MediaVariant = (typeof MEDIA_VARIANTS)[number];

/** A media key: the SHA-256 of the original, lowercase hex. */
export const MEDIA_KEY = /^[a-f0-9]{64}$/;

/** One uploaded file of a submission. */
export interface UploadedFile extends DeclaredFile {
  buffer: Buffer;
}

export interface SavedImage extends MediaInfo {
  key: string;
}

export interface OpenedVariant {
  stream: ReadStream;
  /** The variant's format; serve it with this type and `X-Content-Type-Options: nosniff`. */
  mimeType: string;
  bytes: number;
}

function directory(root: string, key: string): string {
  return join(root, key.slice(0, 2), key.slice(2, 4));
}

function variantPath(root: string, key: string, variant: MediaVariant, format: ImageFormat): string {
  return join(directory(root, key), `${key}-${variant}.${EXTENSIONS[format]}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Writes `data` at `path` via a temporary file and a rename; false when the file was already there. */
async function writeOnce(path: string, data: Buffer): Promise<boolean> {
  if (await exists(path)) return false;
  const temp = `${path}.${randomUUID()}.tmp`;
  try {
    const file = await open(temp, 'wx', 0o640);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    return true;
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Stores the three variants of a processed image under its key; idempotent for the same content.
 * `created` tells whether any file was written.
 */
export async function saveProcessed(
  root: string,
  processed: ProcessedImage,
): Promise<{ key: string; created: boolean }> {
  const key = createHash('sha256').update(processed.original.buffer).digest('hex');
  if (key !== processed.sha256) throw new Error('media: the processed image does not match its original bytes');
  await mkdir(directory(root, key), { recursive: true, mode: 0o750 });
  // The original last: its presence means the derived variants were written before it.
  const pub = await writeOnce(variantPath(root, key, 'public', 'jpeg'), processed.public.buffer);
  const thumb = await writeOnce(variantPath(root, key, 'thumb', 'webp'), processed.thumbnail.buffer);
  const original = await writeOnce(variantPath(root, key, 'original', processed.format), processed.original.buffer);
  return { key, created: pub || thumb || original };
}

/** Where a variant of `key` lives and its format, or undefined when the store has no such file. */
async function locate(root: string, key: string, variant: MediaVariant) {
  if (!MEDIA_KEY.test(key)) return undefined;
  const candidates: ImageFormat[] =
    variant === 'public' ? ['jpeg'] : variant === 'thumb' ? ['webp'] : [...IMAGE_FORMATS];
  for (const format of candidates) {
    const path = variantPath(root, key, variant, format);
    if (await exists(path)) return { path, format };
  }
  return undefined;
}

/**
 * A stream of one variant, with its MIME type and size; null when the key is malformed or not
 * stored. The caller decides who may see which variant (the original is for staff only).
 */
export async function openVariant(root: string, key: string, variant: MediaVariant): Promise<OpenedVariant | null> {
  const found = await locate(root, key, variant);
  if (!found) return null;
  let file: FileHandle | undefined;
  try {
    file = await open(found.path, 'r');
    const { size } = await file.stat();
    return { stream: file.createReadStream(), mimeType: MIME_TYPES[found.format], bytes: size };
  } catch {
    await file?.close();
    return null;
  }
}

/** Whether every variant of `key` is stored (for checking photo keys a command receives). */
export async function hasMedia(root: string, key: string): Promise<boolean> {
  for (const variant of MEDIA_VARIANTS) {
    if (!(await locate(root, key, variant))) return false;
  }
  return true;
}

/** A file's name as an answer may quote it (sanitised; never a path). */
const nameOf = (file: UploadedFile) => sanitiseFilename(file.filename) ?? undefined;

/**
 * Checks the count and sizes of a submission's files before decoding any, then processes them one
 * by one (bounded memory). All or nothing: the first file that fails throws its `MediaError` with
 * `index` set, and nothing has been stored.
 */
export async function processBatch(files: readonly UploadedFile[]): Promise<ProcessedImage[]> {
  if (files.length > MAX_FILES) throw new MediaError('too_many_files', { detail: `${files.length} files` });
  let total = 0;
  for (const [index, file] of files.entries()) {
    const bytes = Buffer.isBuffer(file.buffer) ? file.buffer.length : 0;
    if (bytes > MAX_FILE_BYTES)
      throw new MediaError('too_large', { index, filename: nameOf(file), detail: `${bytes} bytes` });
    total += bytes;
  }
  if (total > MAX_TOTAL_BYTES) throw new MediaError('total_too_large', { detail: `${total} bytes` });

  const processed: ProcessedImage[] = [];
  for (const [index, file] of files.entries()) {
    try {
      processed.push(await processImage(file.buffer, { filename: file.filename, mimeType: file.mimeType }));
    } catch (err) {
      throw err instanceof MediaError ? err.at(index, nameOf(file)) : err;
    }
  }
  return processed;
}

/**
 * Processes a submission's files and stores them, in order; the same photo twice gives the same
 * key twice. Nothing is stored unless every file passed.
 */
export async function saveBatch(root: string, files: readonly UploadedFile[]): Promise<SavedImage[]> {
  const processed = await processBatch(files);
  const saved: SavedImage[] = [];
  for (const image of processed) {
    const { key } = await saveProcessed(root, image);
    saved.push({ key, ...mediaInfo(image) });
  }
  return saved;
}

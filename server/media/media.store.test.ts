import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaError } from './media.errors.js';
import { MAX_FILE_BYTES } from './media.limits.js';
import { hasMedia, openVariant, processBatch, saveBatch, saveProcessed } from './media.store.js';
import { processImage } from './process-image.js';
import { jpeg, png, SHANGHAI_GPS, webp } from './test-images.js';

let dir: string;
let root: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gridloop-media-'));
  root = join(dir, 'data', 'media');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under `base`, as paths relative to it. */
async function files(base: string): Promise<string[]> {
  try {
    const entries = await readdir(base, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(base, join(e.parentPath, e.name)))
      .sort();
  } catch {
    return [];
  }
}

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<MediaError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaError);
  return err as MediaError;
}

describe('saveProcessed and openVariant', () => {
  it('stores three variants under the content key and streams them back', async () => {
    const p = await processImage(await png(), { filename: 'scene.jpg' });
    const { key, created } = await saveProcessed(root, p);
    expect(key).toBe(p.sha256);
    expect(created).toBe(true);
    const a = key.slice(0, 2);
    const b = key.slice(2, 4);
    expect(await files(root)).toEqual(
      [`${key}-original.png`, `${key}-public.jpg`, `${key}-thumb.webp`].map((f) => join(a, b, f)).sort(),
    );

    const original = await openVariant(root, key, 'original');
    expect(original?.mimeType).toBe('image/png');
    expect(original?.bytes).toBe(p.bytes);
    expect(original && (await read(original.stream)).equals(p.original.buffer)).toBe(true);
    const pub = await openVariant(root, key, 'public');
    expect(pub?.mimeType).toBe('image/jpeg');
    expect(pub && (await read(pub.stream)).equals(p.public.buffer)).toBe(true);
    const thumb = await openVariant(root, key, 'thumb');
    expect(thumb?.mimeType).toBe('image/webp');
    expect(thumb && (await read(thumb.stream)).equals(p.thumbnail.buffer)).toBe(true);
    expect(await hasMedia(root, key)).toBe(true);
  });

  it('keeps the original bytes, GPS included, while the public file has none', async () => {
    const input = await jpeg({ gps: SHANGHAI_GPS });
    const { key } = await saveProcessed(root, await processImage(input));
    const a = key.slice(0, 2);
    const b = key.slice(2, 4);
    expect((await readFile(join(root, a, b, `${key}-original.jpg`))).equals(input)).toBe(true);
    expect((await readFile(join(root, a, b, `${key}-public.jpg`))).includes(Buffer.from('GPS'))).toBe(false);
  });

  it('is idempotent: the same content twice gives the same key and writes nothing', async () => {
    const input = await jpeg();
    const first = await saveProcessed(root, await processImage(input, { filename: 'a.jpg' }));
    const listed = await files(root);
    const mtimes = await Promise.all(listed.map(async (f) => (await stat(join(root, f))).mtimeMs));
    const second = await saveProcessed(root, await processImage(Buffer.from(input), { filename: 'b.jpg' }));
    expect(second).toEqual({ key: first.key, created: false });
    expect(await files(root)).toEqual(listed);
    expect(await Promise.all(listed.map(async (f) => (await stat(join(root, f))).mtimeMs))).toEqual(mtimes);
  });

  it('survives concurrent saves of the same content and leaves no temporary files', async () => {
    const p = await processImage(await webp());
    const results = await Promise.all([1, 2, 3, 4].map(() => saveProcessed(root, p)));
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(await files(root)).toHaveLength(3);
  });

  it('rewrites a missing variant on the next save (a crash between variants)', async () => {
    const p = await processImage(await jpeg());
    const { key } = await saveProcessed(root, p);
    await rm(join(root, key.slice(0, 2), key.slice(2, 4), `${key}-thumb.webp`));
    expect(await hasMedia(root, key)).toBe(false);
    expect(await saveProcessed(root, p)).toEqual({ key, created: true });
    expect(await hasMedia(root, key)).toBe(true);
  });

  it('never lets a client file name near a path', async () => {
    const names = ['../../etc/passwd.jpg', '/etc/passwd', '..\\..\\boot.ini', 'a/../../../x.png', '\0.jpg'];
    for (const [i, filename] of names.entries()) {
      const p = await processImage(await jpeg({ width: 50 + i }), { filename });
      await saveProcessed(root, p);
    }
    expect(await files(dir)).toHaveLength(names.length * 3);
    for (const f of await files(dir)) {
      expect(f).toMatch(
        /^data\/media\/[a-f0-9]{2}\/[a-f0-9]{2}\/[a-f0-9]{64}-(original|public|thumb)\.(jpg|png|webp)$/,
      );
    }
    const p = await processImage(await jpeg(), { filename: '../../etc/passwd.jpg' });
    expect(p.filename).toBe('passwd.jpg');
  });

  it('answers null for malformed or unknown keys', async () => {
    const { key } = await saveProcessed(root, await processImage(await jpeg()));
    for (const bad of ['../../etc/passwd', key.toUpperCase(), `${key}/..`, `../${key.slice(3)}`, '']) {
      expect(await openVariant(root, bad, 'original')).toBeNull();
      expect(await hasMedia(root, bad)).toBe(false);
    }
    expect(await openVariant(root, 'f'.repeat(64), 'public')).toBeNull();
  });

  it('refuses a processed image whose bytes do not match its key', async () => {
    const p = await processImage(await jpeg());
    await expect(saveProcessed(root, { ...p, sha256: 'a'.repeat(64) })).rejects.toThrow(/does not match/);
    expect(await files(dir)).toEqual([]);
  });
});

describe('processBatch and saveBatch', () => {
  it('refuses ten files as too_many_files before decoding any', async () => {
    const notImages = Array.from({ length: 10 }, () => ({ buffer: Buffer.from('text'), filename: 'a.jpg' }));
    const err = await failure(processBatch(notImages));
    expect([err.problem, err.index]).toEqual(['too_many_files', undefined]);
  });

  it('refuses a batch over the total as total_too_large before decoding any', async () => {
    const big = Buffer.alloc(MAX_FILE_BYTES - 1024, 0x20);
    const err = await failure(processBatch(Array.from({ length: 5 }, () => ({ buffer: big }))));
    expect(err.problem).toBe('total_too_large');
  });

  it('refuses an oversized file as too_large with its index, before decoding the others', async () => {
    const batch = [{ buffer: Buffer.from('text') }, { buffer: Buffer.alloc(MAX_FILE_BYTES + 1) }];
    const err = await failure(processBatch(batch));
    expect([err.problem, err.index]).toEqual(['too_large', 1]);
  });

  it('stores nothing when one file fails, and says which one and why', async () => {
    const batch = [
      { buffer: await jpeg(), filename: 'one.jpg' },
      { buffer: await png(), filename: 'two.png' },
      { buffer: Buffer.from('just some text'), filename: 'three.jpg', mimeType: 'image/jpeg' },
    ];
    const err = await failure(saveBatch(root, batch));
    expect([err.problem, err.index]).toEqual(['not_an_image', 2]);
    expect(err.message).toBe('The file is not an image');
    expect(await files(dir)).toEqual([]);
  });

  it('stores a whole batch and returns the facts for the database, in order', async () => {
    const photo = await jpeg({ gps: SHANGHAI_GPS });
    const saved = await saveBatch(root, [
      { buffer: photo, filename: 'IMG_1.jpg', mimeType: 'image/jpeg' },
      { buffer: await webp(), filename: 'x.webp' },
      { buffer: photo, filename: 'IMG_1 copy.jpg' },
    ]);
    expect(saved.map((s) => [s.format, s.hadGps, s.filename])).toEqual([
      ['jpeg', true, 'IMG_1.jpg'],
      ['webp', false, 'x.webp'],
      ['jpeg', true, 'IMG_1 copy.jpg'],
    ]);
    expect(saved[0]?.key).toBe(saved[2]?.key);
    expect(saved[0]).not.toHaveProperty('original');
    for (const s of saved) expect(await hasMedia(root, s.key)).toBe(true);
    expect(await files(root)).toHaveLength(6);
    expect(await saveBatch(root, [])).toEqual([]);
  });
});

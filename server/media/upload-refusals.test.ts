/**
 * Hostile uploads (issue 9, point 6), one kind after another through `POST /api/media`: files that
 * are not images, lying names and types, decompression bombs, path-traversal and control-character
 * names, oversized files and batches, too many files. Each is refused with its coded error (zh-CN
 * and English, the file named), no decoder message or stack in the answer, and nothing stored: no
 * `photo` row, no file in the photo store — not even the good files sent beside it.
 */
import { readdir } from 'node:fs/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_DIMENSION, MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES } from '../../common/media.js';
import type { Db } from '../db/database.js';
import { makeAccount, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { declaredBombPng, gif, jpeg, png, solidPng } from './test-images.js';
import { type FilePart, rawMultipart, upload } from './test-upload.js';

let db: Db;
let app: FastifyInstance;
let worker: Client;

/** Every file in the photo store, and the number of photo rows. */
async function stored() {
  const files = await readdir(app.config.mediaDir, { recursive: true, withFileTypes: true }).catch(() => []);
  const rows = await db
    .selectFrom('photo')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { files: files.filter((e) => e.isFile()).map((e) => e.name), rows: Number(rows.n) };
}

/** Sends the files (a good JPEG first, so all-or-nothing is tested too) and expects the refusal. */
async function refused(
  files: FilePart[],
  status: number,
  code: string,
  options: { raw?: boolean; anonymous?: boolean; at?: number } = {},
): Promise<LightMyRequestResponse> {
  const before = await stored();
  const good: FilePart = { buffer: await jpeg({ width: 90 + files.length, height: 60 }), name: '正常.jpg' };
  const sent = [good, ...files];
  const client = options.anonymous ? undefined : worker;
  let res: LightMyRequestResponse;
  if (options.raw) {
    const body = rawMultipart(sent);
    const auth = client ? { cookie: client.cookie, 'x-csrf-token': client.csrf } : {};
    res = await app.inject({
      method: 'POST',
      url: '/api/media',
      payload: body.payload,
      headers: { ...body.headers, ...auth },
    });
  } else {
    // An anonymous sender from an address of its own (the rate limit counts per address).
    res = await upload(app, sent, client ? { client } : { remoteAddress: '198.51.100.77' });
  }
  expect(res.statusCode, res.body).toBe(status);
  const error = res.json().error;
  expect(error.code).toBe(code);
  expect(error.messages).toEqual({ 'zh-CN': expect.any(String), en: expect.any(String) });
  if (options.at !== undefined) expect(error.file).toMatchObject({ index: options.at });
  // No decoder words, stack frames, paths or SQL leave the server.
  expect(res.body).not.toMatch(
    /sharp|libvips|vips_|pngload|jpegload|\bat \S+:\d+|node_modules|\/tmp\/|select |insert /i,
  );
  expect(await stored()).toEqual(before);
  return res;
}

beforeAll(async () => {
  db = (await createTestDatabase()).db;
  app = await createTestApp(db);
  const t = await makeTerritory(db);
  worker = await signIn(app, (await makeAccount(db, t, 'grid_worker', t.communities[0])).username, TEST_PASSWORD);
});

describe('hostile uploads are refused with a code, and nothing is stored', () => {
  it('a file that is no image: text, HTML, a PDF, an empty file', async () => {
    const texts: [string, Buffer][] = [
      ['现场.jpg', Buffer.from('这不是图片，只是一段文字。')],
      ['page.png', Buffer.from('<!doctype html><script>alert(document.cookie)</script>')],
      ['scan.jpg', Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF')],
      ['empty.jpg', Buffer.alloc(0)],
    ];
    for (const [name, buffer] of texts) {
      const res = await refused([{ buffer, name, type: 'image/jpeg' }], 415, 'MEDIA_NOT_IMAGE', { at: 1 });
      expect(res.json().error.file.name).toBe(name);
    }
  });

  it('a lying extension or type: SVG with a script, a GIF, a shell script, all named and typed as photos', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
    );
    // An SVG is an image format, but one that can carry script: never accepted.
    await refused([{ buffer: svg, name: 'photo.jpg', type: 'image/jpeg' }], 415, 'MEDIA_UNSUPPORTED_FORMAT', { at: 1 });
    await refused([{ buffer: await gif(), name: 'photo.png', type: 'image/png' }], 415, 'MEDIA_UNSUPPORTED_FORMAT');
    const script = Buffer.from('#!/bin/sh\nrm -rf /\n');
    await refused([{ buffer: script, name: 'IMG_0001.JPG', type: 'image/jpeg' }], 415, 'MEDIA_NOT_IMAGE');
  });

  it('a real photo under another format’s name is judged by its content and stored under our own name', async () => {
    const res = await upload(
      app,
      [{ buffer: await png({ width: 41, height: 31 }), name: 'shot.jpg', type: 'image/jpeg' }],
      {
        client: worker,
      },
    );
    expect(res.statusCode, res.body).toBe(201);
    const [photo] = res.json();
    expect(photo.format).toBe('png');
    const row = await db
      .selectFrom('photo')
      .select(['filename', 'declaredMismatch'])
      .where('key', '=', photo.key)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ filename: 'shot.jpg', declaredMismatch: true });
    // The store names files by content: the client's name and extension are nowhere on disk.
    expect((await stored()).files.some((f) => f.includes('shot'))).toBe(false);
  });

  it('decompression bombs: a PNG declaring 30000 × 30000 pixels, a real 64-megapixel PNG, an endless strip', async () => {
    const bomb = await declaredBombPng(30_000, 30_000);
    expect(bomb.length).toBeLessThan(1_000);
    await refused([{ buffer: bomb, name: 'bomb.png' }], 422, 'MEDIA_TOO_MANY_PIXELS', { at: 1 });
    const solid = await solidPng(8_000, 8_000);
    expect(solid.length).toBeLessThan(1024 * 1024);
    await refused([{ buffer: solid, name: 'solid.png' }], 422, 'MEDIA_TOO_MANY_PIXELS', { at: 1 });
    await refused([{ buffer: await solidPng(MAX_DIMENSION + 1, 8), name: 'strip.png' }], 422, 'MEDIA_TOO_MANY_PIXELS');
  });

  it('path-traversal and control-character names, even on a real photo', async () => {
    const photo = await jpeg({ width: 77, height: 55 });
    const names = [
      '../../../etc/passwd.jpg',
      '..\\..\\windows\\win.ini.jpg',
      'uploads/../../photo.jpg',
      '/var/lib/gridloop/media/x.jpg',
      '..',
      'photo\u0000.jpg',
      'photo\u0007.jpg',
    ];
    for (const name of names) {
      const res = await refused([{ buffer: photo, name, type: 'image/jpeg' }], 400, 'MEDIA_NAME_UNSAFE', {
        raw: true,
        at: 1,
      });
      // The name is shown only as its harmless last segment, if anything.
      const shown = String(res.json().error.file?.name ?? '');
      expect(shown.includes('/') || shown.includes('\\') || Array.from(shown).some((c) => c < ' ')).toBe(false);
    }
  });

  it('oversized: one file over the limit, and a batch over the total', async () => {
    await refused([{ buffer: Buffer.alloc(MAX_FILE_BYTES + 1, 0xff), name: 'huge.jpg' }], 413, 'MEDIA_TOO_LARGE', {
      at: 1,
    });
    const each = Math.floor(MAX_FILE_BYTES * 0.95);
    const count = Math.ceil(MAX_TOTAL_BYTES / each);
    expect(count).toBeLessThan(MAX_FILES);
    const batch = Array.from({ length: count }, (_, i) => ({
      buffer: Buffer.alloc(each, i + 1),
      name: `part-${i}.jpg`,
    }));
    await refused(batch, 413, 'MEDIA_TOTAL_TOO_LARGE');
  });

  it(`too many files: ${MAX_FILES + 1} at once, for staff and for an anonymous sender`, async () => {
    const files = await Promise.all(
      Array.from({ length: MAX_FILES }, async (_, i) => ({
        buffer: await png({ width: 10 + i, height: 10 }),
        name: `${i}.png`,
      })),
    );
    await refused(files, 413, 'MEDIA_TOO_MANY');
    await refused(files, 413, 'MEDIA_TOO_MANY', { anonymous: true });
  });
});

/**
 * Uploading and fetching photos over HTTP: formats judged by content, all-or-nothing batches with
 * coded errors naming the file, the EXIF position kept from the public copies but told to staff,
 * and who may fetch a photo that is on no case yet (its uploader, for an hour).
 */
import { readdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../common/media.js';
import type { Db } from '../db/database.js';
import { makeAccount, makeResident, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { jpeg, png, SHANGHAI, SHANGHAI_GPS, webp } from './test-images.js';
import { multipart, upload, uploadPhoto } from './test-upload.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let worker: Client;
let resident: Client;

/** Every file in the photo store. */
async function storedFiles(): Promise<string[]> {
  try {
    const entries = await readdir(app.config.mediaDir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

async function photoRows() {
  return db.selectFrom('photo').selectAll().execute();
}

/** A resident's client, signed in through the resident session route. */
async function residentClient(): Promise<Client> {
  const { phone } = await makeResident(db);
  const res = await app.inject({
    method: 'POST',
    url: '/api/resident/session',
    payload: { phone, password: TEST_PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = `gridloop_session=${res.cookies.find((c) => c.name === 'gridloop_session')?.value}`;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrf,
    request: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': csrf, ...headers },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      }),
  };
}

const fetchAs = (url: string, options: { client?: Client; remoteAddress?: string; headers?: Record<string, string> }) =>
  app.inject({
    method: 'GET',
    url,
    headers: { ...(options.client ? { cookie: options.client.cookie } : {}), ...options.headers },
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });

describe('POST /api/media', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    worker = await signIn(app, (await makeAccount(db, t, 'grid_worker', t.communities[0])).username, TEST_PASSWORD);
    resident = await residentClient();
  });

  it('takes a JPEG, a PNG and a WebP in one form and answers their keys, sizes and URLs in order', async () => {
    const files = [
      { buffer: await jpeg({ width: 640, height: 480 }), name: 'a.jpg', type: 'image/jpeg' },
      { buffer: await png({ width: 200, height: 150 }), name: 'b.png', type: 'image/png' },
      { buffer: await webp({ width: 300, height: 200 }), name: 'c.webp', type: 'image/webp' },
    ];
    const res = await upload(app, files, { client: worker });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { key: string; format: string; width: number; thumbUrl: string }[];
    expect(body.map((p) => [p.format, p.width])).toEqual([
      ['jpeg', 640],
      ['png', 200],
      ['webp', 300],
    ]);
    for (const p of body) {
      expect(p.key).toMatch(/^[a-f0-9]{64}$/);
      expect(p.thumbUrl).toBe(`/api/media/${p.key}/thumb`);
    }
    const rows = await db
      .selectFrom('photo')
      .selectAll()
      .where(
        'key',
        'in',
        body.map((p) => p.key),
      )
      .execute();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.uploaderKind === 'staff' && r.ipHash === null)).toBe(true);
    const audit = await db.selectFrom('auditLog').select('data').where('action', '=', 'media.uploaded').execute();
    expect(audit.some((a) => JSON.stringify(a.data).includes(body[0]?.key ?? '-'))).toBe(true);
  });

  it('refuses a text file named .jpg as MEDIA_NOT_IMAGE, stores nothing, and names the file', async () => {
    const filesBefore = await storedFiles();
    const rowsBefore = (await photoRows()).length;
    const res = await upload(
      app,
      [
        { buffer: await jpeg({ width: 333, height: 222 }), name: 'good.jpg', type: 'image/jpeg' },
        { buffer: Buffer.from('这不是图片，只是一段文字。'), name: '现场.jpg', type: 'image/jpeg' },
      ],
      { client: worker },
    );
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toMatchObject({
      code: 'MEDIA_NOT_IMAGE',
      messages: { 'zh-CN': '上传的文件不是图片', en: 'The file is not an image' },
      fields: [{ path: 'body.file.1' }],
      file: { index: 1, name: '现场.jpg' },
    });
    // The good first file was not stored either.
    expect(await storedFiles()).toEqual(filesBefore);
    expect((await photoRows()).length).toBe(rowsBefore);
  });

  it('refuses ten files as MEDIA_TOO_MANY, storing none of them', async () => {
    const rowsBefore = (await photoRows()).length;
    const files = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => ({
        buffer: await png({ width: 20 + i, height: 20 }),
        name: `${i}.png`,
      })),
    );
    const res = await upload(app, files, { client: worker });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('MEDIA_TOO_MANY');
    expect((await photoRows()).length).toBe(rowsBefore);
    const nine = await upload(app, files.slice(0, 9), { client: worker });
    expect(nine.statusCode, nine.body).toBe(201);
    expect(nine.json()).toHaveLength(9);
  });

  it('stops reading a file over the size limit and answers MEDIA_TOO_LARGE naming it', async () => {
    const rowsBefore = (await photoRows()).length;
    const res = await upload(
      app,
      [
        { buffer: await jpeg({ width: 120, height: 90 }), name: 'small.jpg' },
        { buffer: Buffer.alloc(MAX_FILE_BYTES + 1, 0xff), name: 'huge.jpg' },
      ],
      { client: worker },
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'MEDIA_TOO_LARGE', file: { index: 1, name: 'huge.jpg' } });
    expect((await photoRows()).length).toBe(rowsBefore);
  });

  it('answers a body that is not a form, or a form without files, with a coded error', async () => {
    const json = await worker.request('POST', '/api/media', { file: 'x' });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const form = new FormData();
    form.append('note', 'no file here');
    const request = new Request('http://x', { method: 'POST', body: form });
    const empty = await app.inject({
      method: 'POST',
      url: '/api/media',
      payload: Buffer.from(await request.arrayBuffer()),
      headers: {
        'content-type': request.headers.get('content-type') ?? '',
        cookie: worker.cookie,
        'x-csrf-token': worker.csrf,
      },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'body.file' }] });
  });

  it('answers a broken form with 400, never a 500', async () => {
    const headers = { cookie: worker.cookie, 'x-csrf-token': worker.csrf };
    const noBoundary = await app.inject({
      method: 'POST',
      url: '/api/media',
      payload: 'whatever',
      headers: { ...headers, 'content-type': 'multipart/form-data' },
    });
    const { payload, headers: form } = await multipart([{ buffer: await jpeg(), name: 'a.jpg' }]);
    const cut = await app.inject({
      method: 'POST',
      url: '/api/media',
      payload: payload.subarray(0, payload.length - 200),
      headers: { ...headers, ...form },
    });
    for (const res of [noBoundary, cut]) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses a signed-in upload without the CSRF header', async () => {
    const body = await multipart([{ buffer: await jpeg(), name: 'a.jpg' }]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/media',
      payload: body.payload,
      headers: { ...body.headers, cookie: worker.cookie },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_INVALID');
  });

  it('keeps the GPS out of the public copies, tells staff the position, and not residents', async () => {
    const photo = await jpeg({ width: 500, height: 400, gps: SHANGHAI_GPS });
    const staff = await upload(app, [{ buffer: photo, name: 'gps.jpg', type: 'image/jpeg' }], { client: worker });
    expect(staff.statusCode, staff.body).toBe(201);
    const [saved] = staff.json() as { key: string; gps: unknown }[];
    expect(saved?.gps).toEqual(SHANGHAI);
    const row = await db
      .selectFrom('photo')
      .selectAll()
      .where('key', '=', saved?.key ?? '')
      .executeTakeFirstOrThrow();
    expect([row.hadGps, row.gpsLng, row.gpsLat]).toEqual([true, SHANGHAI.lng, SHANGHAI.lat]);

    const pub = await fetchAs(`/api/media/${saved?.key}/public`, { client: worker });
    expect(pub.statusCode).toBe(200);
    expect(pub.headers['content-type']).toBe('image/jpeg');
    expect(pub.rawPayload.includes(Buffer.from('GPS'))).toBe(false);
    expect((await sharp(pub.rawPayload).metadata()).exif).toBeUndefined();
    const thumb = await fetchAs(`/api/media/${saved?.key}/thumb`, { client: worker });
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect((await sharp(thumb.rawPayload).metadata()).exif).toBeUndefined();

    const asResident = await upload(app, [{ buffer: photo, name: 'gps.jpg' }], { client: resident });
    expect(asResident.statusCode, asResident.body).toBe(201);
    expect(asResident.json()[0]).not.toHaveProperty('gps');
    expect(asResident.json()[0].key).toBe(saved?.key);
  });

  it('lets the uploader preview an unattached photo, not others, and never its original', async () => {
    const anonymousKey = await uploadPhoto(app, { remoteAddress: '10.1.1.1' });
    expect((await fetchAs(`/api/media/${anonymousKey}/thumb`, { remoteAddress: '10.1.1.1' })).statusCode).toBe(200);
    expect((await fetchAs(`/api/media/${anonymousKey}/thumb`, { remoteAddress: '10.1.1.2' })).statusCode).toBe(404);
    expect((await fetchAs(`/api/media/${anonymousKey}/original`, { remoteAddress: '10.1.1.1' })).statusCode).toBe(404);
    expect((await fetchAs(`/api/media/${anonymousKey}/public`, { client: worker })).statusCode).toBe(404);
    const row = await db.selectFrom('photo').selectAll().where('key', '=', anonymousKey).executeTakeFirstOrThrow();
    expect(row.uploaderKind).toBe('anonymous');
    expect(row.ipHash).toMatch(/^[a-f0-9]{32}$/);
    expect(row.ipHash).not.toContain('10.1.1.1');

    const workerKey = await uploadPhoto(app, { client: worker });
    expect((await fetchAs(`/api/media/${workerKey}/public`, { client: worker })).statusCode).toBe(200);
    expect((await fetchAs(`/api/media/${workerKey}/public`, { client: resident })).statusCode).toBe(404);
    // Not on a case the worker may read yet: the original stays shut even to its uploader.
    expect((await fetchAs(`/api/media/${workerKey}/original`, { client: worker })).statusCode).toBe(404);
  });

  it('serves a variant as immutable, private content with an ETag and answers 304 to a revalidation', async () => {
    const key = await uploadPhoto(app, { client: worker });
    const first = await fetchAs(`/api/media/${key}/thumb`, { client: worker });
    expect(first.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['content-length']).toBe(String(first.rawPayload.length));
    const again = await fetchAs(`/api/media/${key}/thumb`, {
      client: worker,
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    // Refusals are never cached for good.
    const missing = await fetchAs(`/api/media/${'f'.repeat(64)}/thumb`, { client: worker });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBeUndefined();
    const malformed = await fetchAs('/api/media/not-a-key/thumb', { client: worker });
    expect(malformed.statusCode).toBe(400);
  });

  it('holds anonymous senders to a tighter rate than staff', async () => {
    const text = [{ buffer: Buffer.from('not a photo'), name: 'x.jpg' }];
    const anonymous = [];
    for (let i = 0; i < 21; i++) anonymous.push((await upload(app, text, { remoteAddress: '10.7.7.7' })).statusCode);
    expect(anonymous.slice(0, 20).every((s) => s === 415)).toBe(true);
    expect(anonymous[20]).toBe(429);
    const staff = [];
    for (let i = 0; i < 21; i++)
      staff.push((await upload(app, text, { client: worker, remoteAddress: '10.7.7.8' })).statusCode);
    expect(staff.every((s) => s === 415)).toBe(true);
  });

  it('describes the multipart body in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const upload = doc.paths['/api/media'].post;
    const schema = upload.requestBody.content['multipart/form-data'].schema;
    expect(schema.properties.file).toMatchObject({ type: 'array', maxItems: 9, items: { format: 'binary' } });
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '413', '415', '422']));
    const fetch = doc.paths['/api/media/{key}/{variant}'].get;
    expect(Object.keys(fetch.responses['200'].content)).toEqual(['image/jpeg', 'image/png', 'image/webp']);
  });
});

/**
 * Photos in the closed loop: a report and each step carry uploaded keys only (unknown keys and
 * other people's uploads are refused with nothing written), the timeline shows each step's photos,
 * originals stay within the case's scope, and the public tracking view shows public copies of
 * public steps' photos only.
 */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import {
  makeAccount,
  makeCategory,
  makeDepartment,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
} from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { jpeg, SHANGHAI, SHANGHAI_GPS } from './test-images.js';
import { uploadPhoto } from './test-upload.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let category: { id: string; code: string };
let department: { id: string; code: string };
let worker: Client;
let dispatcher: Client;
let handler: Client;
/** A dispatcher of another district: sees none of this territory's cases. */
let outsider: Client;

interface Photo {
  key: string;
  role: string;
  thumbUrl: string;
  publicUrl: string;
  originalUrl: string;
  gps: unknown;
}
interface Event {
  seq: number;
  action: string;
  photos: Photo[];
}

const get = (url: string, client?: Client, remoteAddress?: string) =>
  app.inject({
    method: 'GET',
    url,
    headers: client ? { cookie: client.cookie } : {},
    ...(remoteAddress ? { remoteAddress } : {}),
  });

async function detail(id: string) {
  const res = await dispatcher.request('GET', `/api/cases/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { version: number; state: string; events: Event[] };
}

async function report(extra: Record<string, unknown> = {}, client = worker) {
  const [lng, lat] = t.gridCentres[0] as [number, number];
  return client.request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode: category.code,
    description: '人行道上堆放建筑垃圾',
    lng,
    lat,
    ...extra,
  });
}

async function step(client: Client, id: string, body: Record<string, unknown>) {
  const { version } = await detail(id);
  return client.request('POST', `/api/cases/${id}/transitions`, { version, ...body });
}

/** A reported case taken to `handling` by the department. */
async function caseInHandling(): Promise<string> {
  const res = await report();
  expect(res.statusCode, res.body).toBe(201);
  const { id } = res.json() as { id: string };
  for (const [client, body] of [
    [dispatcher, { action: 'register' }],
    [dispatcher, { action: 'dispatch', departmentId: department.id }],
    [handler, { action: 'acknowledge' }],
  ] as const) {
    const r = await step(client, id, body);
    expect(r.statusCode, r.body).toBe(200);
  }
  return id;
}

describe('photos on cases', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    category = await makeCategory(db);
    department = await makeDepartment(db, t);
    worker = await signIn(app, (await makeAccount(db, t, 'grid_worker', t.communities[0])).username, TEST_PASSWORD);
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
    handler = await signIn(
      app,
      (
        await makeAccount(db, t, 'handler', t.subdistrict, {
          departmentId: department.id,
          departmentCode: department.code,
        })
      ).username,
      TEST_PASSWORD,
    );
    const elsewhere = await makeTerritory(db, [121.6, 31.4]);
    outsider = await signIn(
      app,
      (await makeAccount(db, elsewhere, 'dispatcher', elsewhere.subdistrict)).username,
      TEST_PASSWORD,
    );
  });

  it('shows a staff report’s own photos on its report event, with the EXIF position for staff', async () => {
    const withGps = await uploadPhoto(app, {
      client: worker,
      image: await jpeg({ width: 410, height: 300, gps: SHANGHAI_GPS }),
    });
    const plain = await uploadPhoto(app, { client: worker });
    const res = await report({ photos: [withGps, plain] });
    expect(res.statusCode, res.body).toBe(201);
    const c = await detail(res.json().id);
    const [reported] = c.events;
    expect(reported?.action).toBe('report');
    expect(reported?.photos.map((p) => [p.key, p.role, p.gps])).toEqual([
      [withGps, 'report', SHANGHAI],
      [plain, 'report', null],
    ]);
    expect(reported?.photos[0]).toMatchObject({
      width: 410,
      height: 300,
      thumbUrl: `/api/media/${withGps}/thumb`,
      originalUrl: `/api/media/${withGps}/original`,
    });
    const rows = await db.selectFrom('casePhoto').selectAll().where('caseId', '=', res.json().id).execute();
    expect(rows.map((r) => [r.seq, r.role, r.addedByKind])).toEqual([
      [null, 'report', 'staff'],
      [null, 'report', 'staff'],
    ]);
  });

  it('refuses a report with an unknown key or someone else’s upload, creating no case', async () => {
    const before = await db.selectFrom('cases').select('id').execute();
    const unknown = await report({ photos: ['b'.repeat(64)] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'PHOTO_UNKNOWN', fields: [{ path: 'body.photos.0' }] });
    const dispatchersPhoto = await uploadPhoto(app, { client: dispatcher });
    const own = await uploadPhoto(app, { client: worker });
    const foreign = await report({ photos: [own, dispatchersPhoto] });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error).toMatchObject({ code: 'PHOTO_UNKNOWN', fields: [{ path: 'body.photos.1' }] });
    const tooMany = await report({ photos: Array.from({ length: 10 }, () => own) });
    expect(tooMany.statusCode).toBe(400);
    expect(await db.selectFrom('cases').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses a step with an unknown photo key and leaves the case as it was', async () => {
    const id = await caseInHandling();
    const before = await detail(id);
    const res = await step(handler, id, {
      action: 'submit_handling',
      reason: '已清运完毕',
      photos: [{ key: 'c'.repeat(64), role: 'after' }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'PHOTO_UNKNOWN', fields: [{ path: 'body.photos.0.key' }] });
    const after = await detail(id);
    expect([after.version, after.state, after.events.length]).toEqual([
      before.version,
      'handling',
      before.events.length,
    ]);
    expect(await db.selectFrom('casePhoto').select('id').where('caseId', '=', id).execute()).toEqual([]);
  });

  it('shows the handling photo on its event and serves the original within the case’s scope only', async () => {
    const id = await caseInHandling();
    const original = await jpeg({ width: 420, height: 320, gps: SHANGHAI_GPS });
    const key = await uploadPhoto(app, { client: handler, image: original });
    const res = await step(handler, id, {
      action: 'submit_handling',
      reason: '已清运完毕',
      photos: [{ key, role: 'after' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const handled = res.json() as { state: string; events: Event[] };
    expect(handled.state).toBe('handled');
    const event = handled.events.find((e) => e.action === 'submit_handling');
    expect(event?.photos).toEqual([
      {
        key,
        role: 'after',
        width: 420,
        height: 320,
        thumbUrl: `/api/media/${key}/thumb`,
        publicUrl: `/api/media/${key}/public`,
        originalUrl: `/api/media/${key}/original`,
        gps: SHANGHAI,
      },
    ]);
    expect(handled.events.filter((e) => e.photos.length > 0)).toHaveLength(1);
    const row = await db.selectFrom('casePhoto').selectAll().where('caseId', '=', id).executeTakeFirstOrThrow();
    expect([row.seq, row.role, row.addedByKind]).toEqual([event?.seq, 'after', 'staff']);

    // In scope: the dispatcher and the grid worker get the original as uploaded, EXIF included.
    const asDispatcher = await get(`/api/media/${key}/original`, dispatcher);
    expect(asDispatcher.statusCode).toBe(200);
    expect(asDispatcher.rawPayload.equals(original)).toBe(true);
    expect((await get(`/api/media/${key}/thumb`, worker)).statusCode).toBe(200);

    // Out of scope: nothing, not even the thumbnail, and the attempt is recorded.
    expect((await get(`/api/media/${key}/original`, outsider)).statusCode).toBe(404);
    expect((await get(`/api/media/${key}/thumb`, outsider)).statusCode).toBe(404);
    const denied = await db
      .selectFrom('auditLog')
      .select('action')
      .where('subjectType', '=', 'photo')
      .where('subjectId', '=', key)
      .where('action', '=', 'access.denied')
      .execute();
    expect(denied).toHaveLength(2);
  });

  it('lets a later step reuse a photo already on the case, but not one from another case', async () => {
    const reportPhoto = await uploadPhoto(app, { client: worker });
    const reported = await report({ photos: [reportPhoto] });
    const otherCasePhoto = await uploadPhoto(app, { client: worker });
    expect((await report({ photos: [otherCasePhoto] })).statusCode).toBe(201);
    const { id } = reported.json() as { id: string };
    for (const [client, body] of [
      [dispatcher, { action: 'register' }],
      [dispatcher, { action: 'dispatch', departmentId: department.id }],
      [handler, { action: 'acknowledge' }],
    ] as const) {
      expect((await step(client, id, body)).statusCode).toBe(200);
    }
    const after = await uploadPhoto(app, { client: handler });
    const foreign = await step(handler, id, {
      action: 'submit_handling',
      reason: '已清运完毕',
      photos: [
        { key: reportPhoto, role: 'before' },
        { key: otherCasePhoto, role: 'evidence' },
      ],
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.fields).toEqual([{ path: 'body.photos.1.key', reason: expect.any(String) }]);
    const res = await step(handler, id, {
      action: 'submit_handling',
      reason: '已清运完毕',
      photos: [
        { key: reportPhoto, role: 'before' },
        { key: after, role: 'after' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const event = (res.json().events as Event[]).find((e) => e.action === 'submit_handling');
    expect(event?.photos.map((p) => [p.key, p.role])).toEqual([
      [reportPhoto, 'before'],
      [after, 'after'],
    ]);
  });

  it('shows an anonymous report’s photos on the public view as public copies through the tracking code', async () => {
    const address = '10.9.8.7';
    const original = await jpeg({ width: 300, height: 200, gps: SHANGHAI_GPS });
    const key = await uploadPhoto(app, { remoteAddress: address, image: original });
    const [lng, lat] = t.gridCentres[1] as [number, number];
    const body = { categoryCode: category.code, description: '井盖缺失，很危险', lng, lat, photos: [key] };
    // Another address cannot attach it.
    const stranger = await app.inject({
      method: 'POST',
      url: '/api/public/cases',
      payload: body,
      remoteAddress: '10.9.8.8',
    });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().error.code).toBe('PHOTO_UNKNOWN');
    const reported = await app.inject({
      method: 'POST',
      url: '/api/public/cases',
      payload: body,
      remoteAddress: address,
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const { id, trackingCode } = reported.json() as { id: string; trackingCode: string };

    const view = (await get(`/api/public/cases/${trackingCode}`)).json();
    const base = `/api/public/cases/${trackingCode}/media/${key}`;
    const shown = { key, role: 'report', thumbUrl: `${base}/thumb`, url: `${base}/public` };
    expect(view.events[0]).toMatchObject({ action: 'report', photos: [shown] });
    expect(view.photos).toEqual([shown]);
    expect(JSON.stringify(view)).not.toMatch(/original|gps|lng/i);

    // Anyone holding the code gets the metadata-free copy; the original is not reachable.
    const pub = await get(`${base}/public`, undefined, '10.0.0.99');
    expect(pub.statusCode).toBe(200);
    expect(pub.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(pub.rawPayload).metadata()).exif).toBeUndefined();
    expect(pub.rawPayload.includes(Buffer.from('GPS'))).toBe(false);
    expect((await get(`${base}/original`)).statusCode).toBe(400);
    expect((await get(`/api/media/${key}/original`, undefined, '10.0.0.99')).statusCode).toBe(404);
    expect((await get(`/api/public/cases/ZZZZZZZZZZ/media/${key}/public`)).statusCode).toBe(404);

    // A staff-only step's photo (a progress note) stays off the public view and its URLs.
    for (const [client, step_] of [
      [dispatcher, { action: 'register' }],
      [dispatcher, { action: 'dispatch', departmentId: department.id }],
    ] as const) {
      expect((await step(client, id, step_)).statusCode).toBe(200);
    }
    const internal = await uploadPhoto(app, { client: dispatcher });
    const noted = await step(dispatcher, id, {
      action: 'note',
      reason: '已联系物业',
      photos: [{ key: internal, role: 'evidence' }],
    });
    expect(noted.statusCode, noted.body).toBe(200);
    const later = (await get(`/api/public/cases/${trackingCode}`)).json();
    expect(JSON.stringify(later)).not.toContain(internal);
    expect((await get(`/api/public/cases/${trackingCode}/media/${internal}/thumb`)).statusCode).toBe(404);
    // Staff in scope see both photos on the timeline, the original of the resident's one included.
    const staffView = await detail(id);
    expect(staffView.events.flatMap((e) => e.photos.map((p) => p.key))).toEqual([key, internal]);
    const fromStaff = await get(`/api/media/${key}/original`, dispatcher);
    expect(fromStaff.rawPayload.equals(original)).toBe(true);
  });
});

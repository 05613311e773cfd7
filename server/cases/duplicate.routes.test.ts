/**
 * Duplicates and following over HTTP: the dispatcher's candidates stay in scope; the resident's
 * search shows public fields only; following gives a tracking code of one's own; a merge makes the
 * merged case's reporter a follower whose old code shows the target's progress.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import {
  makeAccount,
  makeCategory,
  makeResident,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
} from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let category: { id: string; code: string };
let dispatcher: Client;
let stranger: Client;
let spot = 0;

const publicCall = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

/** A fresh spot for each test, 300 m apart, so that tests never see each other's cases. */
function nextSpot(): [number, number] {
  spot += 1;
  const [x, y] = t.gridCentres[0] as [number, number];
  return [x - 0.004 + spot * 0.003, y];
}
const east = ([lng, lat]: [number, number], m: number): [number, number] => [
  lng + m / (111_195 * Math.cos((lat * Math.PI) / 180)),
  lat,
];

async function report(at: [number, number], description: string, contact = { name: '赵阿姨', phone: '13911112222' }) {
  const res = await publicCall('POST', '/api/public/cases', {
    categoryCode: category.code,
    description,
    lng: at[0],
    lat: at[1],
    contact,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string; trackingCode: string };
}

async function step(client: Client, id: string, body: Record<string, unknown>) {
  const current = (await client.request('GET', `/api/cases/${id}`)).json();
  const res = await client.request('POST', `/api/cases/${id}/transitions`, { version: current.version, ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('duplicate suggestion and following', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    const elsewhere = await makeTerritory(db, [121.6, 31.3]);
    category = await makeCategory(db);
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
    stranger = await signIn(
      app,
      (await makeAccount(db, elsewhere, 'dispatcher', elsewhere.subdistrict)).username,
      TEST_PASSWORD,
    );
  });

  it('documents the three routes in the OpenAPI document, in both languages', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const [path, method] of [
      ['/api/cases/{id}/duplicates', 'get'],
      ['/api/public/duplicates', 'post'],
      ['/api/public/cases/{number}/follow', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.summary, path).toMatch(/[a-z].*\/ .*[\u4e00-\u9fff]/);
    }
  });

  it('shows the dispatcher the likely duplicates of a case, in scope only', async () => {
    const here = nextSpot();
    const first = await report(here, '小区门口垃圾桶满了，垃圾散落一地');
    const other = await report(east(here, 20), '楼道里堆满杂物，堵住消防通道');
    const second = await report(east(here, 10), '门口垃圾箱满溢，臭味很大');

    const res = await dispatcher.request('GET', `/api/cases/${second.id}/duplicates`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.located).toBe(true);
    expect(body.items.map((d: { id: string }) => d.id)).toEqual([first.id, other.id]);
    expect(body.items[0]).toMatchObject({
      number: first.number,
      state: 'reported',
      relation: 'same_category',
      category: { code: category.code },
      followers: 0,
    });
    expect(body.items[0].distanceM).toBeCloseTo(10, 0);
    expect(body.items[0].similarity).toBeGreaterThan(body.items[1].similarity);

    const limited = await dispatcher.request('GET', `/api/cases/${second.id}/duplicates?limit=1`);
    expect(limited.json().items).toHaveLength(1);
    expect((await dispatcher.request('GET', `/api/cases/${second.id}/duplicates?limit=0`)).statusCode).toBe(400);

    // Outside the stranger's scope: 404 as for a case that does not exist, and the attempt is audited.
    const denied = await stranger.request('GET', `/api/cases/${second.id}/duplicates`);
    expect(denied.statusCode).toBe(404);
    const audit = await db
      .selectFrom('auditLog')
      .select('data')
      .where('action', '=', 'access.denied')
      .where('subjectId', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(audit.data).toMatchObject({ route: '/api/cases/:id/duplicates', reason: 'out_of_scope' });
    expect((await publicCall('GET', `/api/cases/${second.id}/duplicates`)).statusCode).toBe(401);
  });

  it('answers the resident’s search with public fields only', async () => {
    const here = nextSpot();
    const existing = await report(east(here, 14), '路灯不亮，晚上很黑', { name: '钱先生', phone: '13722223333' });
    const res = await publicCall('POST', '/api/public/duplicates', {
      categoryCode: category.code,
      lng: here[0],
      lat: here[1],
      text: '这里的路灯坏了，晚上黑漆漆的',
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items;
    expect(items).toHaveLength(1);
    expect(Object.keys(items[0]).sort()).toEqual([
      'category',
      'createdAt',
      'distanceM',
      'number',
      'score',
      'state',
      'title',
    ]);
    expect(items[0]).toMatchObject({ number: existing.number, state: 'reported', distanceM: 20 });
    for (const secret of ['钱先生', '13722223333', existing.trackingCode, existing.id])
      expect(res.body).not.toContain(secret);

    const unknown = await publicCall('POST', '/api/public/duplicates', {
      categoryCode: `${category.code.slice(0, 2)}00`,
      lng: here[0],
      lat: here[1],
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('CATEGORY_UNKNOWN');
    const noPoint = await publicCall('POST', '/api/public/duplicates', { categoryCode: category.code, text: '路灯' });
    expect(noPoint.statusCode).toBe(400);
    expect(noPoint.json().error.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['body.lng', 'body.lat']),
    );
  });

  it('lets a resident follow an open case instead of reporting it, with a tracking code of their own', async () => {
    const here = nextSpot();
    const existing = await report(here, '井盖缺失，存在安全隐患');
    const followed = await publicCall('POST', `/api/public/cases/${existing.number}/follow`, {
      contact: { name: '孙女士', phone: '13633334444' },
    });
    expect(followed.statusCode, followed.body).toBe(201);
    const { trackingCode, number } = followed.json();
    expect(number).toBe(existing.number);
    expect(trackingCode).toMatch(/^[0-9A-Z]{10}$/);
    expect(trackingCode).not.toBe(existing.trackingCode);

    const view = await publicCall('GET', `/api/public/cases/${trackingCode}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({ number: existing.number, state: 'reported', follower: true, abilities: [] });
    expect(view.body).not.toContain('赵阿姨');
    // The reporter's own code is not a follower's.
    expect((await publicCall('GET', `/api/public/cases/${existing.trackingCode}`)).json().follower).toBe(false);
    // A follower's code watches; it rates nothing.
    const rate = await publicCall('POST', `/api/public/cases/${trackingCode}/callback`, {
      version: 1,
      satisfaction: 'satisfied',
      solved: true,
    });
    expect(rate.statusCode).toBe(404);

    const row = await db
      .selectFrom('caseFollower')
      .selectAll()
      .where('trackingCode', '=', trackingCode)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      caseId: existing.id,
      via: 'follow',
      residentId: null,
      contactName: '孙女士',
      contactPhone: '13633334444',
    });
    const audit = await db
      .selectFrom('auditLog')
      .select(['data', 'actor'])
      .where('action', '=', 'case.followed')
      .where('subjectId', '=', existing.id)
      .executeTakeFirstOrThrow();
    expect(audit.data).toEqual({ number: existing.number, via: 'follow' });

    // The dispatcher sees that someone follows it.
    const second = await report(east(here, 3), '井盖丢了，很危险');
    const dupes = (await dispatcher.request('GET', `/api/cases/${second.id}/duplicates`)).json();
    expect(dupes.items.find((d: { id: string }) => d.id === existing.id)?.followers).toBe(1);
  });

  it('lets a signed-in resident follow once, and refuses closed or unknown cases', async () => {
    const existing = await report(nextSpot(), '人行道地砖松动，容易绊倒');
    const resident = await makeResident(db);
    const session = await publicCall('POST', '/api/resident/session', {
      phone: resident.phone,
      password: TEST_PASSWORD,
    });
    expect(session.statusCode, session.body).toBe(200);
    const headers = {
      cookie: session.cookies.map((k) => `${k.name}=${k.value}`).join('; '),
      'x-csrf-token': session.json().csrfToken as string,
    };
    const url = `/api/public/cases/${existing.number}/follow`;
    const first = await publicCall('POST', url, {}, headers);
    expect(first.statusCode, first.body).toBe(201);
    const again = await publicCall('POST', url, undefined, headers);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().trackingCode).toBe(first.json().trackingCode);
    const rows = await db.selectFrom('caseFollower').select('residentId').where('caseId', '=', existing.id).execute();
    expect(rows).toEqual([{ residentId: resident.id }]);

    await step(dispatcher, existing.id, { action: 'reject', rejectReason: 'not_a_case', reason: '经核实不属于案件' });
    const late = await publicCall('POST', url, {});
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('CASE_NOT_FOLLOWABLE');
    expect((await publicCall('POST', '/api/public/cases/999999-20260101-00001/follow', {})).statusCode).toBe(404);
    expect((await publicCall('POST', '/api/public/cases/not-a-number/follow', {})).statusCode).toBe(400);
    const badPhone = await publicCall('POST', `/api/public/cases/${existing.number}/follow`, {
      contact: { phone: '12345' },
    });
    expect(badPhone.statusCode).toBe(400);
  });

  it('makes a merged case’s reporter a follower whose old code shows the target’s progress', async () => {
    const here = nextSpot();
    const target = await report(here, '3号楼下水道堵塞，污水漫到路上');
    const merged = await report(east(here, 5), '3号楼下水道堵了，污水冒出来', { name: '周先生', phone: '13544445555' });
    await step(dispatcher, target.id, { action: 'register' });
    await step(dispatcher, merged.id, { action: 'merge', mergedIntoId: target.id, reason: '与先前上报为同一问题' });

    const follower = await db
      .selectFrom('caseFollower')
      .selectAll()
      .where('mergedCaseId', '=', merged.id)
      .executeTakeFirstOrThrow();
    expect(follower).toMatchObject({
      caseId: target.id,
      via: 'merge',
      trackingCode: merged.trackingCode,
      contactName: '周先生',
      contactPhone: '13544445555',
    });
    const audit = await db
      .selectFrom('auditLog')
      .select('data')
      .where('action', '=', 'case.followed')
      .where('subjectId', '=', target.id)
      .executeTakeFirstOrThrow();
    expect(audit.data).toEqual({ number: target.number, via: 'merge', from: merged.number });

    const view = (await publicCall('GET', `/api/public/cases/${merged.trackingCode}`)).json();
    expect(view).toMatchObject({
      number: merged.number,
      state: 'merged',
      follower: false,
      mergedInto: { number: target.number, state: 'registered' },
    });
    expect(view.mergedInto.events.map((e: { action: string }) => e.action)).toEqual(['report', 'register']);

    await step(dispatcher, target.id, { action: 'close', closeReason: 'unsolvable', reason: '需业主自行疏通，已告知' });
    const later = (await publicCall('GET', `/api/public/cases/${merged.trackingCode}`)).json();
    expect(later.mergedInto).toMatchObject({ state: 'closed', closeReason: 'unsolvable' });
    // Only the target's reporter may rate it.
    expect(later.abilities).toEqual([]);
    expect((await publicCall('GET', `/api/public/cases/${target.trackingCode}`)).json().mergedInto).toBeNull();
  });
});

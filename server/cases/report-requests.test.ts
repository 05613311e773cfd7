/**
 * Idempotent intake (issue 9, point 2), channel by channel: a report sent again with the same
 * Idempotency-Key — one after the other, or several at the same moment — answers the first case and
 * makes no second one; the same key with another body is refused (422 IDEMPOTENCY_KEY_REUSED) and
 * writes nothing; one sender's key never finds another sender's case. Staff (`POST /api/cases`),
 * residents signed in and anonymous (`POST /api/public/cases`), Open311 and sensor alarms here; the
 * hotline push in server/hotline/hotline-push.test.ts.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { countRows, makeWorld, post, useApp, type World } from '../open311/test-world.js';
import { makeAccount, makeResident, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let w: World;
let worker: Client;
let worker2: Client;

const at = () => w.t.gridCentres[0] as [number, number];

const staffReport = (extra: Record<string, unknown> = {}) => ({
  channel: 'patrol',
  categoryCode: w.plain.code,
  description: '人行道地砖松动，行人易绊倒',
  lng: at()[0],
  lat: at()[1],
  ...extra,
});

const publicReport = (extra: Record<string, unknown> = {}) => ({
  categoryCode: w.plain.code,
  description: '路口井盖缺失，夜间危险',
  lng: at()[0],
  lat: at()[1],
  ...extra,
});

function anonymous(body: unknown, key: string | undefined, remoteAddress = '203.0.113.7') {
  return app.inject({
    method: 'POST',
    url: '/api/public/cases',
    payload: body as Record<string, unknown>,
    headers: key ? { 'idempotency-key': key } : {},
    remoteAddress,
  });
}

/** Cases and events of the database, and the cases of one description. */
async function counts() {
  return { cases: await countRows(db, 'cases'), keys: await keyRows() };
}

async function keyRows() {
  const row = await db
    .selectFrom('reportRequest')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function eventsOf(caseId: string) {
  return (await db.selectFrom('caseEvent').select('seq').where('caseId', '=', caseId).execute()).map((e) => e.seq);
}

/** Every answer names the same case; exactly one made it. */
function oneCase(answers: LightMyRequestResponse[]) {
  for (const a of answers) expect([200, 201], a.body).toContain(a.statusCode);
  expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
  expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
  expect(answers.filter((a) => a.json().created === true)).toHaveLength(1);
  return answers[0]?.json() as { id: string; number: string; trackingCode: string };
}

function refusedAsReused(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(422);
  expect(res.json().error).toMatchObject({
    code: 'IDEMPOTENCY_KEY_REUSED',
    messages: { 'zh-CN': expect.stringContaining('幂等键'), en: expect.stringContaining('Idempotency-Key') },
  });
}

beforeAll(async () => {
  db = (await createTestDatabase()).db;
  app = await createTestApp(db);
  useApp(app);
  w = await makeWorld(db);
  worker = await signIn(app, (await makeAccount(db, w.t, 'grid_worker', w.t.communities[0])).username, TEST_PASSWORD);
  worker2 = await signIn(app, (await makeAccount(db, w.t, 'grid_worker', w.t.communities[0])).username, TEST_PASSWORD);
});

describe('Idempotency-Key on the staff report', () => {
  it('answers a retry with the first case, and makes one case of identical requests sent at once', async () => {
    const before = await counts();
    const first = await worker.request('POST', '/api/cases', staffReport(), { 'idempotency-key': 'staff-1' });
    expect(first.statusCode, first.body).toBe(201);
    const retry = await worker.request('POST', '/api/cases', staffReport(), { 'idempotency-key': 'staff-1' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ ...first.json(), created: false });

    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        worker.request('POST', '/api/cases', staffReport(), { 'idempotency-key': 'staff-burst' }),
      ),
    );
    const made = oneCase(burst);
    expect(await eventsOf(made.id)).toEqual([1]);
    expect(await counts()).toEqual({ cases: before.cases + 2, keys: before.keys + 2 });
  });

  it('refuses the same key with another body, writing nothing, and takes it again once corrected', async () => {
    const first = await worker.request('POST', '/api/cases', staffReport(), { 'idempotency-key': 'staff-2' });
    expect(first.statusCode).toBe(201);
    const before = await counts();
    refusedAsReused(
      await worker.request('POST', '/api/cases', staffReport({ description: '另一件事：路灯不亮' }), {
        'idempotency-key': 'staff-2',
      }),
    );
    expect(await counts()).toEqual(before);

    // A refused request stores nothing: its key is free for the corrected request.
    const bad = await worker.request('POST', '/api/cases', staffReport({ categoryCode: '9999' }), {
      'idempotency-key': 'staff-3',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('CATEGORY_UNKNOWN');
    expect(await counts()).toEqual(before);
    const fixed = await worker.request('POST', '/api/cases', staffReport(), { 'idempotency-key': 'staff-3' });
    expect(fixed.statusCode).toBe(201);
  });

  it('keeps keys per account: another account’s same key makes its own case', async () => {
    const mine = await worker.request('POST', '/api/cases', staffReport(), { 'idempotency-key': 'shared-key' });
    const theirs = await worker2.request('POST', '/api/cases', staffReport(), { 'idempotency-key': 'shared-key' });
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.json().id).not.toBe(mine.json().id);
  });

  it('never answers a hotline work-order id with a case outside the sender’s scope', async () => {
    const call = {
      channel: 'hotline',
      categoryCode: w.plain.code,
      description: '12345转来：小区路灯不亮',
      address: '测试路 9 号',
      externalId: 'WO-SCOPE-1',
    };
    const here = await signIn(app, (await makeAccount(db, w.t, 'dispatcher', w.t.subdistrict)).username, TEST_PASSWORD);
    const there = await signIn(
      app,
      (await makeAccount(db, w.t2, 'dispatcher', w.t2.subdistrict)).username,
      TEST_PASSWORD,
    );
    const first = await here.request('POST', '/api/cases', call);
    expect(first.statusCode, first.body).toBe(201);
    expect((await here.request('POST', '/api/cases', call)).json()).toEqual({ ...first.json(), created: false });
    const before = await counts();
    const foreign = await there.request('POST', '/api/cases', call);
    expect(foreign.statusCode, foreign.body).toBe(409);
    expect(foreign.json().error.code).toBe('EXTERNAL_ID_TAKEN');
    expect(foreign.body).not.toContain(first.json().trackingCode);
    expect(foreign.body).not.toContain(first.json().number);
    expect(await counts()).toEqual(before);
  });

  it('refuses a key longer than 100 characters as a validation error', async () => {
    const before = await counts();
    const res = await worker.request('POST', '/api/cases', staffReport(), { 'idempotency-key': 'k'.repeat(101) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(await counts()).toEqual(before);
  });

  it('documents the header and the refusal in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const path of ['/api/cases', '/api/public/cases']) {
      const op = doc.paths[path].post;
      expect(op.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key' }));
      expect(op.description).toContain('IDEMPOTENCY_KEY_REUSED');
    }
  });
});

describe('Idempotency-Key on the resident report', () => {
  it('answers an anonymous retry with the first case and tracking code, bursts included', async () => {
    const before = await counts();
    const first = await anonymous(publicReport(), 'anon-1');
    expect(first.statusCode, first.body).toBe(201);
    const retry = await anonymous(publicReport(), 'anon-1');
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ ...first.json(), created: false });
    const burst = await Promise.all(Array.from({ length: 6 }, () => anonymous(publicReport(), 'anon-burst')));
    oneCase(burst);
    expect((await counts()).cases).toBe(before.cases + 2);
  });

  it('never answers another sender’s case: the key is bound to the address of an anonymous sender', async () => {
    const mine = await anonymous(publicReport(), 'anon-shared', '198.51.100.1');
    const theirs = await anonymous(publicReport(), 'anon-shared', '198.51.100.2');
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.json().trackingCode).not.toBe(mine.json().trackingCode);
  });

  it('binds a signed-in resident’s key to the resident, and refuses it with another body', async () => {
    const resident = await makeResident(db);
    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/resident/session',
      payload: { phone: resident.phone, password: TEST_PASSWORD },
    });
    expect(signedIn.statusCode).toBe(200);
    const cookie = `gridloop_session=${signedIn.cookies.find((c) => c.name === 'gridloop_session')?.value}`;
    const headers = { cookie, 'x-csrf-token': signedIn.json().csrfToken, 'idempotency-key': 'res-1' };
    const send = (body: unknown, remoteAddress: string) =>
      app.inject({ method: 'POST', url: '/api/public/cases', payload: body as object, headers, remoteAddress });
    const first = await send(publicReport(), '192.0.2.1');
    expect(first.statusCode, first.body).toBe(201);
    // From another network (the phone moved to mobile data): still the resident's own key.
    const retry = await send(publicReport(), '192.0.2.99');
    expect(retry.json()).toEqual({ ...first.json(), created: false });
    // The same key anonymously from the first address is someone else's key.
    expect((await anonymous(publicReport(), 'res-1', '192.0.2.1')).json().id).not.toBe(first.json().id);
    const before = await counts();
    refusedAsReused(await send(publicReport({ description: '换了内容的另一次上报' }), '192.0.2.1'));
    expect(await counts()).toEqual(before);
  });
});

describe('Idempotency-Key on Open311 POST requests', () => {
  const form = (extra: Record<string, string> = {}) => ({
    api_key: w.key,
    jurisdiction_id: w.j,
    service_code: w.plain.code,
    lat: String(at()[1]),
    long: String(at()[0]),
    description: '小区南门道路坑洼积水',
    ...extra,
  });
  const requestId = (res: LightMyRequestResponse) =>
    (res.json() as { service_request_id: string }[])[0]?.service_request_id;

  it('answers a retry and a burst with the first request’s id, one case and one Open311 row', async () => {
    const before = { cases: await countRows(db, 'cases'), extra: await countRows(db, 'open311Request') };
    const first = await post('json', form(), { headers: { 'idempotency-key': 'o311-1' } });
    expect(first.statusCode, first.body).toBe(200);
    const retry = await post('json', form(), { headers: { 'idempotency-key': 'o311-1' } });
    expect(requestId(retry)).toBe(requestId(first));
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => post('json', form(), { headers: { 'idempotency-key': 'o311-burst' } })),
    );
    expect(burst.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(burst.map(requestId)).size).toBe(1);
    expect(await countRows(db, 'cases')).toBe(before.cases + 2);
    expect(await countRows(db, 'open311Request')).toBe(before.extra + 2);
  });

  it('refuses the key with another form in the spec’s error format, writing nothing', async () => {
    await post('json', form(), { headers: { 'idempotency-key': 'o311-2' } });
    const before = await counts();
    const res = await post('json', form({ description: '另一件事' }), { headers: { 'idempotency-key': 'o311-2' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-error-code']).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(res.json()[0]).toMatchObject({ code: 400, description: expect.stringContaining('幂等键') });
    expect(await counts()).toEqual(before);
  });
});

describe('Idempotency-Key on sensor alarms', () => {
  let key: string;
  beforeAll(async () => {
    const made = await w.admin.request('POST', '/api/machine-keys', {
      name: '烟感网关',
      unitId: (w.t.units.get(w.t.communities[0]) as { id: string }).id,
    });
    expect(made.statusCode, made.body).toBe(201);
    key = made.json().key;
  });
  const alarm = (idempotencyKey: string, extra: Record<string, unknown> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/intake/alarms',
      headers: { authorization: `Bearer ${key}`, 'idempotency-key': idempotencyKey },
      payload: {
        deviceId: 'smoke-7',
        categoryCode: w.category.code,
        lng: at()[0],
        lat: at()[1],
        description: '烟感报警：5 号楼楼道',
        ...extra,
      },
    });

  it('answers a burst of retries with one alarm and one case, and refuses the key with another alarm', async () => {
    const before = await countRows(db, 'cases');
    const burst = await Promise.all(Array.from({ length: 6 }, () => alarm('gw-1')));
    expect(burst.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(burst.filter((r) => r.json().replay === true)).toHaveLength(5);
    expect(new Set(burst.map((r) => r.json().caseId)).size).toBe(1);
    expect(await countRows(db, 'cases')).toBe(before + 1);

    const alarms = async () => (await db.selectFrom('alarm').select('id').execute()).length;
    const stored = await alarms();
    refusedAsReused(await alarm('gw-1', { deviceId: 'smoke-8', description: '烟感报警：6 号楼楼道' }));
    expect(await alarms()).toBe(stored);
    expect(await countRows(db, 'cases')).toBe(before + 1);
  });
});

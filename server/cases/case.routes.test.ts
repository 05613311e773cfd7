/**
 * The closed loop over HTTP: report → register → dispatch → acknowledge → handle → verify → close,
 * and the ways it branches (return, rework, reject, extension, deferral), with the guards of the
 * workflow table (state, relation, requirements, version) and scope.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import { createAccount } from '../accounts/commands/create-account.js';
import type { Db } from '../db/database.js';
import { uploadPhoto } from '../media/test-upload.js';
import {
  makeAccount,
  makeCategory,
  makeDepartment,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
  unitOf,
} from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let category: { id: string; code: string };
let department: { id: string; code: string };
let worker: Client;
let dispatcher: Client;
let handler: Client;
let supervisor: Client;

/** A fresh photo uploaded by `client` (a step's photos must be the actor's own uploads). */
const photo = async (client: Client) => ({ key: await uploadPhoto(app, { client }), role: 'evidence' as const });

async function report(client: Client = worker, extra: Record<string, unknown> = {}) {
  const [lng, lat] = t.gridCentres[0] as [number, number];
  const res = await client.request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode: category.code,
    description: '小区门口垃圾堆积，无人清运',
    lng,
    lat,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string; trackingCode: string };
}

async function step(client: Client, id: string, body: Record<string, unknown>) {
  const current = (await client.request('GET', `/api/cases/${id}`)).json();
  return client.request('POST', `/api/cases/${id}/transitions`, { version: current.version, ...body });
}

async function ok(client: Client, id: string, body: Record<string, unknown>) {
  const res = await step(client, id, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('case workflow over HTTP', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    category = await makeCategory(db);
    department = await makeDepartment(db, t);
    worker = await signIn(app, (await makeAccount(db, t, 'grid_worker', t.communities[0])).username, TEST_PASSWORD);
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
    supervisor = await signIn(app, (await makeAccount(db, t, 'supervisor', t.subdistrict)).username, TEST_PASSWORD);
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
  });

  it('runs the whole loop, one event per step, and records the level it was solved at', async () => {
    const created = await report();
    expect(created.number).toMatch(new RegExp(`^${t.district.slice(0, 6)}-\\d{8}-\\d{5}$`));
    let c = (await dispatcher.request('GET', `/api/cases/${created.id}`)).json();
    expect(c).toMatchObject({
      state: 'reported',
      outsideGrid: false,
      unitId: unitOf(t, t.grids[0]).id,
      clock: { stage: 'register', light: 'green' },
    });
    expect(c.abilities).toEqual(expect.arrayContaining(['register', 'reject', 'merge', 'close']));
    expect(Date.parse(c.clock.dueAt)).toBeGreaterThan(Date.now());

    await ok(dispatcher, created.id, { action: 'register' });
    c = await ok(dispatcher, created.id, { action: 'dispatch', departmentId: department.id });
    expect(c).toMatchObject({ state: 'dispatched', departmentId: department.id, clock: { stage: 'handle' } });
    const asHandler = (await handler.request('GET', `/api/cases/${created.id}`)).json();
    expect(asHandler.abilities.sort()).toEqual(['acknowledge', 'note', 'return']);
    await ok(handler, created.id, { action: 'acknowledge' });
    const noPhoto = await step(handler, created.id, { action: 'submit_handling', reason: '已清运完毕' });
    expect(noPhoto.statusCode).toBe(422);
    expect(noPhoto.json().error).toMatchObject({ code: 'CASE_REQUIREMENT_MISSING', fields: [{ path: 'body.photos' }] });
    await ok(handler, created.id, { action: 'submit_handling', reason: '已清运完毕', photos: [await photo(handler)] });
    c = await ok(worker, created.id, { action: 'verify_pass', photos: [await photo(worker)] });
    expect(c).toMatchObject({
      state: 'closed',
      closeReason: 'solved',
      solvedLevel: 'subdistrict',
      clock: { stage: null },
    });
    expect(c.events.map((e: { seq: number; action: string }) => `${e.seq}:${e.action}`)).toEqual([
      '1:report',
      '2:register',
      '3:dispatch',
      '4:acknowledge',
      '5:submit_handling',
      '6:verify_pass',
    ]);
    expect(c.counters).toMatchObject({ registered: 1, dispatched: 1, handled: 1 });
    const audit = await db.selectFrom('auditLog').select('action').where('subjectId', '=', created.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['case.reported', ...Array(5).fill('case.transitioned')]);
  });

  it('a return needs a reason, goes back to the dispatcher and is counted', async () => {
    const { id } = await report();
    await ok(dispatcher, id, { action: 'register' });
    await ok(dispatcher, id, { action: 'dispatch', departmentId: department.id });
    const bare = await step(handler, id, { action: 'return' });
    expect(bare.json().error).toMatchObject({ code: 'CASE_REQUIREMENT_MISSING', fields: [{ path: 'body.reason' }] });
    const c = await ok(handler, id, { action: 'return', reason: '不属于本部门职责' });
    expect(c).toMatchObject({
      state: 'registered',
      departmentId: null,
      counters: { returned: 1 },
      clock: { stage: 'dispatch' },
    });
  });

  it('a failed verification sends the case back to the same handler as rework', async () => {
    const { id } = await report();
    await ok(dispatcher, id, { action: 'register' });
    await ok(dispatcher, id, { action: 'dispatch', departmentId: department.id });
    await ok(handler, id, { action: 'acknowledge' });
    await ok(handler, id, { action: 'submit_handling', reason: '已处理完毕', photos: [await photo(handler)] });
    const c = await ok(worker, id, { action: 'verify_fail', reason: '现场仍有垃圾', photos: [await photo(worker)] });
    expect(c).toMatchObject({
      state: 'handling',
      departmentId: department.id,
      counters: { reworked: 1 },
      clock: { stage: 'handle' },
    });
  });

  it('refuses a transition from the wrong state, by the wrong person, or with a stale version — writing nothing', async () => {
    const { id } = await report();
    const wrongState = await step(handler, id, { action: 'acknowledge' });
    expect(wrongState.statusCode).toBe(409);
    const forbidden = await step(worker, id, { action: 'register' });
    expect(forbidden.statusCode).toBe(403);
    const stale = await dispatcher.request('POST', `/api/cases/${id}/transitions`, { action: 'register', version: 7 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'CASE_VERSION_CONFLICT', state: 'reported', version: 1 });
    const unknownAction = await dispatcher.request('POST', `/api/cases/${id}/transitions`, {
      action: 'teleport',
      version: 1,
    });
    expect(unknownAction.statusCode).toBe(400);
    const events = await db.selectFrom('caseEvent').select('seq').where('caseId', '=', id).execute();
    expect(events).toHaveLength(1);
  });

  it('lets exactly one of many concurrent transitions win', async () => {
    const { id } = await report();
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        dispatcher.request('POST', `/api/cases/${id}/transitions`, { action: 'register', version: 1 }),
      ),
    );
    const codes = attempts.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(7);
    const seqs = (await db.selectFrom('caseEvent').select('seq').where('caseId', '=', id).orderBy('seq').execute()).map(
      (e) => e.seq,
    );
    expect(seqs).toEqual([1, 2]);
  });

  it('never lets the handler verify their own work', async () => {
    const both = await db.transaction().execute((trx) =>
      createAccount(
        trx,
        { actor: SYSTEM_ACTOR },
        {
          username: 'double.hat',
          displayName: '身兼两职',
          phone: null,
          password: TEST_PASSWORD,
          mustChangePassword: false,
          grants: [
            { role: 'handler', unit: unitOf(t, t.subdistrict), department, grantedBy: null },
            { role: 'grid_worker', unit: unitOf(t, t.communities[0]), department: null, grantedBy: null },
          ],
        },
      ),
    );
    expect(both).toBeTruthy();
    const doubleHat = await signIn(app, 'double.hat', TEST_PASSWORD);
    const { id } = await report();
    await ok(dispatcher, id, { action: 'register' });
    await ok(dispatcher, id, { action: 'dispatch', departmentId: department.id });
    await ok(doubleHat, id, { action: 'acknowledge' });
    await ok(doubleHat, id, { action: 'submit_handling', reason: '已处理完毕', photos: [await photo(doubleHat)] });
    const own = await step(doubleHat, id, { action: 'verify_pass', photos: [await photo(doubleHat)] });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('VERIFIER_IS_HANDLER');
    await ok(worker, id, { action: 'verify_pass', photos: [await photo(worker)] });
  });

  it('moves the due time on an approved extension and stops the clock while deferred', async () => {
    const { id } = await report();
    await ok(dispatcher, id, { action: 'register' });
    await ok(dispatcher, id, { action: 'dispatch', departmentId: department.id });
    const handling = await ok(handler, id, { action: 'acknowledge' });
    const due = Date.parse(handling.clock.dueAt);
    expect((await step(supervisor, id, { action: 'approve_extension' })).statusCode).toBe(409);
    await ok(handler, id, {
      action: 'request_extension',
      reason: '需协调物业',
      amount: { amount: 2, unit: 'working_days' },
    });
    const extended = await ok(supervisor, id, { action: 'approve_extension' });
    expect(Date.parse(extended.clock.dueAt)).toBeGreaterThan(due);
    expect(extended).toMatchObject({ pendingRequest: null, counters: { extended: 1 } });
    await ok(handler, id, { action: 'request_deferral', reason: '待业主大会表决' });
    const deferred = await ok(supervisor, id, { action: 'approve_deferral' });
    expect(deferred).toMatchObject({ state: 'deferred', clock: { light: 'paused' } });
    const resumed = await ok(handler, id, { action: 'resume' });
    expect(resumed.state).toBe('handling');
    expect(Date.parse(resumed.clock.dueAt)).toBeGreaterThanOrEqual(Date.parse(extended.clock.dueAt));
  });

  it('rejects with a reason code, and answers bad reports with coded errors', async () => {
    const { id } = await report();
    const c = await ok(dispatcher, id, {
      action: 'reject',
      rejectReason: 'not_a_case',
      reason: '属个人私事，已电话解释',
    });
    expect(c.state).toBe('rejected');
    expect(c.abilities).toEqual([]);
    const unknown = await worker.request('POST', '/api/cases', {
      channel: 'patrol',
      categoryCode: '9999',
      description: '不存在的类别',
      address: '某路1号',
    });
    expect(unknown.json().error.code).toBe('CATEGORY_UNKNOWN');
    const nowhere = await worker.request('POST', '/api/cases', {
      channel: 'patrol',
      categoryCode: category.code,
      description: '没有位置的上报',
    });
    expect(nowhere.json().error.code).toBe('LOCATION_REQUIRED');
    const hotline = await worker.request('POST', '/api/cases', {
      channel: 'hotline',
      categoryCode: category.code,
      description: '网格员不能录入热线',
      address: '某路1号',
    });
    expect(hotline.json().error.code).toBe('CHANNEL_NOT_ALLOWED');
  });

  it('hides cases outside the scope (404) and lists only what the actor may see', async () => {
    const other = await makeTerritory(db, [121.7, 31.4]);
    const stranger = await signIn(
      app,
      (await makeAccount(db, other, 'dispatcher', other.subdistrict)).username,
      TEST_PASSWORD,
    );
    const { id } = await report();
    expect((await stranger.request('GET', `/api/cases/${id}`)).statusCode).toBe(404);
    expect((await stranger.request('GET', '/api/cases')).json().items).toEqual([]);
    const mine = (await dispatcher.request('GET', '/api/cases?state=reported')).json().items as {
      id: string;
      state: string;
    }[];
    expect(mine.map((c) => c.id)).toContain(id);
    expect(mine.every((c) => c.state === 'reported')).toBe(true);
  });

  it('lists the cases of one unit and since an instant (the heat map asks for a grid’s cases)', async () => {
    const before = new Date().toISOString();
    const [lng, lat] = t.gridCentres[3] as [number, number];
    const inGrid3 = await report(dispatcher, { lng, lat, channel: 'hotline' });
    const inGrid0 = await report();
    const ids = async (query: string) => {
      const res = await dispatcher.request('GET', `/api/cases?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string }[]).map((c) => c.id);
    };
    const grid3 = await ids(`unitId=${unitOf(t, t.grids[3]).id}`);
    expect(grid3).toContain(inGrid3.id);
    expect(grid3).not.toContain(inGrid0.id);
    // A community holds its grids' cases.
    expect(await ids(`unitId=${unitOf(t, t.communities[1]).id}`)).toContain(inGrid3.id);
    expect(await ids(`since=${encodeURIComponent(before)}`)).toEqual([inGrid0.id, inGrid3.id]);
    const unknown = await dispatcher.request('GET', '/api/cases?unitId=00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    expect((await dispatcher.request('GET', '/api/cases?since=yesterday')).statusCode).toBe(400);
  });

  it('takes a hotline call once per work-order id, masking the caller', async () => {
    const body = {
      channel: 'hotline',
      categoryCode: category.code,
      description: '12345转来：路灯不亮',
      address: '测试路88号',
      externalId: 'WO-2026-001',
      caller: { name: '王小明', phone: '13912345678' },
    };
    const first = await dispatcher.request('POST', '/api/cases', body);
    const again = await dispatcher.request('POST', '/api/cases', body);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const c = (await dispatcher.request('GET', `/api/cases/${first.json().id}`)).json();
    expect(c.reporter).toEqual({ kind: 'caller', name: '王**', phone: '139****5678' });
    expect(c.outsideGrid).toBe(true);
  });

  it('accepts an anonymous resident report, even outside every grid, and shows only public fields by tracking code', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/public/cases',
      payload: {
        categoryCode: category.code,
        description: '河边有人倾倒建筑垃圾',
        lng: 121.9,
        lat: 31.9,
        contact: { phone: '13800001111' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { trackingCode, id } = res.json();
    const view = await app.inject({ method: 'GET', url: `/api/public/cases/${trackingCode}` });
    expect(view.statusCode).toBe(200);
    expect(JSON.stringify(view.json())).not.toMatch(/13800001111|reporter|description/);
    expect(view.json().events.map((e: { action: string }) => e.action)).toEqual(['report']);
    // Outside every unit: it lands at the top of the territory, for the dispatchers above.
    expect((await dispatcher.request('GET', `/api/cases/${id}`)).statusCode).toBe(404);
    const cityDispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.city)).username, TEST_PASSWORD);
    const c = (await cityDispatcher.request('GET', `/api/cases/${id}`)).json();
    expect(c).toMatchObject({ outsideGrid: true, reporter: { kind: 'anonymous', name: null, phone: '138****1111' } });
    expect((await app.inject({ method: 'GET', url: '/api/public/cases/0000000000' })).statusCode).toBe(404);
  });

  it('suggests the department of the most specific dispatch rule', async () => {
    const specific = await makeDepartment(db, t);
    const rule = (unitCode: string, departmentId: string) => {
      const unit = unitOf(t, unitCode);
      return {
        id: crypto.randomUUID(),
        categoryId: category.id,
        unitId: unit.id,
        unitPath: unit.path,
        district: unit.district,
        departmentId,
        createdAt: new Date(),
      };
    };
    await db
      .insertInto('dispatchRule')
      .values([rule(t.subdistrict, department.id), rule(t.communities[0], specific.id)])
      .execute();
    const { id } = await report();
    const c = await ok(dispatcher, id, { action: 'register' });
    expect(c.suggestedDepartmentId).toBe(specific.id);
    await db.deleteFrom('dispatchRule').where('departmentId', '=', specific.id).execute();
    expect((await dispatcher.request('GET', `/api/cases/${id}`)).json().suggestedDepartmentId).toBe(department.id);
  });

  it('publishes the workflow table for the web', async () => {
    const res = await worker.request('GET', '/api/workflow');
    const actions = res.json().transitions.map((tr: { action: string }) => tr.action);
    expect(actions).toContain('verify_fail');
    expect(actions).toHaveLength(28);
  });
});

/**
 * The reporter's side of the loop by tracking code: an anonymous resident follows the case, rates
 * it once after closing (回访), and may dispute the closure within the window, which reopens it.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { DEFAULT_CASE_SETTINGS } from './case-settings.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let category: { id: string; code: string };
let dispatcher: Client;

const publicCall = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

/** An anonymous report, closed by the dispatcher as cannot-be-solved (no photos needed for that). */
async function closedCase() {
  const [lng, lat] = t.gridCentres[0] as [number, number];
  const reported = await publicCall('POST', '/api/public/cases', {
    categoryCode: category.code,
    description: '楼道灯坏了一个星期，晚上很黑',
    lng,
    lat,
    contact: { name: '王女士', phone: '13900001111' },
  });
  expect(reported.statusCode, reported.body).toBe(201);
  const { id, trackingCode } = reported.json() as { id: string; trackingCode: string };
  const before = (await publicCall('GET', `/api/public/cases/${trackingCode}`)).json();
  expect(before).toMatchObject({ state: 'reported', abilities: [], satisfaction: null });
  const current = (await dispatcher.request('GET', `/api/cases/${id}`)).json();
  const closed = await dispatcher.request('POST', `/api/cases/${id}/transitions`, {
    action: 'close',
    version: current.version,
    closeReason: 'unsolvable',
    reason: '产权单位正在走维修基金流程，已向居民说明',
  });
  expect(closed.statusCode, closed.body).toBe(200);
  return { id, trackingCode };
}

describe('reporter callback and dispute by tracking code', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    category = await makeCategory(db);
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
  });

  it('refuses a callback before the case is closed, and answers 404 for a code that does not exist', async () => {
    const [lng, lat] = t.gridCentres[1] as [number, number];
    const reported = (
      await publicCall('POST', '/api/public/cases', { categoryCode: category.code, description: '路面坑洼', lng, lat })
    ).json();
    const early = await publicCall('POST', `/api/public/cases/${reported.trackingCode}/callback`, {
      version: 1,
      satisfaction: 'satisfied',
      solved: true,
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('CASE_STATE_CONFLICT');
    const unknown = await publicCall('POST', '/api/public/cases/ZZZZZZZZZZ/callback', {
      version: 1,
      satisfaction: 'satisfied',
      solved: true,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('takes one rating per closure, with the version guard, and shows it publicly', async () => {
    const { id, trackingCode } = await closedCase();
    const view = (await publicCall('GET', `/api/public/cases/${trackingCode}`)).json();
    expect(view.abilities.sort()).toEqual(['callback', 'reopen']);

    const incomplete = await publicCall('POST', `/api/public/cases/${trackingCode}/callback`, {
      version: view.version,
      satisfaction: 'dissatisfied',
    });
    expect(incomplete.statusCode).toBe(400);
    const stale = await publicCall('POST', `/api/public/cases/${trackingCode}/callback`, {
      version: view.version - 1,
      satisfaction: 'dissatisfied',
      solved: false,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CASE_VERSION_CONFLICT');

    const rated = await publicCall('POST', `/api/public/cases/${trackingCode}/callback`, {
      version: view.version,
      satisfaction: 'basically_satisfied',
      solved: false,
    });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ state: 'closed', satisfaction: 'basically_satisfied', abilities: ['reopen'] });

    const again = await publicCall('POST', `/api/public/cases/${trackingCode}/callback`, {
      version: rated.json().version,
      satisfaction: 'satisfied',
      solved: true,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'CASE_PRECONDITION_FAILED' });

    const staffView = (await dispatcher.request('GET', `/api/cases/${id}`)).json();
    expect(staffView.satisfaction).toBe('basically_satisfied');
    const callback = staffView.events.find((e: { action: string }) => e.action === 'callback');
    expect(callback.actor.relation).toBe('reporter');
    const event = await db
      .selectFrom('caseEvent')
      .select(['actor', 'data'])
      .where('caseId', '=', id)
      .where('action', '=', 'callback')
      .executeTakeFirstOrThrow();
    expect(event.actor).toEqual({ kind: 'anonymous', via: 'tracking_code' });
    expect(event.data).toMatchObject({ satisfaction: 'basically_satisfied', solved: false });
  });

  it('reopens a disputed closure back to the dispatcher, keeping the history', async () => {
    const { id, trackingCode } = await closedCase();
    const view = (await publicCall('GET', `/api/public/cases/${trackingCode}`)).json();
    const short = await publicCall('POST', `/api/public/cases/${trackingCode}/reopen`, {
      version: view.version,
      reason: '没',
    });
    expect(short.statusCode).toBe(400);
    const reopened = await publicCall('POST', `/api/public/cases/${trackingCode}/reopen`, {
      version: view.version,
      reason: '灯还是不亮，并没有人来处理过',
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ state: 'registered', abilities: [] });

    const staffView = (await dispatcher.request('GET', `/api/cases/${id}`)).json();
    expect(staffView).toMatchObject({ state: 'registered', closeReason: null, counters: { reopened: 1 } });
    expect(staffView.abilities).toContain('dispatch');
    expect(staffView.events.map((e: { action: string }) => e.action)).toEqual(['report', 'close', 'reopen']);
    const audit = await db
      .selectFrom('auditLog')
      .select(['action', 'actor'])
      .where('subjectId', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['case.reported', 'case.transitioned', 'case.transitioned']);
  });

  it('refuses a dispute after the window and changes nothing', async () => {
    const { id, trackingCode } = await closedCase();
    const longAgo = new Date(Date.now() - (DEFAULT_CASE_SETTINGS.disputeDays + 1) * 86_400_000);
    await db.updateTable('cases').set({ closedAt: longAgo }).where('id', '=', id).execute();
    const view = (await publicCall('GET', `/api/public/cases/${trackingCode}`)).json();
    expect(view.abilities).toEqual(['callback']);
    const late = await publicCall('POST', `/api/public/cases/${trackingCode}/reopen`, {
      version: view.version,
      reason: '问题依旧存在，要求重新处理',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'CASE_PRECONDITION_FAILED' });
    const after = await db
      .selectFrom('cases')
      .select(['state', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ state: 'closed', version: view.version });
  });

  it('follows the dispute window set by an administrator', async () => {
    const admin = await signIn(app, (await makeAccount(db, t, 'admin', t.district)).username, TEST_PASSWORD);
    const { id, trackingCode } = await closedCase();
    await db
      .updateTable('cases')
      .set({ closedAt: new Date(Date.now() - 10 * 86_400_000) })
      .where('id', '=', id)
      .execute();
    expect((await publicCall('GET', `/api/public/cases/${trackingCode}`)).json().abilities).toEqual(['callback']);
    expect(
      (await dispatcher.request('PUT', '/api/settings/cases', { disputeDays: 15, warnShare: 0.8 })).statusCode,
    ).toBe(403);
    const bad = await admin.request('PUT', '/api/settings/cases', { disputeDays: 0, warnShare: 0.8 });
    expect(bad.statusCode).toBe(400);
    const set = await admin.request('PUT', '/api/settings/cases', { disputeDays: 15, warnShare: 0.8 });
    expect(set.json()).toEqual({ disputeDays: 15, warnShare: 0.8 });
    expect((await publicCall('GET', `/api/public/cases/${trackingCode}`)).json().abilities.sort()).toEqual([
      'callback',
      'reopen',
    ]);
    const audit = await db
      .selectFrom('auditLog')
      .select('data')
      .where('action', '=', 'settings.changed')
      .executeTakeFirstOrThrow();
    expect(audit.data).toEqual({ area: 'cases', changes: ['disputeDays: 7 → 15', 'warnShare: 0.75 → 0.8'] });
  });

  it('files an address-only report with the dispatchers of the narrowest unit covering every grid', async () => {
    const reported = await publicCall('POST', '/api/public/cases', {
      categoryCode: category.code,
      description: '小区北门外人行道地砖松动',
      address: '东苑小区北门',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const seen = await dispatcher.request('GET', `/api/cases/${reported.json().id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ outsideGrid: true, address: '东苑小区北门', location: null });
  });
});

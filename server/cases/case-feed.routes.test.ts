/**
 * The wall display's feed: the newest steps first, exactly the case list's scope (a grid worker of
 * one community, a department's handler, the subdistrict's dispatcher), the light now, nothing
 * personal (caller, description, title), and coded answers for a bad `limit`.
 */
import type { FastifyInstance } from 'fastify';
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

interface Step {
  caseId: string;
  number: string;
  seq: number;
  action: string;
  toState: string;
  category: { code: string; name: { zh: string; en: string } };
  unitName: string | null;
  light: string;
  at: string;
}

let db: Db;
let app: FastifyInstance;
let t: Territory;
let category: { id: string; code: string };
let department: { id: string; code: string };
let dispatcher: Client;
let workerA: Client;
let workerB: Client;
let handler: Client;
const ids: string[] = [];

const CALLER = { name: '王秀英', phone: '13912345678' };
const DESCRIPTION = '王秀英家楼下窨井盖缺失，电话13912345678';

async function report(client: Client, grid: number, body: Record<string, unknown> = {}) {
  const [lng, lat] = t.gridCentres[grid] as [number, number];
  const res = await client.request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode: category.code,
    description: '人行道上的窨井盖缺失',
    lng,
    lat,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  const { id } = res.json() as { id: string };
  ids.push(id);
  return id;
}

async function step(id: string, body: Record<string, unknown>) {
  const current = (await dispatcher.request('GET', `/api/cases/${id}`)).json() as { version: number };
  const res = await dispatcher.request('POST', `/api/cases/${id}/transitions`, { ...body, version: current.version });
  expect(res.statusCode, res.body).toBe(200);
}

async function feed(client: Client, query = '') {
  const res = await client.request('GET', `/api/cases/feed${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Step[] }).items;
}

describe('the wall display’s feed of steps', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    category = await makeCategory(db);
    department = await makeDepartment(db, t);
    const account = async (role: Parameters<typeof makeAccount>[2], unit: string, options = {}) =>
      signIn(app, (await makeAccount(db, t, role, unit, options)).username, TEST_PASSWORD);
    dispatcher = await account('dispatcher', t.subdistrict);
    workerA = await account('grid_worker', t.communities[0]);
    workerB = await account('grid_worker', t.communities[1]);
    // A handler whose grant is a community of the other half: the department's cases reach them anyway.
    handler = await account('handler', t.communities[1], {
      departmentId: department.id,
      departmentCode: department.code,
    });
    await report(workerA, 0);
    await report(workerB, 2);
    await report(dispatcher, 1, { channel: 'hotline', caller: CALLER, description: DESCRIPTION });
    await step(ids[0] as string, { action: 'register' });
    await step(ids[0] as string, { action: 'dispatch', departmentId: department.id });
    // The hotline case runs late: its register clock is put in the past, as the sweep would find it.
    await db
      .updateTable('cases')
      .set({ dueAt: new Date(Date.now() - 60_000), overdueAt: new Date() })
      .where('id', '=', ids[2] as string)
      .execute();
  });

  it('lists the newest steps first, with the case, its category, grid and light now', async () => {
    const items = await feed(dispatcher);
    expect(items.map((s) => [s.caseId, s.action, s.toState])).toEqual([
      [ids[0], 'dispatch', 'dispatched'],
      [ids[0], 'register', 'registered'],
      [ids[2], 'report', 'reported'],
      [ids[1], 'report', 'reported'],
      [ids[0], 'report', 'reported'],
    ]);
    const times = items.map((s) => Date.parse(s.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const first = items[0] as Step;
    expect(first.number).toMatch(/^\d{6}-\d{8}-\d{5}$/);
    expect(first.category.code).toBe(category.code);
    expect(first.category.name.zh).toBeTruthy();
    expect(first.category.name.en).toBeTruthy();
    expect(first.unitName).toBe('第1网格');
    expect(items.find((s) => s.caseId === ids[2])?.light).toBe('red');
    expect(items.find((s) => s.caseId === ids[1])?.light).toBe('green');
    expect(await feed(dispatcher, '?limit=2')).toEqual(items.slice(0, 2));
  });

  it('is scoped exactly like the case list', async () => {
    for (const client of [dispatcher, workerA, workerB, handler]) {
      const listed = (await client.request('GET', '/api/cases?limit=500')).json() as { items: { id: string }[] };
      const fed = new Set((await feed(client, '?limit=100')).map((s) => s.caseId));
      expect(fed).toEqual(new Set(listed.items.map((c) => c.id)));
    }
    // The handler's grant covers community 2 only; the case dispatched to their department shows too.
    expect(new Set((await feed(handler)).map((s) => s.caseId))).toEqual(new Set([ids[0], ids[1]]));
    expect((await feed(workerA)).map((s) => s.caseId)).toEqual([ids[0], ids[0], ids[2], ids[0]]);
  });

  it('carries nothing personal: no caller, description or title', async () => {
    const res = await dispatcher.request('GET', '/api/cases/feed');
    for (const text of [CALLER.name, CALLER.phone, '窨井盖']) expect(res.body).not.toContain(text);
    const keys = (res.json() as { items: Record<string, unknown>[] }).items.flatMap((s) => Object.keys(s));
    expect(new Set(keys)).toEqual(
      new Set(['caseId', 'number', 'seq', 'action', 'toState', 'category', 'unitName', 'light', 'at']),
    );
  });

  it('refuses a bad limit with a coded 400, and the signed-out with 401', async () => {
    for (const query of ['?limit=0', '?limit=101', '?limit=x', '?limit=2.5', '?limit=', '?other=1']) {
      const res = await dispatcher.request('GET', `/api/cases/feed${query}`);
      expect(res.statusCode, query).toBe(400);
      const { error } = res.json() as { error: { code: string; messages: Record<string, string> } };
      expect(error.code, query).toBe('VALIDATION_FAILED');
      expect(error.messages['zh-CN']).toBeTruthy();
      expect(error.messages.en).toBeTruthy();
    }
    expect((await app.inject({ method: 'GET', url: '/api/cases/feed' })).statusCode).toBe(401);
  });
});

/**
 * The board of lights and the case map: counts and points only from the actor's scope, the light as
 * the case page shows it, the bounding box and light filters; and the case list's number and text
 * search.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let category: { id: string; code: string };
let dispatcher: Client;
let workerA: Client;
let workerB: Client;
const reported: { id: string; number: string; grid: number }[] = [];

type Lights = Record<'green' | 'yellow' | 'red' | 'paused' | 'none', number>;

async function report(client: Client, grid: number, description: string) {
  const [lng, lat] = t.gridCentres[grid] as [number, number];
  const res = await client.request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode: category.code,
    description,
    lng,
    lat,
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { id: string; number: string };
  reported.push({ ...body, grid });
  return body;
}

describe('board of lights and case map', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    category = await makeCategory(db);
    const account = async (role: Parameters<typeof makeAccount>[2], unit: string) =>
      signIn(app, (await makeAccount(db, t, role, unit)).username, TEST_PASSWORD);
    dispatcher = await account('dispatcher', t.subdistrict);
    workerA = await account('grid_worker', t.communities[0]);
    workerB = await account('grid_worker', t.communities[1]);
    await report(workerA, 0, '路灯不亮，晚上漆黑一片');
    await report(workerA, 1, '绿化带里堆了建筑垃圾');
    await report(workerB, 2, '下水道冒水，路面积水');
    // One case overdue: its register clock is put in the past, as the sweep would find it.
    await db
      .updateTable('cases')
      .set({ dueAt: new Date(Date.now() - 60_000), overdueAt: new Date() })
      .where('id', '=', reported[0]?.id as string)
      .execute();
    await db
      .updateTable('cases')
      .set({ warnedAt: new Date() })
      .where('id', '=', reported[1]?.id as string)
      .execute();
  });

  it('counts the lights of open cases in scope, per stage', async () => {
    const res = await dispatcher.request('GET', '/api/cases/board');
    expect(res.statusCode, res.body).toBe(200);
    const board = res.json() as {
      total: Lights;
      byStage: { stage: string | null; lights: Lights }[];
      byDepartment: { departmentId: string | null; lights: Lights }[];
    };
    expect(board.total).toMatchObject({ red: 1, yellow: 1, green: 1 });
    expect(board.byStage).toEqual([
      { stage: 'register', lights: expect.objectContaining({ red: 1, yellow: 1, green: 1 }) },
    ]);
    expect(board.byDepartment).toEqual([
      { departmentId: null, name: null, lights: expect.objectContaining({ red: 1 }) },
    ]);
    // A grid worker of the other community sees only theirs.
    const other = (await workerB.request('GET', '/api/cases/board')).json() as { total: Lights };
    expect(other.total).toMatchObject({ red: 0, yellow: 0, green: 1 });
    expect((await app.inject({ method: 'GET', url: '/api/cases/board' })).statusCode).toBe(401);
  });

  it('maps points in scope, filtered by box and light, most urgent first', async () => {
    const all = (await dispatcher.request('GET', '/api/cases/map')).json();
    expect(all.truncated).toBe(false);
    expect(all.features.map((f: { properties: { light: string } }) => f.properties.light)).toEqual([
      'red',
      'yellow',
      'green',
    ]);
    expect(all.features[0].geometry.coordinates).toEqual(t.gridCentres[0]);
    const mine = (await workerB.request('GET', '/api/cases/map')).json();
    expect(mine.features.map((f: { properties: { id: string } }) => f.properties.id)).toEqual([reported[2]?.id]);
    const [lng, lat] = t.gridCentres[1] as [number, number];
    const boxed = (
      await dispatcher.request('GET', `/api/cases/map?bbox=${lng - 0.001},${lat - 0.001},${lng + 0.001},${lat + 0.001}`)
    ).json();
    expect(boxed.features.map((f: { properties: { id: string } }) => f.properties.id)).toEqual([reported[1]?.id]);
    const red = (await dispatcher.request('GET', '/api/cases/map?light=red')).json();
    expect(red.features).toHaveLength(1);
    const capped = (await dispatcher.request('GET', '/api/cases/map?limit=2')).json();
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.features).toHaveLength(2);
    for (const bad of ['bbox=1,2,3', 'bbox=10,10,5,5', 'light=blue', 'state=open', 'limit=0']) {
      const res = await dispatcher.request('GET', `/api/cases/map?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code, bad).toBe('VALIDATION_FAILED');
    }
  });

  it('maps the cases reported in a time window (the heat map’s period), closed ones too when asked', async () => {
    const ids = async (query: string) =>
      (
        (await dispatcher.request('GET', `/api/cases/map?${query}`)).json().features as {
          properties: { id: string };
        }[]
      ).map((f) => f.properties.id);
    // The second case was reported "yesterday"; it is closed.
    await db
      .updateTable('cases')
      .set({ createdAt: new Date(Date.now() - 86_400_000), state: 'closed', stage: null })
      .where('id', '=', reported[1]?.id as string)
      .execute();
    const hourAgo = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString());
    const twoDaysAgo = encodeURIComponent(new Date(Date.now() - 2 * 86_400_000).toISOString());
    expect((await ids(`since=${hourAgo}`)).sort()).toEqual([reported[0]?.id, reported[2]?.id].sort());
    // Open cases only unless the states are named.
    expect(await ids(`since=${twoDaysAgo}&until=${hourAgo}`)).toEqual([]);
    expect(await ids(`since=${twoDaysAgo}&until=${hourAgo}&state=closed`)).toEqual([reported[1]?.id]);
    expect((await dispatcher.request('GET', '/api/cases/map?since=last-week')).statusCode).toBe(400);
  });

  it('finds a case by its number, and by words of its text, in scope only', async () => {
    const target = reported[2] as { id: string; number: string };
    const byNumber = (await dispatcher.request('GET', `/api/cases?number=${target.number}`)).json();
    expect(byNumber.items.map((c: { id: string }) => c.id)).toEqual([target.id]);
    expect((await workerA.request('GET', `/api/cases?number=${target.number}`)).json().items).toEqual([]);
    const byWords = (await dispatcher.request('GET', `/api/cases?q=${encodeURIComponent('建筑垃圾')}`)).json();
    expect(byWords.items.map((c: { id: string }) => c.id)).toEqual([reported[1]?.id]);
    const wildcard = (await dispatcher.request('GET', `/api/cases?q=${encodeURIComponent('%')}`)).json();
    expect(wildcard.items).toEqual([]);
    expect((await dispatcher.request('GET', '/api/cases?number=12345')).statusCode).toBe(400);
  });
});

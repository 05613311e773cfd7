/**
 * Repeat problems: the greedy choice of places (pure), then the route over reports placed metres
 * apart and days apart — what counts as an occurrence, the window, the category, the radius, the
 * reader's scope and bad queries.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory, unitOf } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { reportCase } from './commands/report-case.js';
import { chooseHotspots } from './hotspots.js';

describe('chooseHotspots', () => {
  const cell = (x: number, y: number, n = 1, categoryId = 'a') => ({ categoryId, x, y, n });

  it('takes the fullest neighbourhood first and never chains a street of cells into one place', () => {
    // Ten cells in a row, one case each: three places of three cells, the tenth cell left alone.
    const row = Array.from({ length: 10 }, (_, x) => cell(x, 0));
    const chosen = chooseHotspots(row, 3);
    expect(chosen.map((g) => g.map((c) => c.x).sort((a, b) => a - b))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    for (const g of chosen)
      expect(Math.max(...g.map((c) => c.x)) - Math.min(...g.map((c) => c.x))).toBeLessThanOrEqual(2);
  });

  it('keeps categories apart, drops places under the threshold and stops at the cap', () => {
    const cells = [cell(0, 0, 2, 'a'), cell(1, 1, 1, 'a'), cell(0, 0, 2, 'b'), cell(5, 5, 2, 'a')];
    const chosen = chooseHotspots(cells, 3);
    expect(chosen).toHaveLength(1);
    expect(chosen[0]?.every((c) => c.categoryId === 'a')).toBe(true);
    expect(chosen[0]?.reduce((s, c) => s + c.n, 0)).toBe(3);
    const many = Array.from({ length: 20 }, (_, i) => cell(i * 10, 0, 5));
    expect(chooseHotspots(many, 3, 7)).toHaveLength(7);
  });
});

let db: Db;
let app: FastifyInstance;
let t: Territory;
let leader: Client;
let committee2: Client;
let catA: { id: string; code: string };
let catB: { id: string; code: string };

/** Metres east and north of a point. */
const offset = ([lng, lat]: [number, number], east: number, north: number): [number, number] => [
  lng + east / (111_195 * Math.cos((lat * Math.PI) / 180)),
  lat + north / 111_195,
];
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

async function report(category: { code: string }, at: [number, number], days: number, description = '路边垃圾堆放') {
  const { id } = await reportCase(
    { db, locator: app.locator, actor: null, now: daysAgo(days) },
    {
      channel: 'resident',
      categoryCode: category.code,
      urgency: 'normal',
      description,
      address: '梧桐路 18 号门口',
      lng: at[0],
      lat: at[1],
      reporter: { kind: 'anonymous', name: '张先生', phone: '13800005678' },
    },
  );
  return id;
}

interface HotspotBody {
  items: {
    category: { code: string };
    count: number;
    open: number;
    unit: { name: string };
    address: string | null;
    cases: { number: string }[];
  }[];
}

async function hotspots(client: Client, query = ''): Promise<HotspotBody> {
  const res = await client.request('GET', `/api/cases/hotspots?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as HotspotBody;
}

describe('GET /api/cases/hotspots', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db, [121.7, 31.2]);
    catA = await makeCategory(db);
    catB = await makeCategory(db);
    leader = await signIn(app, (await makeAccount(db, t, 'leader', t.subdistrict)).username, TEST_PASSWORD);
    committee2 = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.communities[1])).username, TEST_PASSWORD);
    const place = t.gridCentres[0] as [number, number];
    // The place: A four times within 30 m over three weeks, one of them rejected; once more 40 days ago.
    await report(catA, place, 2);
    await report(catA, offset(place, 20, 10), 9);
    await report(catA, offset(place, -15, 20), 20);
    const rejected = await report(catA, offset(place, 5, -5), 3);
    await db.updateTable('cases').set({ state: 'rejected' }).where('id', '=', rejected).execute();
    await report(catA, offset(place, 10, 0), 40);
    // B twice at the same place: not (yet) a repeat problem.
    await report(catB, offset(place, 0, 5), 1, '夜间施工噪音');
    await report(catB, offset(place, 5, 0), 4, '夜间施工噪音');
    // A twice at another grid, 300 m apart: two places, neither repeating.
    const far = t.gridCentres[3] as [number, number];
    await report(catA, far, 5);
    await report(catA, offset(far, 300, 0), 6);
  }, 60_000);

  it('lists the place where one category recurred, counting only occurrences in the window', async () => {
    const body = await hotspots(leader, `unitId=${unitOf(t, t.subdistrict).id}`);
    expect(body.items).toHaveLength(1);
    const [spot] = body.items;
    expect(spot).toMatchObject({ category: { code: catA.code }, count: 3, open: 3, address: '梧桐路 18 号门口' });
    expect(spot?.cases).toHaveLength(3);
    // Newest first.
    const numbers = spot?.cases.map((c) => c.number) ?? [];
    expect([...numbers].sort().reverse()).toEqual(numbers);
  });

  it('widens with the window, lowers with the threshold, narrows with the category and the radius', async () => {
    expect((await hotspots(leader, 'days=60')).items[0]?.count).toBe(4);
    // min 2: B's two reports make a place too (A's far pair is 300 m apart: still two places).
    const two = await hotspots(leader, 'min=2');
    expect(two.items.map((i) => [i.category.code, i.count])).toEqual([
      [catA.code, 3],
      [catB.code, 2],
    ]);
    expect((await hotspots(leader, `min=2&category=${catB.code}`)).items.map((i) => i.category.code)).toEqual([
      catB.code,
    ]);
    expect((await hotspots(leader, 'min=2&radius=400')).items.map((i) => i.count)).toEqual([3, 2, 2]);
  });

  it('keeps to the reader’s scope and refuses what it cannot answer', async () => {
    // The place is in community 1: community 2's dispatcher sees no repeat problem there.
    expect((await hotspots(committee2)).items).toHaveLength(0);
    const out = await committee2.request('GET', `/api/cases/hotspots?unitId=${unitOf(t, t.communities[0]).id}`);
    expect(out.statusCode).toBe(404);
    for (const [query, status, code] of [
      ['days=0', 400, 'VALIDATION_FAILED'],
      ['min=1', 400, 'VALIDATION_FAILED'],
      ['radius=5000', 400, 'VALIDATION_FAILED'],
      ['category=9', 400, 'VALIDATION_FAILED'],
      ['category=98', 422, 'INDICATOR_FILTER_UNKNOWN'],
      ['unitId=00000000-0000-4000-8000-000000000000', 404, 'NOT_FOUND'],
      ['colour=red', 400, 'VALIDATION_FAILED'],
    ] as const) {
      const res = await leader.request('GET', `/api/cases/hotspots?${query}`);
      expect(res.statusCode, query).toBe(status);
      expect(res.json().error.code, query).toBe(code);
    }
    const anonymous = await app.inject({ method: 'GET', url: '/api/cases/hotspots' });
    expect(anonymous.statusCode).toBe(401);
  });
});

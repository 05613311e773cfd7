/**
 * The demo subdistrict goes through the real import pipeline (so its polygons pass the same checks
 * as any file), and every demo account signs in with the documented password and scope.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { DEMO_PASSWORD, DEMO_SUBDISTRICT_CODE, generateDemo } from './demo-data.js';
import { seedDemo } from './seed-demo.js';

let db: Db;
let app: FastifyInstance;

describe('seedDemo', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
  });

  it('writes the demo once and leaves it alone the second time', async () => {
    const first = await seedDemo(db);
    expect(first.seeded).toBe(true);
    const counts = await db.selectFrom('unit').select(['level']).execute();
    const byLevel = Object.fromEntries(
      ['city', 'district', 'subdistrict', 'community', 'responsibility_grid', 'grid'].map((l) => [
        l,
        counts.filter((c) => c.level === l).length,
      ]),
    );
    expect(byLevel).toEqual({ city: 1, district: 1, subdistrict: 1, community: 10, responsibility_grid: 20, grid: 40 });
    const second = await seedDemo(db);
    expect(second.seeded).toBe(false);
    expect((await db.selectFrom('unit').select('id').execute()).length).toBe(counts.length);
  });

  it('places every grid centre in its own grid', async () => {
    const admin = await signIn(app, 'admin', DEMO_PASSWORD);
    const grids = generateDemo().units.filter((u) => u.level === 'grid');
    for (const grid of grids) {
      const ring = grid.geometry?.type === 'Polygon' ? grid.geometry.coordinates[0] : undefined;
      if (!ring) throw new Error('grid without polygon');
      const corners = ring.slice(0, -1);
      const lng = corners.reduce((s, p) => s + p[0], 0) / corners.length;
      const lat = corners.reduce((s, p) => s + p[1], 0) / corners.length;
      const res = await admin.request('GET', `/api/units/locate?lng=${lng}&lat=${lat}`);
      expect(res.json().grid?.code, grid.code).toBe(grid.code);
    }
  });

  it('every demo account signs in and sees its own scope', async () => {
    for (const account of generateDemo().accounts) {
      const client = await signIn(app, account.username, account.password);
      const session = (await client.request('GET', '/api/session')).json();
      expect(session.account.grants.map((g: { unit: { code: string } }) => g.unit.code)).toEqual(
        account.grants.map((g) => g.unitCode),
      );
      const roots = (await client.request('GET', '/api/units')).json().items.map((u: { code: string }) => u.code);
      expect(roots.length).toBeGreaterThan(0);
      if (account.username === 'admin') expect(roots).toEqual([DEMO_SUBDISTRICT_CODE]);
    }
  });
});

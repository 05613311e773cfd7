/**
 * The demo subdistrict goes through the real import pipeline (so its polygons pass the same checks
 * as any file), and every demo account signs in with the documented password and scope.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import { BUILTIN_CATEGORIES, builtinLimitRows } from '../cases/catalogue/builtin-catalogue.js';
import { seedCatalogue } from '../cases/catalogue/seed-catalogue.js';
import { suggestDepartment } from '../cases/dispatch-rules.js';
import type { Db } from '../db/database.js';
import { createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { DEMO_PASSWORD, DEMO_SUBDISTRICT_CODE, demoCommitteeCode, generateDemo } from './demo-data.js';
import { DEMO_RULE_OVERRIDES, planDemoDispatchRules } from './demo-dispatch-rules.js';
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

  it('installs the case catalogue with its limits, and a dispatch rule for every category in every demo grid', async () => {
    const categories = await db.selectFrom('category').select(['id', 'code']).execute();
    expect(categories.map((c) => c.code).sort()).toEqual(BUILTIN_CATEGORIES.map((c) => c.code).sort());
    expect(await db.selectFrom('timeLimit').select('id').execute()).toHaveLength(builtinLimitRows().length);
    const plans = planDemoDispatchRules(generateDemo());
    expect(await db.selectFrom('dispatchRule').select('id').execute()).toHaveLength(plans.length);
    // Installing the catalogue again finds nothing to do.
    expect(await db.transaction().execute((trx) => seedCatalogue(trx, { actor: SYSTEM_ACTOR }))).toEqual({
      inserted: 0,
      updated: 0,
      limits: 0,
    });

    // Every (grid, minor category) pair resolves to a department, by the same "longest path" rule.
    const { rows: unrouted } = await sql<{ grid: string; category: string }>`
      select g.code as grid, c.code as category from unit g cross join category c
      where g.level = 'grid' and c.code not like '%00'
        and not exists (select 1 from dispatch_rule r where r.category_id = c.id and g.path like r.unit_path || '%')`.execute(
      db,
    );
    expect(unrouted).toEqual([]);

    const department = async (code: string) =>
      (await db.selectFrom('department').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    const grid = async (committee: number) =>
      db
        .selectFrom('unit')
        .select('path')
        .where('code', '=', `${demoCommitteeCode(committee)}001`)
        .executeTakeFirstOrThrow();
    const categoryId = (code: string) => categories.find((c) => c.code === code)?.id ?? '';
    const first = (await grid(0)).path;
    // 暴露垃圾 → the subdistrict's 市容所; 上水井盖 → the district's 建设和管理委员会 (no water bureau in the demo).
    expect(await suggestDepartment(db, categoryId('1101'), first)).toBe(await department('D310104090-SR'));
    expect(await suggestDepartment(db, categoryId('0101'), first)).toBe(await department('D310104-JW'));
    // 机动车乱停放: the police station, except in 银杏新村 where the committee's own rule wins.
    const override = DEMO_RULE_OVERRIDES.find((o) => o.categoryCode === '1505');
    expect(override?.committee).toBe(6);
    expect(await suggestDepartment(db, categoryId('1505'), first)).toBe(await department('D310104090-PCS'));
    expect(await suggestDepartment(db, categoryId('1505'), (await grid(6)).path)).toBe(
      await department('D310104090-CG'),
    );
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

import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeTerritory, square, TEST_PASSWORD, type Territory, unitOf } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let admin: Client;
let worker: Client;

const count = async () =>
  Number(
    (
      await db
        .selectFrom('unit')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('territory API', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db, [121.3, 31.1]);
    admin = await signIn(app, (await makeAccount(db, t, 'admin', t.subdistrict)).username, TEST_PASSWORD);
    worker = await signIn(app, (await makeAccount(db, t, 'grid_worker', t.grids[0])).username, TEST_PASSWORD);
  });

  it('lists the scope roots, then children, with abilities', async () => {
    const roots = (await admin.request('GET', '/api/units')).json().items;
    expect(roots.map((u: { code: string }) => u.code)).toEqual([t.subdistrict]);
    expect(roots[0]).toMatchObject({
      childCount: 2,
      hasGeometry: true,
      abilities: { update: false, createChild: true },
    });
    const children = (await admin.request('GET', `/api/units?parentId=${roots[0].id}`)).json().items;
    expect(children.map((u: { code: string }) => u.code)).toEqual([...t.communities]);
    expect(children[0].abilities).toMatchObject({ update: true, createChild: true, import: true });
  });

  it('limits a grid worker to their grid; anything else is 404 and audited', async () => {
    const roots = (await worker.request('GET', '/api/units')).json().items;
    expect(roots.map((u: { code: string }) => u.code)).toEqual([t.grids[0]]);
    expect(roots[0].abilities).toEqual({ update: false, createChild: false, import: false });
    const other = unitOf(t, t.grids[1]);
    const res = await worker.request('GET', `/api/units/${other.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    const denied = await db
      .selectFrom('auditLog')
      .select(['action', 'data'])
      .where('subjectId', '=', other.id)
      .execute();
    expect(denied).toEqual([
      { action: 'access.denied', data: expect.objectContaining({ reason: 'out_of_scope', method: 'GET' }) },
    ]);
    const search = (await worker.request('GET', '/api/units?q=网格')).json().items;
    expect(search.map((u: { code: string }) => u.code)).toEqual([t.grids[0]]);
  });

  it('shows a unit with breadcrumbs and geometry, and its children as GeoJSON', async () => {
    const community = unitOf(t, t.communities[0]);
    const detail = (await admin.request('GET', `/api/units/${community.id}`)).json();
    expect(detail.ancestors.map((a: { code: string }) => a.code)).toEqual([t.city, t.district, t.subdistrict]);
    expect(detail.geometry.type).toBe('Polygon');
    const fc = (await admin.request('GET', `/api/units/${unitOf(t, t.subdistrict).id}/geojson?level=grid`)).json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual([...t.grids]);
  });

  it('places points in unit grids: inside, outside, and out of scope', async () => {
    const [lng, lat] = t.gridCentres[0] as [number, number];
    const inside = await admin.request('GET', `/api/units/locate?lng=${lng}&lat=${lat}`);
    expect(inside.statusCode).toBe(200);
    expect(inside.json().grid.code).toBe(t.grids[0]);
    expect(inside.json().ancestors.map((a: { code: string }) => a.code)).toContain(t.communities[0]);
    expect((await admin.request('GET', '/api/units/locate?lng=100&lat=30')).statusCode).toBe(404);
    const [lng2, lat2] = t.gridCentres[3] as [number, number];
    expect((await worker.request('GET', `/api/units/locate?lng=${lng2}&lat=${lat2}`)).statusCode).toBe(404);
    expect((await admin.request('GET', '/api/units/locate?lng=abc&lat=1')).statusCode).toBe(400);
  });

  it('creates a unit grid and rejects bad ones with coded errors, writing nothing', async () => {
    const before = await count();
    const c2 = t.communities[1];
    const [x, y] = [121.3, 31.1];
    const bad = async (body: Record<string, unknown>, status: number, code: string) => {
      const res = await admin.request('POST', '/api/units', body);
      expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
      expect(res.json().error.code).toBe(code);
    };
    await bad({ code: `${c2}000`, name: '零号', geometry: square(x, y + 0.01, 0.001) }, 422, 'UNIT_CODE_INVALID');
    await bad({ code: `${c2}001`, name: '重复', geometry: square(x, y + 0.01, 0.001) }, 409, 'UNIT_CODE_DUPLICATE');
    await bad(
      { code: `${c2}009`, name: '越界', geometry: square(x + 0.05, y + 0.05, 0.001) },
      422,
      'UNIT_OUTSIDE_PARENT',
    );
    await bad({ code: `${c2}009`, name: '重叠', geometry: square(x + 0.001, y + 0.011, 0.002) }, 422, 'UNIT_OVERLAP');
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [x, y + 0.01],
          [x + 0.001, y + 0.011],
          [x + 0.001, y + 0.01],
          [x, y + 0.011],
          [x, y + 0.01],
        ],
      ],
    };
    await bad({ code: `${c2}009`, name: '自交', geometry: bowtie }, 422, 'UNIT_GEOMETRY_INVALID');
    await bad({ code: '310199001001009', name: '无上级', geometry: square(x, y, 0.001) }, 422, 'UNIT_PARENT_INVALID');
    await bad({ code: `${c2}009`, name: 'x', unknownField: 1 }, 400, 'VALIDATION_FAILED');
    expect(await count()).toBe(before);

    // A grid worker may not create anything.
    const forbidden = await worker.request('POST', '/api/units', { code: `${c2}009`, name: '新网格' });
    expect(forbidden.statusCode).toBe(403);

    const overlapping = await admin.request('POST', '/api/units', {
      code: `${c2}009`,
      name: '新网格',
      geometry: square(x, y + 0.01, 0.02),
    });
    expect(overlapping.statusCode).toBe(422); // covers both grids of the community
    expect(await count()).toBe(before);

    const created = await admin.request('POST', '/api/units', {
      code: `${t.subdistrict.slice(0, 9)}007`,
      name: '新建居委会',
      kind: 'village',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      level: 'community',
      kind: 'village',
      parentId: unitOf(t, t.subdistrict).id,
    });
    expect(await count()).toBe(before + 1);
  });

  it('imports a GeoJSON collection all or nothing', async () => {
    const t2 = await makeTerritory(db, [121.6, 31.3]);
    const client = await signIn(app, (await makeAccount(db, t2, 'admin', t2.subdistrict)).username, TEST_PASSWORD);
    const community = `${t2.subdistrict.slice(0, 9)}003`;
    const [x, y] = [121.6, 31.3];
    const feature = (code: string, name: string, geometry: unknown) => ({
      type: 'Feature',
      properties: { code, name },
      geometry,
    });
    const good = {
      type: 'FeatureCollection',
      features: [
        feature(community, '新建居委会', square(x, y, 0.005)),
        feature(`${community}001`, '一号网格', square(x, y, 0.0025)),
        feature(`${community}002`, '二号网格', square(x + 0.0025, y, 0.0025)),
      ],
    };
    const broken = structuredClone(good);
    broken.features.push(feature(`${community}003`, '', square(x + 0.001, y + 0.001, 0.002)));
    const before = await count();
    const rejected = await client.request('POST', '/api/units/import', broken);
    expect(rejected.statusCode).toBe(422);
    const problems = rejected.json().error.problems as { ref: string; problem: string }[];
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ref: 'feature 4', problem: 'name_missing' }),
        expect.objectContaining({ ref: 'feature 4', problem: 'overlap' }),
      ]),
    );
    expect(await count()).toBe(before);
    const accepted = await client.request('POST', '/api/units/import', good);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toEqual({ created: 3, updated: 0 });
    const again = await client.request('POST', '/api/units/import', good);
    expect(again.json().error.problems[0].problem).toBe('exists');
    const update = await client.request('POST', '/api/units/import?update=true', good);
    expect(update.json()).toEqual({ created: 0, updated: 3 });
    // Another administrator's import cannot reach into this subdistrict.
    const outsider = await admin.request('POST', '/api/units/import', {
      type: 'FeatureCollection',
      features: [feature(`${community}004`, '越权网格', square(x + 0.003, y + 0.003, 0.001))],
    });
    expect(outsider.json().error.problems[0].problem).toBe('parent_out_of_scope');
  });

  it('refuses what is not GeoJSON', async () => {
    const res = await admin.request('POST', '/api/units/import', { hello: 'world' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.problems[0].problem).toBe('not_geojson');
    const text = await admin.request('POST', '/api/units/import', 'plain', { 'content-type': 'text/plain' });
    expect([415, 400]).toContain(text.statusCode);
  });

  it('renames a unit and redraws a grid within its community', async () => {
    const grid = unitOf(t, t.grids[2]);
    const renamed = await admin.request('PATCH', `/api/units/${grid.id}`, { name: '改名网格' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe('改名网格');
    const outside = await admin.request('PATCH', `/api/units/${grid.id}`, { geometry: square(121.0, 31.0, 0.01) });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().error.code).toBe('UNIT_OUTSIDE_PARENT');
    const sub = unitOf(t, t.subdistrict);
    const own = await admin.request('PATCH', `/api/units/${sub.id}`, { name: '改自己的辖区' });
    expect(own.statusCode).toBe(403);
  });
});

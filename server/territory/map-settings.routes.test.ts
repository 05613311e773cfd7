/**
 * The base-map setting: none by default, readable without signing in (the residents' map), set by
 * a district administrator with a checked tile template and audited, refused to anyone else.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let districtAdmin: Client;
let subdistrictAdmin: Client;

const AMAP = {
  tileUrl: 'https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}',
  coordinateSystem: 'gcj02',
  attribution: '© 高德地图',
  maxZoom: 18,
};

describe('base map setting', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    const t = await makeTerritory(db);
    districtAdmin = await signIn(app, (await makeAccount(db, t, 'admin', t.district)).username, TEST_PASSWORD);
    subdistrictAdmin = await signIn(app, (await makeAccount(db, t, 'admin', t.subdistrict)).username, TEST_PASSWORD);
  });

  it('has no base map until one is set, and anyone may read it', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/public/map-settings' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ tileUrl: null, coordinateSystem: 'wgs84', attribution: '', maxZoom: 18 });
  });

  it('is set by a district administrator, audited, and read back', async () => {
    const set = await districtAdmin.request('PUT', '/api/settings/map', AMAP);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual(AMAP);
    expect((await app.inject({ method: 'GET', url: '/api/public/map-settings' })).json()).toEqual(AMAP);
    const audit = await db.selectFrom('auditLog').select('data').where('action', '=', 'settings.changed').execute();
    expect(audit.map((a) => (a.data as { area: string }).area)).toContain('map');
  });

  it('refuses a template without {z}/{x}/{y}, a non-http URL, and anyone but an installation administrator', async () => {
    for (const tileUrl of ['https://tiles.example.cn/{z}/{x}.png', 'ftp://tiles.example.cn/{z}/{x}/{y}.png']) {
      const bad = await districtAdmin.request('PUT', '/api/settings/map', { ...AMAP, tileUrl });
      expect(bad.statusCode, tileUrl).toBe(400);
      expect(bad.json().error.fields[0].path).toBe('body.tileUrl');
    }
    expect(
      (await districtAdmin.request('PUT', '/api/settings/map', { ...AMAP, coordinateSystem: 'bd09' })).statusCode,
    ).toBe(400);
    const refused = await subdistrictAdmin.request('PUT', '/api/settings/map', { ...AMAP, tileUrl: null });
    expect(refused.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/public/map-settings' })).json()).toEqual(AMAP);
    // Removing the base map is allowed.
    const cleared = await districtAdmin.request('PUT', '/api/settings/map', { ...AMAP, tileUrl: null });
    expect(cleared.json().tileUrl).toBeNull();
  });
});

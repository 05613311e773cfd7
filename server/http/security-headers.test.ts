/**
 * Security headers (issue 9, point 7) on every kind of response — API answers, coded errors, 404s,
 * the web application's page and assets, photos, the API documentation, Open311 — the CSP following
 * the base map's tile server, and HSTS only in production behind TLS.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { build } from '../app.js';
import type { Db } from '../db/database.js';
import { uploadPhoto } from '../media/test-upload.js';
import { makeAccount, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { createTestDatabase, signIn, testConfig } from '../test/harness.js';
import { contentSecurityPolicy, HSTS, STATIC_HEADERS, tileSource } from './security-headers.js';

let db: Db;
let app: FastifyInstance;
let production: FastifyInstance;

/** The directives of a CSP header, by name. */
function directives(res: LightMyRequestResponse): Map<string, string[]> {
  const header = String(res.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

function expectHardened(res: LightMyRequestResponse, what: string) {
  for (const [name, value] of Object.entries(STATIC_HEADERS)) expect(res.headers[name], `${what}: ${name}`).toBe(value);
  const csp = directives(res);
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(csp.get('object-src'), what).toEqual(["'none'"]);
  expect(csp.get('script-src'), what).toEqual(["'self'"]);
  expect(res.headers['strict-transport-security'], what).toBeUndefined();
}

beforeAll(async () => {
  db = (await createTestDatabase()).db;
  const webDir = mkdtempSync(join(tmpdir(), 'gridloop-web-'));
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(
    join(webDir, 'index.html'),
    '<!doctype html><title>网格闭环</title><script type="module" src="/assets/a.js"></script>',
  );
  writeFileSync(join(webDir, 'assets', 'index-Sec123.js'), 'console.log(1);\n');
  const mediaDir = mkdtempSync(join(inject('mediaRoot'), 'app-'));
  app = await build({ db, config: testConfig({ mediaDir }), logger: false, webDir });
  production = await build({ db, config: testConfig({ production: true, mediaDir }), logger: false });
});
afterAll(async () => {
  await app?.close();
  await production?.close();
});

describe('security headers', () => {
  it('hardens every kind of response: API, errors, 404, the page, assets, docs, Open311', async () => {
    const responses: [string, LightMyRequestResponse][] = [
      ['health', await app.inject({ method: 'GET', url: '/api/health' })],
      ['401', await app.inject({ method: 'GET', url: '/api/session' })],
      ['400', await app.inject({ method: 'POST', url: '/api/session', payload: { username: 1 } })],
      ['api 404', await app.inject({ method: 'GET', url: '/api/no-such-thing' })],
      ['page', await app.inject({ method: 'GET', url: '/' })],
      ['browser route', await app.inject({ method: 'GET', url: '/cases/123' })],
      ['asset', await app.inject({ method: 'GET', url: '/assets/index-Sec123.js' })],
      ['docs', await app.inject({ method: 'GET', url: '/api/docs/static/index.html' })],
      ['openapi', await app.inject({ method: 'GET', url: '/api/docs/json' })],
      ['open311', await app.inject({ method: 'GET', url: '/open311/v2/discovery.json' })],
    ];
    for (const [what, res] of responses) {
      expect(res.statusCode, what).toBeLessThan(500);
      expectHardened(res, what);
    }
    const page = responses.find(([w]) => w === 'page')?.[1] as LightMyRequestResponse;
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const csp = directives(page);
    expect(csp.get('worker-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('keeps the stricter policy a photo sets for itself', async () => {
    const t = await makeTerritory(db);
    const worker = await signIn(
      app,
      (await makeAccount(db, t, 'grid_worker', t.communities[0])).username,
      TEST_PASSWORD,
    );
    const key = await uploadPhoto(app, { client: worker });
    const res = await app.inject({ method: 'GET', url: `/api/media/${key}/thumb`, headers: { cookie: worker.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('lets the base map’s tile server in, and only it, once an administrator sets one', async () => {
    const t = await makeTerritory(db);
    const admin = await signIn(app, (await makeAccount(db, t, 'admin', t.city)).username, TEST_PASSWORD);
    const set = await admin.request('PUT', '/api/settings/map', {
      tileUrl: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}',
      coordinateSystem: 'wgs84',
      attribution: '天地图',
      maxZoom: 18,
    });
    expect(set.statusCode, set.body).toBe(200);
    const csp = directives(await app.inject({ method: 'GET', url: '/' }));
    expect(csp.get('img-src')).toContain('https://*.tianditu.gov.cn');
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://*.tianditu.gov.cn']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    const none = await admin.request('PUT', '/api/settings/map', {
      tileUrl: null,
      coordinateSystem: 'wgs84',
      attribution: '',
      maxZoom: 18,
    });
    expect(none.statusCode).toBe(200);
    expect(directives(await app.inject({ method: 'GET', url: '/' })).get('connect-src')).toEqual(["'self'"]);
  });

  it('turns tile templates into CSP sources, refusing what is not a host', () => {
    expect(tileSource('https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}')).toBe(
      'https://*.is.autonavi.com',
    );
    expect(tileSource('http://tiles.example.cn:8080/{z}/{x}/{y}.png')).toBe('http://tiles.example.cn:8080');
    expect(tileSource('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toBe('https://*.tile.example.org');
    expect(tileSource('https://{s}/{z}/{x}/{y}.png')).toBeUndefined();
    expect(tileSource("https://x.cn';script-src *;/{z}/{x}/{y}")).toBeUndefined();
    expect(tileSource(null)).toBeUndefined();
    expect(contentSecurityPolicy(undefined)).not.toContain('undefined');
  });

  it('sends HSTS in production over TLS only, as the proxy reports it', async () => {
    const tls = await production.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(tls.headers['strict-transport-security']).toBe(HSTS);
    const plain = await production.inject({ method: 'GET', url: '/api/health' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    // Outside production no proxy is trusted: a client cannot claim TLS.
    const dev = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(dev.headers['strict-transport-security']).toBeUndefined();
  });
});

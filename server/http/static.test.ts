/**
 * The built web application as the server sends it: compressed files written by the build go to
 * browsers that accept them, hashed assets are cached for good, the page itself is revalidated, and
 * a browser route that is not a file gets the page.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../app.js';
import { createTestDatabase, testConfig } from '../test/harness.js';

const SCRIPT = `console.log(${JSON.stringify('网格闭环 '.repeat(400))});\n`;
let app: FastifyInstance;

describe('serving the web application', () => {
  beforeAll(async () => {
    const webDir = mkdtempSync(join(tmpdir(), 'gridloop-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>网格闭环</title>');
    const asset = join(webDir, 'assets', 'index-AbC123.js');
    writeFileSync(asset, SCRIPT);
    writeFileSync(`${asset}.gz`, gzipSync(SCRIPT));
    writeFileSync(`${asset}.br`, brotliCompressSync(SCRIPT));
    const { db } = await createTestDatabase();
    app = await build({ db, config: testConfig(), logger: false, webDir });
  });
  afterAll(() => app?.close());

  it('sends the brotli or gzip file to a browser that accepts it, the plain one otherwise', async () => {
    const url = '/assets/index-AbC123.js';
    const br = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(SCRIPT.length / 5);
    const gz = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);
    const plain = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
    expect(plain.headers['content-type']).toMatch(/javascript/);
  });

  it('caches hashed assets for good and revalidates the page', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('answers a browser route with the page and an unknown API path with a coded 404', async () => {
    const route = await app.inject({ method: 'GET', url: '/cases/123' });
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('网格闭环');
    const api = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('ROUTE_NOT_FOUND');
  });
});

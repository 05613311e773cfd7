/**
 * Bad input gets a coded 4xx answer naming the field, never a 500 or a stack trace, and writes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../common/errors.js';
import type { Db } from '../db/database.js';
import { makeAccount, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let admin: Client;

describe('error answers', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db, { bodyLimitBytes: 64 * 1024 });
    const t = await makeTerritory(db);
    admin = await signIn(app, (await makeAccount(db, t, 'admin', t.subdistrict)).username, TEST_PASSWORD);
  });

  it('every catalogue entry has both languages and a 4xx/5xx status', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(entry.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(entry.en.length, code).toBeGreaterThan(3);
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
    }
  });

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: '{"username": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('MALFORMED_JSON');
  });

  it('wrong types and unknown fields → 400 naming the fields', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 42, password: 'x', extra: true },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields.map((f: { path: string }) => f.path).join(' ')).toMatch(/body\.username/);
    expect(JSON.stringify(error)).not.toMatch(/at \w+ \(|node_modules|select |insert /i);
  });

  it('oversized bodies → 413', async () => {
    const res = await admin.request('POST', '/api/units/import', {
      type: 'FeatureCollection',
      features: [],
      pad: 'x'.repeat(70 * 1024),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a bad uuid in the path → 400; an unknown route → 404 coded', async () => {
    expect((await admin.request('GET', '/api/units/not-a-uuid')).json().error.code).toBe('VALIDATION_FAILED');
    const missing = await admin.request('GET', '/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('health reports the database', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toMatchObject({ database: { ok: true }, jobs: { ok: false } });
  });

  it('serves the OpenAPI 3.1 document with the routes and error schema', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/session',
      '/api/units',
      '/api/units/import',
      '/api/departments',
      '/api/accounts',
      '/api/health',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(JSON.stringify(doc.paths['/api/units/{id}'])).toMatch(/404/);
  });
});

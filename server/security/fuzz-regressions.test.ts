/**
 * The fuzzer's findings, shrunk, as plain tests: each answered 500 (or an uncoded body) before its fix.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../common/errors.js';
import { unstorablePath } from '../http/text-guard.js';
import { makeAccount, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let app: FastifyInstance;
let admin: Client;
let countTagTypes: () => Promise<number>;

function expectCoded400(res: { statusCode: number; json: () => unknown }) {
  expect(res.statusCode).toBe(400);
  const body = res.json() as { error: { code: string; messages: Record<string, string> } };
  expect(body.error.code).toBe('VALIDATION_FAILED');
  expect(body.error.messages).toEqual({ 'zh-CN': ERRORS.VALIDATION_FAILED.zh, en: ERRORS.VALIDATION_FAILED.en });
}

describe('fuzz findings', () => {
  beforeAll(async () => {
    const { db } = await createTestDatabase();
    app = await createTestApp(db);
    const t = await makeTerritory(db);
    admin = await signIn(app, (await makeAccount(db, t, 'admin', t.district)).username, TEST_PASSWORD);
    countTagTypes = async () =>
      Number(
        (
          await db
            .selectFrom('tagType')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
  });

  it('answers a path segment longer than any parameter with the coded 400, not the router’s own 414', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/units/${'x'.repeat(3000)}` });
    expectCoded400(res);
    expect(res.json().error.fields).toEqual([{ path: 'params', reason: 'not a valid path segment' }]);
    expect(res.body).not.toContain('xxxxxxxxxx');
  });

  it('answers a bad path segment under /open311 in the spec’s error format', async () => {
    const res = await app.inject({ method: 'GET', url: `/open311/v2/requests/${'x'.repeat(3000)}.json` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-error-code']).toBeDefined();
    expect(res.json()).toEqual([expect.objectContaining({ code: 400 })]);
  });

  it('refuses a NUL character in text (PostgreSQL cannot store it) and writes nothing', async () => {
    const before = await countTagTypes();
    const res = await admin.request('POST', '/api/archive/tag-types', {
      code: 'a_',
      nameZh: '独居',
      nameEn: 'a\u0000b',
      appliesTo: 'person',
    });
    expectCoded400(res);
    expect(res.json().error.fields).toEqual([
      { path: 'body.nameEn', reason: 'contains a NUL character or an unpaired surrogate' },
    ]);
    expect(await countTagTypes()).toBe(before);
  });

  it('refuses an unpaired surrogate (jsonb cannot store it) in a matter form', async () => {
    const res = await admin.request('POST', '/api/archive/matter-forms', {
      code: 'a0',
      nameZh: '一',
      nameEn: '\ud800',
      appliesTo: 'person',
      fields: [{ key: 'a', labelZh: '一', labelEn: '一', type: 'text' }],
    });
    expectCoded400(res);
  });

  it('refuses NUL in the query string and in path parameters', async () => {
    expectCoded400(await admin.request('GET', '/api/archive/people?q=%00'));
    expectCoded400(await admin.request('GET', '/api/categories/%00'));
  });

  it('finds unstorable text at any depth, keys included, and lets paired surrogates through', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 50_000; i += 1) deep = [deep];
    expect(unstorablePath(deep, 'body')?.startsWith('body.0.0')).toBe(true);
    expect(unstorablePath({ a: { 'k\u0000': 1 } }, 'body')).toBe('body.a');
    expect(unstorablePath({ a: ['😀', '网格', 'e\u0301'] }, 'body')).toBeUndefined();
    expect(unstorablePath({ a: '\udc00x' }, 'body')).toBe('body.a');
  });
});

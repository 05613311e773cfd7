import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeResident, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let territory: Territory;

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });

async function auditActions(subjectId: string) {
  const rows = await db
    .selectFrom('auditLog')
    .select(['action', 'data'])
    .where('subjectId', '=', subjectId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('sign-in, session and CSRF', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db, { lockoutThreshold: 3, lockoutMinutes: 15 });
    territory = await makeTerritory(db);
  });

  it('signs in, shows the session with scope and abilities, and sets a hardened cookie', async () => {
    const { username, id } = await makeAccount(db, territory, 'dispatcher', territory.subdistrict);
    const res = await post('/api/session', { username, password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.account).toMatchObject({ username, kind: 'staff' });
    expect(body.account.grants[0]).toMatchObject({
      role: 'dispatcher',
      unit: { code: territory.subdistrict, level: 'subdistrict' },
    });
    expect(body.abilities).toMatchObject({ readTerritory: true, manageAccounts: false });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = res.cookies.find((c) => c.name === 'gridloop_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(await auditActions(id)).toContain('session.signed_in');

    const me = await app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { cookie: `gridloop_session=${cookie?.value}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().account.id).toBe(id);
  });

  it('answers 401 without a session, with a coded bilingual error', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/session', headers: { 'accept-language': 'en-US' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Please sign in',
      messages: { 'zh-CN': '请先登录' },
    });
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const { username } = await makeAccount(db, territory, 'grid_worker', territory.grids[0]);
    const unknown = await post('/api/session', { username: 'nobody-here', password: 'whatever123' });
    const wrong = await post('/api/session', { username, password: 'wrong-password-1' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('locks an account after repeated failures, even against the right password, and audits it', async () => {
    const { username, id } = await makeAccount(db, territory, 'grid_worker', territory.grids[1]);
    for (let i = 0; i < 2; i++)
      expect((await post('/api/session', { username, password: `wrong-${i}-xxxxx` })).statusCode).toBe(401);
    const third = await post('/api/session', { username, password: 'wrong-3-xxxxx' });
    expect(third.statusCode).toBe(423);
    expect(third.json().error.code).toBe('ACCOUNT_LOCKED');
    expect(Date.parse(third.json().error.lockedUntil)).toBeGreaterThan(Date.now() + 14 * 60_000);
    const right = await post('/api/session', { username, password: TEST_PASSWORD });
    expect(right.statusCode).toBe(423);
    const actions = await auditActions(id);
    expect(actions.filter((a) => a === 'session.sign_in_failed')).toHaveLength(4);
    expect(actions).not.toContain('session.signed_in');
  });

  it('refuses a cookie-authenticated write without the CSRF token, and accepts it with the token', async () => {
    const { username } = await makeAccount(db, territory, 'leader', territory.subdistrict);
    const client = await signIn(app, username, TEST_PASSWORD);
    const bad = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: client.cookie } });
    expect(bad.statusCode).toBe(403);
    expect(bad.json().error.code).toBe('CSRF_INVALID');
    const wrong = await app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: client.cookie, 'x-csrf-token': `${client.csrf}x` },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await client.request('DELETE', '/api/session');
    expect(ok.statusCode).toBe(204);
    const after = await client.request('GET', '/api/session');
    expect(after.statusCode).toBe(401);
  });

  it('renews the session on sign-in: the old cookie stops working', async () => {
    const { username } = await makeAccount(db, territory, 'supervisor', territory.subdistrict);
    const first = await signIn(app, username, TEST_PASSWORD);
    const again = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username, password: TEST_PASSWORD },
      headers: { cookie: first.cookie },
    });
    expect(again.statusCode).toBe(200);
    expect((await first.request('GET', '/api/session')).statusCode).toBe(401);
  });

  it('changes the password: checks the current one and strength, ends other sessions', async () => {
    const { username } = await makeAccount(db, territory, 'committee_staff', territory.communities[0]);
    const a = await signIn(app, username, TEST_PASSWORD);
    const b = await signIn(app, username, TEST_PASSWORD);
    const weak = await a.request('POST', '/api/session/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short1',
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error.code).toBe('PASSWORD_WEAK');
    const wrong = await a.request('POST', '/api/session/password', {
      currentPassword: 'not-it-123',
      newPassword: 'Brand-new-pass-42',
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await a.request('POST', '/api/session/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Brand-new-pass-42',
    });
    expect(ok.statusCode).toBe(204);
    expect((await a.request('GET', '/api/session')).statusCode).toBe(200);
    expect((await b.request('GET', '/api/session')).statusCode).toBe(401);
    expect((await post('/api/session', { username, password: TEST_PASSWORD })).statusCode).toBe(401);
    expect((await post('/api/session', { username, password: 'Brand-new-pass-42' })).statusCode).toBe(200);
  });

  it('rate-limits sign-in attempts from one address', async () => {
    const limited = await createTestApp(db);
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await limited.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: `ghost${i}`, password: 'x1234567890' },
      });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429]);
  });

  it('signs a resident in by phone; the resident session opens no staff route', async () => {
    const resident = await makeResident(db);
    const wrong = await post('/api/resident/session', { phone: resident.phone, password: 'not-it-12345' });
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await post('/api/resident/session', { phone: '12345', password: 'x' })).statusCode).toBe(400);
    const res = await post('/api/resident/session', { phone: resident.phone, password: TEST_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().resident).toEqual({
      id: resident.id,
      displayName: '测试居民',
      phone: `${resident.phone.slice(0, 3)}****${resident.phone.slice(-4)}`,
    });
    const cookie = `gridloop_session=${res.cookies.find((c) => c.name === 'gridloop_session')?.value}`;
    const headers = { cookie, 'x-csrf-token': res.json().csrfToken };
    expect((await app.inject({ method: 'GET', url: '/api/resident/session', headers })).statusCode).toBe(200);
    for (const url of ['/api/session', '/api/units', '/api/accounts', '/api/departments']) {
      expect((await app.inject({ method: 'GET', url, headers })).statusCode, url).toBe(401);
    }
    // A staff username is not a resident login, and a resident phone is not a staff login.
    expect((await post('/api/session', { username: resident.phone, password: TEST_PASSWORD })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/api/resident/session', headers })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/resident/session', headers })).statusCode).toBe(401);
  });
});

describe('sessions in production mode, and the resident side (issue 9, point 7)', () => {
  let production: FastifyInstance;
  beforeAll(async () => {
    // db and territory: the first block's.
    production = await createTestApp(db, { production: true, lockoutThreshold: 3, lockoutMinutes: 15 });
  });

  const residentSignIn = (
    target: FastifyInstance,
    phone: string,
    password: string,
    headers: Record<string, string> = {},
  ) => target.inject({ method: 'POST', url: '/api/resident/session', payload: { phone, password }, headers });

  it('sets the session cookie Secure, HttpOnly and SameSite=Lax for staff and residents', async () => {
    const { username } = await makeAccount(db, territory, 'dispatcher', territory.subdistrict);
    const staff = await production.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username, password: TEST_PASSWORD },
    });
    const resident = await makeResident(db);
    const public_ = await residentSignIn(production, resident.phone, TEST_PASSWORD);
    for (const res of [staff, public_]) {
      expect(res.statusCode, res.body).toBe(200);
      const header = String(res.headers['set-cookie']);
      expect(header).toMatch(/^gridloop_session=[\w-]{40,};/);
      expect(header).toMatch(/; Secure/);
      expect(header).toMatch(/; HttpOnly/);
      expect(header).toMatch(/; SameSite=Lax/);
      expect(header).toMatch(/; Path=\//);
    }
    // Outside production the cookie works over plain http (no Secure).
    const dev = await post('/api/session', { username, password: TEST_PASSWORD });
    expect(String(dev.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('issues a new session on every sign-in, whatever cookie the browser brought (no fixation)', async () => {
    const { username, id } = await makeAccount(db, territory, 'leader', territory.subdistrict);
    const planted = 'attacker-chosen-session-value-0123456789abcdef';
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username, password: TEST_PASSWORD },
      headers: { cookie: `gridloop_session=${planted}` },
    });
    expect(res.statusCode).toBe(200);
    const first = res.cookies.find((c) => c.name === 'gridloop_session')?.value;
    expect(first).toBeDefined();
    expect(first).not.toBe(planted);
    const again = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username, password: TEST_PASSWORD },
      headers: { cookie: `gridloop_session=${first}` },
    });
    const second = again.cookies.find((c) => c.name === 'gridloop_session')?.value;
    expect(second).not.toBe(first);
    expect(again.json().csrfToken).not.toBe(res.json().csrfToken);
    const sessions = await db.selectFrom('session').select('id').where('accountId', '=', id).execute();
    expect(sessions).toHaveLength(1);
  });

  it('refuses a resident’s cookie-authenticated report without the CSRF token, writing nothing', async () => {
    const resident = await makeResident(db);
    const res = await residentSignIn(app, resident.phone, TEST_PASSWORD);
    const cookie = `gridloop_session=${res.cookies.find((c) => c.name === 'gridloop_session')?.value}`;
    const body = { categoryCode: '0101', description: '跨站伪造的上报内容', address: '某路 1 号' };
    const before = await db.selectFrom('cases').select('id').execute();
    const forged = await app.inject({ method: 'POST', url: '/api/public/cases', payload: body, headers: { cookie } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error).toMatchObject({
      code: 'CSRF_INVALID',
      messages: { 'zh-CN': expect.any(String), en: expect.any(String) },
    });
    expect(await db.selectFrom('cases').select('id').execute()).toHaveLength(before.length);
  });

  it('rate-limits resident sign-in from one address, and locks a resident after repeated failures', async () => {
    const limited = await createTestApp(db);
    const codes: number[] = [];
    for (let i = 0; i < 22; i++)
      codes.push((await residentSignIn(limited, `1390000${String(i).padStart(4, '0')}`, 'x1234567890')).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429]);
    expect((await residentSignIn(limited, '13900000099', 'x1234567890')).json().error.code).toBe('RATE_LIMITED');

    const resident = await makeResident(db);
    for (let i = 0; i < 2; i++)
      expect((await residentSignIn(production, resident.phone, `wrong-${i}-xxxxx`)).statusCode).toBe(401);
    const locked = await residentSignIn(production, resident.phone, 'wrong-3-xxxxx');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    expect((await residentSignIn(production, resident.phone, TEST_PASSWORD)).statusCode).toBe(423);
  });
});

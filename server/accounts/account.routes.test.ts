import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import {
  makeAccount,
  makeDepartment,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
  unitOf,
} from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let other: Territory;
let admin: Client;
let communityAdmin: Client;

const accountCount = async () =>
  Number(
    (
      await db
        .selectFrom('account')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('accounts API', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db, [121.3, 31.1]);
    other = await makeTerritory(db, [121.5, 31.3]);
    admin = await signIn(app, (await makeAccount(db, t, 'admin', t.subdistrict)).username, TEST_PASSWORD);
    communityAdmin = await signIn(app, (await makeAccount(db, t, 'admin', t.communities[0])).username, TEST_PASSWORD);
  });

  it('creates an account with grants; the new person must change the password', async () => {
    const department = await makeDepartment(db, t);
    const res = await admin.request('POST', '/api/accounts', {
      username: 'wang.handler',
      displayName: '王处置',
      phone: '13912345678',
      password: 'Initial-pass-2026',
      grants: [{ role: 'handler', unitId: unitOf(t, t.subdistrict).id, departmentId: department.id }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().grants[0]).toMatchObject({ role: 'handler', department: { code: department.code } });
    const session = await signIn(app, 'wang.handler', 'Initial-pass-2026');
    expect((await session.request('GET', '/api/session')).json().account.mustChangePassword).toBe(true);
    const list = (await admin.request('GET', '/api/accounts')).json().items;
    expect(list.map((a: { username: string }) => a.username)).toContain('wang.handler');
  });

  it('refuses a grant beyond the granter’s own scope, and writes nothing', async () => {
    const before = await accountCount();
    const res = await communityAdmin.request('POST', '/api/accounts', {
      username: 'too.far',
      displayName: '越权',
      password: 'Initial-pass-2026',
      grants: [{ role: 'admin', unitId: unitOf(t, t.subdistrict).id }],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('GRANT_OUTSIDE_SCOPE');
    const otherDistrict = await admin.request('POST', '/api/accounts', {
      username: 'too.far',
      displayName: '越权',
      password: 'Initial-pass-2026',
      grants: [{ role: 'grid_worker', unitId: unitOf(other, other.grids[0]).id }],
    });
    expect(otherDistrict.statusCode).toBe(403);
    expect(await accountCount()).toBe(before);
  });

  it('requires a department for handlers only', async () => {
    const res = await admin.request('POST', '/api/accounts', {
      username: 'no.dept',
      displayName: '无部门',
      password: 'Initial-pass-2026',
      grants: [{ role: 'handler', unitId: unitOf(t, t.subdistrict).id }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('GRANT_DEPARTMENT_REQUIRED');
  });

  it('rejects a duplicate username and a weak password', async () => {
    const base = { displayName: '重复', grants: [{ role: 'grid_worker', unitId: unitOf(t, t.grids[0]).id }] };
    expect(
      (
        await admin.request('POST', '/api/accounts', {
          ...base,
          username: 'wang.handler',
          password: 'Initial-pass-2026',
        })
      ).json().error.code,
    ).toBe('USERNAME_TAKEN');
    expect(
      (await admin.request('POST', '/api/accounts', { ...base, username: 'weak.one', password: 'abc' })).json().error
        .code,
    ).toBe('PASSWORD_WEAK');
  });

  it('hides accounts outside the scope (404) and lets a wider admin disable one in scope', async () => {
    const outsider = await makeAccount(db, other, 'dispatcher', other.subdistrict);
    const res = await admin.request('PATCH', `/api/accounts/${outsider.id}`, { disabled: true });
    expect(res.statusCode).toBe(404);
    const worker = await makeAccount(db, t, 'grid_worker', t.grids[3]);
    const workerClient = await signIn(app, worker.username, TEST_PASSWORD);
    // A community admin cannot touch a worker of another community.
    expect((await communityAdmin.request('PATCH', `/api/accounts/${worker.id}`, { disabled: true })).statusCode).toBe(
      404,
    );
    const disabled = await admin.request('PATCH', `/api/accounts/${worker.id}`, { disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    expect((await workerClient.request('GET', '/api/session')).statusCode).toBe(401);
    const signInAgain = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: worker.username, password: TEST_PASSWORD },
    });
    expect(signInAgain.json().error.code).toBe('ACCOUNT_DISABLED');
  });

  it('grants, revokes and resets a password within scope', async () => {
    const person = await makeAccount(db, t, 'grid_worker', t.grids[0]);
    const granted = await admin.request('POST', `/api/accounts/${person.id}/grants`, {
      role: 'committee_staff',
      unitId: unitOf(t, t.communities[0]).id,
    });
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json().grants).toHaveLength(2);
    const dup = await admin.request('POST', `/api/accounts/${person.id}/grants`, {
      role: 'committee_staff',
      unitId: unitOf(t, t.communities[0]).id,
    });
    expect(dup.json().error.code).toBe('GRANT_DUPLICATE');
    const grantId = granted.json().grants[1].id;
    const revoked = await admin.request('DELETE', `/api/accounts/${person.id}/grants/${grantId}`);
    expect(revoked.json().grants).toHaveLength(1);
    const reset = await admin.request('POST', `/api/accounts/${person.id}/password`, {
      newPassword: 'Reset-by-admin-99',
    });
    expect(reset.statusCode).toBe(204);
    const client = await signIn(app, person.username, 'Reset-by-admin-99');
    expect((await client.request('GET', '/api/session')).json().account.mustChangePassword).toBe(true);
  });

  it('is closed to non-administrators', async () => {
    const dispatcher = await signIn(
      app,
      (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username,
      TEST_PASSWORD,
    );
    expect((await dispatcher.request('GET', '/api/accounts')).json().items).toEqual([]);
    const res = await dispatcher.request('POST', '/api/accounts', {
      username: 'sneaky',
      displayName: '越权',
      password: 'Initial-pass-2026',
      grants: [{ role: 'grid_worker', unitId: unitOf(t, t.grids[0]).id }],
    });
    expect(res.statusCode).toBe(403);
  });
});

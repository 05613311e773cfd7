/**
 * Machine keys and sensor alarms: a key is shown once and kept hashed; an alarm becomes a report in
 * its grid, a retry answers the same and writes nothing, a repeated alarm joins the open case, a
 * burst at one place opens one case; the key's unit bounds where it may report; a revoked key is
 * refused; the terminal command makes a key that works.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let url: string;
let app: FastifyInstance;
let t: Territory;
let admin: Client;
let category: { id: string; code: string };
let key: string;
let keyId: string;
let serial = 0;

const unitOf = (code: string) => t.units.get(code) as { id: string; path: string; district: string };

function alarm(
  at: [number, number],
  body: Record<string, unknown> = {},
  headers: Record<string, string | undefined> = {},
  machineKey = key,
) {
  serial += 1;
  const all = { authorization: `Bearer ${machineKey}`, 'idempotency-key': `alarm-${serial}`, ...headers };
  return app.inject({
    method: 'POST',
    url: '/api/intake/alarms',
    headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>,
    payload: {
      deviceId: 'smoke-0001',
      categoryCode: category.code,
      lng: at[0],
      lat: at[1],
      description: '烟感报警：3 号楼 2 单元楼道',
      ...body,
    },
  });
}

const count = async (table: 'cases' | 'alarm') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('machine keys and sensor alarms', () => {
  beforeAll(async () => {
    ({ db, url } = await createTestDatabase());
    app = await createTestApp(db);
    t = await makeTerritory(db);
    category = await makeCategory(db);
    admin = await signIn(app, (await makeAccount(db, t, 'admin', t.subdistrict)).username, TEST_PASSWORD);
    const made = await admin.request('POST', '/api/machine-keys', {
      name: '梧桐苑烟感网关',
      unitId: unitOf(t.communities[0]).id,
    });
    expect(made.statusCode, made.body).toBe(201);
    ({ key, id: keyId } = made.json());
  });

  it('shows a key once, keeps only its hash, lists it by prefix and audits it', async () => {
    expect(key).toMatch(/^glk_[A-Za-z0-9_-]{32}$/);
    const row = await db.selectFrom('machineKey').selectAll().where('id', '=', keyId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.slice(12));
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    const list = (await admin.request('GET', '/api/machine-keys')).json();
    expect(list.items).toEqual([expect.objectContaining({ id: keyId, prefix: key.slice(0, 12), revokedAt: null })]);
    expect(JSON.stringify(list)).not.toContain(key.slice(12));
    const audit = await db.selectFrom('auditLog').select('data').where('action', '=', 'machine_key.created').execute();
    expect(audit.map((a) => a.data)).toContainEqual(expect.objectContaining({ name: '梧桐苑烟感网关' }));
  });

  it('lets only administrators whose scope covers the unit make keys', async () => {
    const other = await signIn(app, (await makeAccount(db, t, 'admin', t.communities[1])).username, TEST_PASSWORD);
    const refused = await other.request('POST', '/api/machine-keys', {
      name: '越权网关',
      unitId: unitOf(t.communities[0]).id,
    });
    expect(refused.statusCode).toBe(404);
    const dispatcher = await signIn(
      app,
      (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username,
      TEST_PASSWORD,
    );
    expect(
      (await dispatcher.request('POST', '/api/machine-keys', { name: '网关', unitId: unitOf(t.subdistrict).id }))
        .statusCode,
    ).toBe(404);
    expect((await dispatcher.request('GET', '/api/machine-keys')).json().items).toEqual([]);
    expect(await db.selectFrom('machineKey').select('id').execute()).toHaveLength(1);
  });

  it('turns an alarm into a report in its grid; a retry answers the same and writes nothing', async () => {
    const at = t.gridCentres[0] as [number, number];
    const first = await alarm(at, {}, { 'idempotency-key': 'gw-20261122-0001' });
    expect(first.statusCode, first.body).toBe(201);
    const answer = first.json();
    expect(answer).toMatchObject({ attached: false, replay: false });
    const c = await db.selectFrom('cases').selectAll().where('id', '=', answer.caseId).executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      channel: 'sensor',
      state: 'reported',
      reporterKind: 'machine',
      unitId: unitOf(t.grids[0]).id,
    });
    const before = { cases: await count('cases'), alarms: await count('alarm') };
    const retry = await alarm(at, {}, { 'idempotency-key': 'gw-20261122-0001' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ ...answer, replay: true });
    expect({ cases: await count('cases'), alarms: await count('alarm') }).toEqual(before);
  });

  it('joins a repeated alarm to the open case instead of opening another', async () => {
    const at = t.gridCentres[1] as [number, number];
    const opened = (await alarm(at, { deviceId: 'smoke-0002' })).json();
    const again = await alarm(at, { deviceId: 'smoke-0002' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ caseId: opened.caseId, attached: true, replay: false });
    // Another device a few metres away, same kind of alarm: the same problem.
    const near = await alarm([at[0] + 0.00003, at[1]], { deviceId: 'smoke-0003' });
    expect(near.json()).toMatchObject({ caseId: opened.caseId, attached: true });
    const rows = await db.selectFrom('alarm').select(['attached']).where('caseId', '=', opened.caseId).execute();
    expect(rows.map((r) => r.attached).sort()).toEqual([false, true, true]);
    // The case page counts them.
    const detail = (await admin.request('GET', `/api/cases/${opened.caseId}`)).json();
    expect(detail.alarms).toMatchObject({ count: 3, devices: 2 });
  });

  it('opens one case for a burst of alarms at one place, and one alarm for a burst of retries', async () => {
    const burstCategory = await makeCategory(db);
    const at = t.gridCentres[0] as [number, number];
    const casesBefore = await count('cases');
    const burst = await Promise.all(
      Array.from({ length: 5 }, (_, i) => alarm(at, { categoryCode: burstCategory.code, deviceId: `water-${i}` })),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(burst.map((r) => r.json().caseId)).size).toBe(1);
    expect(await count('cases')).toBe(casesBefore + 1);

    const retryCategory = await makeCategory(db);
    const retries = await Promise.all(
      Array.from({ length: 5 }, () =>
        alarm(at, { categoryCode: retryCategory.code, deviceId: 'cam-9' }, { 'idempotency-key': 'same-every-time' }),
      ),
    );
    expect(retries.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(new Set(retries.map((r) => r.json().caseId)).size).toBe(1);
    const rows = await db.selectFrom('alarm').select('id').where('idempotencyKey', '=', 'same-every-time').execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses what it should, with a code, writing nothing', async () => {
    const before = { cases: await count('cases'), alarms: await count('alarm') };
    const otherCommunity = await alarm(t.gridCentres[2] as [number, number]);
    expect(otherCommunity.statusCode).toBe(422);
    expect(otherCommunity.json().error.code).toBe('ALARM_OUTSIDE_SCOPE');
    expect((await alarm([100, 20])).json().error.code).toBe('ALARM_OUTSIDE_SCOPE');
    const unknown = await alarm(t.gridCentres[0] as [number, number], { categoryCode: '9999' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('CATEGORY_UNKNOWN');
    const noKey = await alarm(t.gridCentres[0] as [number, number], {}, { 'idempotency-key': undefined });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const badKey = await alarm(t.gridCentres[0] as [number, number], {}, {}, `glk_${'x'.repeat(32)}`);
    expect(badKey.statusCode).toBe(401);
    expect(badKey.json().error).toMatchObject({
      code: 'MACHINE_KEY_INVALID',
      messages: { 'zh-CN': expect.any(String) },
    });
    const noBearer = await alarm(t.gridCentres[0] as [number, number], {}, { authorization: undefined });
    expect(noBearer.json().error.code).toBe('MACHINE_KEY_INVALID');
    const shapeless = await alarm(t.gridCentres[0] as [number, number], { lng: 'east' });
    expect(shapeless.statusCode).toBe(400);
    expect({ cases: await count('cases'), alarms: await count('alarm') }).toEqual(before);
  });

  it('refuses a revoked key', async () => {
    const made = (
      await admin.request('POST', '/api/machine-keys', { name: '临时网关', unitId: unitOf(t.subdistrict).id })
    ).json();
    expect((await alarm(t.gridCentres[3] as [number, number], {}, {}, made.key)).statusCode).toBe(201);
    const revoked = await admin.request('DELETE', `/api/machine-keys/${made.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const refused = await alarm(t.gridCentres[3] as [number, number], {}, {}, made.key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('MACHINE_KEY_REVOKED');
  });

  it('documents the routes in the OpenAPI with both languages', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const [path, method] of [
      ['/api/intake/alarms', 'post'],
      ['/api/machine-keys', 'post'],
      ['/api/machine-keys/{id}', 'delete'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.summary, path).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('makes a working key from the terminal', async () => {
    const bin = resolve(import.meta.dirname, '../../bin/gridloop.mjs');
    const run = spawnSync(process.execPath, [bin, 'machine-key', 'add', '视频分析平台', '--unit', t.communities[1]], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const printed = /glk_[A-Za-z0-9_-]{32}/.exec(run.stdout)?.[0];
    expect(printed).toBeDefined();
    const sent = await alarm(t.gridCentres[2] as [number, number], { deviceId: 'cam-01' }, {}, printed);
    expect(sent.statusCode, sent.body).toBe(201);
  });
});

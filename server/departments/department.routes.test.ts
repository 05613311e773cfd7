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
let worker: Client;

describe('departments API', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    other = await makeTerritory(db, [121.6, 31.4]);
    admin = await signIn(app, (await makeAccount(db, t, 'admin', t.subdistrict)).username, TEST_PASSWORD);
    worker = await signIn(app, (await makeAccount(db, t, 'grid_worker', t.grids[0])).username, TEST_PASSWORD);
  });

  it('every staff member reads the departments; only an administrator in scope may change one', async () => {
    const mine = await makeDepartment(db, t);
    const theirs = await makeDepartment(db, other);
    const list = (await worker.request('GET', '/api/departments')).json().items as {
      code: string;
      abilities: { update: boolean };
    }[];
    expect(list.map((d) => d.code)).toEqual(expect.arrayContaining([mine.code, theirs.code]));
    expect(list.every((d) => d.abilities.update === false)).toBe(true);
    const asAdmin = (await admin.request('GET', '/api/departments')).json().items as {
      code: string;
      abilities: { update: boolean };
    }[];
    expect(asAdmin.find((d) => d.code === mine.code)?.abilities.update).toBe(true);
    expect(asAdmin.find((d) => d.code === theirs.code)?.abilities.update).toBe(false);
    expect((await admin.request('PATCH', `/api/departments/${theirs.id}`, { name: '改别人的' })).statusCode).toBe(403);
    const renamed = await admin.request('PATCH', `/api/departments/${mine.id}`, { name: '梧桐城管中队' });
    expect(renamed.json().name).toBe('梧桐城管中队');
  });

  it('creates a department deployed to a subdistrict, with coded errors for bad input', async () => {
    const sub = unitOf(t, t.subdistrict);
    const body = {
      code: 'WT-SCJG',
      name: '梧桐市场监管所',
      kind: 'market_regulation',
      level: 'subdistrict',
      servesUnitId: sub.id,
      deployedToUnitId: sub.id,
    };
    const created = await admin.request('POST', '/api/departments', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      kind: 'market_regulation',
      deployedTo: { code: t.subdistrict },
      servesUnit: { code: t.subdistrict },
    });
    expect((await admin.request('POST', '/api/departments', body)).json().error.code).toBe('DEPARTMENT_CODE_DUPLICATE');
    const toCommunity = await admin.request('POST', '/api/departments', {
      ...body,
      code: 'WT-X',
      deployedToUnitId: unitOf(t, t.communities[0]).id,
    });
    expect(toCommunity.statusCode).toBe(400);
    expect(toCommunity.json().error.fields[0].path).toBe('body.deployedToUnitId');
    expect(
      (await admin.request('POST', '/api/departments', { ...body, code: 'WT-Y', kind: 'bakery' })).statusCode,
    ).toBe(400);
    expect((await worker.request('POST', '/api/departments', { ...body, code: 'WT-Z' })).statusCode).toBe(403);
    const outside = await admin.request('POST', '/api/departments', {
      ...body,
      code: 'WT-W',
      servesUnitId: unitOf(other, other.subdistrict).id,
      deployedToUnitId: null,
    });
    expect(outside.statusCode).toBe(404);
  });
});

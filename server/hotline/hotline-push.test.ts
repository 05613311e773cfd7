/**
 * The hotline's machine side: pushing orders (machine key, Idempotency-Key — a retry and a racing
 * twin answer the first answer and write nothing; the order number is idempotent too) and the
 * status export's columns in JSON, CSV and XLSX, scoped to the key or the person.
 */
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { parseCsv } from '../exports/csv-parse.js';
import { uploadPhoto } from '../media/test-upload.js';
import { makeAccount, makeDepartment, TEST_PASSWORD } from '../test/factories.js';
import { createTestDatabase, signIn } from '../test/harness.js';
import { STATUS_COLUMNS } from './hotline-status.js';
import { makeWorld, type World } from './test-world.js';

let db: Db;
let w: World;
let key: string;

const districtUnit = () => w.t.units.get(w.t.district)?.id ?? 'missing';

function push(body: Record<string, unknown>, idempotencyKey?: string, bearer = key): Promise<LightMyRequestResponse> {
  return w.app.inject({
    method: 'POST',
    url: '/api/hotline/orders',
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    payload: body,
  });
}

const order = (number: string, extra: Record<string, unknown> = {}) => {
  const [lng, lat] = w.t.gridCentres[1] as [number, number];
  return {
    orderNumber: number,
    calledAt: '2026-03-02T08:30:00+08:00',
    caller: { name: '赵先生', phone: '13600000000' },
    category: '市容-占道',
    description: '早市摊贩占用人行道',
    lng,
    lat,
    urgency: '紧急',
    ...extra,
  };
};

const casesOf = async (number: string) =>
  db
    .selectFrom('hotlineOrder')
    .select(['caseId', 'version', 'firstSource'])
    .where('orderNumber', '=', number)
    .execute();

beforeAll(async () => {
  db = (await createTestDatabase()).db;
  w = await makeWorld(db);
  // The district's default mapping translates pushed words.
  const mapping = (await w.dispatcher.request('GET', `/api/hotline/mappings/${w.mappingId}`)).json();
  const made = await w.dispatcher.request('PUT', `/api/hotline/mappings/${w.mappingId}`, {
    name: mapping.name,
    columns: mapping.columns,
    values: mapping.values,
    isDefault: true,
  });
  expect(made.statusCode, made.body).toBe(200);
  const issued = await w.admin.request('POST', '/api/machine-keys', {
    name: '市 12345 平台',
    unitId: districtUnit(),
    channel: 'hotline',
  });
  expect(issued.statusCode, issued.body).toBe(201);
  key = issued.json().key;
});

describe('pushing orders', () => {
  it('refuses a missing or wrong key, a missing Idempotency-Key and bad values, writing nothing', async () => {
    expect((await push(order('P-0'), 'k0', 'glk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(401);
    const sensor = await w.admin.request('POST', '/api/machine-keys', { name: '烟感网关', unitId: districtUnit() });
    expect((await push(order('P-0'), 'k0', sensor.json().key)).json().error.code).toBe('MACHINE_KEY_INVALID');
    const noKey = await push(order('P-0'));
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const bad = await push(order('P-0', { category: '噪声扰民', calledAt: '上周' }), 'k-bad');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('IMPORT_VALUE_INVALID');
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.calledAt', 'body.category']);
    expect(await casesOf('P-0')).toEqual([]);
    const outside = await push(order('P-0', { lng: w.t2.gridCentres[0]?.[0], lat: w.t2.gridCentres[0]?.[1] }), 'k-out');
    expect(outside.statusCode).toBe(422);
    expect(outside.json().error.code).toBe('HOTLINE_OUTSIDE_SCOPE');
    expect(await casesOf('P-0')).toEqual([]);
  });

  it('answers a retry with the first answer and writes nothing; the same key with another body is refused', async () => {
    const first = await push(order('P-1'), 'retry-1');
    expect(first.statusCode, first.body).toBe(201);
    const answer = first.json();
    expect(answer).toMatchObject({ orderNumber: 'P-1', outcome: 'created', version: 1, replay: false });
    expect(answer.number).toMatch(/^\d{6}-\d{8}-\d{5}$/);
    expect(answer.trackingCode).toMatch(/^[0-9A-Z]{10}$/);
    const c = await db
      .selectFrom('cases')
      .select(['channel', 'urgency', 'reporterName', 'version'])
      .where('id', '=', answer.caseId)
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ channel: 'hotline', urgency: 'urgent', reporterName: '赵先生', version: 1 });

    const retry = await push(order('P-1'), 'retry-1');
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual({ ...answer, replay: true });
    const reused = await push(order('P-1', { description: '另一件事' }), 'retry-1');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await casesOf('P-1')).toHaveLength(1);
    const events = await db.selectFrom('caseEvent').select('seq').where('caseId', '=', answer.caseId).execute();
    expect(events).toHaveLength(1);
  });

  it('makes one case of concurrent identical pushes, with or without the same Idempotency-Key', async () => {
    const twins = await Promise.all(Array.from({ length: 5 }, () => push(order('P-2'), 'twin-2')));
    expect(new Set(twins.map((r) => r.json().caseId)).size).toBe(1);
    expect(twins.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(twins.filter((r) => r.json().replay === false)).toHaveLength(1);

    const fresh = await Promise.all(Array.from({ length: 5 }, (_, i) => push(order('P-3'), `fresh-3-${i}`)));
    expect(new Set(fresh.map((r) => r.json().caseId)).size).toBe(1);
    expect(fresh.map((r) => r.json().outcome).sort()).toEqual([
      'created',
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(await casesOf('P-2')).toHaveLength(1);
    expect(await casesOf('P-3')).toHaveLength(1);
  });

  it('updates an order pushed again with new content: a new version on the same case', async () => {
    const first = (await push(order('P-4'), 'p4-a')).json();
    const changed = await push(order('P-4', { description: '早市摊贩占用人行道，已持续一周' }), 'p4-b');
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      outcome: 'updated',
      version: 2,
      caseId: first.caseId,
      number: first.number,
    });
    const step = await db
      .selectFrom('caseEvent')
      .select(['action', 'actor'])
      .where('caseId', '=', first.caseId)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(step.action).toBe('amend');
    expect(step.actor).toMatchObject({ kind: 'system', name: '12345 接口 API · 市 12345 平台' });
  });
});

describe('a finished case', () => {
  it('keeps only the new version of a changed order: no step on a rejected case', async () => {
    const first = (await push(order('P-5'), 'p5-a')).json();
    const current = (await w.subDispatcher.request('GET', `/api/cases/${first.caseId}`)).json();
    const rejected = await w.subDispatcher.request('POST', `/api/cases/${first.caseId}/transitions`, {
      version: current.version,
      action: 'reject',
      rejectReason: 'out_of_remit',
      reason: '不属于本街道职责范围',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const events = async () =>
      (await db.selectFrom('caseEvent').select('seq').where('caseId', '=', first.caseId).execute()).length;
    const before = await events();
    const changed = await push(order('P-5', { description: '摊贩又回来了' }), 'p5-b');
    expect(changed.json()).toMatchObject({ outcome: 'updated', version: 2, caseId: first.caseId });
    expect(await events()).toBe(before);
    const versions = await db
      .selectFrom('hotlineOrderVersion')
      .select('version')
      .where('orderNumber', '=', 'P-5')
      .execute();
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
  });
});

describe('the status export', () => {
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();

  it('gives each order’s status in the hotline’s words with department, result, times and callback', async () => {
    const department = await makeDepartment(db, w.t);
    const handler = await signIn(
      w.app,
      (
        await makeAccount(db, w.t, 'handler', w.t.subdistrict, {
          departmentId: department.id,
          departmentCode: department.code,
        })
      ).username,
      TEST_PASSWORD,
    );
    const pushed = (await push(order('S-1'), 's-1')).json();
    const step = async (client: typeof handler, body: Record<string, unknown>) => {
      const current = (await client.request('GET', `/api/cases/${pushed.caseId}`)).json();
      const res = await client.request('POST', `/api/cases/${pushed.caseId}/transitions`, {
        version: current.version,
        ...body,
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    await step(w.subDispatcher, { action: 'register' });
    await step(w.subDispatcher, { action: 'dispatch', departmentId: department.id });
    await step(handler, { action: 'acknowledge' });
    const photo = await uploadPhoto(w.app, { client: handler });
    await step(handler, {
      action: 'submit_handling',
      reason: '已劝离摊贩并清理路面',
      photos: [{ key: photo, role: 'after' }],
    });

    const res = await w.app.inject({
      method: 'GET',
      url: `/api/hotline/orders/status?since=${encodeURIComponent(since)}`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const item = res.json().items.find((i: { orderNumber: string }) => i.orderNumber === 'S-1');
    expect(item).toMatchObject({
      caseNumber: pushed.number,
      status: 'handling',
      statusLabel: { zh: '办理中', en: 'Being handled' },
      state: 'handled',
      department: '测试城管中队',
      result: '已劝离摊贩并清理路面',
      calledAt: '2026-03-02T08:30:00+08:00',
      closedAt: null,
      callback: null,
    });
    for (const at of ['receivedAt', 'dispatchedAt', 'handledAt', 'changedAt']) expect(item[at]).toMatch(/\+08:00$/);
    const audited = await db
      .selectFrom('auditLog')
      .select(['actor', 'data'])
      .where('action', '=', 'hotline.status_exported')
      .execute();
    expect(audited.at(-1)?.actor).toMatchObject({ kind: 'system', name: 'machine:市 12345 平台' });
  });

  it('writes the same columns as CSV and XLSX', async () => {
    const csv = await w.dispatcher.request(
      'GET',
      `/api/hotline/orders/status?since=${encodeURIComponent(since)}&format=csv`,
    );
    expect(csv.statusCode).toBe(200);
    const table = parseCsv(csv.body);
    expect(table[0]).toEqual(STATUS_COLUMNS.map((c) => c.header));
    const row = table.find((r) => r[0] === 'S-1');
    expect(row?.slice(2, 7)).toEqual(['办理中', 'handling', 'handled', '测试城管中队', '已劝离摊贩并清理路面']);
    expect(row?.[7]).toBe('2026-03-02T08:30:00+08:00');

    const xlsx = await w.dispatcher.request(
      'GET',
      `/api/hotline/orders/status?since=${encodeURIComponent(since)}&format=xlsx`,
    );
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(STATUS_COLUMNS.map((c) => c.header));
    expect(sheet.rowCount).toBe(table.length);
  });

  it('is scoped: another district sees none of these orders; a bad period is a coded 422', async () => {
    const other = await w.otherDispatcher.request(
      'GET',
      `/api/hotline/orders/status?since=${encodeURIComponent(since)}`,
    );
    expect(other.statusCode).toBe(200);
    expect(other.json().items).toEqual([]);
    const long = await w.dispatcher.request('GET', `/api/hotline/orders/status?since=2000-01-01&until=2001-01-01`);
    expect(long.statusCode).toBe(422);
    expect(long.json().error.code).toBe('HOTLINE_EXPORT_RANGE_INVALID');
  });
});

/**
 * Case exports over HTTP on the real database: thousands of rows across several cursor batches, the
 * list's scope, filters and order, the count up front, masking and unmasking with a purpose, the
 * audit row, empty results, bad filters, XLSX, CSV injection, the snapshot, and a client that leaves.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGrants, type StaffActor, SYSTEM_ACTOR } from '../accounts/actor.js';
import { createAccount } from '../accounts/commands/create-account.js';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory, unitOf } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { insertBulkCases } from './bulk-cases.js';
import { CASE_COLUMNS, columnHeader } from './case-columns.js';
import { openCaseExport } from './case-export.js';
import { parseCsv } from './csv-parse.js';
import { beijingTime, OutputClosed } from './table-writer.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let dispatcher: Client;
let leader: Client;
let worker: Client;
let mixed: Client;
let mixedActor: StaffActor;
const CALLER = { name: '李来电', phone: '13800001234' };
const column = (key: string) => CASE_COLUMNS.findIndex((c) => c.key === key);
const HEADER = CASE_COLUMNS.map(columnHeader);

/** Sends an export and reads the file back as rows (header first). */
async function exportCsv(client: Client, body: Record<string, unknown> = {}) {
  const res = await client.request('POST', '/api/cases/export', { format: 'csv', ...body });
  expect(res.statusCode, res.body).toBe(200);
  const bytes = res.rawPayload;
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parseCsv(bytes.toString('utf8'));
  return { res, header: rows[0], rows: rows.slice(1), total: Number(res.headers['x-total-count']) };
}

async function lastAudit(action: string) {
  return db
    .selectFrom('auditLog')
    .select(['data', 'actor'])
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

const countAudit = async () =>
  Number((await db.selectFrom('auditLog').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('case export', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    const elsewhere = await makeTerritory(db, [121.6, 31.4]);
    const category = await makeCategory(db);
    const day = 86_400_000;
    // 2,500 cases in grid 1 (community 1), 300 in grid 3 (community 2), 40 in another district.
    await insertBulkCases(db, {
      count: 2500,
      unit: unitOf(t, t.grids[0]),
      categoryId: category.id,
      newest: new Date(Date.now() - day),
    });
    await insertBulkCases(db, {
      count: 300,
      unit: unitOf(t, t.grids[2]),
      categoryId: category.id,
      newest: new Date(Date.now() - 2 * day),
      batch: 1,
    });
    await insertBulkCases(db, {
      count: 40,
      unit: unitOf(elsewhere, elsewhere.grids[0]),
      categoryId: category.id,
      newest: new Date(),
    });
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
    leader = await signIn(app, (await makeAccount(db, t, 'leader', t.subdistrict)).username, TEST_PASSWORD);
    worker = await signIn(app, (await makeAccount(db, t, 'grid_worker', t.communities[0])).username, TEST_PASSWORD);
    // A leader of the subdistrict who dispatches only for community 2.
    const mixedId = await db.transaction().execute((trx) =>
      createAccount(
        trx,
        { actor: SYSTEM_ACTOR },
        {
          username: `mixed${process.pid % 1000}`,
          displayName: '混合授权',
          phone: null,
          password: TEST_PASSWORD,
          mustChangePassword: false,
          grants: [
            { role: 'leader', unit: unitOf(t, t.subdistrict), department: null, grantedBy: null },
            { role: 'dispatcher', unit: unitOf(t, t.communities[1]), department: null, grantedBy: null },
          ],
        },
      ),
    );
    mixed = await signIn(app, `mixed${process.pid % 1000}`, TEST_PASSWORD);
    mixedActor = {
      kind: 'staff',
      id: mixedId,
      username: `mixed${process.pid % 1000}`,
      displayName: '混合授权',
      mustChangePassword: false,
      grants: await loadGrants(db, mixedId),
    };
    // A caller's report, newest of all, whose title a spreadsheet would take for a formula.
    const [lng, lat] = t.gridCentres[0] as [number, number];
    const reported = await dispatcher.request('POST', '/api/cases', {
      channel: 'hotline',
      categoryCode: category.code,
      title: '=HYPERLINK("http://example.com","点我")',
      description: '来电反映小区门口路灯不亮，夜间出行不便',
      lng,
      lat,
      caller: CALLER,
    });
    expect(reported.statusCode, reported.body).toBe(201);
  });

  it('streams every case in scope as CSV, newest first like the list, the count up front, and audits it', async () => {
    const before = await countAudit();
    const { res, header, rows, total } = await exportCsv(dispatcher);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{8}-\d{4}\.csv"/);
    expect(res.headers['content-length']).toBeUndefined();
    expect(total).toBe(2801);
    expect(header).toEqual(HEADER);
    expect(header?.[0]).toBe('编号 Number');
    expect(rows).toHaveLength(2801);

    // The same order as the list's first pages.
    const list = (await dispatcher.request('GET', '/api/cases?limit=500')).json().items as {
      number: string;
      createdAt: string;
    }[];
    expect(rows.slice(0, 500).map((r) => r[column('number')])).toEqual(list.map((c) => c.number));
    // Times are Beijing wall time.
    expect(rows[0]?.[column('createdAt')]).toBe(beijingTime(new Date(list[0]?.createdAt ?? '')));
    expect(rows[0]?.[column('createdAt')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // Nothing from the other district; every row once.
    expect(new Set(rows.map((r) => r[column('number')])).size).toBe(2801);
    expect(rows.every((r) => r[column('unitCode')]?.startsWith(t.subdistrict.slice(0, 9)))).toBe(true);
    // Masked as the case page masks: first character, 3 + 4 digits.
    const phones = rows.map((r) => r[column('reporterPhone')]);
    expect(phones.every((p) => /^\d{3}\*{4}\d{4}$/.test(p ?? ''))).toBe(true);
    expect(rows[0]?.[column('reporterName')]).toBe('李**');
    expect(rows[0]?.[column('reporterPhone')]).toBe('138****1234');
    expect(rows[0]?.[column('state')]).toBe('待立案');
    expect(rows[0]?.[column('channel')]).toBe('热线电话');
    expect(rows[0]?.[column('unitName')]).toBe('第1网格');

    expect(await countAudit()).toBe(before + 1);
    const audit = await lastAudit('cases.exported');
    expect(audit.data).toEqual({
      format: 'csv',
      filters: {},
      rows: 2801,
      personalData: 'masked',
      unmaskedRows: 0,
      purpose: null,
    });
    expect(audit.actor).toMatchObject({ kind: 'staff', grants: [{ role: 'dispatcher' }] });
  });

  it('takes the list’s filters and answers exactly the list’s rows', async () => {
    const query = `state=${encodeURIComponent('registered,closed')}&q=${encodeURIComponent('测试路 12')}`;
    const list = (await dispatcher.request('GET', `/api/cases?${query}&limit=500`)).json().items as {
      number: string;
    }[];
    expect(list.length).toBeGreaterThan(50);
    expect(list.length).toBeLessThan(500);
    const { rows, total } = await exportCsv(dispatcher, {
      filters: { state: 'registered,closed', q: '测试路 12' },
    });
    expect(total).toBe(list.length);
    expect(rows.map((r) => r[column('number')])).toEqual(list.map((c) => c.number));
    expect(new Set(rows.map((r) => r[column('state')]))).toEqual(new Set(['待派遣', '已结案']));
    expect((await lastAudit('cases.exported')).data).toMatchObject({
      filters: { state: ['registered', 'closed'], q: '测试路 12' },
      rows: list.length,
    });
  });

  it('is scoped like the list: a grid worker of community 1 gets community 1 only', async () => {
    const { rows, total } = await exportCsv(worker);
    expect(total).toBe(2501);
    expect(rows).toHaveLength(2501);
    expect(rows.every((r) => r[column('unitCode')]?.startsWith(t.communities[0]))).toBe(true);
  });

  it('answers an empty result with the header row only, and audits it', async () => {
    const { res, rows, total } = await exportCsv(dispatcher, { filters: { number: '999999-20000101-00001' } });
    expect(total).toBe(0);
    expect(rows).toEqual([]);
    expect(res.rawPayload.toString('utf8')).toBe(`\uFEFF${HEADER.join(',')}\r\n`);
    expect((await lastAudit('cases.exported')).data).toMatchObject({ rows: 0 });
  });

  it('refuses bad filters and formats with the list’s coded 400, writing nothing', async () => {
    const before = await countAudit();
    for (const body of [
      { filters: { state: 'lost' } },
      { filters: { limit: 5 } },
      { filters: { number: '12' } },
      { format: 'pdf' },
      { personalData: 'some' },
    ]) {
      const res = await dispatcher.request('POST', '/api/cases/export', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const unsigned = await app.inject({ method: 'POST', url: '/api/cases/export', payload: {} });
    expect(unsigned.statusCode).toBe(401);
    expect(await countAudit()).toBe(before);
  });

  it('unmasks reporters only for a dispatcher with a purpose, and records it', async () => {
    const refused = await leader.request('POST', '/api/cases/export', {
      personalData: 'unmasked',
      purpose: '核实来电人情况',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('EXPORT_UNMASK_FORBIDDEN');
    expect((await lastAudit('access.denied')).data).toMatchObject({ route: '/api/cases/export', reason: 'forbidden' });

    for (const purpose of [undefined, '', '回访']) {
      const res = await dispatcher.request('POST', '/api/cases/export', { personalData: 'unmasked', purpose });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'EXPORT_PURPOSE_REQUIRED', fields: [{ path: 'body.purpose' }] });
    }

    const { res, rows, total } = await exportCsv(dispatcher, {
      personalData: 'unmasked',
      purpose: '  回访核实处置满意度  ',
    });
    expect(res.headers['x-unmasked-count']).toBe(String(total));
    expect(rows[0]?.[column('reporterName')]).toBe(CALLER.name);
    expect(rows[0]?.[column('reporterPhone')]).toBe(CALLER.phone);
    expect(rows.slice(1).every((r) => /^139\d{8}$/.test(r[column('reporterPhone')] ?? ''))).toBe(true);
    expect((await lastAudit('cases.exported')).data).toMatchObject({
      personalData: 'unmasked',
      unmaskedRows: total,
      purpose: '回访核实处置满意度',
    });
  });

  it('unmasks only the rows in the actor’s dispatcher scope', async () => {
    const { res, rows, total } = await exportCsv(mixed, { personalData: 'unmasked', purpose: '社区回访名单' });
    expect(total).toBe(2801);
    expect(res.headers['x-unmasked-count']).toBe('300');
    for (const r of rows) {
      const inCommunity2 = r[column('unitCode')]?.startsWith(t.communities[1]);
      expect(/\*{4}/.test(r[column('reporterPhone')] ?? '')).toBe(!inCommunity2);
    }
    expect((await lastAudit('cases.exported')).data).toMatchObject({ unmaskedRows: 300, rows: 2801 });
  });

  it('writes XLSX through the streaming writer: header, rows, Beijing times', async () => {
    const res = await dispatcher.request('POST', '/api/cases/export', {
      format: 'xlsx',
      filters: { state: 'closed' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const total = Number(res.headers['x-total-count']);
    expect(total).toBe(Math.floor(2500 / 3) + 100);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.rowCount).toBe(total + 1);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    const list = (await dispatcher.request('GET', '/api/cases?state=closed&limit=1')).json().items[0];
    const first = sheet.getRow(2);
    expect(first.getCell(column('number') + 1).value).toBe(list.number);
    expect(first.getCell(column('state') + 1).value).toBe('已结案');
    const reportedAt = first.getCell(column('createdAt') + 1).value as Date;
    // Excel has no zones: the cell shows the Beijing wall time.
    expect(reportedAt.toISOString().slice(0, 19).replace('T', ' ')).toBe(beijingTime(new Date(list.createdAt)));
    expect(first.getCell(column('closedAt') + 1).value).toBeInstanceOf(Date);
  });

  it('defuses text a spreadsheet would run as a formula (CSV)', async () => {
    const { rows } = await exportCsv(dispatcher, { filters: { q: 'HYPERLINK' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[column('title')]).toBe('\'=HYPERLINK("http://example.com","点我")');
  });

  it('writes exactly the rows it counted, whatever is added meanwhile (one snapshot)', async () => {
    const opened = await openCaseExport(db, { actor: mixedActor, filters: {}, format: 'csv', unmask: false });
    expect(opened.total).toBe(2801);
    const category = await makeCategory(db);
    await insertBulkCases(db, {
      count: 5,
      unit: unitOf(t, t.grids[1]),
      categoryId: category.id,
      newest: new Date(),
      batch: 2,
    });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await opened.write(out);
    const rows = parseCsv(Buffer.concat(chunks).toString('utf8')).slice(1);
    expect(rows).toHaveLength(2801);
    const after = await openCaseExport(db, { actor: mixedActor, filters: {}, format: 'csv', unmask: false });
    expect(after.total).toBe(2806);
    await after.cancel();
  });

  it('runs at most three exports at once: a fourth is told to wait, and the slots come back', async () => {
    const headers = { cookie: leader.cookie, 'x-csrf-token': leader.csrf };
    // Nobody reads these three yet: each holds its slot (and its connection) while it waits.
    const held = await Promise.all(
      [1, 2, 3].map(() =>
        app.inject({ method: 'POST', url: '/api/cases/export', headers, payload: {}, payloadAsStream: true }),
      ),
    );
    expect(held.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const before = await countAudit();
    const fourth = await leader.request('POST', '/api/cases/export', {});
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error.code).toBe('RATE_LIMITED');
    expect(await countAudit()).toBe(before);
    for (const r of held) {
      const chunks: Buffer[] = [];
      for await (const chunk of r.stream()) chunks.push(chunk as Buffer);
      expect(parseCsv(Buffer.concat(chunks).toString('utf8'))).toHaveLength(Number(r.headers['x-total-count']) + 1);
    }
    const after = await leader.request('POST', '/api/cases/export', {});
    expect(after.statusCode).toBe(200);
  });

  it('stops reading when the client goes away, and gives the connection back', async () => {
    const opened = await openCaseExport(db, {
      actor: mixedActor,
      filters: {},
      format: 'csv',
      unmask: false,
      batch: 100,
    });
    const out = new PassThrough({ highWaterMark: 1024 });
    out.once('data', () => out.destroy());
    await expect(opened.write(out)).rejects.toBeInstanceOf(OutputClosed);
    // Every pooled connection is free again: as many exports as the pool holds open at once.
    const all = await Promise.all(
      [1, 2, 3, 4, 5].map(() => openCaseExport(db, { actor: mixedActor, filters: {}, format: 'csv', unmask: false })),
    );
    expect(all.map((o) => o.total)).toEqual([2806, 2806, 2806, 2806, 2806]);
    await Promise.all(all.map((o) => o.cancel()));
  });
});

/**
 * The monthly assessment over HTTP on the real database. The indicators module's own tests prove
 * its formulas on a history run through the workflow; here the inputs are placed directly — daily
 * rollup rows (flows) and case rows with their closing deadlines (the closure cohort) — so that
 * every expected figure below is simple to compute by hand:
 *
 * March 2025, subdistrict S. Community C1 (grid g1, department D1), community C2 (grid g3, D2).
 *  C1: 4 cases due for closure in March: 3 closed in March (2 on time), 1 still open.
 *      closure rate 3/4 = 0.75, on-time 2/4 = 0.5; callbacks 2 (1 satisfied, 1 basically) → 1.0.
 *      score = (30 × 0.75 + 35 × 0.5 + 35 × 1) / 100 × 100 = 75.
 *  C2: 2 due, both closed on time → 1, 1; callbacks 1, dissatisfied → 0. score = 30 + 35 + 0 = 65.
 *  S (total): 6 due, 5 closed, 4 on time; 3 callbacks, 2 content.
 *      score = 30 × 5/6 + 35 × 4/6 + 35 × 2/3 = 25 + 23.333 + 23.333 = 71.67.
 * Flows: C1 reported 5, dispatched 4, handled 3; C2 reported 3, dispatched 2, handled 2; a February
 * and an April row (reported 50 each) must not count.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import {
  makeAccount,
  makeCategory,
  makeDepartment,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
  unitOf,
} from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { insertBulkCases } from './bulk-cases.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let d1: { id: string; code: string };
let d2: { id: string; code: string };
let leader: Client;
let outsider: Client;
let handler: Client;

/** One rollup row of a grid on a day. */
async function rollup(
  grid: string,
  day: string,
  departmentId: string,
  categoryId: string,
  counts: Record<string, number>,
) {
  const unit = unitOf(t, grid);
  await db
    .insertInto('indicatorDay')
    .values({
      district: unit.district,
      day,
      unitId: unit.id,
      unitPath: unit.path,
      categoryId,
      departmentKey: departmentId,
      channel: 'hotline',
      ...counts,
    })
    .execute();
}

/** `count` cases in a grid, due for closure in March 2025; `closed` of them closed in March, `onTime` of those on time. */
async function cohort(
  grid: string,
  departmentId: string,
  categoryId: string,
  batch: number,
  n: number,
  closed: number,
  onTime: number,
) {
  const unit = unitOf(t, grid);
  await insertBulkCases(db, {
    count: n,
    unit,
    categoryId,
    newest: new Date('2025-03-01T00:00:00Z'),
    batch,
    departmentId,
  });
  const ids = (await db.selectFrom('cases').select('id').where('unitId', '=', unit.id).orderBy('number').execute()).map(
    (r) => r.id,
  );
  for (const [i, id] of ids.entries()) {
    await db
      .updateTable('cases')
      .set({
        handleDueAt: new Date('2025-03-10T02:00:00Z'),
        closedAt: i < closed ? new Date('2025-03-09T02:00:00Z') : null,
        closedOnTime: i < closed ? i < onTime : null,
        state: i < closed ? 'closed' : 'handling',
      })
      .where('id', '=', id)
      .execute();
  }
}

const get = (client: Client, query: string) => client.request('GET', `/api/assessment?${query}`);

describe('monthly assessment', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    const elsewhere = await makeTerritory(db, [121.6, 31.4]);
    const category = await makeCategory(db);
    d1 = await makeDepartment(db, t);
    d2 = await makeDepartment(db, t);
    await cohort(t.grids[0], d1.id, category.id, 0, 4, 3, 2);
    await cohort(t.grids[2], d2.id, category.id, 1, 2, 2, 2);
    await rollup(t.grids[0], '2025-03-10', d1.id, category.id, {
      reported: 5,
      dispatched: 4,
      handled: 3,
      callbacks: 2,
      callbackSatisfied: 1,
      callbackBasicallySatisfied: 1,
    });
    await rollup(t.grids[2], '2025-03-31', d2.id, category.id, {
      reported: 3,
      dispatched: 2,
      handled: 2,
      callbacks: 1,
      callbackDissatisfied: 1,
    });
    await rollup(t.grids[2], '2025-02-28', d2.id, category.id, { reported: 50 });
    await rollup(t.grids[0], '2025-04-01', d1.id, category.id, { reported: 50 });
    leader = await signIn(app, (await makeAccount(db, t, 'leader', t.subdistrict)).username, TEST_PASSWORD);
    outsider = await signIn(
      app,
      (await makeAccount(db, elsewhere, 'leader', elsewhere.subdistrict)).username,
      TEST_PASSWORD,
    );
    handler = await signIn(
      app,
      (await makeAccount(db, t, 'handler', t.subdistrict, { departmentId: d1.id, departmentCode: d1.code })).username,
      TEST_PASSWORD,
    );
  });

  it('ranks the child units by the weighted score, with their indicators and the unit’s total', async () => {
    const res = await get(leader, 'month=2025-03');
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    expect(a).toMatchObject({
      month: '2025-03',
      period: { from: '2025-03-01', to: '2025-03-31' },
      unit: { code: t.subdistrict, level: 'subdistrict' },
      group: 'units',
      weights: { closureRate: 30, onTimeClosureRate: 35, satisfactionRate: 35 },
    });
    // The weighted rates first, heaviest first, then the other rates, then the counts.
    expect(a.columns.slice(0, 3).map((c: { code: string; weight: number }) => [c.code, c.weight])).toEqual([
      ['onTimeClosureRate', 35],
      ['satisfactionRate', 35],
      ['closureRate', 30],
    ]);
    expect(a.columns.find((c: { code: string }) => c.code === 'reported')).toMatchObject({
      kind: 'count',
      zh: '上报数',
    });
    expect(
      a.items.map((i: { unit: { code: string }; rank: number; score: number }) => [i.unit.code, i.rank, i.score]),
    ).toEqual([
      [t.communities[0], 1, 75],
      [t.communities[1], 2, 65],
    ]);
    expect(a.items[0].values).toMatchObject({
      closureRate: 0.75,
      onTimeClosureRate: 0.5,
      satisfactionRate: 1,
      handlingRate: 0.75,
      reported: 5,
      dispatched: 4,
      handled: 3,
      dueForClosure: 4,
      dueClosed: 3,
      dueClosedOnTime: 2,
      callbacks: 2,
    });
    expect(a.items[1].values).toMatchObject({ closureRate: 1, satisfactionRate: 0, reported: 3 });
    expect(a.total).toEqual({
      score: 71.67,
      values: expect.objectContaining({
        reported: 8,
        dueForClosure: 6,
        dueClosed: 5,
        closureRate: 0.8333,
        onTimeClosureRate: 0.6667,
        satisfactionRate: 0.6667,
      }),
    });
  });

  it('ranks the departments working in the unit', async () => {
    const res = await get(leader, `month=2025-03&group=departments&unitId=${unitOf(t, t.subdistrict).id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json()
        .items.map((i: { department: { id: string }; rank: number; score: number }) => [
          i.department.id,
          i.rank,
          i.score,
        ]),
    ).toEqual([
      [d1.id, 1, 75],
      [d2.id, 2, 65],
    ]);
  });

  it('gives the same table as an XLSX file', async () => {
    const res = await leader.request('GET', '/api/assessment/xlsx?month=2025-03');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain(`assessment-${t.subdistrict}-2025-03-units.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(String(sheet.getCell('A1').value)).toContain('测试街道 2025-03 月度考核');
    const header = (sheet.getRow(3).values as unknown[]).slice(1);
    expect(header.slice(0, 5)).toEqual([
      '排名 Rank',
      '单位 Unit',
      '代码 Code',
      '综合得分 Score',
      '按期结案率 On-time closure rate (35)',
    ]);
    expect((sheet.getRow(4).values as unknown[]).slice(1, 6)).toEqual([1, '东苑居委会', t.communities[0], 75, 0.5]);
    expect(sheet.getRow(4).getCell(5).numFmt).toBe('0.00%');
    expect((sheet.getRow(5).values as unknown[]).slice(1, 5)).toEqual([2, '西苑居委会', t.communities[1], 65]);
    const total = (sheet.getRow(6).values as unknown[]).slice(1);
    expect(total.slice(1, 4)).toEqual(['合计 Total', undefined, 71.67]);
    expect(sheet.rowCount).toBe(6);
  });

  it('answers bad months, unknown or outside units and grids with coded errors', async () => {
    for (const month of ['2025-13', '2025-00', '1999-12']) {
      const res = await get(leader, `month=${month}`);
      expect(res.statusCode, month).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'MONTH_INVALID', fields: [{ path: 'query.month' }] });
    }
    expect((await get(leader, 'month=2025-3')).statusCode).toBe(400);
    expect((await get(leader, '')).statusCode).toBe(400);
    expect((await get(leader, 'month=2025-03&group=people')).statusCode).toBe(400);

    const unknown = await get(leader, 'month=2025-03&unitId=0190f5a0-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);

    const outside = await get(outsider, `month=2025-03&unitId=${unitOf(t, t.subdistrict).id}`);
    expect(outside.statusCode).toBe(404);
    const denied = await db
      .selectFrom('auditLog')
      .select(['data', 'subjectId'])
      .where('action', '=', 'access.denied')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(denied).toMatchObject({ subjectId: unitOf(t, t.subdistrict).id, data: { route: '/api/assessment' } });

    // A department's handler reads their department's indicators, but ranks nothing.
    expect((await get(handler, `month=2025-03&unitId=${unitOf(t, t.subdistrict).id}`)).statusCode).toBe(404);

    const grid = await get(leader, `month=2025-03&unitId=${unitOf(t, t.grids[0]).id}`);
    expect(grid.statusCode).toBe(422);
    expect(grid.json().error.code).toBe('ASSESSMENT_UNIT_INVALID');
    // A grid's departments are a fair question.
    expect((await get(leader, `month=2025-03&group=departments&unitId=${unitOf(t, t.grids[0]).id}`)).statusCode).toBe(
      200,
    );

    const anonymous = await app.inject({ method: 'GET', url: '/api/assessment?month=2025-03' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lists every child unit also in an empty month, unranked', async () => {
    const res = await get(leader, 'month=2024-03');
    expect(res.statusCode).toBe(200);
    const a = res.json();
    expect(a.items.map((i: { rank: number | null; score: number | null }) => [i.rank, i.score])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(a.total.score).toBeNull();
  });
});

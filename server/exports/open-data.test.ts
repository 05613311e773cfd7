/**
 * Public open data over HTTP on the real database: counts per grid and category summed over whole
 * months from rollup rows placed by hand, nothing else about a case; JSON and CSV; the unit filter;
 * bad months; the public routes' rate limit.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeCategory, makeDepartment, makeTerritory, type Territory, unitOf } from '../test/factories.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { parseCsv } from './csv-parse.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let catA: { id: string; code: string };
let catB: { id: string; code: string };

async function rollup(
  grid: string,
  day: string,
  categoryId: string,
  departmentKey: string,
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
      departmentKey,
      channel: 'resident',
      ...counts,
    })
    .execute();
}

const get = (url: string, ip = '10.0.0.1') => app.inject({ method: 'GET', url, remoteAddress: ip });

describe('public open data', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    catA = await makeCategory(db, { nameZh: '暴露垃圾', nameEn: 'Exposed rubbish' });
    catB = await makeCategory(db, { nameZh: '占道经营', nameEn: 'Street trading' });
    const d1 = await makeDepartment(db, t);
    const d2 = await makeDepartment(db, t);
    // Grid 1, category A: two departments and two days in March add up; one day in April.
    await rollup(t.grids[0], '2025-03-01', catA.id, d1.id, { reported: 3, registered: 2, closed: 1 });
    await rollup(t.grids[0], '2025-03-31', catA.id, d2.id, { reported: 1, registered: 1, closed: 2 });
    await rollup(t.grids[0], '2025-04-01', catA.id, d1.id, { reported: 7, registered: 7, closed: 0 });
    // Grid 1, category B, and grid 4, category B, in March; a row with only other counts stays out.
    await rollup(t.grids[0], '2025-03-15', catB.id, d1.id, { reported: 2 });
    await rollup(t.grids[3], '2025-03-20', catB.id, d2.id, { reported: 4, registered: 4, closed: 4 });
    await rollup(t.grids[2], '2025-03-20', catB.id, d2.id, { dispatched: 9, handled: 9 });
  });

  it('counts per grid and category over a month, without signing in and without anything of a case', async () => {
    const res = await get('/api/public/open-data/case-counts?from=2025-03');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const data = res.json();
    expect(data).toMatchObject({ from: '2025-03', to: '2025-03', unit: null, suppressBelow: 3 });
    expect(data.items).toEqual([
      {
        grid: { code: t.grids[0], name: '第1网格', level: 'grid' },
        category: { code: catA.code, name: { zh: '暴露垃圾', en: 'Exposed rubbish' } },
        reported: 4,
        registered: 3,
        closed: 3,
      },
      {
        grid: { code: t.grids[0], name: '第1网格', level: 'grid' },
        category: { code: catB.code, name: { zh: '占道经营', en: 'Street trading' } },
        reported: null, // 2: fewer than 3, suppressed
        registered: 0,
        closed: 0,
      },
      {
        grid: { code: t.grids[3], name: '第4网格', level: 'grid' },
        category: { code: catB.code, name: { zh: '占道经营', en: 'Street trading' } },
        reported: 4,
        registered: 4,
        closed: 4,
      },
    ]);
    // No identifiers of records: only codes of grids and categories.
    expect(JSON.stringify(data)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('sums a run of months, narrows to a unit, and writes the same as CSV', async () => {
    const both = (await get('/api/public/open-data/case-counts?from=2025-03&to=2025-04')).json();
    expect(both.items[0]).toMatchObject({ category: { code: catA.code }, reported: 11, registered: 10, closed: 3 });

    const community2 = (await get(`/api/public/open-data/case-counts?from=2025-03&unit=${t.communities[1]}`)).json();
    expect(community2.unit).toEqual({ code: t.communities[1], name: '西苑居委会' });
    expect(community2.items.map((i: { grid: { code: string } }) => i.grid.code)).toEqual([t.grids[3]]);

    const csv = await get('/api/public/open-data/case-counts.csv?from=2025-03');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('open-data-case-counts-2025-03.csv');
    const rows = parseCsv(csv.rawPayload.toString('utf8'));
    expect(rows[0]).toEqual([
      '网格代码 Grid code',
      '网格 Grid',
      '类别代码 Category code',
      '类别 Category',
      '上报数 Reported',
      '立案数 Registered',
      '结案数 Closed',
    ]);
    expect(rows.slice(1)).toEqual([
      [t.grids[0], '第1网格', catA.code, '暴露垃圾', '4', '3', '3'],
      [t.grids[0], '第1网格', catB.code, '占道经营', '<3', '0', '0'],
      [t.grids[3], '第4网格', catB.code, '占道经营', '4', '4', '4'],
    ]);

    const empty = await get('/api/public/open-data/case-counts.csv?from=2020-01');
    expect(parseCsv(empty.rawPayload.toString('utf8'))).toHaveLength(1);
  });

  it('answers bad months and unknown units with coded errors', async () => {
    const cases: [string, number, string, string?][] = [
      ['from=2025-13', 422, 'MONTH_INVALID', 'query.from'],
      ['from=2025-03&to=2025-02', 422, 'MONTH_INVALID', 'query.to'],
      ['from=2024-01&to=2025-01', 422, 'MONTH_INVALID', 'query.to'],
      ['from=2101-01', 422, 'MONTH_INVALID', 'query.from'],
      ['from=March', 400, 'VALIDATION_FAILED'],
      ['', 400, 'VALIDATION_FAILED'],
      ['from=2025-03&unit=12', 400, 'VALIDATION_FAILED'],
      ['from=2025-03&unit=110000000000', 404, 'NOT_FOUND'],
    ];
    for (const [query, status, code, path] of cases) {
      const res = await get(`/api/public/open-data/case-counts?${query}`, '10.0.0.2');
      expect(res.statusCode, query).toBe(status);
      expect(res.json().error.code, query).toBe(code);
      if (path) expect(res.json().error.fields[0].path, query).toBe(path);
    }
    // Twelve months is the longest run.
    expect((await get('/api/public/open-data/case-counts?from=2024-04&to=2025-03', '10.0.0.2')).statusCode).toBe(200);
  });

  it('documents every export route in the OpenAPI document, with tags and both languages', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const routes: [string, 'get' | 'post'][] = [
      ['/api/cases/export', 'post'],
      ['/api/assessment', 'get'],
      ['/api/assessment/xlsx', 'get'],
      ['/api/public/open-data/case-counts', 'get'],
      ['/api/public/open-data/case-counts.csv', 'get'],
    ];
    for (const [path, method] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op?.tags, path).toContain('exports');
      expect(op?.summary, path).toMatch(/[a-z].* \/ .*[\u4e00-\u9fff]/);
    }
    expect(Object.keys(doc.paths['/api/cases/export'].post.responses['200'].content)).toEqual([
      'text/csv; charset=utf-8',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    expect(doc.paths['/api/public/open-data/case-counts'].get.security).toEqual([]);
  });

  it('is rate limited like the other public routes', async () => {
    const answers = [];
    for (let i = 0; i < 31; i++) answers.push(await get('/api/public/open-data/case-counts?from=2025-03', '10.0.0.3'));
    expect(answers.slice(0, 30).every((r) => r.statusCode === 200)).toBe(true);
    expect(answers[30]?.statusCode).toBe(429);
    expect(answers[30]?.json().error.code).toBe('RATE_LIMITED');
    // Another address is not held back.
    expect((await get('/api/public/open-data/case-counts?from=2025-03', '10.0.0.4')).statusCode).toBe(200);
  });
});

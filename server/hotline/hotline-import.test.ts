/**
 * Importing 12345 work orders over HTTP: a bad row among good ones (the good land, the bad are
 * reported with the value named, nothing half-written), idempotency by order number (the same file
 * again writes nothing; changed content updates once, never a second case), coded errors for
 * unusable files, scope, and a 2,000-row file.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { parseCsv } from '../exports/csv-parse.js';
import { makeAccount, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestDatabase, signIn } from '../test/harness.js';
import {
  csvFile,
  importFile,
  makeWorld,
  mappingBody,
  orderRow,
  uploadFile,
  type World,
  xlsxFile,
} from './test-world.js';

let db: Db;
let w: World;

/** Everything an import could write, counted: a re-import of the same content must leave it all alone. */
async function footprint() {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*)::int from cases where channel = 'hotline') as cases,
      (select count(*)::int from case_event) as events,
      (select count(*)::int from hotline_order) as orders,
      (select count(*)::int from hotline_order_version) as versions,
      (select coalesce(sum(version), 0)::int from cases) as case_versions,
      (select count(*)::int from notification) as notifications`.execute(db);
  return rows[0];
}

async function caseOf(orderNumber: string) {
  return db
    .selectFrom('hotlineOrder as o')
    .innerJoin('cases as c', (j) => j.onRef('c.district', '=', 'o.district').onRef('c.id', '=', 'o.caseId'))
    .innerJoin('category as g', 'g.id', 'c.categoryId')
    .select([
      'c.id',
      'c.channel',
      'c.state',
      'c.description',
      'c.reporterName',
      'c.reporterPhone',
      'c.unitPath',
      'c.urgency',
      'g.code',
      'o.version',
    ])
    .where('o.district', '=', w.d)
    .where('o.orderNumber', '=', orderNumber)
    .executeTakeFirst();
}

beforeAll(async () => {
  db = (await createTestDatabase()).db;
  w = await makeWorld(db);
});

describe('mappings', () => {
  it('lists the fields and the district’s codes for the editor', async () => {
    const res = await w.subDispatcher.request('GET', '/api/hotline/fields');
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view.district).toBe(w.d);
    expect(view.oneOf).toEqual([['address'], ['lng', 'lat']]);
    const category = view.fields.find((f: { key: string }) => f.key === 'category');
    expect(category.choices).toContainEqual({ code: w.vending.code, label: { zh: '占道经营', en: 'Street vending' } });
    const unit = view.fields.find((f: { key: string }) => f.key === 'unit');
    expect(unit.choices.map((c: { code: string }) => c.code)).toContain(w.t.subdistrict);
    expect(unit.choices.map((c: { code: string }) => c.code)).not.toContain(w.t2.subdistrict);
    expect((await w.otherDispatcher.request('GET', `/api/hotline/fields?district=${w.d}`)).statusCode).toBe(404);
  });

  it('are checked, unique by name in the district, changed and deleted', async () => {
    const bad = await w.dispatcher.request('POST', '/api/hotline/mappings', {
      name: '缺字段',
      columns: { orderNumber: '编号' },
      values: { category: { 垃圾: '9999' } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('IMPORT_MAPPING_INVALID');
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual([
      'body.columns.category',
      'body.columns.description',
      'body.columns',
      'body.values.category.垃圾',
    ]);
    const taken = await w.subDispatcher.request('POST', '/api/hotline/mappings', mappingBody(w));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('IMPORT_MAPPING_NAME_TAKEN');

    const made = await w.subDispatcher.request('POST', '/api/hotline/mappings', {
      ...mappingBody(w, '临时'),
      isDefault: true,
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id;
    const changed = await w.subDispatcher.request('PUT', `/api/hotline/mappings/${id}`, {
      ...mappingBody(w, '临时（改）'),
      values: { category: { 垃圾: w.rubbish.code } },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      name: '临时（改）',
      isDefault: false,
      values: { category: { 垃圾: w.rubbish.code } },
    });
    expect((await w.otherDispatcher.request('DELETE', `/api/hotline/mappings/${id}`)).statusCode).toBe(404);
    expect((await w.subDispatcher.request('DELETE', `/api/hotline/mappings/${id}`)).statusCode).toBe(204);
    expect((await w.subDispatcher.request('GET', `/api/hotline/mappings/${id}`)).statusCode).toBe(404);
  });
});

describe('a file with bad rows among good ones', () => {
  const rows = () => [
    orderRow(w, 'GD-1'),
    orderRow(w, 'GD-2', { 诉求分类: '乱扔杂物' }),
    orderRow(w, 'GD-3', { 诉求分类: '市容-占道', 紧急程度: '紧急', 来电人: '李女士' }),
    orderRow(w, 'GD-4', { 诉求内容: null, 经度: '东经121' }),
    orderRow(w, 'GD-5', { 经度: w.t2.gridCentres[0]?.[0], 纬度: w.t2.gridCentres[0]?.[1] }),
    orderRow(w, 'GD-6', { 经度: null, 纬度: null }),
  ];

  it('lands the good rows as hotline cases and reports each bad one with its reason', async () => {
    const before = await footprint();
    const run = await importFile(w.dispatcher, { bytes: await xlsxFile(rows()), name: '工单.xlsx' }, w.mappingId);
    expect(run).toMatchObject({ status: 'done', totalRows: 6, processedRows: 6, error: null });
    expect(run.counts).toEqual({ created: 3, updated: 0, unchanged: 0, rejected: 3 });

    const good = await caseOf('GD-3');
    expect(good).toMatchObject({
      channel: 'hotline',
      state: 'reported',
      reporterName: '李女士',
      reporterPhone: '13912345678',
      code: w.vending.code,
      urgency: 'urgent',
      version: 1,
    });
    expect(good?.description).toContain('12345 工单编号 Order number: GD-3');
    expect(good?.description).toContain('来电时间 Call time: 2026-03-01 09:15');
    // Without a point, by the address, within the handling unit.
    expect((await caseOf('GD-6'))?.unitPath.startsWith(w.t.units.get(w.t.subdistrict)?.path ?? '-')).toBe(true);

    const report = await w.dispatcher.request('GET', `/api/hotline/imports/${run.id}/report`);
    expect(report.statusCode, report.body).toBe(200);
    const page = report.json() as {
      total: number;
      items: {
        rowNumber: number;
        recordKey: string;
        errorCode: string;
        field: string;
        message: { zh: string };
        cells: [string, unknown][];
      }[];
    };
    expect(page.total).toBe(3);
    expect(page.items.map((i) => [i.rowNumber, i.recordKey, i.errorCode, i.field])).toEqual([
      [3, 'GD-2', 'IMPORT_VALUE_UNKNOWN', 'category'],
      [5, 'GD-4', 'IMPORT_VALUE_REQUIRED', 'description'],
      [6, 'GD-5', 'HOTLINE_OUTSIDE_SCOPE', 'lng,lat'],
    ]);
    expect(page.items[0]?.message.zh).toBe('诉求分类“乱扔杂物”不在映射表中');
    // Every problem of a row is named, not just the first; the row is kept as it came.
    expect(page.items[1]?.message.zh).toContain('经度“东经121”');
    expect(page.items[1]?.cells).toContainEqual(['工单编号', 'GD-4']);

    // Nothing of the bad rows was written: three cases, three orders, three report events.
    const after = await footprint();
    expect((after?.cases ?? 0) - (before?.cases ?? 0)).toBe(3);
    expect((after?.orders ?? 0) - (before?.orders ?? 0)).toBe(3);
    expect((after?.events ?? 0) - (before?.events ?? 0)).toBe(3);
    for (const missing of ['GD-2', 'GD-4', 'GD-5']) expect(await caseOf(missing)).toBeUndefined();
  });

  it('writes nothing when the same file comes again: every good row is unchanged', async () => {
    const before = await footprint();
    const run = await importFile(w.dispatcher, { bytes: await xlsxFile(rows()), name: '工单.xlsx' }, w.mappingId);
    expect(run.counts).toEqual({ created: 0, updated: 0, unchanged: 3, rejected: 3 });
    expect(await footprint()).toEqual(before);
  });

  it('updates a changed order once: a new version and a note on its case, never a second case', async () => {
    const before = await footprint();
    const changed = rows().map((row) =>
      row[0] === 'GD-1' ? orderRow(w, 'GD-1', { 诉求内容: '垃圾堆积已三天，气味很大', 联系电话: '13700000000' }) : row,
    );
    // Laid out differently (CSV, columns in another order) yet read as the same content elsewhere.
    const run = await importFile(w.dispatcher, { bytes: csvFile(changed), name: '工单.csv' }, w.mappingId);
    expect(run.counts).toEqual({ created: 0, updated: 1, unchanged: 2, rejected: 3 });
    const after = await footprint();
    expect(after?.cases).toBe(before?.cases);
    expect((after?.versions ?? 0) - (before?.versions ?? 0)).toBe(1);
    expect((after?.events ?? 0) - (before?.events ?? 0)).toBe(1);

    const c = await caseOf('GD-1');
    expect(c?.version).toBe(2);
    // The case's own text stays what its people saw; the step says what changed.
    expect(c?.description).toContain('小区门口垃圾堆积（GD-1）');
    const step = await db
      .selectFrom('caseEvent')
      .select(['action', 'reason', 'toState'])
      .where('caseId', '=', c?.id ?? '')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(step).toMatchObject({ action: 'amend', toState: 'reported' });
    expect(step.reason).toContain('诉求内容 Description：垃圾堆积已三天，气味很大');
    expect(step.reason).toContain('联系电话 Phone：（已更新）');
    expect(step.reason).not.toContain('13700000000');

    // The same change again is unchanged.
    const again = await importFile(w.dispatcher, { bytes: csvFile(changed), name: '工单.csv' }, w.mappingId);
    expect(again.counts).toMatchObject({ updated: 0, unchanged: 3 });
  });

  it('takes an order listed twice in one file in file order: the later row wins, one case', async () => {
    const twice = [
      orderRow(w, 'DUP-1'),
      orderRow(w, 'DUP-2'),
      orderRow(w, 'DUP-1', { 诉求内容: '第二次来电：垃圾仍未清运' }),
    ];
    const run = await importFile(w.dispatcher, { bytes: csvFile(twice), name: 'twice.csv' }, w.mappingId);
    expect(run.counts).toEqual({ created: 2, updated: 1, unchanged: 0, rejected: 0 });
    const latest = await db
      .selectFrom('hotlineOrderVersion')
      .select(['version', 'fields'])
      .where('orderNumber', '=', 'DUP-1')
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    expect(latest).toMatchObject({ version: 2, fields: { description: '第二次来电：垃圾仍未清运' } });
  });

  it('gives the rejected rows as a CSV to fix and import again', async () => {
    const list = (await w.dispatcher.request('GET', '/api/hotline/imports')).json() as {
      items: { id: string; counts: { rejected: number } }[];
    };
    const latest = list.items.find((run) => run.counts.rejected === 3)?.id ?? '';
    const res = await w.dispatcher.request('GET', `/api/hotline/imports/${latest}/report?format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const table = parseCsv(res.body);
    expect(table[0]).toEqual([
      '行号 Row',
      '编号 Key',
      '错误代码 Code',
      '字段 Field',
      '原因 Reason',
      'Reason',
      '原始内容 As received',
    ]);
    expect(table.slice(1).map((r) => r[1])).toEqual(['GD-2', 'GD-4', 'GD-5']);
    expect(table[1]?.[6]).toContain('诉求分类: 乱扔杂物');
  });
});

describe('files that cannot be imported', () => {
  it('refuses an empty file, an unknown format and missing columns at once, starting no run', async () => {
    const runs = async () =>
      (
        await db
          .selectFrom('importRun')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await runs();
    const empty = await uploadFile(
      w.dispatcher,
      '/api/hotline/imports',
      { bytes: Buffer.alloc(0), name: 'a.csv' },
      w.mappingId,
    );
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('IMPORT_FILE_EMPTY');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const unknown = await uploadFile(w.dispatcher, '/api/hotline/imports', { bytes: png, name: 'a.xlsx' }, w.mappingId);
    expect(unknown.statusCode).toBe(415);
    const lacking = await uploadFile(
      w.dispatcher,
      '/api/hotline/imports',
      { bytes: csvFile([['X1', '一些内容']], ['编号', '内容']), name: 'a.csv' },
      w.mappingId,
    );
    expect(lacking.statusCode).toBe(422);
    expect(lacking.json().error.code).toBe('IMPORT_COLUMNS_MISSING');
    expect(lacking.json().error.fields.map((f: { reason: string }) => f.reason)).toContain('no column “工单编号”');
    const noFile = await w.dispatcher.request('POST', '/api/hotline/imports', { mappingId: w.mappingId });
    expect(noFile.statusCode).toBe(415);
    expect(await runs()).toBe(before);
  });

  it('imports a header-only file as nothing', async () => {
    const run = await importFile(w.dispatcher, { bytes: csvFile([]), name: 'empty.csv' }, w.mappingId);
    expect(run).toMatchObject({ status: 'done', totalRows: 0, processedRows: 0 });
    expect(run.counts).toEqual({ created: 0, updated: 0, unchanged: 0, rejected: 0 });
  });

  it('previews the first rows as mapped, naming their problems, writing nothing', async () => {
    const bytes = csvFile([orderRow(w, 'PV-1'), orderRow(w, 'PV-2', { 紧急程度: '十万火急' })]);
    const res = await uploadFile(w.dispatcher, '/api/hotline/imports/preview', { bytes, name: 'p.csv' }, w.mappingId);
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.format).toBe('csv');
    expect(preview.rows[0].values).toMatchObject({ orderNumber: 'PV-1', category: w.rubbish.code, urgency: 'normal' });
    expect(preview.rows[1].problems).toEqual([
      {
        field: 'urgency',
        code: 'IMPORT_VALUE_UNKNOWN',
        message: { zh: '紧急程度“十万火急”不在映射表中', en: 'Urgency “十万火急” is not in the mapping' },
      },
    ]);
    expect(await caseOf('PV-1')).toBeUndefined();
  });
});

describe('scope', () => {
  it('opens the hotline to dispatchers and administrators only (the session says so; the routes refuse others)', async () => {
    const ability = async (client: Client) =>
      ((await client.request('GET', '/api/session')).json() as { abilities: { useHotline: boolean } }).abilities
        .useHotline;
    const worker = await signIn(
      w.app,
      (await makeAccount(db, w.t, 'grid_worker', w.t.communities[0])).username,
      TEST_PASSWORD,
    );
    expect([await ability(w.dispatcher), await ability(w.admin), await ability(worker)]).toEqual([true, true, false]);
    const refused = await worker.request('GET', '/api/hotline/mappings');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');
  });

  it('hides a run and a mapping from another district’s dispatcher (404) and from its lists', async () => {
    const run = await importFile(w.dispatcher, { bytes: csvFile([orderRow(w, 'SC-1')]), name: 's.csv' }, w.mappingId);
    expect((await w.otherDispatcher.request('GET', `/api/hotline/imports/${run.id}`)).statusCode).toBe(404);
    expect((await w.otherDispatcher.request('GET', `/api/hotline/imports/${run.id}/report`)).statusCode).toBe(404);
    expect((await w.otherDispatcher.request('GET', `/api/hotline/mappings/${w.mappingId}`)).statusCode).toBe(404);
    const upload = await uploadFile(
      w.otherDispatcher,
      '/api/hotline/imports',
      { bytes: csvFile([orderRow(w, 'SC-2')]), name: 's.csv' },
      w.mappingId,
    );
    expect(upload.statusCode).toBe(404);
    expect((await w.otherDispatcher.request('GET', '/api/hotline/imports')).json().items).toEqual([]);
    expect((await w.otherDispatcher.request('GET', '/api/hotline/mappings')).json().items).toEqual([]);
    const denied = await db
      .selectFrom('auditLog')
      .select('subjectType')
      .where('action', '=', 'access.denied')
      .where('subjectId', '=', run.id)
      .execute();
    expect(denied.length).toBeGreaterThan(0);
  });

  it('a subdistrict dispatcher imports within the subdistrict: an order of the district’s own desk is refused', async () => {
    const mine = await w.subDispatcher.request('GET', '/api/hotline/mappings');
    expect(mine.json().items.map((m: { id: string }) => m.id)).toContain(w.mappingId);
    const district = w.t.district;
    const body = {
      ...mappingBody(w, '区级承办'),
      values: { category: { '环境卫生-垃圾': w.rubbish.code }, unit: { 区网格中心: district } },
    };
    const made = await w.dispatcher.request('POST', '/api/hotline/mappings', body);
    expect(made.statusCode, made.body).toBe(201);
    const run = await importFile(
      w.subDispatcher,
      { bytes: csvFile([orderRow(w, 'SC-3', { 承办单位: '区网格中心', 紧急程度: null })]), name: 'd.csv' },
      made.json().id,
    );
    expect(run.counts.rejected).toBe(1);
    const report = (await w.subDispatcher.request('GET', `/api/hotline/imports/${run.id}/report`)).json();
    expect(report.items[0]).toMatchObject({ errorCode: 'HOTLINE_OUTSIDE_SCOPE', field: 'unit' });
    // The district's dispatcher sees the subdistrict's runs: they lie in the district's scope.
    expect((await w.dispatcher.request('GET', `/api/hotline/imports/${run.id}`)).statusCode).toBe(200);
  });
});

describe('a large file', () => {
  it('imports 2,000 rows with exact counts and progress', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) =>
      orderRow(w, `BIG-${i + 1}`, i % 100 === 99 ? { 诉求分类: '未知类别' } : { 诉求内容: `第 ${i + 1} 件：垃圾满溢` }),
    );
    const run = await importFile(w.dispatcher, { bytes: csvFile(rows), name: 'big.csv' }, w.mappingId);
    expect(run).toMatchObject({ status: 'done', totalRows: 2_000, processedRows: 2_000 });
    expect(run.counts).toEqual({ created: 1_980, updated: 0, unchanged: 0, rejected: 20 });
    // Progress was readable while it ran, and only ever went forward.
    expect(run.seen.some((n) => n > 0 && n < 2_000)).toBe(true);
    expect(run.seen).toEqual([...run.seen].sort((a, b) => a - b));
    const { n } = await db
      .selectFrom('hotlineOrder')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('orderNumber', 'like', 'BIG-%')
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(1_980);
  }, 240_000);
});

/**
 * Departmental imports into the archive over HTTP, on real PostgreSQL: a people file of a few hundred
 * rows with known counts and every bad-row code (good rows land, bad ones are reported, nothing half
 * written); the same file again changes nothing; newer data replaces older and older never replaces
 * newer; two departments disagreeing are reported as conflicts (masked), taken or not by date; a
 * change by hand is not undone by older data; households matched by normalised address with their
 * members; scope.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeIdNumber } from '../../../common/id-number.js';
import type { Db } from '../../db/database.js';
import { creditCode } from '../../seed/archive/venues.js';
import { createRng } from '../../seed/random.js';
import { makeAccount, TEST_PASSWORD } from '../../test/factories.js';
import { createTestApp, createTestDatabase, signIn } from '../../test/harness.js';
import {
  HOUSEHOLD_HEADER,
  HOUSEHOLDS,
  householdRow,
  type ImportWorld,
  idOf,
  importRows,
  makeImportWorld,
  PEOPLE,
  PEOPLE_HEADER,
  personRow,
} from './test-world.js';

let db: Db;
let w: ImportWorld;
const GOOD = 300;
const rows = () => Array.from({ length: GOOD }, (_, n) => personRow(w, n));
/** The ID number with a check character it does not have. */
const wrongCheck = (id: string) => `${id.slice(0, 17)}${id.endsWith('1') ? '2' : '1'}`;

/** Everything a people import could write, counted: a re-import must leave it all alone. */
async function footprint(): Promise<Record<string, number>> {
  const { rows: counts } = await sql<Record<string, number>>`
    select (select count(*)::int from person where district = ${w.t.district.slice(0, 6)}) as people,
      (select coalesce(sum(version), 0)::int from person) as versions,
      (select count(*)::int from person_tag) as tags,
      (select count(*)::int from household) as households,
      (select count(*)::int from household_member) as members,
      (select count(*)::int from archive_source) as sources,
      (select count(*)::int from archive_source where as_of <> '2026-03-01' or source = 'archive') as moved,
      (select count(*)::int from audit_log where action = 'archive.changed') as changes`.execute(db);
  return counts[0] ?? {};
}

async function person(idNumber: string) {
  return db
    .selectFrom('person')
    .select(['id', 'name', 'phones', 'address', 'work', 'residency', 'unitPath', 'version'])
    .where('idNumber', '=', idNumber)
    .executeTakeFirst();
}

async function summary(id: string, prefix = PEOPLE) {
  const res = await w.admin.request('GET', `${prefix}/imports/${id}/summary`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function conflicts(id: string) {
  const res = await w.admin.request('GET', `${PEOPLE}/imports/${id}/report?show=conflicts`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { rowNumber: number; conflicts: Record<string, unknown>[]; kept: string[] }[];
}

beforeAll(async () => {
  db = (await createTestDatabase()).db;
  const app = await createTestApp(db);
  w = await makeImportWorld(db, app);
});

/** The first people import, by the subdistrict's administrator. */
let firstRun = '';

describe('people', () => {
  it('lands the good rows of a few hundred, and reports each bad one with its code', async () => {
    const good = rows();
    const bad: [unknown[], string, string][] = [
      [personRow(w, 400, { 身份证号: wrongCheck(idOf(personRow(w, 400))) }), 'ARCHIVE_ID_NUMBER_INVALID', 'idNumber'],
      [personRow(w, 401, { 出生日期: '1990-02-30' }), 'IMPORT_VALUE_INVALID', 'birthDate'],
      [personRow(w, 402, { 性别: '男' }), 'ARCHIVE_ID_MISMATCH', 'gender'],
      [personRow(w, 5, { 姓名: '重复的人' }), 'IMPORT_DUPLICATE_KEY', 'idNumber'],
      [personRow(w, 403, { 所属网格: '' }), 'ARCHIVE_IMPORT_UNIT_NEEDED', 'unit'],
      [personRow(w, 404, { 数据来源: '公安' }), 'IMPORT_VALUE_UNKNOWN', 'sourceDepartment'],
      [personRow(w, 405, { 联系电话: '12345' }), 'ARCHIVE_PHONE_INVALID', 'phones.0'],
      [personRow(w, 406, { 数据日期: '2099-01-01' }), 'ARCHIVE_DATE_INVALID', 'asOf'],
      [personRow(w, 407, { 姓名: '' }), 'IMPORT_VALUE_REQUIRED', 'name'],
      [personRow(w, 408, { 救助类别: '低保', 残疾等级: 2 }), 'ARCHIVE_TAG_NOT_APPLICABLE', 'tagGrade'],
      [personRow(w, 409, { 所属网格: w.t.subdistrict }), 'IMPORT_VALUE_UNKNOWN', 'unit'],
    ];
    // Bad rows among the good ones, after the first 100 (the header is row 1).
    const file = [...good.slice(0, 100), ...bad.map(([row]) => row), ...good.slice(100)];
    const before = await footprint();
    const run = await importRows(w.admin, PEOPLE, w.peopleMapping, PEOPLE_HEADER, file);
    firstRun = run.id;
    expect(run.status).toBe('done');
    expect(run.totalRows).toBe(GOOD + bad.length);
    expect(run.counts).toEqual({ created: GOOD, updated: 0, unchanged: 0, rejected: bad.length });
    expect(run.conflicts).toBe(0);

    const report = await w.admin.request('GET', `${PEOPLE}/imports/${run.id}/report`);
    const items = report.json().items as { rowNumber: number; errorCode: string; field: string }[];
    expect(items.map((i) => [i.rowNumber, i.errorCode, i.field])).toEqual(
      bad.map(([, code, field], i) => [102 + i, code, field]),
    );
    // Nothing of a bad row was written: its person is not on file, and the duplicate did not rename row 5's.
    for (const [row, code] of bad) if (code !== 'IMPORT_DUPLICATE_KEY') expect(await person(idOf(row))).toBeUndefined();
    expect((await person(idOf(good[5] ?? [])))?.name).toBe(personRow(w, 5)[1]);

    const after = await footprint();
    const grew = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
    expect(grew('people')).toBe(GOOD);
    expect(grew('tags')).toBe(GOOD / 10);
    expect(grew('changes')).toBe(GOOD);
    const s = await summary(run.id);
    expect(s.changedFields).toContainEqual({ field: 'name', rows: GOOD });
    expect(s.changedFields).toContainEqual({ field: 'tag.minimum_income', rows: GOOD / 10 });
    expect(s.rejectedByCode).toContainEqual({
      code: 'IMPORT_VALUE_UNKNOWN',
      rows: 2,
      message: expect.objectContaining({ zh: expect.any(String), en: expect.any(String) }),
    });
    const floating = await person(idOf(good[3] ?? []));
    expect(floating).toMatchObject({ residency: 'floating', phones: ['13910000003'], address: '测试路 3 号' });
  });

  it('changes nothing when the same file comes again', async () => {
    const before = await footprint();
    const run = await importRows(w.admin, PEOPLE, w.peopleMapping, PEOPLE_HEADER, rows());
    expect(run.counts).toEqual({ created: 0, updated: 0, unchanged: GOOD, rejected: 0 });
    expect(run.conflicts).toBe(0);
    expect(await footprint()).toEqual(before);
    const s = await summary(run.id);
    expect(s.changedFields).toEqual([]);
    expect(s.keptFields).toEqual([]);
    expect(firstRun).not.toBe(run.id);
  });

  it('takes newer data of a department and keeps newer data against its older rows', async () => {
    const newer = personRow(w, 10, { 联系电话: '13800000010', 数据日期: '2026-06-01' });
    const older = personRow(w, 11, { 联系电话: '13800000011', 数据日期: '2025-12-01' });
    const run = await importRows(w.admin, PEOPLE, w.peopleMapping, PEOPLE_HEADER, [newer, older]);
    expect(run.counts).toMatchObject({ updated: 1, unchanged: 1, rejected: 0 });
    expect(run.conflicts).toBe(0);
    expect((await person(idOf(newer)))?.phones).toEqual(['13800000010']);
    expect((await person(idOf(older)))?.phones).toEqual(['13910000011']);
    const s = await summary(run.id);
    expect(s.changedFields).toEqual([{ field: 'phones', rows: 1 }]);
    expect(s.keptFields).toEqual([{ field: 'phones', rows: 1 }]);
    // The department's own older row is stale, not a conflict; sent again, still nothing.
    const again = await importRows(w.admin, PEOPLE, w.peopleMapping, PEOPLE_HEADER, [newer, older]);
    expect(again.counts).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it('reports two departments disagreeing, whichever the date decides', async () => {
    const older = personRow(w, 20, { 数据来源: '残联', 数据日期: '2026-01-15', 居住地址: '另一条路 9 号' });
    const newer = personRow(w, 21, { 数据来源: '残联', 数据日期: '2026-05-01', 联系电话: '13700000021' });
    const disabled = personRow(w, 22, { 数据来源: '残联', 数据日期: '2026-05-01', 救助类别: '残疾', 残疾等级: 2 });
    const run = await importRows(w.admin, PEOPLE, w.peopleMapping, PEOPLE_HEADER, [older, newer, disabled]);
    expect(run.counts).toMatchObject({ updated: 2, unchanged: 1, rejected: 0 });
    expect(run.conflicts).toBe(2);
    expect((await person(idOf(older)))?.address).toBe('测试路 20 号');
    expect((await person(idOf(newer)))?.phones).toEqual(['13700000021']);
    const found = await conflicts(run.id);
    expect(found.map((r) => r.rowNumber)).toEqual([2, 3]);
    expect(found[0]?.kept).toContain('address');
    expect(found[0]?.conflicts).toEqual([
      {
        field: 'address',
        incoming: '另一条路 9 号',
        current: '测试路 20 号',
        currentSource: '测试城管中队',
        currentAsOf: '2026-03-01',
        taken: false,
      },
    ]);
    // Phones leave the report masked.
    expect(found[1]?.conflicts).toEqual([
      expect.objectContaining({ field: 'phones', incoming: '137****0021', current: '139****0021', taken: true }),
    ]);
    const tag = await db
      .selectFrom('personTag')
      .innerJoin('person', (j) => j.onRef('person.id', '=', 'personTag.personId'))
      .select(['personTag.grade', 'personTag.sourceDepartmentId', 'personTag.validFrom'])
      .where('person.idNumber', '=', idOf(disabled))
      .executeTakeFirstOrThrow();
    expect(tag).toEqual({ grade: 2, sourceDepartmentId: w.disability.id, validFrom: '2026-05-01' });
  });

  it('does not let older data undo a change made by hand', async () => {
    const id = idOf(personRow(w, 30));
    const before = await person(id);
    const patched = await w.admin.request('PATCH', `/api/archive/people/${before?.id}`, {
      version: before?.version,
      work: '社区志愿者',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const row = personRow(w, 30, { 工作单位: '某某公司', 数据日期: '2026-04-01' });
    const run = await importRows(w.admin, PEOPLE, w.peopleMapping, PEOPLE_HEADER, [row]);
    expect(run.counts).toMatchObject({ unchanged: 1 });
    expect((await person(id))?.work).toBe('社区志愿者');
    const [found] = await conflicts(run.id);
    expect(found?.conflicts).toEqual([
      expect.objectContaining({ field: 'work', currentSource: '档案 Archive', taken: false }),
    ]);
  });
});

describe('households', () => {
  const members = (...items: [number, string][]) => items.map(([n, r]) => `${idOf(personRow(w, n))} ${r}`).join('；');

  it('files households by address with their members, and reports each bad row', async () => {
    const file = [
      householdRow({ 户地址: '测试路 40 号', 户成员: members([40, '户主'], [41, '配偶'], [42, '子']), 户号: 'H40' }),
      householdRow({ 户地址: '测试路 50 号', 户成员: members([50, '02'], [51, '10']) }),
      householdRow({ 户地址: '测试路 60 号', 户成员: members([60, '配偶'], [61, '子']) }),
      householdRow({
        户地址: '测试路 70 号',
        户成员: `${members([70, '户主'])}；${completeIdNumber('31011019800101999')} 配偶`,
      }),
      householdRow({ 户地址: ' 测试路４０号 ', 户成员: members([43, '户主']) }),
      householdRow({ 户地址: '测试路 80 号', 户成员: members([80, '户主'], [41, '子']) }),
      householdRow({
        户地址: '测试路 90 号',
        户成员: `${members([90, '户主'])}；${wrongCheck(completeIdNumber('31011019500110123'))} 子`,
      }),
      householdRow({ 户地址: '测试路 91 号', 户成员: members([91, '户主'], [92, '邻居']) }),
    ];
    const run = await importRows(w.admin, HOUSEHOLDS, w.householdMapping, HOUSEHOLD_HEADER, file);
    expect(run.counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 6 });
    const report = await w.admin.request('GET', `${HOUSEHOLDS}/imports/${run.id}/report`);
    expect(report.json().items.map((i: { errorCode: string; field: string }) => [i.errorCode, i.field])).toEqual([
      ['ARCHIVE_HOUSEHOLD_HEAD', 'members'],
      ['ARCHIVE_IMPORT_MEMBER_UNKNOWN', 'members.1'],
      ['IMPORT_DUPLICATE_KEY', 'address'],
      ['ARCHIVE_ALREADY_MEMBER', 'members.1'],
      ['ARCHIVE_ID_NUMBER_INVALID', 'members.1'],
      ['IMPORT_VALUE_INVALID', 'members.1'],
    ]);
    const head = await person(idOf(personRow(w, 40)));
    const household = await db
      .selectFrom('household')
      .select(['id', 'number', 'unitPath'])
      .where('address', '=', '测试路 40 号')
      .executeTakeFirstOrThrow();
    expect(household).toMatchObject({ number: 'H40', unitPath: head?.unitPath });
    const listed = await db
      .selectFrom('householdMember')
      .select('relation')
      .where('householdId', '=', household.id)
      .orderBy('relation')
      .execute();
    expect(listed.map((m) => m.relation)).toEqual(['child', 'head', 'spouse']);
    // The rejected rows wrote nothing: no household at their addresses.
    const strays = await db
      .selectFrom('household')
      .select('address')
      .where('address', 'like', '测试路 _0 号')
      .execute();
    expect(strays.map((h) => h.address).sort()).toEqual(['测试路 40 号', '测试路 50 号']);
  });

  it('matches an address however it is spaced or written, and changes members only with newer data', async () => {
    const same = householdRow({ 户地址: '测试路４０号', 户成员: members([42, '子'], [41, '配偶'], [40, '户主']) });
    const again = await importRows(w.admin, HOUSEHOLDS, w.householdMapping, HOUSEHOLD_HEADER, [same]);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 1, rejected: 0 });
    const older = householdRow({ 户地址: '测试路 40号', 户成员: members([40, '户主']), 数据日期: '2026-02-01' });
    const kept = await importRows(w.admin, HOUSEHOLDS, w.householdMapping, HOUSEHOLD_HEADER, [older]);
    expect(kept.counts).toMatchObject({ unchanged: 1 });
    const newer = householdRow({
      户地址: '测试路 40号',
      户成员: members([40, '户主'], [41, '配偶']),
      数据日期: '2026-07-01',
    });
    const taken = await importRows(w.admin, HOUSEHOLDS, w.householdMapping, HOUSEHOLD_HEADER, [newer]);
    expect(taken.counts).toMatchObject({ updated: 1 });
    expect((await summary(taken.id, HOUSEHOLDS)).changedFields).toEqual([{ field: 'members', rows: 1 }]);
    const count = await db
      .selectFrom('householdMember as m')
      .innerJoin('household as h', (j) => j.onRef('h.id', '=', 'm.householdId'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('h.address', '=', '测试路 40 号')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });
});

describe('venues', () => {
  const VENUES = '/api/archive/import/venues';
  const HEADER = [
    '统一社会信用代码',
    '名称',
    '类型',
    '地址',
    '所属网格',
    '风险等级',
    '联系人',
    '电话',
    '数据来源',
    '数据日期',
  ];
  const rng = createRng('venue-import');
  const [a, b] = [creditCode(rng, '310110'), creditCode(rng, '310110')];
  const row = (code: string, changes: Record<string, unknown> = {}) => {
    const cells: Record<string, unknown> = {
      统一社会信用代码: code,
      名称: '老王面馆',
      类型: '餐饮',
      地址: '测试路 8 号',
      所属网格: w.t.grids[0],
      风险等级: '中',
      联系人: '王师傅',
      电话: '13912340008',
      数据来源: '民政',
      数据日期: '2026-03-01',
      ...changes,
    };
    return HEADER.map((h) => cells[h] ?? null);
  };
  let mappingId = '';

  it('files venues by credit code, rejects a bad code and a code twice, and takes only newer data', async () => {
    const made = await w.admin.request('POST', `${VENUES}/mappings`, {
      name: '市场主体名录',
      columns: {
        creditCode: '统一社会信用代码',
        name: '名称',
        kind: '类型',
        address: '地址',
        unit: '所属网格',
        riskLevel: '风险等级',
        contactName: '联系人',
        contactPhone: '电话',
        sourceDepartment: '数据来源',
        asOf: '数据日期',
      },
      values: {
        kind: { 餐饮: 'restaurant', 商店: 'shop' },
        riskLevel: { 低: 'low', 中: 'medium', 高: 'high' },
        sourceDepartment: { 民政: w.department.code },
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    mappingId = made.json().id;
    const good = [row(a), row(b, { 名称: '便民超市', 类型: '商店', 风险等级: '低' })];
    const bad = `${a.slice(0, 17)}${a.endsWith('1') ? '2' : '1'}`;
    const first = await importRows(w.admin, VENUES, mappingId, HEADER, [
      ...good,
      row(bad),
      row(` ${a.toLowerCase()} `, { 名称: '重复的店' }),
    ]);
    expect(first.counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 2 });
    const report = await w.admin.request('GET', `${VENUES}/imports/${first.id}/report`);
    expect(report.json().items.map((i: { errorCode: string; field: string }) => [i.errorCode, i.field])).toEqual([
      ['IMPORT_VALUE_INVALID', 'creditCode'],
      ['IMPORT_DUPLICATE_KEY', 'creditCode'],
    ]);
    const again = await importRows(w.admin, VENUES, mappingId, HEADER, good);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
    const older = await importRows(w.admin, VENUES, mappingId, HEADER, [
      row(a, { 风险等级: '低', 数据日期: '2026-01-01' }),
    ]);
    expect(older.counts).toMatchObject({ unchanged: 1 });
    const newer = await importRows(w.admin, VENUES, mappingId, HEADER, [
      row(a, { 风险等级: '高', 数据日期: '2026-08-01' }),
    ]);
    expect(newer.counts).toMatchObject({ updated: 1 });
    const venue = await db
      .selectFrom('venue')
      .select(['name', 'kind', 'riskLevel', 'contacts'])
      .where(sql<boolean>`licences @> ${JSON.stringify([{ number: a }])}::jsonb`)
      .executeTakeFirstOrThrow();
    expect(venue).toMatchObject({ name: '老王面馆', kind: 'restaurant', riskLevel: 'high' });
    expect(venue.contacts).toEqual([{ name: '王师傅', phone: '13912340008', role: '' }]);
  });
});

describe('access', () => {
  it('is for administrators, and runs stay in their scope', async () => {
    expect((await w.committee.request('GET', `${PEOPLE}/fields`)).statusCode).toBe(403);
    expect((await w.gridA.request('GET', `${HOUSEHOLDS}/imports`)).statusCode).toBe(403);
    const fields = await w.admin.request('GET', `${PEOPLE}/fields`);
    expect(fields.statusCode, fields.body).toBe(200);
    const department = fields.json().fields.find((f: { key: string }) => f.key === 'sourceDepartment');
    expect(department.choices.map((c: { code: string }) => c.code)).toEqual(
      expect.arrayContaining([w.department.code, w.disability.code]),
    );
    const runs = await w.admin.request('GET', `${PEOPLE}/imports`);
    const [latest] = runs.json().items;
    expect((await w.otherAdmin.request('GET', `${PEOPLE}/imports/${latest.id}`)).statusCode).toBe(404);
    expect((await w.otherAdmin.request('GET', `${PEOPLE}/mappings/${w.peopleMapping}`)).statusCode).toBe(404);
    // A run of one kind is not found under another.
    expect((await w.admin.request('GET', `${HOUSEHOLDS}/imports/${latest.id}`)).statusCode).toBe(404);
  });

  it('lands a community administrator’s rows in their community only', async () => {
    const made = await makeAccount(db, w.t, 'admin', w.t.communities[0]);
    const local = await signIn(w.app, made.username, TEST_PASSWORD);
    const rows = [
      personRow(w, 2, { 居住地址: '社区外的新地址', 数据日期: '2026-09-01' }),
      personRow(w, 410, { 所属网格: w.t.grids[2] }),
      personRow(w, 411, { 所属网格: w.t.grids[1] }),
    ];
    const run = await importRows(local, PEOPLE, w.peopleMapping, PEOPLE_HEADER, rows);
    expect(run.counts).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 2 });
    const report = await local.request('GET', `${PEOPLE}/imports/${run.id}/report`);
    expect(report.json().items.map((i: { errorCode: string; field: string }) => [i.errorCode, i.field])).toEqual([
      ['ARCHIVE_IMPORT_OUTSIDE_SCOPE', 'idNumber'],
      ['ARCHIVE_IMPORT_OUTSIDE_SCOPE', 'unit'],
    ]);
    expect((await person(idOf(rows[0] ?? [])))?.address).toBe('测试路 2 号');
    // The subdistrict's administrator sees the run; the community's does not see the subdistrict's.
    expect((await w.admin.request('GET', `${PEOPLE}/imports/${run.id}`)).statusCode).toBe(200);
    expect((await local.request('GET', `${PEOPLE}/imports/${firstRun}`)).statusCode).toBe(404);
  });
});

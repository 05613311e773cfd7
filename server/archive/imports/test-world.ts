/**
 * For the archive import tests: the archive's test territory with two departments (民政 and 残联) and
 * an administrator of another district, the mappings of a people file and a household file made
 * through the API, and builders of their rows (valid ID numbers, bad rows on request).
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../../db/database.js';
import { csvFile, type RunView, uploadFile, waitForRun } from '../../hotline/test-world.js';
import { makeAccount, makeDepartment, makeTerritory, TEST_PASSWORD } from '../../test/factories.js';
import { type Client, signIn } from '../../test/harness.js';
import { type ArchiveWorld, idNumberFor, makeArchiveWorld } from '../archive-fixtures.js';

export const PEOPLE = '/api/archive/import/people';
export const HOUSEHOLDS = '/api/archive/import/households';

export const PEOPLE_HEADER = [
  '身份证号',
  '姓名',
  '性别',
  '出生日期',
  '联系电话',
  '居住地址',
  '工作单位',
  '户籍性质',
  '所属网格',
  '数据来源',
  '数据日期',
  '救助类别',
  '残疾等级',
];
export const HOUSEHOLD_HEADER = ['户地址', '户成员', '户号', '数据来源', '数据日期'];

export interface ImportWorld extends ArchiveWorld {
  app: FastifyInstance;
  /** 残联, the second source. */
  disability: { id: string; code: string };
  /** An administrator of another district. */
  otherAdmin: Client;
  peopleMapping: string;
  householdMapping: string;
}

export async function makeImportWorld(db: Db, app: FastifyInstance): Promise<ImportWorld> {
  const w = await makeArchiveWorld(db, app);
  const disability = await makeDepartment(db, w.t);
  const t2 = await makeTerritory(db, [121.7, 31.5]);
  const other = await makeAccount(db, t2, 'admin', t2.district);
  const world: ImportWorld = {
    ...w,
    app,
    disability,
    otherAdmin: await signIn(app, other.username, TEST_PASSWORD),
    peopleMapping: '',
    householdMapping: '',
  };
  const people = await w.admin.request('POST', `${PEOPLE}/mappings`, {
    name: '民政人员名单',
    columns: {
      idNumber: '身份证号',
      name: '姓名',
      gender: '性别',
      birthDate: '出生日期',
      phones: '联系电话',
      address: '居住地址',
      work: '工作单位',
      residency: '户籍性质',
      unit: '所属网格',
      sourceDepartment: '数据来源',
      asOf: '数据日期',
      tag: '救助类别',
      tagGrade: '残疾等级',
    },
    values: {
      gender: { 男: 'male', 女: 'female' },
      residency: { 本地户籍: 'registered', 外来人口: 'floating' },
      sourceDepartment: { 民政: w.department.code, 残联: disability.code },
      tag: { 低保: 'minimum_income', 残疾: 'disability' },
    },
  });
  expect(people.statusCode, people.body).toBe(201);
  world.peopleMapping = people.json().id;
  const households = await w.admin.request('POST', `${HOUSEHOLDS}/mappings`, {
    name: '户籍户信息',
    columns: { address: '户地址', members: '户成员', number: '户号', sourceDepartment: '数据来源', asOf: '数据日期' },
    values: { sourceDepartment: { 民政: w.department.code, 残联: disability.code } },
  });
  expect(households.statusCode, households.body).toBe(201);
  world.householdMapping = households.json().id;
  return world;
}

/** One person's row in PEOPLE_HEADER's order: the n-th synthetic person of grid n % 4, as of 2026-03-01. */
export function personRow(w: Pick<ImportWorld, 't'>, n: number, changes: Record<string, unknown> = {}) {
  const female = n % 2 === 0;
  const birth = `19${50 + (n % 45)}0${1 + (n % 9)}1${n % 10}`;
  const row: Record<string, unknown> = {
    身份证号: idNumberFor(
      birth,
      (n % 400) * 2 + (female ? 2 : 1),
      `3101${String(10 + Math.floor(n / 400)).padStart(2, '0')}`,
    ),
    姓名: `测试${String.fromCharCode(0x4e00 + n)}`,
    性别: female ? '女' : '男',
    联系电话: `139${String(10_000_000 + n).slice(-8)}`,
    居住地址: `测试路 ${n} 号`,
    工作单位: '',
    户籍性质: n % 3 === 0 ? '外来人口' : '本地户籍',
    所属网格: w.t.grids[n % 4],
    数据来源: '民政',
    数据日期: '2026-03-01',
    救助类别: n % 10 === 0 ? '低保' : '',
    残疾等级: '',
    ...changes,
  };
  return PEOPLE_HEADER.map((h) => row[h] ?? null);
}

/** The ID number a row carries. */
export const idOf = (row: unknown[]) => String(row[0]);

export function householdRow(changes: Record<string, unknown>) {
  const row: Record<string, unknown> = { 数据来源: '民政', 数据日期: '2026-03-01', ...changes };
  return HOUSEHOLD_HEADER.map((h) => row[h] ?? null);
}

export interface ArchiveRunView extends RunView {
  seen: number[];
}

/** Uploads a CSV of rows through a mapping and waits for the run to end. */
export async function importRows(
  client: Client,
  prefix: string,
  mappingId: string,
  header: string[],
  rows: unknown[][],
): Promise<ArchiveRunView> {
  const started = await uploadFile(
    client,
    `${prefix}/imports`,
    { bytes: csvFile(rows, header), name: 'rows.csv' },
    mappingId,
  );
  expect(started.statusCode, started.body).toBe(202);
  return waitForRun(client, started.json().id, prefix);
}

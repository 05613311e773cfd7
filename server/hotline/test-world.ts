/**
 * For the hotline tests: a district with its dispatcher (at the district) and a subdistrict
 * dispatcher, another district with its own dispatcher, categories the mapping translates to, a
 * mapping made through the API, and helpers to upload files, wait for a run and build XLSX files.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, signIn } from '../test/harness.js';

export interface World {
  app: FastifyInstance;
  t: Territory;
  t2: Territory;
  /** The 6-digit district codes. */
  d: string;
  d2: string;
  dispatcher: Client;
  subDispatcher: Client;
  otherDispatcher: Client;
  admin: Client;
  rubbish: { id: string; code: string };
  vending: { id: string; code: string };
  mappingId: string;
}

/** The columns of the test files, as a hotline centre's export names them. */
export const HEADER = [
  '工单编号',
  '来电时间',
  '来电人',
  '联系电话',
  '诉求分类',
  '诉求内容',
  '事发地址',
  '经度',
  '纬度',
  '承办单位',
  '紧急程度',
];

export async function makeWorld(db: Db): Promise<World> {
  const app = await createTestApp(db);
  const t = await makeTerritory(db);
  const t2 = await makeTerritory(db, [121.6, 31.4]);
  const rubbish = await makeCategory(db, { nameZh: '暴露垃圾' });
  const vending = await makeCategory(db, { nameZh: '占道经营', nameEn: 'Street vending' });
  const sign = async (territory: Territory, role: 'dispatcher' | 'admin', unit: string) =>
    signIn(app, (await makeAccount(db, territory, role, unit)).username, TEST_PASSWORD);
  const dispatcher = await sign(t, 'dispatcher', t.district);
  const world: World = {
    app,
    t,
    t2,
    d: t.district.slice(0, 6),
    d2: t2.district.slice(0, 6),
    dispatcher,
    subDispatcher: await sign(t, 'dispatcher', t.subdistrict),
    otherDispatcher: await sign(t2, 'dispatcher', t2.district),
    admin: await sign(t, 'admin', t.district),
    rubbish,
    vending,
    mappingId: '',
  };
  const made = await dispatcher.request('POST', '/api/hotline/mappings', mappingBody(world));
  expect(made.statusCode, made.body).toBe(201);
  world.mappingId = (made.json() as { id: string }).id;
  return world;
}

/** The standard mapping: the columns of HEADER, their category, unit and urgency words. */
export function mappingBody(w: Pick<World, 't' | 'rubbish' | 'vending'>, name = '市热线工单导出') {
  return {
    name,
    columns: {
      orderNumber: '工单编号',
      calledAt: '来电时间',
      callerName: '来电人',
      callerPhone: '联系电话',
      category: '诉求分类',
      description: '诉求内容',
      address: '事发地址',
      lng: '经度',
      lat: '纬度',
      unit: '承办单位',
      urgency: '紧急程度',
    },
    values: {
      category: { '环境卫生-垃圾': w.rubbish.code, '市容-占道': w.vending.code },
      unit: { 测试街道办事处: w.t.subdistrict },
      urgency: { 一般: 'normal', 紧急: 'urgent' },
    },
  };
}

/** One order row in HEADER's order, in the first grid of the territory. */
export function orderRow(w: Pick<World, 't'>, number: string, changes: Partial<Record<string, unknown>> = {}) {
  const [lng, lat] = w.t.gridCentres[0] as [number, number];
  const row: Record<string, unknown> = {
    工单编号: number,
    来电时间: '2026-03-01 09:15',
    来电人: '王先生',
    联系电话: '13912345678',
    诉求分类: '环境卫生-垃圾',
    诉求内容: `小区门口垃圾堆积（${number}）`,
    事发地址: '测试路 1 号',
    经度: lng,
    纬度: lat,
    承办单位: '测试街道办事处',
    紧急程度: '一般',
    ...changes,
  };
  return HEADER.map((h) => row[h] ?? null);
}

export async function xlsxFile(rows: unknown[][], header = HEADER): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('工单');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function csvFile(rows: unknown[][], header = HEADER): Buffer {
  const line = (cells: unknown[]) =>
    cells.map((c) => (c === null || c === undefined ? '' : `"${String(c).replace(/"/g, '""')}"`)).join(',');
  return Buffer.from(`\uFEFF${[header, ...rows].map(line).join('\r\n')}\r\n`, 'utf8');
}

/** POSTs a file (and the mapping id) as a browser's FormData would. */
export async function uploadFile(
  client: Client,
  url: string,
  file: { bytes: Buffer; name: string },
  mappingId: string,
): Promise<LightMyRequestResponse> {
  const form = new FormData();
  form.append('mappingId', mappingId);
  form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
  const request = new Request('http://gridloop.test/upload', { method: 'POST', body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  return client.request('POST', url, payload, { 'content-type': request.headers.get('content-type') ?? '' });
}

export interface RunView {
  id: string;
  status: string;
  totalRows: number | null;
  processedRows: number;
  counts: { created: number; updated: number; unchanged: number; rejected: number };
  conflicts: number;
  error: { code: string } | null;
}

/** Starts an import and waits until its run has ended; answers the run. */
export async function importFile(
  client: Client,
  file: { bytes: Buffer; name: string },
  mappingId: string,
): Promise<RunView & { seen: number[] }> {
  const started = await uploadFile(client, '/api/hotline/imports', file, mappingId);
  expect(started.statusCode, started.body).toBe(202);
  const { id } = started.json() as { id: string };
  return waitForRun(client, id);
}

/**
 * Polls the run as the web's progress bar does until it has ended; `seen` is each processedRows read.
 * `prefix` is where the kind's import routes live (server/imports/import.routes.ts).
 */
export async function waitForRun(
  client: Client,
  id: string,
  prefix = '/api/hotline',
): Promise<RunView & { seen: number[] }> {
  const seen: number[] = [];
  for (;;) {
    const res = await client.request('GET', `${prefix}/imports/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json() as RunView;
    seen.push(run.processedRows);
    if (run.status === 'done' || run.status === 'failed') return { ...run, seen };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * For the Open311 tests: two districts (jurisdictions) side by side, an installation administrator,
 * a category with extra questions (set through the catalogue's API), an Open311 key for the first
 * district (made through the machine-key API), and helpers to call the endpoints.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { CategoryQuestion } from '../../common/catalogue.js';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, signIn } from '../test/harness.js';

export const QUESTIONS: CategoryQuestion[] = [
  {
    code: 'bins',
    datatype: 'number',
    required: false,
    order: 2,
    description: { zh: '满溢的垃圾桶数量', en: 'How many bins overflow' },
    values: [],
  },
  {
    code: 'kind',
    datatype: 'singlevaluelist',
    required: true,
    order: 1,
    description: { zh: '垃圾种类', en: 'Kind of rubbish' },
    values: [
      { key: 'household', name: { zh: '生活垃圾', en: 'Household' } },
      { key: 'bulky', name: { zh: '大件垃圾', en: 'Bulky items' } },
    ],
  },
  {
    code: 'smells',
    datatype: 'multivaluelist',
    required: false,
    order: 3,
    description: { zh: '异味', en: 'Smells' },
    values: [
      { key: 'rot', name: { zh: '腐臭', en: 'Rotting' } },
      { key: 'chemical', name: { zh: '化学品味', en: 'Chemical' } },
    ],
  },
  {
    code: 'seen',
    datatype: 'datetime',
    required: false,
    order: 4,
    description: { zh: '发现时间', en: 'When it was seen' },
    values: [],
  },
];

export interface World {
  t: Territory;
  t2: Territory;
  /** jurisdiction_id of each territory: its district code. */
  j: string;
  j2: string;
  admin: Client;
  category: { id: string; code: string };
  plain: { id: string; code: string };
  key: string;
  keyId: string;
}

export const districtUnitId = (t: Territory) =>
  (t.units.get(t.district) as { id: string } | undefined)?.id ?? 'missing';

/** Makes an Open311 key for a district through the administrators' API. */
export async function makeOpen311Key(admin: Client, t: Territory, name = '城市服务 App') {
  const made = await admin.request('POST', '/api/machine-keys', {
    name,
    channel: 'open311',
    unitId: districtUnitId(t),
  });
  expect(made.statusCode, made.body).toBe(201);
  return made.json() as { id: string; key: string; revokedAt: string | null };
}

export async function makeWorld(db: Db): Promise<World> {
  const t = await makeTerritory(db, [121.4, 31.2]);
  const t2 = await makeTerritory(db, [121.6, 31.4]);
  const admin = await signIn(app(), (await makeAccount(db, t, 'admin', t.city)).username, TEST_PASSWORD);
  const category = await makeCategory(db);
  const plain = await makeCategory(db, { nameZh: '道路破损', nameEn: 'Damaged road' });
  const set = await admin.request('PATCH', `/api/categories/${category.code}`, {
    questions: QUESTIONS,
    serviceNotice: { zh: '城管将在 24 小时内到场', en: 'Enforcement will come within 24 hours' },
  });
  expect(set.statusCode, set.body).toBe(200);
  const { key, id } = await makeOpen311Key(admin, t);
  return { t, t2, j: t.district.slice(0, 6), j2: t2.district.slice(0, 6), admin, category, plain, key, keyId: id };
}

let current: FastifyInstance | undefined;
/** The app the helpers call (set once per test file). */
export function useApp(app: FastifyInstance): void {
  current = app;
}
function app(): FastifyInstance {
  if (!current) throw new Error('useApp(app) first');
  return current;
}

/** GET an Open311 path (after /open311/v2/) with a query. */
export function get(path: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const search = new URLSearchParams(query).toString();
  return app().inject({ method: 'GET', url: `/open311/v2/${path}${search ? `?${search}` : ''}`, headers });
}

/** POST requests.{format} with a form body (pairs, so attribute[code][] may repeat). */
export function post(
  format: 'xml' | 'json',
  form: [string, string][] | Record<string, string>,
  options: { query?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const search = new URLSearchParams(options.query ?? {}).toString();
  return app().inject({
    method: 'POST',
    url: `/open311/v2/requests.${format}${search ? `?${search}` : ''}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...options.headers },
    payload: new URLSearchParams(form).toString(),
  });
}

/** The spec's errors of a JSON answer. */
export const errorsOf = (res: LightMyRequestResponse) => res.json() as { code: number; description: string }[];

export async function countRows(db: Db, table: 'cases' | 'open311Request'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

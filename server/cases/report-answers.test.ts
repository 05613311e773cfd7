/**
 * A category's extra questions (补充问题) on the resident's report and the staff report: the public
 * catalogue lists them; a resident must answer the required ones with offered values; the answers
 * reach the dispatcher as lines of the description; a refused report writes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CategoryQuestion } from '../../common/catalogue.js';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

const QUESTIONS: CategoryQuestion[] = [
  {
    code: 'floors',
    datatype: 'number',
    required: false,
    order: 2,
    description: { zh: '涉及楼层数', en: 'Floors affected' },
    values: [],
  },
  {
    code: 'source',
    datatype: 'singlevaluelist',
    required: true,
    order: 1,
    description: { zh: '漏水来源', en: 'Where the water comes from' },
    values: [
      { key: 'pipe', name: { zh: '管道', en: 'Pipe' } },
      { key: 'roof', name: { zh: '屋顶', en: 'Roof' } },
    ],
  },
];

let db: Db;
let app: FastifyInstance;
let t: Territory;
let asked: { id: string; code: string };
let plain: { id: string; code: string };
let dispatcher: Client;

const report = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/public/cases', payload });
const caseCount = async () =>
  Number(
    (
      await db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('extra questions on reports', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    asked = await makeCategory(db);
    plain = await makeCategory(db);
    await db
      .updateTable('category')
      .set({ questions: JSON.stringify(QUESTIONS) })
      .where('id', '=', asked.id)
      .execute();
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
  });

  it('lists a category’s questions in order on the public catalogue', async () => {
    const catalogue = (await app.inject({ method: 'GET', url: '/api/public/categories' })).json();
    const item = catalogue.items.find((i: { code: string }) => i.code === asked.code);
    expect(item.questions.map((q: CategoryQuestion) => q.code)).toEqual(['source', 'floors']);
    expect(catalogue.items.find((i: { code: string }) => i.code === plain.code).questions).toEqual([]);
  });

  it('refuses a resident’s report that leaves a required question unanswered or picks a value not offered', async () => {
    const [lng, lat] = t.gridCentres[0] as [number, number];
    const before = await caseCount();
    const base = { categoryCode: asked.code, description: '楼上漏水到我家天花板', lng, lat };
    const missing = await report(base);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.code).toBe('CATEGORY_ANSWERS_INVALID');
    expect(missing.json().error.fields).toContainEqual({ path: 'body.answers.source', reason: 'required' });

    const wrong = await report({ ...base, answers: { source: 'window', floors: 'two', extra: 'x' } });
    expect(wrong.statusCode).toBe(422);
    const paths = wrong
      .json()
      .error.fields.map((f: { path: string }) => f.path)
      .sort();
    expect(paths).toEqual(['body.answers.extra', 'body.answers.floors', 'body.answers.source']);
    expect(await caseCount()).toBe(before);
  });

  it('keeps the answers as lines of the description the dispatcher reads', async () => {
    const [lng, lat] = t.gridCentres[0] as [number, number];
    const reported = await report({
      categoryCode: asked.code,
      description: '楼上漏水到我家天花板',
      lng,
      lat,
      answers: { source: 'roof', floors: ' 3 ' },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const seen = (await dispatcher.request('GET', `/api/cases/${reported.json().id}`)).json();
    expect(seen.description).toBe(
      [
        '楼上漏水到我家天花板',
        '',
        '补充信息 Additional information:',
        '漏水来源 / Where the water comes from: 屋顶 / Roof',
        '涉及楼层数 / Floors affected: 3',
      ].join('\n'),
    );
  });

  it('asks nothing of a category without questions, and checks staff answers only when they are sent', async () => {
    const [lng, lat] = t.gridCentres[1] as [number, number];
    const free = await report({ categoryCode: plain.code, description: '路灯不亮了好几天', lng, lat });
    expect(free.statusCode, free.body).toBe(201);

    const staff = { channel: 'hotline', categoryCode: asked.code, description: '市民来电反映楼上漏水', lng, lat };
    const unasked = await dispatcher.request('POST', '/api/cases', staff);
    expect(unasked.statusCode, unasked.body).toBe(201);
    const bad = await dispatcher.request('POST', '/api/cases', { ...staff, answers: { source: 'sea' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('CATEGORY_ANSWERS_INVALID');
  });
});

/**
 * Category suggestion (类别建议) and correction at registration (改类): the model learns from what
 * dispatchers registered and from the catalogue's own words; the dispatcher's queue gets the
 * suggestion with likely duplicates; registering under another category moves the case, its clock and
 * its timeline, and a wrong correction changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { forgetCategoryModels, suggestFrom, trainModel } from './category-suggest.js';
import { segmenter } from './duplicate-text.js';

const CATALOGUE = [
  { code: '0101', nameZh: '暴露垃圾', nameEn: 'Exposed rubbish', keywords: ['垃圾', '清运'] },
  { code: '0102', nameZh: '路灯', nameEn: 'Street lights', keywords: ['路灯', '不亮'] },
  { code: '0103', nameZh: '井盖', nameEn: 'Manhole covers', keywords: ['井盖', '窨井'] },
];

describe('category model', () => {
  it('ranks by the words learnt from registered cases and by the catalogue’s keywords', async () => {
    const jieba = await segmenter();
    const examples = [
      ...Array.from({ length: 6 }, () => ({ code: '0101', text: '小区门口垃圾桶满溢没人清运，气味难闻' })),
      ...Array.from({ length: 6 }, () => ({ code: '0102', text: '晚上路灯坏了不亮，行人看不清' })),
    ];
    const model = trainModel(jieba, CATALOGUE, examples);
    expect(model.documents).toBe(12);

    const lights = suggestFrom(model, jieba, '弄堂里的路灯好几天都不亮了');
    expect(lights[0]).toMatchObject({ code: '0102', nameEn: 'Street lights' });
    expect(lights[0]?.confidence).toBeGreaterThan(0.8);
    // Learnt words, not only the keywords: 气味 appears only in the rubbish examples.
    expect(suggestFrom(model, jieba, '气味难闻')[0]?.code).toBe('0101');
    // No case yet, but its keywords: a category nobody reported can still be suggested.
    expect(suggestFrom(model, jieba, '人行道上窨井盖子丢了')[0]?.code).toBe('0103');
    // Confidences are probabilities, best first.
    const sum = lights.reduce((a, s) => a + s.confidence, 0);
    expect(sum).toBeLessThanOrEqual(1.001);
    for (let i = 1; i < lights.length; i++)
      expect(lights[i - 1]?.confidence).toBeGreaterThanOrEqual(lights[i]?.confidence ?? 0);
  });

  it('suggests nothing for words it has never seen, or for an empty catalogue', async () => {
    const jieba = await segmenter();
    const model = trainModel(jieba, CATALOGUE, []);
    expect(suggestFrom(model, jieba, 'qwxz 哈哈')).toEqual([]);
    expect(suggestFrom(model, jieba, '')).toEqual([]);
    expect(suggestFrom(trainModel(jieba, [], []), jieba, '路灯不亮')).toEqual([]);
  });

  it('trusts a category’s name or keyword written out whole more than the same words apart', async () => {
    const jieba = await segmenter();
    const catalogue = [
      { code: '0201', nameZh: '非机动车乱停放', nameEn: 'Bicycles parked badly', keywords: [] },
      { code: '0202', nameZh: '占道经营', nameEn: 'Street trading', keywords: [] },
    ];
    const busy = Array.from({ length: 3 }, () => ({ code: '0201', text: '非机动车停在机动车道上，行人通行困难' }));
    const model = trainModel(jieba, catalogue, [...busy, { code: '0202', text: '商户跨门营业' }]);
    const whole = suggestFrom(model, jieba, '菜场门口占道经营，行人只能走机动车道');
    const apart = suggestFrom(model, jieba, '菜场门口占道，经营，行人只能走机动车道');
    expect(whole[0]?.code).toBe('0202');
    expect(apart[0]?.code).toBe('0202');
    expect(whole[0]?.confidence).toBeGreaterThan((apart[0]?.confidence ?? 1) + 0.1);
    // Without its words at all, the busier category's words win.
    expect(suggestFrom(model, jieba, '行人只能走机动车道')[0]?.code).toBe('0201');
  });

  it('ignores examples of categories no longer in the catalogue', async () => {
    const jieba = await segmenter();
    const model = trainModel(jieba, CATALOGUE, [{ code: '0999', text: '路灯' }]);
    expect(model.documents).toBe(0);
  });
});

describe('category suggestion and correction over HTTP', () => {
  let db: Db;
  let app: FastifyInstance;
  let t: Territory;
  let rubbish: { id: string; code: string };
  let lights: { id: string; code: string };
  let worker: Client;
  let dispatcher: Client;
  let otherDispatcher: Client;

  async function report(categoryCode: string, description: string) {
    const [lng, lat] = t.gridCentres[0] as [number, number];
    const res = await worker.request('POST', '/api/cases', { channel: 'patrol', categoryCode, description, lng, lat });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string };
  }

  const detail = async (id: string, client = dispatcher) => (await client.request('GET', `/api/cases/${id}`)).json();

  async function step(id: string, body: Record<string, unknown>) {
    const current = await detail(id);
    return dispatcher.request('POST', `/api/cases/${id}/transitions`, { version: current.version, ...body });
  }

  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    rubbish = await makeCategory(db, { nameZh: '暴露垃圾', nameEn: 'Exposed rubbish', keywords: ['垃圾'] });
    lights = await makeCategory(db, { nameZh: '路灯损坏', nameEn: 'Broken street lights', keywords: ['路灯', '灯'] });
    worker = await signIn(app, (await makeAccount(db, t, 'grid_worker', t.communities[0])).username, TEST_PASSWORD);
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
    const elsewhere = await makeTerritory(db);
    otherDispatcher = await signIn(
      app,
      (await makeAccount(db, elsewhere, 'dispatcher', elsewhere.subdistrict)).username,
      TEST_PASSWORD,
    );
    // History: what dispatchers registered under each category.
    for (let i = 0; i < 4; i++) {
      const a = await report(rubbish.code, '垃圾桶满了没人清运');
      expect((await step(a.id, { action: 'register' })).statusCode).toBe(200);
      const b = await report(lights.code, '路灯晚上不亮，黑漆漆的');
      expect((await step(b.id, { action: 'register' })).statusCode).toBe(200);
    }
    forgetCategoryModels();
  });

  it('suggests a category for typed text, to staff and to the public', async () => {
    const staff = await dispatcher.request('GET', '/api/cases/category-suggestions?text=路灯晚上不亮');
    expect(staff.statusCode, staff.body).toBe(200);
    expect(staff.json().items[0]).toMatchObject({ code: lights.code, name: { en: 'Broken street lights' } });
    const open = await app.inject({
      method: 'GET',
      url: `/api/public/category-suggestions?text=${encodeURI('垃圾桶满了')}`,
    });
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json().items[0].code).toBe(rubbish.code);
    const empty = await app.inject({ method: 'GET', url: '/api/public/category-suggestions?text=' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('shows the suggestion on a case waiting to be registered, and in the intake hints of my queue only', async () => {
    const wrong = await report(rubbish.code, '小区里路灯坏了，晚上不亮');
    const c = await detail(wrong.id);
    expect(c.category.code).toBe(rubbish.code);
    expect(c.suggestedCategories[0]).toMatchObject({ code: lights.code });

    const twin = await report(rubbish.code, '小区里路灯坏了晚上不亮');
    const hints = await dispatcher.request('GET', `/api/cases/intake-hints?ids=${wrong.id},${twin.id}`);
    expect(hints.statusCode, hints.body).toBe(200);
    const byId = new Map(hints.json().items.map((h: { id: string }) => [h.id, h]));
    expect(byId.get(wrong.id)).toMatchObject({ categories: [expect.objectContaining({ code: lights.code })] });
    // The same words at the same place, the newer report first among the likely duplicates.
    expect((byId.get(wrong.id) as { duplicates: { id: string }[] }).duplicates[0]?.id).toBe(twin.id);
    // Outside my scope: left out, not revealed.
    const other = await otherDispatcher.request('GET', `/api/cases/intake-hints?ids=${wrong.id}`);
    expect(other.statusCode).toBe(200);
    expect(other.json().items).toEqual([]);
    const bad = await dispatcher.request('GET', '/api/cases/intake-hints?ids=nope');
    expect(bad.statusCode).toBe(400);
  });

  it('registers under the corrected category, its time limit and a timeline entry saying so', async () => {
    await db
      .insertInto('timeLimit')
      .values({
        id: crypto.randomUUID(),
        categoryId: lights.id,
        urgency: 'normal',
        stage: 'dispatch',
        amount: 30,
        unit: 'natural_minutes',
      })
      .execute();
    const c = await report(rubbish.code, '路灯不亮');
    const res = await step(c.id, { action: 'register', categoryCode: lights.code });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({ state: 'registered', category: { code: lights.code }, suggestedCategories: [] });
    const registered = after.events.find((e: { action: string }) => e.action === 'register');
    expect(registered.data.category).toEqual({ from: rubbish.code, to: lights.code });
    // The dispatch clock runs by the new category's 30 natural minutes.
    const minutes = (Date.parse(after.clock.dueAt) - Date.parse(registered.at)) / 60_000;
    expect(minutes).toBeCloseTo(30, 0);
  });

  it('refuses a correction on another step or to a category that cannot take reports, changing nothing', async () => {
    const c = await report(rubbish.code, '垃圾没人清运');
    const before = await detail(c.id);
    const major = `${rubbish.code.slice(0, 2)}00`;
    const toMajor = await step(c.id, { action: 'register', categoryCode: major });
    expect(toMajor.statusCode).toBe(422);
    expect(toMajor.json().error).toMatchObject({ code: 'CATEGORY_UNKNOWN', fields: [{ path: 'body.categoryCode' }] });
    const badFormat = await step(c.id, { action: 'register', categoryCode: 'x1' });
    expect(badFormat.statusCode).toBe(400);
    const unchanged = await detail(c.id);
    expect(unchanged).toMatchObject({ state: 'reported', version: before.version, category: { code: rubbish.code } });
    expect(unchanged.events).toHaveLength(1);

    expect((await step(c.id, { action: 'register' })).statusCode).toBe(200);
    const late = await step(c.id, { action: 'dispatch', categoryCode: lights.code });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.code).toBe('CASE_FIELD_NOT_ALLOWED');
    expect(await detail(c.id)).toMatchObject({ state: 'registered', category: { code: rubbish.code } });
  });

  it('keeps the category when the correction names the same one (no timeline noise)', async () => {
    const c = await report(rubbish.code, '垃圾堆积');
    const res = await step(c.id, { action: 'register', categoryCode: rubbish.code });
    expect(res.statusCode).toBe(200);
    expect(res.json().events.at(-1).data.category).toBeUndefined();
  });
});

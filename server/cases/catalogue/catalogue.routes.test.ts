/**
 * The catalogue over HTTP: who reads and who changes categories, limits and dispatch rules; the
 * coded refusals; and that a change reaches the loop — a new limit times the next reported case, a
 * new rule is the dispatcher's suggestion, the committee's rule beating the subdistrict's.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../accounts/actor.js';
import type { Db } from '../../db/database.js';
import { createDepartment } from '../../departments/commands/save-department.js';
import {
  makeAccount,
  makeDepartment,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
  unitOf,
} from '../../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../../test/harness.js';
import { BUILTIN_CATEGORIES } from './builtin-catalogue.js';
import { seedCatalogue } from './seed-catalogue.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let other: Territory;
/** Installation administrator (admin grant on the district). */
let root: Client;
/** Subdistrict administrator. */
let subAdmin: Client;
let otherAdmin: Client;
let worker: Client;
/** A grid worker of the second committee (grids 2 and 3). */
let worker2: Client;
let dispatcher: Client;
let squad: { id: string; code: string };
let squad2: { id: string; code: string };
let otherSquad: { id: string; code: string };

const system = { actor: SYSTEM_ACTOR };
const minutes = (clock: { startedAt: string; dueAt: string }) =>
  (Date.parse(clock.dueAt) - Date.parse(clock.startedAt)) / 60_000;

async function report(categoryCode: string, grid = 0) {
  const [lng, lat] = t.gridCentres[grid] as [number, number];
  return (grid < 2 ? worker : worker2).request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode,
    description: '路边有问题需要处理',
    lng,
    lat,
  });
}

async function reported(categoryCode: string, grid = 0): Promise<string> {
  const res = await report(categoryCode, grid);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** Reports and registers a case; returns the dispatcher's view of it (with the suggestion). */
async function registered(categoryCode: string, grid = 0) {
  const id = await reported(categoryCode, grid);
  const before = (await dispatcher.request('GET', `/api/cases/${id}`)).json();
  const res = await dispatcher.request('POST', `/api/cases/${id}/transitions`, {
    action: 'register',
    version: before.version,
  });
  expect(res.statusCode, res.body).toBe(200);
  return (await dispatcher.request('GET', `/api/cases/${id}`)).json();
}

const audits = (action: string) =>
  db.selectFrom('auditLog').select(['action', 'data', 'subjectId']).where('action', '=', action).execute();

describe('catalogue API', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    other = await makeTerritory(db, [121.6, 31.4]);
    await db.transaction().execute((trx) => seedCatalogue(trx, system));
    const login = async (territory: Territory, role: Parameters<typeof makeAccount>[2], unit: string) =>
      signIn(app, (await makeAccount(db, territory, role, unit)).username, TEST_PASSWORD);
    root = await login(t, 'admin', t.district);
    subAdmin = await login(t, 'admin', t.subdistrict);
    otherAdmin = await login(other, 'admin', other.subdistrict);
    worker = await login(t, 'grid_worker', t.communities[0]);
    worker2 = await login(t, 'grid_worker', t.communities[1]);
    dispatcher = await login(t, 'dispatcher', t.subdistrict);
    squad = await makeDepartment(db, t);
    squad2 = await makeDepartment(db, t);
    otherSquad = await makeDepartment(db, other);
  });

  it('installs the built-in catalogue once; every staff member reads it with its limits', async () => {
    const again = await db.transaction().execute((trx) => seedCatalogue(trx, system));
    expect(again).toEqual({ inserted: 0, updated: 0, limits: 0 });
    // Re-installing restores a built-in definition and limit, but keeps an administrator's disabling.
    const light = await db.selectFrom('category').select('id').where('code', '=', '0108').executeTakeFirstOrThrow();
    await db.updateTable('category').set({ nameZh: '改过的路灯', disabled: true }).where('id', '=', light.id).execute();
    await db.updateTable('timeLimit').set({ amount: 9 }).where('categoryId', '=', light.id).execute();
    expect(await db.transaction().execute((trx) => seedCatalogue(trx, system))).toEqual({
      inserted: 0,
      updated: 1,
      limits: 3,
    });
    expect(
      await db.selectFrom('category').select(['nameZh', 'disabled']).where('id', '=', light.id).executeTakeFirst(),
    ).toEqual({ nameZh: '路灯', disabled: true });
    await db.updateTable('category').set({ disabled: false }).where('id', '=', light.id).execute();
    expect((await audits('catalogue.seeded')).map((a) => a.data)).toContainEqual({
      inserted: 0,
      updated: 1,
      limits: 3,
    });

    const list = await worker.request('GET', '/api/categories');
    expect(list.statusCode, list.body).toBe(200);
    const body = list.json();
    expect(body.items).toHaveLength(BUILTIN_CATEGORIES.length);
    expect(body.abilities).toEqual({ create: false, setDefaults: false, manageRules: false });
    expect(body.defaults).toHaveLength(12);
    expect(body.defaults).toContainEqual({ urgency: 'normal', stage: 'handle', amount: 3, unit: 'working_days' });
    const rubbish = body.items.find((c: { code: string }) => c.code === '1101');
    expect(rubbish).toMatchObject({
      majorCode: '11',
      isMajor: false,
      kind: 'event',
      name: { zh: '暴露垃圾', en: 'Exposed rubbish' },
      departmentKind: 'greening_sanitation',
      selfRegister: true,
      selfHandle: true,
      disabled: false,
      abilities: { update: false },
    });
    expect(rubbish.limits).toContainEqual({ urgency: 'normal', stage: 'handle', amount: 1, unit: 'working_days' });
    expect(body.items.find((c: { code: string }) => c.code === '1100')).toMatchObject({ isMajor: true, limits: [] });

    expect((await root.request('GET', '/api/categories')).json().abilities).toEqual({
      create: true,
      setDefaults: true,
      manageRules: true,
    });
    // A subdistrict administrator manages rules but not the installation's catalogue.
    expect((await subAdmin.request('GET', '/api/categories')).json().abilities).toEqual({
      create: false,
      setDefaults: false,
      manageRules: true,
    });

    const detail = (await worker.request('GET', '/api/categories/1101')).json();
    expect(detail.effectiveLimits).toHaveLength(12);
    expect(detail.effectiveLimits).toContainEqual({
      urgency: 'normal',
      stage: 'handle',
      amount: 1,
      unit: 'working_days',
      source: 'category',
    });
    expect(detail.effectiveLimits).toContainEqual({
      urgency: 'normal',
      stage: 'register',
      amount: 1,
      unit: 'working_hours',
      source: 'default',
    });
    expect((await worker.request('GET', '/api/categories/9999')).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/categories' })).statusCode).toBe(401);
  });

  it('creates a major and its minor; refuses bad codes, missing majors and duplicates with coded errors', async () => {
    const major = await root.request('POST', '/api/categories', {
      code: '3100',
      kind: 'event',
      name: { zh: '测试大类', en: 'Test major' },
    });
    expect(major.statusCode, major.body).toBe(201);
    expect(major.json()).toMatchObject({ code: '3100', isMajor: true, kind: 'event', openCases: 0 });

    const minor = await root.request('POST', '/api/categories', {
      code: '3101',
      name: { zh: '井边杂物', en: 'Clutter by the well' },
      departmentKind: 'urban_enforcement',
      keywords: ['杂物', '杂物', '井边'],
      duplicateRadiusM: 25,
      serviceNotice: { zh: '请注意安全', en: 'Mind your safety' },
    });
    expect(minor.statusCode, minor.body).toBe(201);
    expect(minor.json()).toMatchObject({
      code: '3101',
      majorCode: '31',
      kind: 'event', // the major's
      keywords: ['杂物', '井边'],
      duplicateRadiusM: 25,
      duplicateWindowDays: 7,
      serviceNotice: { zh: '请注意安全', en: 'Mind your safety' },
      abilities: { update: true },
    });
    expect((await audits('category.created')).map((a) => a.data)).toContainEqual({
      code: '3101',
      name: '井边杂物',
      kind: 'event',
    });

    const count = async () => (await db.selectFrom('category').select('id').execute()).length;
    const before = await count();
    const attempt = (body: Record<string, unknown>) =>
      root.request('POST', '/api/categories', { name: { zh: '某类', en: 'Some' }, ...body });
    for (const code of ['12a4', '310', '0012', '31011']) {
      const bad = await attempt({ code, kind: 'event' });
      expect(bad.statusCode, code).toBe(422);
      expect(bad.json().error).toMatchObject({ code: 'CATEGORY_CODE_INVALID', fields: [{ path: 'body.code' }] });
    }
    expect((await attempt({ code: '3201' })).json().error.code).toBe('CATEGORY_MAJOR_INVALID');
    const wrongKind = await attempt({ code: '3102', kind: 'component' });
    expect(wrongKind.statusCode).toBe(422);
    expect(wrongKind.json().error).toMatchObject({ code: 'CATEGORY_MAJOR_INVALID', fields: [{ path: 'body.kind' }] });
    expect((await attempt({ code: '3300' })).json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ path: 'body.kind' }],
    });
    const duplicate = await attempt({ code: '3101' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('CATEGORY_CODE_DUPLICATE');
    expect((await attempt({ code: '3103', departmentKind: 'bakery' })).statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('only installation administrators change the catalogue; the attempts are audited', async () => {
    const body = { code: '3150', name: { zh: '越权', en: 'Overreach' } };
    for (const client of [subAdmin, worker, dispatcher]) {
      const res = await client.request('POST', '/api/categories', body);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    expect((await subAdmin.request('PATCH', '/api/categories/1101', { name: { zh: '改', en: 'x' } })).statusCode).toBe(
      403,
    );
    expect((await subAdmin.request('POST', '/api/categories/1101/disable')).statusCode).toBe(403);
    expect((await subAdmin.request('PUT', '/api/categories/default-limits', { limits: [] })).statusCode).toBe(403);
    expect((await audits('access.denied')).filter((a) => a.subjectId === '3150')).toHaveLength(3);
    expect(await db.selectFrom('category').select('id').where('code', '=', '3150').executeTakeFirst()).toBeUndefined();
  });

  it('changes a category but never its code', async () => {
    const renamed = await root.request('PATCH', '/api/categories/3101', {
      code: '3101',
      name: { zh: '井边堆物', en: 'Goods piled by the well' },
      selfRegister: true,
      serviceNotice: null,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: { zh: '井边堆物' }, selfRegister: true, serviceNotice: null });
    const audit = (await audits('category.updated')).at(-1);
    expect(audit?.data).toEqual({
      code: '3101',
      changes: ['nameZh', 'nameEn', 'selfRegister', 'serviceNoticeZh', 'serviceNoticeEn'],
    });
    const recode = await root.request('PATCH', '/api/categories/3101', { code: '3199', name: { zh: 'x', en: 'x' } });
    expect(recode.statusCode).toBe(422);
    expect(recode.json().error).toMatchObject({ code: 'CATEGORY_CODE_IMMUTABLE', fields: [{ path: 'body.code' }] });
    expect((await root.request('GET', '/api/categories/3101')).json().name.zh).toBe('井边堆物');
    expect((await root.request('PATCH', '/api/categories/3101', { code: '3101' })).statusCode).toBe(400);
    expect((await root.request('PATCH', '/api/categories/3777', { selfHandle: true })).statusCode).toBe(404);
  });

  it('keeps a category’s extra questions well formed, in order, audited only when they change', async () => {
    const question = (code: string, order: number, extra: Record<string, unknown> = {}) => ({
      code,
      datatype: 'string',
      order,
      description: { zh: '问题', en: 'Question' },
      ...extra,
    });
    const list = {
      ...question('kind', 1),
      datatype: 'singlevaluelist',
      required: true,
      values: [{ key: 'a', name: { zh: '甲', en: 'A' } }],
    };
    const refusals: [unknown[], string][] = [
      [[question('plate', 1), question('plate', 2)], 'body.questions.1.code'],
      [[question('plate', 1), question('colour', 1)], 'body.questions.1.order'],
      [[question('kind', 1, { datatype: 'multivaluelist' })], 'body.questions.0.values'],
      [[question('plate', 1, { values: [{ key: 'a', name: { zh: '甲', en: 'A' } }] })], 'body.questions.0.values'],
      [[{ ...list, values: [...list.values, ...list.values] }], 'body.questions.0.values.1.key'],
      [[question('bad code', 1)], 'body.questions.0.code'],
      [[question('plate', 1, { datatype: 'checkbox' })], 'body.questions.0.datatype'],
    ];
    for (const [questions, path] of refusals) {
      const res = await root.request('PATCH', '/api/categories/3101', { questions });
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    const saved = await root.request('PATCH', '/api/categories/3101', { questions: [question('plate', 2), list] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().questions).toEqual([
      { ...list, values: [{ key: 'a', name: { zh: '甲', en: 'A' } }] },
      { ...question('plate', 2), required: false, values: [] },
    ]);
    const updates = (await audits('category.updated')).length;
    const again = await root.request('PATCH', '/api/categories/3101', { questions: [list, question('plate', 2)] });
    expect(again.statusCode).toBe(200);
    expect((await audits('category.updated')).length).toBe(updates);
  });

  it('a disabled category takes no new reports but stays on its open cases, and only admins still see it', async () => {
    const caseId = await reported('3101');
    const disabled = await root.request('POST', '/api/categories/3101/disable');
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ disabled: true, openCases: 1 });
    expect((await audits('category.disabled')).map((a) => a.data)).toContainEqual({ code: '3101', openCases: 1 });

    const refused = await report('3101');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('CATEGORY_UNKNOWN');
    const open = (await dispatcher.request('GET', `/api/cases/${caseId}`)).json();
    expect(open).toMatchObject({ state: 'reported', category: { code: '3101' } });

    const codes = async (client: Client) =>
      (await client.request('GET', '/api/categories')).json().items.map((c: { code: string }) => c.code);
    expect(await codes(worker)).not.toContain('3101');
    expect((await worker.request('GET', '/api/categories/3101')).statusCode).toBe(404);
    expect(await codes(subAdmin)).toContain('3101');
    // A disabled major takes its minors off the list of those who may not see disabled categories.
    await root.request('POST', '/api/categories/3100/disable');
    await root.request('POST', '/api/categories/3101/enable');
    expect(await codes(worker)).not.toContain('3101');
    expect((await report('3101')).json().error.code).toBe('CATEGORY_UNKNOWN');
    await root.request('POST', '/api/categories/3100/enable');
    expect(await codes(worker)).toContain('3101');
    expect((await report('3101')).statusCode).toBe(201);
  });

  it('a category’s own limit, and then the default, time the next reported case', async () => {
    const set = await root.request('PUT', '/api/categories/3101/limits', {
      limits: [{ urgency: 'normal', stage: 'register', amount: 500, unit: 'natural_minutes' }],
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().limits).toEqual([{ urgency: 'normal', stage: 'register', amount: 500, unit: 'natural_minutes' }]);
    expect(set.json().effectiveLimits).toContainEqual({
      urgency: 'normal',
      stage: 'register',
      amount: 500,
      unit: 'natural_minutes',
      source: 'category',
    });
    const timed = (await dispatcher.request('GET', `/api/cases/${await reported('3101')}`)).json();
    expect(timed.clock.stage).toBe('register');
    expect(minutes(timed.clock)).toBe(500);

    const defaults = (await root.request('GET', '/api/categories')).json().defaults as Record<string, unknown>[];
    const changed = defaults.map((l) =>
      l.urgency === 'normal' && l.stage === 'register' ? { ...l, amount: 90, unit: 'natural_minutes' } : l,
    );
    const put = await root.request('PUT', '/api/categories/default-limits', { limits: changed });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().items).toHaveLength(12);
    // 1101 has no register limit of its own: the new default times it; 3101 keeps its own.
    expect(minutes((await dispatcher.request('GET', `/api/cases/${await reported('1101')}`)).json().clock)).toBe(90);
    expect(minutes((await dispatcher.request('GET', `/api/cases/${await reported('3101')}`)).json().clock)).toBe(500);
    expect((await audits('time_limits.set')).map((a) => a.data)).toContainEqual({
      category: '3101',
      limits: ['normal/register: 500 natural_minutes'],
    });

    // Clearing the category's own limits falls back to the default.
    await root.request('PUT', '/api/categories/3101/limits', { limits: [] });
    expect(minutes((await dispatcher.request('GET', `/api/cases/${await reported('3101')}`)).json().clock)).toBe(90);
    await root.request('PUT', '/api/categories/default-limits', { limits: defaults });
  });

  it('refuses impossible limits with coded errors, writing nothing', async () => {
    const put = (code: string, limits: unknown[]) => root.request('PUT', `/api/categories/${code}/limits`, { limits });
    const twice = await put('1101', [
      { urgency: 'urgent', stage: 'handle', amount: 2, unit: 'working_hours' },
      { urgency: 'urgent', stage: 'handle', amount: 3, unit: 'working_hours' },
    ]);
    expect(twice.statusCode).toBe(422);
    expect(twice.json().error).toMatchObject({ code: 'TIME_LIMIT_INVALID', fields: [{ path: 'body.limits.1' }] });
    const huge = await put('1101', [{ urgency: 'normal', stage: 'handle', amount: 400, unit: 'working_days' }]);
    expect(huge.json().error).toMatchObject({ code: 'TIME_LIMIT_INVALID', fields: [{ path: 'body.limits.0.amount' }] });
    expect(
      (await put('1101', [{ urgency: 'normal', stage: 'handle', amount: 0, unit: 'working_days' }])).statusCode,
    ).toBe(400);
    expect((await put('1100', [])).json().error.code).toBe('TIME_LIMIT_INVALID');
    const still = (await root.request('GET', '/api/categories/1101')).json();
    expect(still.limits.filter((l: { stage: string }) => l.stage === 'handle')).toHaveLength(3);
  });

  it('a dispatch rule becomes the dispatcher’s suggestion; the committee’s rule beats the subdistrict’s', async () => {
    const rule = (client: Client, unitCode: string, departmentId: string, categoryCode = '1504') =>
      client.request('POST', '/api/categories/dispatch-rules', {
        categoryCode,
        unitId: unitOf(t, unitCode).id,
        departmentId,
      });
    expect((await registered('1504')).suggestedDepartmentId).toBeNull();

    const wide = await rule(subAdmin, t.subdistrict, squad.id);
    expect(wide.statusCode, wide.body).toBe(201);
    expect(wide.json()).toMatchObject({
      category: { code: '1504', name: { zh: '乱堆物料' } },
      unit: { code: t.subdistrict, level: 'subdistrict' },
      department: { id: squad.id, kind: 'urban_enforcement' },
      abilities: { delete: true },
    });
    expect((await registered('1504')).suggestedDepartmentId).toBe(squad.id);

    const narrow = await rule(subAdmin, t.communities[0], squad2.id);
    expect(narrow.statusCode, narrow.body).toBe(201);
    expect((await registered('1504', 0)).suggestedDepartmentId).toBe(squad2.id);
    // The other committee still follows the subdistrict's rule.
    expect((await registered('1504', 2)).suggestedDepartmentId).toBe(squad.id);

    const listed = await dispatcher.request('GET', '/api/categories/dispatch-rules?categoryCode=1504');
    expect(listed.json().items.map((r: { unit: { code: string } }) => r.unit.code)).toEqual([
      t.subdistrict,
      t.communities[0],
    ]);
    expect(listed.json().items.every((r: { abilities: { delete: boolean } }) => !r.abilities.delete)).toBe(true);
    // A grid worker of the committee sees the rules above him too; another territory's admin none of them.
    expect((await worker.request('GET', '/api/categories/dispatch-rules?categoryCode=1504')).json().items).toHaveLength(
      2,
    );
    expect((await otherAdmin.request('GET', '/api/categories/dispatch-rules')).json().items).toHaveLength(0);
    const under = await subAdmin.request(
      'GET',
      `/api/categories/dispatch-rules?unitId=${unitOf(t, t.communities[0]).id}`,
    );
    expect(under.json().items.map((r: { id: string }) => r.id)).toEqual([narrow.json().id]);

    const twice = await rule(subAdmin, t.communities[0], squad.id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('DISPATCH_RULE_DUPLICATE');
    const foreign = await rule(subAdmin, t.communities[1], otherSquad.id);
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('DISPATCH_RULE_DEPARTMENT_OUTSIDE');
    expect((await rule(subAdmin, t.communities[1], squad.id, '1500')).json().error.code).toBe('CATEGORY_UNKNOWN');
    expect((await rule(dispatcher, t.communities[1], squad.id)).statusCode).toBe(403);

    expect((await dispatcher.request('DELETE', `/api/categories/dispatch-rules/${narrow.json().id}`)).statusCode).toBe(
      403,
    );
    const removed = await subAdmin.request('DELETE', `/api/categories/dispatch-rules/${narrow.json().id}`);
    expect(removed.statusCode).toBe(204);
    expect((await registered('1504', 0)).suggestedDepartmentId).toBe(squad.id);
    expect((await audits('dispatch_rule.created')).map((a) => a.data)).toContainEqual({
      category: '1504',
      unit: t.communities[0],
      department: squad2.code,
    });
    expect((await audits('dispatch_rule.deleted')).map((a) => a.data)).toEqual([
      { category: '1504', unit: t.communities[0], department: squad2.code },
    ]);
  });

  it('documents every catalogue route in the OpenAPI under its tag, with a bilingual summary', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const operations = Object.entries(doc.paths as Record<string, Record<string, { tags: string[]; summary: string }>>)
      .filter(([path]) => path.startsWith('/api/categories'))
      .flatMap(([, methods]) => Object.values(methods));
    expect(operations).toHaveLength(11);
    for (const op of operations) {
      expect(op.tags).toEqual(['catalogue']);
      expect(op.summary).toMatch(/[A-Za-z].* \/ .*\p{Script=Han}/u);
    }
  });

  it('an administrator cannot add or delete rules beyond their scope', async () => {
    const otherSub = unitOf(other, other.subdistrict);
    const outside = await subAdmin.request('POST', '/api/categories/dispatch-rules', {
      categoryCode: '1101',
      unitId: otherSub.id,
      departmentId: otherSquad.id,
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('FORBIDDEN');
    expect((await audits('access.denied')).some((a) => a.subjectId === otherSub.id)).toBe(true);
    expect(
      await db.selectFrom('dispatchRule').select('id').where('unitId', '=', otherSub.id).executeTakeFirst(),
    ).toBeUndefined();

    // Their own rule: invisible to this territory's administrators, so not found rather than forbidden.
    const theirs = await otherAdmin.request('POST', '/api/categories/dispatch-rules', {
      categoryCode: '1101',
      unitId: otherSub.id,
      departmentId: otherSquad.id,
    });
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect((await subAdmin.request('DELETE', `/api/categories/dispatch-rules/${theirs.json().id}`)).statusCode).toBe(
      404,
    );

    // A district rule governs the subdistrict: its administrator sees it but may not remove it.
    const district = unitOf(t, t.district);
    const bureauId = await db.transaction().execute((trx) =>
      createDepartment(trx, system, {
        code: `T${t.district.slice(4, 6)}-BUREAU`,
        name: '测试区绿化市容局',
        kind: 'greening_sanitation',
        level: 'district',
        servesUnit: district,
        deployedToUnitId: null,
      }),
    );
    const districtRule = await root.request('POST', '/api/categories/dispatch-rules', {
      categoryCode: '1101',
      unitId: district.id,
      departmentId: bureauId,
    });
    expect(districtRule.statusCode, districtRule.body).toBe(201);
    const seen = (await subAdmin.request('GET', '/api/categories/dispatch-rules?categoryCode=1101')).json().items;
    expect(seen).toEqual([expect.objectContaining({ id: districtRule.json().id, abilities: { delete: false } })]);
    expect(
      (await subAdmin.request('DELETE', `/api/categories/dispatch-rules/${districtRule.json().id}`)).statusCode,
    ).toBe(403);
    // A subdistrict's squad cannot take a rule for the whole district.
    const tooWide = await root.request('POST', '/api/categories/dispatch-rules', {
      categoryCode: '1102',
      unitId: district.id,
      departmentId: squad.id,
    });
    expect(tooWide.json().error.code).toBe('DISPATCH_RULE_DEPARTMENT_OUTSIDE');
  });
});

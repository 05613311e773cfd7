/**
 * Summonses (约请) over HTTP: a committee calls departments, each replies once (accept with a time or
 * decline with a reason), the issuer closes with the outcome; the guards — who may reply, scope,
 * coded bad input writing nothing, double and concurrent replies, optimistic version — and lists.
 */
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

let db: Db;
let app: FastifyInstance;
let t: Territory;
let other: Territory;
let d1: { id: string; code: string };
let d2: { id: string; code: string };
let d3: { id: string; code: string };
let farDepartment: { id: string; code: string };
let committee: Client;
let dispatcher: Client;
let worker: Client;
let handler1: Client;
let handler2: Client;
let handler3: Client;
let stranger: Client;
let otherWorker: Client;
let categoryCode: string;

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

async function handlerOf(territory: Territory, department: { id: string; code: string }) {
  const account = await makeAccount(db, territory, 'handler', territory.subdistrict, {
    departmentId: department.id,
    departmentCode: department.code,
  });
  return signIn(app, account.username, TEST_PASSWORD);
}

async function report(client: Client, territory: Territory): Promise<{ id: string; number: string }> {
  const [lng, lat] = territory.gridCentres[0] as [number, number];
  const res = await client.request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode,
    description: '楼道内长期堆放杂物，存在消防隐患',
    lng,
    lat,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function issueBody(extra: Record<string, unknown> = {}) {
  return {
    unitId: unitOf(t, t.communities[0]).id,
    departmentIds: [d1.id, d2.id],
    subject: '楼道堆物清理',
    description: '居民多次反映，物业无力处置，需城管、房管到场',
    place: '东苑小区5号楼楼道',
    requestedAt: inHours(20),
    ...extra,
  };
}

async function issue(client: Client = committee, extra: Record<string, unknown> = {}) {
  const res = await client.request('POST', '/api/summons', issueBody(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const auditActions = async (id: string) =>
  (await db.selectFrom('auditLog').select('action').where('subjectId', '=', id).orderBy('id').execute()).map(
    (a) => a.action,
  );

const replyRow = (summonsId: string, departmentId: string) =>
  db
    .selectFrom('summonsDepartment')
    .selectAll()
    .where('summonsId', '=', summonsId)
    .where('departmentId', '=', departmentId)
    .executeTakeFirstOrThrow();

describe('summonses over HTTP', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    other = await makeTerritory(db, [121.7, 31.4]);
    categoryCode = (await makeCategory(db)).code;
    [d1, d2, d3, farDepartment] = [
      await makeDepartment(db, t),
      await makeDepartment(db, t),
      await makeDepartment(db, t),
      await makeDepartment(db, other),
    ];
    const login = async (territory: Territory, role: Parameters<typeof makeAccount>[2], unit: string) =>
      signIn(app, (await makeAccount(db, territory, role, unit)).username, TEST_PASSWORD);
    committee = await login(t, 'committee_staff', t.communities[0]);
    dispatcher = await login(t, 'dispatcher', t.subdistrict);
    worker = await login(t, 'grid_worker', t.communities[0]);
    stranger = await login(other, 'committee_staff', other.communities[0]);
    otherWorker = await login(other, 'grid_worker', other.communities[0]);
    handler1 = await handlerOf(t, d1);
    handler2 = await handlerOf(t, d2);
    handler3 = await handlerOf(t, d3);
  });

  it('a committee summons two departments about a case; each replies once; the issuer closes with the outcome', async () => {
    const c = await report(worker, t);
    const s = await issue(committee, { caseId: c.id });
    expect(s).toMatchObject({
      state: 'sent',
      case: { id: c.id, number: c.number },
      replyLimit: { amount: 1, unit: 'working_days' },
      light: 'green',
      version: 1,
      abilities: { reply: [], close: true, cancel: true },
    });
    expect(Date.parse(s.replyDueAt)).toBeGreaterThan(Date.now());
    expect(s.remaining).toMatchObject({ overdue: false, basis: 'working' });
    expect(s.departments.map((d: { department: { id: string } }) => d.department.id).sort()).toEqual(
      [d1.id, d2.id].sort(),
    );

    const seen = (await handler1.request('GET', `/api/summons/${s.id}`)).json();
    expect(seen.abilities).toEqual({ reply: [d1.id], close: false, cancel: false });

    const arrivalAt = inHours(22);
    const accepted = await handler1.request('POST', `/api/summons/${s.id}/reply`, {
      departmentId: d1.id,
      reply: 'accepted',
      arrivalAt,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ state: 'sent', version: 2 });
    const declined = await handler2.request('POST', `/api/summons/${s.id}/reply`, {
      departmentId: d2.id,
      reply: 'declined',
      reason: '不属于本部门职责，建议约请房管所',
    });
    expect(declined.statusCode, declined.body).toBe(200);
    const answered = declined.json();
    expect(answered).toMatchObject({ state: 'answered', version: 3, light: 'none', remaining: null });
    const byDepartment = new Map(
      answered.departments.map((d: { department: { id: string } }) => [d.department.id, d] as const),
    );
    expect(byDepartment.get(d1.id)).toMatchObject({ reply: 'accepted', arrivalAt: new Date(arrivalAt).toISOString() });
    expect(byDepartment.get(d2.id)).toMatchObject({
      reply: 'declined',
      declineReason: '不属于本部门职责，建议约请房管所',
    });

    // The case page shows its summonses.
    const onCase = await dispatcher.request('GET', `/api/cases/${c.id}/summons`);
    expect(onCase.json().items.map((x: { id: string }) => x.id)).toEqual([s.id]);

    // The issuer saw version 1: the replies since voided that view.
    const stale = await committee.request('POST', `/api/summons/${s.id}/close`, { version: 1, text: '已现场协调' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'SUMMONS_VERSION_CONFLICT', version: 3 });
    const closed = await committee.request('POST', `/api/summons/${s.id}/close`, {
      version: 3,
      text: '城管到场督促清理，楼道已清空',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ state: 'closed', outcome: '城管到场督促清理，楼道已清空', version: 4 });
    const late = await committee.request('POST', `/api/summons/${s.id}/cancel`, { version: 4, text: '重复发起' });
    expect(late.json().error.code).toBe('SUMMONS_STATE_CONFLICT');
    expect(await auditActions(s.id)).toEqual([
      'summons.issued',
      'summons.replied',
      'summons.replied',
      'summons.closed',
    ]);
  });

  it('a handler of another department cannot reply for a summoned one (403); an uninvolved one cannot see it (404)', async () => {
    const s = await issue();
    const forOther = await handler2.request('POST', `/api/summons/${s.id}/reply`, {
      departmentId: d1.id,
      reply: 'accepted',
      arrivalAt: inHours(22),
    });
    expect(forOther.statusCode).toBe(403);
    expect(forOther.json().error.code).toBe('FORBIDDEN');
    expect((await replyRow(s.id, d1.id)).reply).toBeNull();
    expect((await handler3.request('GET', `/api/summons/${s.id}`)).statusCode).toBe(404);
    const outsider = await handler3.request('POST', `/api/summons/${s.id}/reply`, {
      departmentId: d3.id,
      reply: 'accepted',
      arrivalAt: inHours(22),
    });
    expect(outsider.statusCode).toBe(404);
    // The issuing side may not answer for a department either.
    const issuer = await committee.request('POST', `/api/summons/${s.id}/reply`, {
      departmentId: d1.id,
      reply: 'accepted',
      arrivalAt: inHours(22),
    });
    expect(issuer.statusCode).toBe(403);
    expect(await auditActions(s.id)).toEqual(['summons.issued', ...Array(4).fill('access.denied')]);
  });

  it('an incomplete reply is a coded 422 and writes nothing', async () => {
    const s = await issue();
    const attempts = [
      [{ reply: 'declined' }, 'body.reason'],
      [{ reply: 'declined', reason: '  不去 ' }, 'body.reason'],
      [{ reply: 'accepted' }, 'body.arrivalAt'],
    ] as const;
    for (const [body, field] of attempts) {
      const res = await handler1.request('POST', `/api/summons/${s.id}/reply`, { departmentId: d1.id, ...body });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'SUMMONS_REPLY_INVALID', fields: [{ path: field }] });
    }
    const past = await handler1.request('POST', `/api/summons/${s.id}/reply`, {
      departmentId: d1.id,
      reply: 'accepted',
      arrivalAt: inHours(-3),
    });
    expect(past.json().error.code).toBe('SUMMONS_TIME_INVALID');
    const row = await replyRow(s.id, d1.id);
    expect(row).toMatchObject({ reply: null, repliedAt: null, declineReason: null });
    const head = await db.selectFrom('summons').select(['version', 'state']).where('id', '=', s.id).executeTakeFirst();
    expect(head).toEqual({ version: 1, state: 'sent' });
    expect(await auditActions(s.id)).toEqual(['summons.issued']);
  });

  it('a department replies once: a second reply answers 409 and changes nothing', async () => {
    const s = await issue();
    const first = await handler1.request('POST', `/api/summons/${s.id}/reply`, {
      departmentId: d1.id,
      reply: 'accepted',
      arrivalAt: inHours(22),
    });
    expect(first.statusCode).toBe(200);
    const again = await handler1.request('POST', `/api/summons/${s.id}/reply`, {
      departmentId: d1.id,
      reply: 'declined',
      reason: '改派他人处理',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SUMMONS_ALREADY_REPLIED');
    expect(await replyRow(s.id, d1.id)).toMatchObject({ reply: 'accepted', declineReason: null });
  });

  it('of concurrent replies for one department exactly one wins; two departments replying at once both land', async () => {
    const s = await issue();
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        handler1.request('POST', `/api/summons/${s.id}/reply`, {
          departmentId: d1.id,
          reply: 'accepted',
          arrivalAt: inHours(20 + i),
        }),
      ),
    );
    const codes = attempts.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(7);
    expect((await auditActions(s.id)).filter((a) => a === 'summons.replied')).toHaveLength(1);

    const both = await issue();
    const [a, b] = await Promise.all([
      handler1.request('POST', `/api/summons/${both.id}/reply`, {
        departmentId: d1.id,
        reply: 'accepted',
        arrivalAt: inHours(21),
      }),
      handler2.request('POST', `/api/summons/${both.id}/reply`, {
        departmentId: d2.id,
        reply: 'declined',
        reason: '人员已全部外出执法',
      }),
    ]);
    expect([a?.statusCode, b?.statusCode]).toEqual([200, 200]);
    const after = (await committee.request('GET', `/api/summons/${both.id}`)).json();
    expect(after).toMatchObject({ state: 'answered', version: 3 });
  });

  it('refuses issuers out of scope (404) or without an issuing role (403), and bad summonses with coded errors — writing nothing', async () => {
    const before = await db.selectFrom('summons').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const foreign = await stranger.request('POST', '/api/summons', issueBody());
    expect(foreign.statusCode).toBe(404);
    const neighbour = await committee.request(
      'POST',
      '/api/summons',
      issueBody({ unitId: unitOf(t, t.communities[1]).id }),
    );
    expect(neighbour.statusCode).toBe(404);
    const noRole = await worker.request('POST', '/api/summons', issueBody());
    expect(noRole.statusCode).toBe(403);
    const denied = await db
      .selectFrom('auditLog')
      .select('data')
      .where('action', '=', 'access.denied')
      .where('subjectId', '=', unitOf(t, t.communities[0]).id)
      .execute();
    expect(denied.map((d) => d.data.reason).sort()).toEqual(['forbidden', 'out_of_scope']);

    const codeOf = async (body: Record<string, unknown>, client: Client = committee) =>
      (await client.request('POST', '/api/summons', issueBody(body))).json().error.code;
    expect(await codeOf({ unitId: unitOf(t, t.grids[0]).id })).toBe('SUMMONS_UNIT_INVALID');
    expect(await codeOf({ departmentIds: [farDepartment.id] })).toBe('SUMMONS_DEPARTMENT_OUTSIDE');
    expect(await codeOf({ departmentIds: [crypto.randomUUID()] })).toBe('DEPARTMENT_UNKNOWN');
    expect(await codeOf({ departmentIds: [d1.id, d1.id] })).toBe('VALIDATION_FAILED');
    expect(await codeOf({ requestedAt: inHours(-2) })).toBe('SUMMONS_TIME_INVALID');
    expect(await codeOf({ replyLimit: { amount: 9, unit: 'working_days' } })).toBe('VALIDATION_FAILED');
    expect(await codeOf({ replyLimit: { amount: 1, unit: 'natural_hours' } })).toBe('VALIDATION_FAILED');
    await db.updateTable('department').set({ disabled: true }).where('id', '=', d3.id).execute();
    expect(await codeOf({ departmentIds: [d3.id] })).toBe('DEPARTMENT_UNKNOWN');
    await db.updateTable('department').set({ disabled: false }).where('id', '=', d3.id).execute();
    // A case the issuer may not read: 404, as if it did not exist.
    const foreignCase = await report(otherWorker, other);
    const aboutForeign = await committee.request('POST', '/api/summons', issueBody({ caseId: foreignCase.id }));
    expect(aboutForeign.statusCode).toBe(404);

    const after = await db.selectFrom('summons').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a subdistrict dispatcher may summon for a committee below; strangers see nothing of it', async () => {
    const s = await issue(dispatcher, { replyLimit: { amount: 4, unit: 'working_hours' } });
    expect(s.replyLimit).toEqual({ amount: 4, unit: 'working_hours' });
    expect((await stranger.request('GET', `/api/summons/${s.id}`)).statusCode).toBe(404);
    expect((await stranger.request('GET', '/api/summons')).json().items).toEqual([]);
    expect((await committee.request('GET', '/api/summons')).json().items.map((x: { id: string }) => x.id)).toContain(
      s.id,
    );
    // The closing side is the issuing side: a summoned handler may not cancel.
    const byHandler = await handler1.request('POST', `/api/summons/${s.id}/cancel`, { version: 1, text: '无需到场' });
    expect(byHandler.statusCode).toBe(403);
    const bare = await committee.request('POST', `/api/summons/${s.id}/cancel`, { version: 1, text: ' 撤 ' });
    expect(bare.json().error).toMatchObject({ code: 'SUMMONS_TEXT_REQUIRED', fields: [{ path: 'body.text' }] });
    const cancelled = await committee.request('POST', `/api/summons/${s.id}/cancel`, {
      version: 1,
      text: '问题已由物业自行解决',
    });
    expect(cancelled.json()).toMatchObject({
      state: 'cancelled',
      abilities: { reply: [], close: false, cancel: false },
    });
  });

  it('documents every summons and meeting route in the OpenAPI document, tagged and bilingual', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const expected: [string, string, string][] = [
      ['/api/summons', 'get', 'summons'],
      ['/api/summons', 'post', 'summons'],
      ['/api/summons/summoned', 'get', 'summons'],
      ['/api/summons/{id}', 'get', 'summons'],
      ['/api/summons/{id}/reply', 'post', 'summons'],
      ['/api/summons/{id}/close', 'post', 'summons'],
      ['/api/summons/{id}/cancel', 'post', 'summons'],
      ['/api/cases/{id}/summons', 'get', 'summons'],
      ['/api/joint-meetings', 'get', 'meetings'],
      ['/api/joint-meetings', 'post', 'meetings'],
      ['/api/joint-meetings/{id}', 'get', 'meetings'],
      ['/api/joint-meetings/{id}', 'patch', 'meetings'],
      ['/api/joint-meetings/{id}/cases', 'post', 'meetings'],
      ['/api/joint-meetings/{id}/decisions', 'post', 'meetings'],
      ['/api/joint-meetings/{id}/decisions/{decisionId}/done', 'post', 'meetings'],
    ];
    for (const [path, method, tag] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.tags).toEqual([tag]);
      expect(op.summary).toMatch(/ \/ .*[\u4e00-\u9fff]/);
    }
  });

  it('lists what my department is summoned to, and overdue replies like overdue cases', async () => {
    const s = await issue();
    const onlyD2 = await issue(committee, { departmentIds: [d2.id] });
    const ids = (items: { id: string }[]) => items.map((x) => x.id);
    const waiting = (await handler1.request('GET', '/api/summons/summoned?waiting=true')).json().items;
    expect(ids(waiting)).toContain(s.id);
    expect(ids(waiting)).not.toContain(onlyD2.id);
    expect(ids((await handler1.request('GET', '/api/summons/summoned?overdue=true')).json().items)).not.toContain(s.id);

    // The sweep marked d1 overdue (see summons-sweep.test.ts); here the mark is set directly.
    await db
      .updateTable('summonsDepartment')
      .set({ overdueAt: new Date(), warnedAt: new Date() })
      .where('summonsId', '=', s.id)
      .where('departmentId', '=', d1.id)
      .execute();
    await db
      .updateTable('summons')
      .set({ replyDueAt: new Date(Date.now() - 60_000) })
      .where('id', '=', s.id)
      .execute();
    const overdueMine = (await handler1.request('GET', '/api/summons/summoned?overdue=true')).json().items;
    expect(ids(overdueMine)).toEqual([s.id]);
    expect(ids((await handler2.request('GET', '/api/summons/summoned?overdue=true')).json().items)).not.toContain(s.id);
    const overdueIssued = (await committee.request('GET', '/api/summons?overdue=true')).json().items;
    expect(ids(overdueIssued)).toEqual([s.id]);
    expect(overdueIssued[0]).toMatchObject({ light: 'red', remaining: { overdue: true } });

    // A late reply is taken and recorded as late; the summons is no longer overdue.
    const late = await handler1.request('POST', `/api/summons/${s.id}/reply`, {
      departmentId: d1.id,
      reply: 'accepted',
      arrivalAt: inHours(2),
    });
    expect(late.statusCode, late.body).toBe(200);
    const d1View = late.json().departments.find((d: { department: { id: string } }) => d.department.id === d1.id);
    expect(d1View).toMatchObject({ late: true, light: 'none' });
    expect(d1View.overdueAt).not.toBeNull();
    expect(ids((await committee.request('GET', '/api/summons?overdue=true')).json().items)).toEqual([]);
  });
});

/**
 * Joint meetings (联席会议) over HTTP: convene with attendees and cases, keep the minutes with an
 * optimistic version, record decisions with owners and due dates, mark them done once; cases out
 * of scope are 404 and leave nothing behind; who may read and who may record.
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
let dispatcher: Client;
let worker: Client;
let handler1: Client;
let handler2: Client;
let stranger: Client;
let otherWorker: Client;
let committeeAccount: { id: string; username: string };
let committee: Client;
let categoryCode: string;

async function report(client: Client, territory: Territory): Promise<{ id: string; number: string }> {
  const [lng, lat] = territory.gridCentres[1] as [number, number];
  const res = await client.request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode,
    description: '沿街商铺占道经营，居民投诉多次',
    lng,
    lat,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function meetingBody(extra: Record<string, unknown> = {}) {
  return {
    unitId: unitOf(t, t.subdistrict).id,
    heldAt: '2026-11-20T14:00:00+08:00',
    place: '街道党群服务中心3楼会议室',
    subject: '沿街商铺占道经营联合整治',
    attendees: [
      { kind: 'department', departmentId: d1.id },
      { kind: 'account', accountId: committeeAccount.id },
      { kind: 'person', name: '王经理', affiliation: '东苑物业' },
    ],
    ...extra,
  };
}

const meetingCount = async () =>
  Number((await db.selectFrom('jointMeeting').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('joint meetings over HTTP', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    other = await makeTerritory(db, [121.7, 31.4]);
    categoryCode = (await makeCategory(db)).code;
    d1 = await makeDepartment(db, t);
    d2 = await makeDepartment(db, t);
    const login = async (account: { username: string }) => signIn(app, account.username, TEST_PASSWORD);
    dispatcher = await login(await makeAccount(db, t, 'dispatcher', t.subdistrict));
    worker = await login(await makeAccount(db, t, 'grid_worker', t.communities[0]));
    committeeAccount = await makeAccount(db, t, 'committee_staff', t.communities[1]);
    committee = await login(committeeAccount);
    handler1 = await login(
      await makeAccount(db, t, 'handler', t.subdistrict, { departmentId: d1.id, departmentCode: d1.code }),
    );
    handler2 = await login(
      await makeAccount(db, t, 'handler', t.subdistrict, { departmentId: d2.id, departmentCode: d2.code }),
    );
    stranger = await login(await makeAccount(db, other, 'dispatcher', other.subdistrict));
    otherWorker = await login(await makeAccount(db, other, 'grid_worker', other.communities[0]));
  });

  it('records attendees, cases and decisions with owners and due dates; a decision is marked done once', async () => {
    const c = await report(worker, t);
    const created = await dispatcher.request('POST', '/api/joint-meetings', meetingBody({ caseIds: [c.id] }));
    expect(created.statusCode, created.body).toBe(201);
    const m = created.json();
    expect(m).toMatchObject({
      subject: '沿街商铺占道经营联合整治',
      cases: [{ id: c.id, number: c.number }],
      decisions: [],
      abilities: { update: true, linkCase: true, addDecision: true },
      version: 1,
    });
    expect(m.attendees.map((a: { kind: string }) => a.kind)).toEqual(['department', 'account', 'person']);
    expect(m.attendees[2]).toMatchObject({ name: '王经理', affiliation: '东苑物业' });

    const toDepartment = await dispatcher.request('POST', `/api/joint-meetings/${m.id}/decisions`, {
      text: '城管中队一周内完成占道商铺劝导和整改',
      owner: { departmentId: d1.id },
      dueOn: '2099-12-01',
    });
    expect(toDepartment.statusCode, toDepartment.body).toBe(201);
    const withPast = await dispatcher.request('POST', `/api/joint-meetings/${m.id}/decisions`, {
      text: '居委会组织商户签订门责承诺书',
      owner: { accountId: committeeAccount.id },
      dueOn: '2026-01-05',
    });
    const decisions = withPast.json().decisions;
    expect(decisions).toHaveLength(2);
    expect(decisions[0]).toMatchObject({
      owner: { department: { id: d1.id }, account: null },
      dueOn: '2099-12-01',
      overdue: false,
      doneAt: null,
    });
    expect(decisions[1]).toMatchObject({
      owner: { department: null, account: { id: committeeAccount.id } },
      overdue: true,
    });
    const listed = (await dispatcher.request('GET', '/api/joint-meetings?overdue=true')).json().items;
    expect(listed).toEqual([expect.objectContaining({ id: m.id, decisionCounts: { total: 2, open: 2, overdue: 1 } })]);

    // The attending department reads the meeting and closes its own decision — once — but not another's.
    const asHandler = (await handler1.request('GET', `/api/joint-meetings/${m.id}`)).json();
    expect(asHandler.abilities).toEqual({ update: false, linkCase: false, addDecision: false });
    expect(asHandler.decisions.map((d: { abilities: { markDone: boolean } }) => d.abilities.markDone)).toEqual([
      true,
      false,
    ]);
    const [mine, theirs] = decisions as { id: string }[];
    const done = await handler1.request('POST', `/api/joint-meetings/${m.id}/decisions/${mine?.id}/done`);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().decisions[0].doneAt).not.toBeNull();
    const twice = await handler1.request('POST', `/api/joint-meetings/${m.id}/decisions/${mine?.id}/done`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('MEETING_DECISION_DONE');
    const notMine = await handler1.request('POST', `/api/joint-meetings/${m.id}/decisions/${theirs?.id}/done`);
    expect(notMine.statusCode).toBe(403);
    // The owner (an attendee account outside the convening unit's subtree) marks theirs.
    const owner = await committee.request('POST', `/api/joint-meetings/${m.id}/decisions/${theirs?.id}/done`);
    expect(owner.statusCode, owner.body).toBe(200);

    // An uninvolved department and a stranger see nothing.
    expect((await handler2.request('GET', `/api/joint-meetings/${m.id}`)).statusCode).toBe(404);
    expect((await handler2.request('GET', '/api/joint-meetings')).json().items).toEqual([]);
    expect((await stranger.request('GET', `/api/joint-meetings/${m.id}`)).statusCode).toBe(404);

    // Minutes with the version seen; a stale version is 409.
    const minutes = await dispatcher.request('PATCH', `/api/joint-meetings/${m.id}`, {
      version: 3,
      minutes: '会议议定：城管牵头，居委配合，一周后复查。',
    });
    expect(minutes.statusCode, minutes.body).toBe(200);
    expect(minutes.json()).toMatchObject({ version: 4, minutes: '会议议定：城管牵头，居委配合，一周后复查。' });
    const stale = await dispatcher.request('PATCH', `/api/joint-meetings/${m.id}`, { version: 3, minutes: '覆盖' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('MEETING_VERSION_CONFLICT');
    const byHandler = await handler1.request('PATCH', `/api/joint-meetings/${m.id}`, { version: 4, minutes: '改写' });
    expect(byHandler.statusCode).toBe(403);

    const audit = await db
      .selectFrom('auditLog')
      .select('action')
      .where('subjectId', '=', m.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action).filter((a) => a !== 'access.denied')).toEqual([
      'meeting.created',
      'meeting.decision_added',
      'meeting.decision_added',
      'meeting.decision_done',
      'meeting.decision_done',
      'meeting.updated',
    ]);
  });

  it('a case out of scope is 404 — at creation nothing is written, and it is never linked', async () => {
    const foreign = await report(otherWorker, other);
    const before = await meetingCount();
    const create = await dispatcher.request('POST', '/api/joint-meetings', meetingBody({ caseIds: [foreign.id] }));
    expect(create.statusCode).toBe(404);
    expect(await meetingCount()).toBe(before);

    const m = (await dispatcher.request('POST', '/api/joint-meetings', meetingBody())).json();
    const link = await dispatcher.request('POST', `/api/joint-meetings/${m.id}/cases`, { caseId: foreign.id });
    expect(link.statusCode).toBe(404);
    const denied = await db
      .selectFrom('auditLog')
      .select('data')
      .where('action', '=', 'access.denied')
      .where('subjectId', '=', foreign.id)
      .execute();
    expect(denied).toHaveLength(2);

    // An in-scope case links once, however often it is sent.
    const c = await report(worker, t);
    for (let i = 0; i < 2; i++) {
      const res = await dispatcher.request('POST', `/api/joint-meetings/${m.id}/cases`, { caseId: c.id });
      expect(res.statusCode, res.body).toBe(200);
    }
    const cases = (await dispatcher.request('GET', `/api/joint-meetings/${m.id}`)).json().cases;
    expect(cases).toEqual([{ id: c.id, number: c.number }]);
    const linked = await db
      .selectFrom('auditLog')
      .select('action')
      .where('subjectId', '=', m.id)
      .where('action', '=', 'meeting.case_linked')
      .execute();
    expect(linked).toHaveLength(1);
  });

  it('only the convening side records, and unknown participants are a coded 422', async () => {
    const before = await meetingCount();
    expect((await handler1.request('POST', '/api/joint-meetings', meetingBody())).statusCode).toBe(403);
    expect((await stranger.request('POST', '/api/joint-meetings', meetingBody())).statusCode).toBe(404);
    const ghost = await dispatcher.request(
      'POST',
      '/api/joint-meetings',
      meetingBody({ attendees: [{ kind: 'account', accountId: crypto.randomUUID() }] }),
    );
    expect(ghost.statusCode).toBe(422);
    expect(ghost.json().error).toMatchObject({
      code: 'MEETING_PARTICIPANT_UNKNOWN',
      fields: [{ path: 'body.attendees.0' }],
    });
    const twice = await dispatcher.request(
      'POST',
      '/api/joint-meetings',
      meetingBody({
        attendees: [
          { kind: 'department', departmentId: d1.id },
          { kind: 'department', departmentId: d1.id },
        ],
      }),
    );
    expect(twice.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'body.attendees.1' }] });
    expect(await meetingCount()).toBe(before);

    const m = (await dispatcher.request('POST', '/api/joint-meetings', meetingBody())).json();
    const unknownOwner = await dispatcher.request('POST', `/api/joint-meetings/${m.id}/decisions`, {
      text: '交由不存在的部门办理',
      owner: { departmentId: crypto.randomUUID() },
      dueOn: '2026-12-31',
    });
    expect(unknownOwner.json().error).toMatchObject({
      code: 'MEETING_PARTICIPANT_UNKNOWN',
      fields: [{ path: 'body.owner.departmentId' }],
    });
    const badDay = await dispatcher.request('POST', `/api/joint-meetings/${m.id}/decisions`, {
      text: '日期有误的事项',
      owner: { departmentId: d1.id },
      dueOn: '2026-02-30',
    });
    expect(badDay.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'body.dueOn' }] });
    const byAttendee = await handler1.request('POST', `/api/joint-meetings/${m.id}/decisions`, {
      text: '部门自行添加的事项',
      owner: { departmentId: d1.id },
      dueOn: '2026-12-31',
    });
    expect(byAttendee.statusCode).toBe(403);
    const decisions = await db.selectFrom('jointMeetingDecision').select('id').where('meetingId', '=', m.id).execute();
    expect(decisions).toEqual([]);
  });
});

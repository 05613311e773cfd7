/**
 * Concurrency (issue 9, point 3): many clients take conflicting steps on one case at the same moment
 * — register or reject, two dispatchers dispatching, acknowledge or return, handle or ask for more
 * time, verification passed or failed — each sending the version it saw. Exactly one wins each time;
 * every other answer is a coded 409; the case's events stay 1, 2, 3 … with no gap and no double; the
 * version moves by exactly one and one audit row is written per step.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { uploadPhoto } from '../media/test-upload.js';
import { makeAccount, makeCategory, makeDepartment, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let category: { id: string; code: string };
let department: { id: string; code: string };
let at: [number, number];
const staff = {} as Record<'worker' | 'worker2' | 'dispatcher' | 'dispatcher2' | 'handler' | 'handler2', Client>;

const ATTEMPTS = 20;

type Body = Record<string, unknown>;
/** One attempt: who sends which step (without the version: every attempt sends the same one). */
type Attempt = [Client, Body];

async function report(): Promise<string> {
  const res = await staff.worker.request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode: category.code,
    description: '小区门口共享单车乱停放',
    lng: at[0],
    lat: at[1],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function current(id: string): Promise<{ version: number; state: string }> {
  return db.selectFrom('cases').select(['version', 'state']).where('id', '=', id).executeTakeFirstOrThrow();
}

async function step(client: Client, id: string, body: Body) {
  const res = await client.request('POST', `/api/cases/${id}/transitions`, {
    version: (await current(id)).version,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(200);
}

const seqs = async (id: string) =>
  (await db.selectFrom('caseEvent').select('seq').where('caseId', '=', id).orderBy('seq').execute()).map((e) => e.seq);

const auditRows = async (id: string) =>
  (await db.selectFrom('auditLog').select('id').where('subjectId', '=', id).execute()).length;

/**
 * Sends every attempt at once with the version of now, and checks the race: one 200, the rest coded
 * 409s, one new event (the next seq), one audit row, the version up by one. Answers the winner's step.
 */
async function race(id: string, attempts: Attempt[]): Promise<Body> {
  const before = { ...(await current(id)), seqs: await seqs(id), audit: await auditRows(id) };
  const answers: LightMyRequestResponse[] = await Promise.all(
    attempts.map(([client, body]) =>
      client.request('POST', `/api/cases/${id}/transitions`, { version: before.version, ...body }),
    ),
  );
  const won = answers.flatMap((a, i) => (a.statusCode === 200 ? [i] : []));
  expect(won, answers.map((a) => `${a.statusCode} ${a.body.slice(0, 120)}`).join('\n')).toHaveLength(1);
  for (const lost of answers.filter((a) => a.statusCode !== 200)) {
    expect(lost.statusCode, lost.body).toBe(409);
    expect(['CASE_VERSION_CONFLICT', 'CASE_STATE_CONFLICT']).toContain(lost.json().error.code);
    expect(lost.json().error.messages).toMatchObject({ 'zh-CN': expect.any(String), en: expect.any(String) });
  }
  const after = await current(id);
  expect(after.version).toBe(before.version + 1);
  expect(await seqs(id)).toEqual([...before.seqs, before.seqs.length + 1]);
  expect(await auditRows(id)).toBe(before.audit + 1);
  const winner = attempts[won[0] as number] as Attempt;
  const answer = (answers[won[0] as number] as LightMyRequestResponse).json();
  expect(answer).toMatchObject({ state: after.state, version: after.version });
  return winner[1];
}

/** ATTEMPTS attempts, alternating between the steps given (and so between their clients). */
const mix = (...steps: Attempt[]): Attempt[] =>
  Array.from({ length: ATTEMPTS }, (_, i) => steps[i % steps.length] as Attempt);

beforeAll(async () => {
  db = (await createTestDatabase()).db;
  app = await createTestApp(db);
  const t = await makeTerritory(db);
  at = t.gridCentres[0] as [number, number];
  category = await makeCategory(db);
  department = await makeDepartment(db, t);
  const login = async (role: Parameters<typeof makeAccount>[2], unit: string, extra = {}) =>
    signIn(app, (await makeAccount(db, t, role, unit, extra)).username, TEST_PASSWORD);
  const inDepartment = { departmentId: department.id, departmentCode: department.code };
  staff.worker = await login('grid_worker', t.communities[0] as string);
  staff.worker2 = await login('grid_worker', t.communities[0] as string);
  staff.dispatcher = await login('dispatcher', t.subdistrict);
  staff.dispatcher2 = await login('dispatcher', t.subdistrict);
  staff.handler = await login('handler', t.subdistrict, inDepartment);
  staff.handler2 = await login('handler', t.subdistrict, inDepartment);
});

describe('conflicting steps on one case from many clients at once', () => {
  it('register or reject: one wins', async () => {
    const id = await report();
    const won = await race(
      id,
      mix(
        [staff.dispatcher, { action: 'register' }],
        [staff.dispatcher2, { action: 'reject', rejectReason: 'not_a_case', reason: '不属于城市管理问题' }],
      ),
    );
    expect((await current(id)).state).toBe(won.action === 'register' ? 'registered' : 'rejected');
  });

  it('two dispatchers dispatching, and acknowledge or return: one wins each time', async () => {
    const id = await report();
    await step(staff.dispatcher, id, { action: 'register' });
    await race(
      id,
      mix(
        [staff.dispatcher, { action: 'dispatch', departmentId: department.id }],
        [staff.dispatcher2, { action: 'dispatch', departmentId: department.id }],
      ),
    );
    const won = await race(
      id,
      mix(
        [staff.handler, { action: 'acknowledge' }],
        [staff.handler2, { action: 'return', reason: '不属于本部门职责' }],
      ),
    );
    expect((await current(id)).state).toBe(won.action === 'acknowledge' ? 'handling' : 'registered');
  });

  it('handle or ask for more time, then verification passed or failed: one wins each time', async () => {
    const id = await report();
    await step(staff.dispatcher, id, { action: 'register' });
    await step(staff.dispatcher, id, { action: 'dispatch', departmentId: department.id });
    await step(staff.handler, id, { action: 'acknowledge' });
    const handled = { key: await uploadPhoto(app, { client: staff.handler }), role: 'after' };
    await race(
      id,
      mix(
        [staff.handler, { action: 'submit_handling', reason: '已清理并规范停放', photos: [handled] }],
        [
          staff.handler2,
          { action: 'request_extension', reason: '需协调运营企业', amount: { amount: 2, unit: 'working_days' } },
        ],
      ),
    );
    if ((await current(id)).state !== 'handled')
      await step(staff.handler, id, { action: 'submit_handling', reason: '已清理并规范停放', photos: [handled] });
    const seen = { key: await uploadPhoto(app, { client: staff.worker }), role: 'evidence' };
    const seen2 = { key: await uploadPhoto(app, { client: staff.worker2 }), role: 'evidence' };
    const won = await race(
      id,
      mix(
        [staff.worker, { action: 'verify_pass', photos: [seen] }],
        [staff.worker2, { action: 'verify_fail', reason: '仍有车辆堆放', photos: [seen2] }],
      ),
    );
    expect((await current(id)).state).toBe(won.action === 'verify_pass' ? 'closed' : 'handling');
  });

  it('keeps one case’s whole life gap-free when every step is raced', async () => {
    const id = await report();
    await race(id, mix([staff.dispatcher, { action: 'register' }], [staff.dispatcher2, { action: 'register' }]));
    await race(id, mix([staff.dispatcher2, { action: 'dispatch', departmentId: department.id }]));
    await race(id, mix([staff.handler, { action: 'acknowledge' }], [staff.handler2, { action: 'acknowledge' }]));
    const photo = { key: await uploadPhoto(app, { client: staff.handler2 }), role: 'after' };
    await race(id, mix([staff.handler2, { action: 'submit_handling', reason: '已处理完毕', photos: [photo] }]));
    const seen = { key: await uploadPhoto(app, { client: staff.worker }), role: 'evidence' };
    await race(id, mix([staff.worker, { action: 'verify_pass', photos: [seen] }]));
    expect(await current(id)).toEqual({ state: 'closed', version: 6 });
    const events = await db
      .selectFrom('caseEvent')
      .select(['seq', 'action'])
      .where('caseId', '=', id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => `${e.seq}:${e.action}`)).toEqual([
      '1:report',
      '2:register',
      '3:dispatch',
      '4:acknowledge',
      '5:submit_handling',
      '6:verify_pass',
    ]);
  });
});

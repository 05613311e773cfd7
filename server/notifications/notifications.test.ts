/**
 * Who is told, and who has what to do: notifications written with each step (and by the deadline
 * sweep), read and marked read by their owner only; inboxes cut by the actor's abilities.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { sweepDeadlines } from '../cases/deadline-sweep.js';
import type { Db } from '../db/database.js';
import {
  makeAccount,
  makeCategory,
  makeDepartment,
  makeResident,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
} from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let category: { id: string; code: string };
let department: { id: string; code: string };
let worker: Client;
let dispatcher: Client;
let otherDispatcher: Client;
let handler: Client;
let supervisor: Client;

interface Notice {
  id: string;
  kind: string;
  at: string;
  caseId: string;
  caseNumber: string;
  read: boolean;
  label: { zh: string };
}

async function notices(client: Client, caseId?: string): Promise<{ items: Notice[]; unread: number }> {
  const res = await client.request('GET', '/api/notifications?limit=200');
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { items: Notice[]; unread: number };
  return caseId ? { ...body, items: body.items.filter((n) => n.caseId === caseId) } : body;
}

async function step(client: Client, id: string, body: Record<string, unknown>) {
  const current = (await client.request('GET', `/api/cases/${id}`)).json();
  const res = await client.request('POST', `/api/cases/${id}/transitions`, { version: current.version, ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function report(grid = 0) {
  const [lng, lat] = t.gridCentres[grid] as [number, number];
  const res = await worker.request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode: category.code,
    description: '人行道护栏被撞歪，存在安全隐患',
    lng,
    lat,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string; trackingCode: string };
}

type Inbox = { sections: Record<string, { total: number; items: { id: string }[] }> };
const inbox = async (client: Client) => (await client.request('GET', '/api/inbox')).json() as Inbox;
const inSection = (box: Inbox, section: string, id: string) => box.sections[section]?.items.some((c) => c.id === id);

describe('notifications and inboxes', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    category = await makeCategory(db);
    department = await makeDepartment(db, t);
    const account = async (role: Parameters<typeof makeAccount>[2], unit: string, extra?: object) =>
      signIn(app, (await makeAccount(db, t, role, unit, extra as never)).username, TEST_PASSWORD);
    worker = await account('grid_worker', t.communities[0]);
    dispatcher = await account('dispatcher', t.subdistrict);
    otherDispatcher = await account('dispatcher', t.communities[1]);
    supervisor = await account('supervisor', t.subdistrict);
    handler = await account('handler', t.subdistrict, { departmentId: department.id, departmentCode: department.code });
  });

  it('tells the people whose turn it is, never the actor, never someone out of scope', async () => {
    const c = await report(0);
    expect((await notices(dispatcher, c.id)).items.map((n) => n.kind)).toEqual(['report']);
    expect((await notices(worker, c.id)).items).toEqual([]);
    expect((await notices(otherDispatcher, c.id)).items).toEqual([]);
    expect(inSection(await inbox(dispatcher), 'toRegister', c.id)).toBe(true);
    expect(inSection(await inbox(otherDispatcher), 'toRegister', c.id)).toBe(false);

    await step(dispatcher, c.id, { action: 'register' });
    expect((await notices(worker, c.id)).items.map((n) => n.kind)).toEqual(['register']);
    expect(inSection(await inbox(dispatcher), 'toDispatch', c.id)).toBe(true);
    expect(inSection(await inbox(dispatcher), 'toRegister', c.id)).toBe(false);

    await step(dispatcher, c.id, { action: 'dispatch', departmentId: department.id });
    const toHandler = (await notices(handler, c.id)).items;
    expect(toHandler.map((n) => n.kind)).toEqual(['dispatch']);
    expect(toHandler[0]).toMatchObject({ caseNumber: c.number, read: false, label: { zh: '派遣' } });
    expect(inSection(await inbox(handler), 'toAcknowledge', c.id)).toBe(true);

    await step(handler, c.id, { action: 'acknowledge' });
    expect(inSection(await inbox(handler), 'toHandle', c.id)).toBe(true);
    await step(handler, c.id, {
      action: 'request_extension',
      reason: '护栏需定制，厂家供货需要时间',
      amount: { amount: 3, unit: 'working_days' },
    });
    expect((await notices(supervisor, c.id)).items.map((n) => n.kind)).toEqual(['request_extension']);
    expect(inSection(await inbox(supervisor), 'toApprove', c.id)).toBe(true);
    await step(supervisor, c.id, { action: 'approve_extension' });
    expect((await notices(handler, c.id)).items.map((n) => n.kind)).toEqual(['approve_extension', 'dispatch']);
    expect(inSection(await inbox(supervisor), 'toApprove', c.id)).toBe(false);
  });

  it('turns red once, tells the handler and the supervisors, and lists it as overdue in scope', async () => {
    const c = await report(1);
    await step(dispatcher, c.id, { action: 'register' });
    await step(dispatcher, c.id, { action: 'dispatch', departmentId: department.id });
    const later = new Date(Date.now() + 400 * 86_400_000);
    const first = await sweepDeadlines(db, { now: later });
    expect(first.overdue).toBeGreaterThanOrEqual(1);
    await sweepDeadlines(db, { now: new Date(later.getTime() + 60_000) });
    const kinds = (await notices(handler, c.id)).items.map((n) => n.kind);
    expect(kinds.filter((k) => k === 'overdue')).toHaveLength(1);
    expect(kinds).toContain('supervise');
    expect((await notices(supervisor, c.id)).items.map((n) => n.kind)).toEqual(['overdue']);
    const detail = (await dispatcher.request('GET', `/api/cases/${c.id}`)).json();
    expect(detail.clock).toMatchObject({ light: 'red', stage: 'handle' });
    expect(inSection(await inbox(dispatcher), 'overdue', c.id)).toBe(true);
    expect(inSection(await inbox(otherDispatcher), 'overdue', c.id)).toBe(false);
  });

  it('shows the running clock in working time with elapsed and remaining', async () => {
    const c = await report(0);
    const detail = (await dispatcher.request('GET', `/api/cases/${c.id}`)).json();
    expect(detail.clock.remaining).toMatchObject({ overdue: false });
    expect(detail.clock.remaining.minutes).toBeGreaterThan(0);
    expect(detail.clock.remaining.text.zh).toMatch(/^剩余/);
    expect(detail.clock.elapsed.minutes).toBeGreaterThanOrEqual(0);
  });

  it('marks read only my own notifications', async () => {
    const mine = await notices(handler);
    expect(mine.unread).toBeGreaterThan(0);
    const [first] = mine.items;
    const foreign = await supervisor.request('POST', '/api/notifications/read', { ids: [first?.id] });
    expect(foreign.json()).toEqual({ updated: 0 });
    const marked = await handler.request('POST', '/api/notifications/read', { ids: [first?.id] });
    expect(marked.json()).toEqual({ updated: 1 });
    expect((await notices(handler)).unread).toBe(mine.unread - 1);
    const all = await handler.request('POST', '/api/notifications/read', { all: true });
    expect(all.json()).toEqual({ updated: mine.unread - 1 });
    expect((await notices(handler)).unread).toBe(0);
    const bad = await handler.request('POST', '/api/notifications/read', { ids: ['nope'] });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
  });

  it('tells a signed-in resident about their report, in their own inbox', async () => {
    const resident = await makeResident(db);
    const session = await app.inject({
      method: 'POST',
      url: '/api/resident/session',
      payload: { phone: resident.phone, password: TEST_PASSWORD },
    });
    expect(session.statusCode, session.body).toBe(200);
    const cookie = session.cookies.map((k) => `${k.name}=${k.value}`).join('; ');
    const csrf = session.json().csrfToken as string;
    const [lng, lat] = t.gridCentres[2] as [number, number];
    const reported = await app.inject({
      method: 'POST',
      url: '/api/public/cases',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { categoryCode: category.code, description: '单元门禁坏了，外人随意进出', lng, lat },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const { id } = reported.json();
    await step(dispatcher, id, { action: 'register' });
    const mine = await app.inject({ method: 'GET', url: '/api/notifications', headers: { cookie } });
    expect(mine.json().items.map((n: Notice) => [n.kind, n.caseId])).toEqual([['register', id]]);
  });

  it('tells the people who follow a case too, and shows them among its reporters, masked', async () => {
    const c = await report(0);
    const resident = await makeResident(db);
    const session = await app.inject({
      method: 'POST',
      url: '/api/resident/session',
      payload: { phone: resident.phone, password: TEST_PASSWORD },
    });
    const cookie = session.cookies.map((k) => `${k.name}=${k.value}`).join('; ');
    const followed = await app.inject({
      method: 'POST',
      url: `/api/public/cases/${c.number}/follow`,
      headers: { cookie, 'x-csrf-token': session.json().csrfToken as string },
      payload: { contact: { name: '欧阳娜娜', phone: '13912345678' } },
    });
    expect(followed.statusCode, followed.body).toBe(201);
    await step(dispatcher, c.id, { action: 'register' });
    const mine = await app.inject({ method: 'GET', url: '/api/notifications', headers: { cookie } });
    expect(mine.json().items.map((n: Notice) => [n.kind, n.caseId])).toEqual([['register', c.id]]);
    // The grid worker who reported it is told as before.
    expect((await notices(worker, c.id)).items.map((n) => n.kind)).toEqual(['register']);

    const detail = (await dispatcher.request('GET', `/api/cases/${c.id}`)).json();
    expect(detail.followers).toHaveLength(1);
    expect(detail.followers[0]).toMatchObject({ via: 'follow', resident: true, mergedCaseNumber: null });
    expect(detail.followers[0].name).not.toContain('娜娜');
    expect(detail.followers[0].phone).not.toContain('1234');
  });

  it('stamps a notice with the time of its step, not the time it was written', async () => {
    const c = await report(1);
    await step(dispatcher, c.id, { action: 'register' });
    await step(dispatcher, c.id, { action: 'dispatch', departmentId: department.id });
    const later = new Date(Date.now() + 500 * 86_400_000);
    await sweepDeadlines(db, { now: later });
    const overdue = (await notices(handler, c.id)).items.find((n) => n.kind === 'overdue');
    expect(overdue?.at).toBe(later.toISOString());
  });
});

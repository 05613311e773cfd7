import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { DEFAULT_CASE_SETTINGS, writeCaseSettings } from './case-settings.js';
import { sweepDeadlines } from './deadline-sweep.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let worker: Client;
let categoryCode: string;

async function report(): Promise<string> {
  const [lng, lat] = t.gridCentres[1] as [number, number];
  const res = await worker.request('POST', '/api/cases', {
    channel: 'patrol',
    categoryCode,
    description: '井盖缺失，存在安全隐患',
    lng,
    lat,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

describe('deadline sweep', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    categoryCode = (await makeCategory(db)).code;
    worker = await signIn(app, (await makeAccount(db, t, 'grid_worker', t.subdistrict)).username, TEST_PASSWORD);
  });

  it('turns yellow once, red once, and issues one automatic supervision order', async () => {
    const late = await report();
    const warming = await report();
    const fresh = await report();
    await db
      .updateTable('cases')
      .set({ stageStartedAt: hoursAgo(10), dueAt: hoursAgo(1) })
      .where('id', '=', late)
      .execute();
    await db
      .updateTable('cases')
      .set({ stageStartedAt: hoursAgo(9), dueAt: new Date(Date.now() + 3_600_000) })
      .where('id', '=', warming)
      .execute();

    const first = await sweepDeadlines(db);
    // The late case goes straight to red (its warned_at is set with it): one notice, not two.
    expect(first).toEqual({ warned: 1, overdue: 1, supervised: 1 });
    const second = await sweepDeadlines(db);
    expect(second).toEqual({ warned: 0, overdue: 0, supervised: 0 });

    const rows = await db
      .selectFrom('cases')
      .select(['id', 'warnedAt', 'overdueAt', 'counters'])
      .where('id', 'in', [late, warming, fresh])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(late)?.overdueAt).toBeInstanceOf(Date);
    expect(byId.get(late)?.counters.supervised).toBe(1);
    expect(byId.get(warming)?.warnedAt).toBeInstanceOf(Date);
    expect(byId.get(warming)?.overdueAt).toBeNull();
    expect(byId.get(fresh)?.warnedAt).toBeNull();
    const events = await db
      .selectFrom('caseEvent')
      .select(['action', 'actorRelation'])
      .where('caseId', '=', late)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'report', actorRelation: 'gridWorker' },
      { action: 'supervise', actorRelation: 'system' },
    ]);
  });

  it('sweeps in batches: each late case red and supervised once, as one step would, each person told once', async () => {
    const dispatcher = await makeAccount(db, t, 'dispatcher', t.subdistrict);
    const supervisor = await makeAccount(db, t, 'supervisor', t.subdistrict);
    const late = await Promise.all(Array.from({ length: 5 }, () => report()));
    const warming = await Promise.all(Array.from({ length: 3 }, () => report()));
    await db
      .updateTable('cases')
      .set({ stageStartedAt: hoursAgo(10), dueAt: hoursAgo(1) })
      .where('id', 'in', late)
      .execute();
    await db
      .updateTable('cases')
      .set({ stageStartedAt: hoursAgo(9), dueAt: new Date(Date.now() + 3_600_000) })
      .where('id', 'in', warming)
      .execute();
    const before = await db.selectFrom('cases').select(['id', 'version']).where('id', 'in', late).execute();

    expect(await sweepDeadlines(db, { batch: 2 })).toEqual({ warned: 3, overdue: 5, supervised: 5 });
    expect(await sweepDeadlines(db, { batch: 2 })).toEqual({ warned: 0, overdue: 0, supervised: 0 });

    const after = await db.selectFrom('cases').select(['id', 'version', 'counters']).where('id', 'in', late).execute();
    for (const row of after) {
      expect(row.version).toBe((before.find((b) => b.id === row.id)?.version ?? 0) + 1);
      expect(row.counters.supervised).toBe(1);
    }
    const audits = await db
      .selectFrom('auditLog')
      .select(['subjectId', 'data', 'actor'])
      .where('action', '=', 'case.transitioned')
      .where('subjectId', 'in', late)
      .where(sql<boolean>`data ->> 'action' = 'supervise'`)
      .execute();
    expect(audits).toHaveLength(5);
    expect(audits[0]?.actor).toEqual({ kind: 'system', name: 'deadline-sweep' });
    expect(audits[0]?.data).toEqual({
      number: expect.any(String),
      action: 'supervise',
      from: 'reported',
      to: 'reported',
    });
    // Reported cases wait for the dispatchers: one yellow or red notice each, and one for the order;
    // the supervisor hears of red only.
    const told = await db
      .selectFrom('notification')
      .select(['recipientId', 'kind', 'caseId', 'seq'])
      .where('caseId', 'in', [...late, ...warming])
      .where('recipientId', 'in', [dispatcher.id, supervisor.id])
      .execute();
    const count = (recipient: string, kind: string) =>
      told.filter((n) => n.recipientId === recipient && n.kind === kind).length;
    expect(count(dispatcher.id, 'warning')).toBe(3);
    expect(count(dispatcher.id, 'overdue')).toBe(5);
    expect(count(dispatcher.id, 'supervise')).toBe(5);
    expect(count(supervisor.id, 'overdue')).toBe(5);
    expect(count(supervisor.id, 'warning') + count(supervisor.id, 'supervise')).toBe(0);
    expect(told.filter((n) => n.kind === 'supervise').every((n) => n.seq === 2)).toBe(true);
  });

  it('follows the warning share an administrator sets, for clocks already running too', async () => {
    const id = await report();
    // 90 % of the stage's time used, an hour left.
    await db
      .updateTable('cases')
      .set({ stageStartedAt: hoursAgo(9), dueAt: new Date(Date.now() + 3_600_000) })
      .where('id', '=', id)
      .execute();
    const share = (warnShare: number) =>
      db.transaction().execute((trx) => writeCaseSettings(trx, { ...DEFAULT_CASE_SETTINGS, warnShare }));
    const warned = async () =>
      (await db.selectFrom('cases').select('warnedAt').where('id', '=', id).executeTakeFirstOrThrow()).warnedAt;
    await share(0.95);
    expect(await sweepDeadlines(db)).toEqual({ warned: 0, overdue: 0, supervised: 0 });
    expect(await warned()).toBeNull();
    await share(0.85);
    expect(await sweepDeadlines(db)).toEqual({ warned: 1, overdue: 0, supervised: 0 });
    expect(await warned()).toBeInstanceOf(Date);
    await share(DEFAULT_CASE_SETTINGS.warnShare);
  });

  it('leaves a paused (deferred) clock alone', async () => {
    const id = await report();
    await db
      .updateTable('cases')
      .set({ stageStartedAt: hoursAgo(10), dueAt: hoursAgo(1), pausedAt: hoursAgo(2) })
      .where('id', '=', id)
      .execute();
    await sweepDeadlines(db);
    const row = await db.selectFrom('cases').select(['overdueAt']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.overdueAt).toBeNull();
  });
});

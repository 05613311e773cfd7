import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
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

    const first = await sweepDeadlines(db, app.locator);
    // The late case goes straight to red (its warned_at is set with it): one notice, not two.
    expect(first).toEqual({ warned: 1, overdue: 1, supervised: 1 });
    const second = await sweepDeadlines(db, app.locator);
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

  it('leaves a paused (deferred) clock alone', async () => {
    const id = await report();
    await db
      .updateTable('cases')
      .set({ stageStartedAt: hoursAgo(10), dueAt: hoursAgo(1), pausedAt: hoursAgo(2) })
      .where('id', '=', id)
      .execute();
    await sweepDeadlines(db, app.locator);
    const row = await db.selectFrom('cases').select(['overdueAt']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.overdueAt).toBeNull();
  });
});

/**
 * From the case event log to deliveries, after commit: exactly one delivery per matching
 * subscription and event, signed so the receiver can check it; nothing for other units, other
 * types, rolled-back steps or subscriptions made later; nothing skipped behind a slow transaction;
 * nothing doubled when the cursor is read again.
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebhookPayload } from '../../common/webhooks.js';
import { sweepDeadlines } from '../cases/deadline-sweep.js';
import type { Db } from '../db/database.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { dispatchSettled, type Loop, makeLoop, subscribe } from '../test/webhook-fixtures.js';
import { type Receiver, startReceiver } from '../test/webhook-receiver.js';
import { updateWebhook } from './commands/update-webhook.js';
import { findWebhook } from './webhook.repository.js';
import { dispatchWebhookEvents } from './webhook-dispatcher.js';
import { sendDueDeliveries } from './webhook-sender.js';
import { verifySignature } from './webhook-signature.js';

let db: Db;
let url: string;
let app: FastifyInstance;
let loop: Loop;
let receiver: Receiver;

/** Event types of a subscription's deliveries (optionally for one case), sorted. */
async function typesOf(webhookId: string, caseNumber?: string): Promise<string[]> {
  const rows = await db
    .selectFrom('webhookDelivery')
    .select(['eventType', 'payload'])
    .where('webhookId', '=', webhookId)
    .execute();
  return rows
    .filter((r) => !caseNumber || r.payload.case?.number === caseNumber)
    .map((r) => r.eventType)
    .sort();
}

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000);

describe('webhook dispatcher', () => {
  beforeAll(async () => {
    ({ db, url } = await createTestDatabase());
    app = await createTestApp(db, { webhookAllowPrivate: true });
    loop = await makeLoop(db, app);
    receiver = await startReceiver();
  });

  it('makes one signed delivery per matching subscription, none for other units or types', async () => {
    const { t } = loop;
    const all = await subscribe(db, {
      unitCode: t.subdistrict,
      url: `${receiver.url}/one-all`,
      eventTypes: ['case.reported', 'case.dispatched'],
    });
    const here = await subscribe(db, {
      unitCode: t.communities[0],
      url: `${receiver.url}/one-here`,
      eventTypes: ['case.dispatched'],
    });
    const elsewhere = await subscribe(db, {
      unitCode: t.communities[1],
      url: `${receiver.url}/one-elsewhere`,
      eventTypes: ['case.dispatched'],
    });
    const closings = await subscribe(db, {
      unitCode: t.subdistrict,
      url: `${receiver.url}/one-closings`,
      eventTypes: ['case.closed'],
    });
    const c = await loop.report(0);
    await loop.step(loop.dispatcher, c.id, { action: 'register' });
    await loop.step(loop.dispatcher, c.id, { action: 'dispatch', departmentId: loop.department.id });
    // The steps committed and wrote no delivery: they are made after commit, by the dispatcher.
    expect(await typesOf(all.id)).toEqual([]);

    await dispatchSettled(db);
    await dispatchSettled(db);
    expect(await typesOf(all.id)).toEqual(['case.dispatched', 'case.reported']);
    expect(await typesOf(here.id)).toEqual(['case.dispatched']);
    expect(await typesOf(elsewhere.id)).toEqual([]);
    expect(await typesOf(closings.id)).toEqual([]);

    const sent = await sendDueDeliveries(db, { allowPrivate: true });
    expect(sent).toMatchObject({ attempted: 3, succeeded: 3 });
    const got = receiver.received.filter((r) => r.path.startsWith('/hook/one-'));
    expect(got.map((r) => r.path).sort()).toEqual(['/hook/one-all', '/hook/one-all', '/hook/one-here']);
    for (const request of got) {
      const secret = request.path === '/hook/one-here' ? here.secret : all.secret;
      expect(verifySignature(secret, request.headers['x-gridloop-signature'] as string, request.body)).toBe(true);
      expect(verifySignature(elsewhere.secret, request.headers['x-gridloop-signature'] as string, request.body)).toBe(
        false,
      );
      const payload = JSON.parse(request.body) as WebhookPayload;
      expect(request.headers['x-gridloop-event']).toBe(payload.type);
      const row = await db
        .selectFrom('webhookDelivery')
        .select(['id', 'status', 'attempts', 'eventId'])
        .where('id', '=', request.headers['x-gridloop-delivery'] as string)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'succeeded', attempts: 1, eventId: payload.id });
      // No personal data: not the reporter's name or phone, not the description.
      expect(request.body).not.toMatch(/13912345678|王女士|垃圾堆放/);
    }
    const dispatched = JSON.parse(got.find((r) => r.path === '/hook/one-here')?.body ?? '{}') as WebhookPayload;
    expect(dispatched).toMatchObject({
      type: 'case.dispatched',
      action: 'dispatch',
      seq: 3,
      case: {
        number: c.number,
        state: 'dispatched',
        categoryCode: loop.category.code,
        unitCode: t.grids[0],
        departmentCode: loop.department.code,
        light: 'green',
        channel: 'patrol',
      },
    });
    expect(dispatched.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    // The same event for two subscriptions has one id; each delivery its own.
    const ids = got.filter((r) => r.headers['x-gridloop-event'] === 'case.dispatched');
    expect(new Set(ids.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    expect(new Set(ids.map((r) => r.headers['x-gridloop-delivery'])).size).toBe(2);
    expect(await sendDueDeliveries(db, { allowPrivate: true })).toMatchObject({ attempted: 0 });
  });

  it('never sees a rolled-back step, and does not skip a step committed behind a slow transaction', async () => {
    const w = await subscribe(db, {
      unitCode: loop.t.subdistrict,
      url: `${receiver.url}/two`,
      eventTypes: ['case.dispatched', 'case.supervised'],
    });
    const stepped = await loop.report(0);
    await loop.step(loop.dispatcher, stepped.id, { action: 'register' });
    // Another case (another unit, so no shared rollup row to wait on) gets a step that will roll back.
    const rolledBack = await loop.report(3);
    const slow = new pg.Client({ connectionString: url });
    await slow.connect();
    try {
      await slow.query('begin');
      await slow.query(
        `insert into case_event (district, case_id, seq, action, from_state, to_state, actor, reason, data)
         values ($1, $2, 2, 'supervise', 'reported', 'reported', '{"kind":"system"}', '督办测试', '{}')`,
        [loop.t.district.slice(0, 6), rolledBack.id],
      );
      await loop.step(loop.dispatcher, stepped.id, { action: 'dispatch', departmentId: loop.department.id });
      await dispatchWebhookEvents(db);
      // The dispatch committed after the open transaction began: it waits until that one ends.
      expect(await typesOf(w.id)).toEqual([]);
      await slow.query('rollback');
    } finally {
      await slow.end();
    }
    await dispatchSettled(db);
    expect(await typesOf(w.id, stepped.number)).toEqual(['case.dispatched']);
    expect(await typesOf(w.id, rolledBack.number)).toEqual([]);
  });

  it('sends a subscription only what happens after it is made, and nothing while it is off', async () => {
    const c = await loop.report(0);
    const late = await subscribe(db, {
      unitCode: loop.t.subdistrict,
      url: `${receiver.url}/three-late`,
      eventTypes: ['case.reported', 'case.registered'],
    });
    const off = await subscribe(db, {
      unitCode: loop.t.subdistrict,
      url: `${receiver.url}/three-off`,
      eventTypes: ['case.registered'],
    });
    const offRow = await findWebhook(db, off.id);
    if (!offRow) throw new Error('no webhook');
    await updateWebhook({ db, who: { actor: null }, allowPrivate: true }, offRow, { enabled: false });
    await loop.step(loop.dispatcher, c.id, { action: 'register' });
    await dispatchSettled(db);
    expect(await typesOf(late.id, c.number)).toEqual(['case.registered']);
    expect(await typesOf(off.id)).toEqual([]);
  });

  it('announces the sweep’s yellow and red lights, and its supervision order', async () => {
    const w = await subscribe(db, {
      unitCode: loop.t.subdistrict,
      url: `${receiver.url}/four`,
      eventTypes: ['case.warned', 'case.overdue', 'case.supervised'],
    });
    const late = await loop.report(1);
    const warming = await loop.report(1);
    await db
      .updateTable('cases')
      .set({ stageStartedAt: hoursFromNow(-10), dueAt: hoursFromNow(-1) })
      .where('id', '=', late.id)
      .execute();
    await db
      .updateTable('cases')
      .set({ stageStartedAt: hoursFromNow(-9), dueAt: hoursFromNow(1) })
      .where('id', '=', warming.id)
      .execute();
    await sweepDeadlines(db);
    await dispatchSettled(db);
    expect(await typesOf(w.id, late.number)).toEqual(['case.overdue', 'case.supervised']);
    expect(await typesOf(w.id, warming.number)).toEqual(['case.warned']);
    const red = await db
      .selectFrom('webhookDelivery')
      .select('payload')
      .where('webhookId', '=', w.id)
      .where('eventType', '=', 'case.overdue')
      .executeTakeFirstOrThrow();
    expect(red.payload).toMatchObject({
      action: null,
      seq: null,
      stage: 'register',
      case: { number: late.number, light: 'red', state: 'reported' },
    });
    // A second sweep turns nothing again, so nothing more is announced.
    await sweepDeadlines(db);
    await dispatchSettled(db);
    expect(await typesOf(w.id, late.number)).toEqual(['case.overdue', 'case.supervised']);
  });

  it('resumes from its cursor after a restart and never doubles a delivery', async () => {
    const w = await subscribe(db, {
      unitCode: loop.t.subdistrict,
      url: `${receiver.url}/five`,
      eventTypes: ['case.reported'],
    });
    await loop.report(0);
    await loop.report(2);
    // Small batches: the cursor moves after each and the rows are read exactly once.
    await dispatchSettled(db, { batch: 1 });
    expect(await typesOf(w.id)).toHaveLength(2);
    // A cursor lost or rewound: reading the whole log again makes no second delivery.
    await db
      .updateTable('webhookCursor')
      .set({ xid: '0', district: '', caseId: '00000000-0000-0000-0000-000000000000', seq: 0 })
      .execute();
    expect(await dispatchSettled(db)).toMatchObject({ deliveries: 0 });
    expect(await typesOf(w.id)).toHaveLength(2);
    // And what comes after is still picked up.
    await loop.report(0);
    await dispatchSettled(db);
    expect(await typesOf(w.id)).toHaveLength(3);
  });
});

/**
 * Sending: retries on the back-off schedule (time driven by an injected clock, never slept), then
 * giving up; disabling a subscription that fails for a day (not one that fails in a burst); a
 * success mending the record; replay; leases; two signatures across a rotation; the address rule
 * when the connection is made.
 */
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebhookPayload } from '../../common/webhooks.js';
import type { Db } from '../db/database.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { type Loop, makeLoop, subscribe } from '../test/webhook-fixtures.js';
import { type Receiver, startReceiver } from '../test/webhook-receiver.js';
import { replayDelivery } from './commands/replay-delivery.js';
import { rotateWebhookSecret } from './commands/rotate-webhook-secret.js';
import { updateWebhook } from './commands/update-webhook.js';
import { findDelivery, findWebhook } from './webhook.repository.js';
import { claimDeliveries, MAX_ATTEMPTS, RETRY_DELAYS_MS, sendDueDeliveries, sendNow } from './webhook-sender.js';
import { verifySignature } from './webhook-signature.js';

let db: Db;
let app: FastifyInstance;
let loop: Loop;
let receiver: Receiver;
let serial = 0;

const HOUR = 3_600_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const options = (now: Date) => ({ allowPrivate: true, now, random: () => 0.5 });
const who = { actor: null };

/** A subscription of its own (its own path at the receiver) with `n` deliveries due at `now`. */
async function failingSubscription(n: number, now: Date, extra: { createdBy?: string } = {}) {
  serial += 1;
  const path = `/s${serial}`;
  const w = await subscribe(db, {
    unitCode: loop.t.subdistrict,
    url: `${receiver.url}${path}`,
    eventTypes: ['case.reported'],
    ...extra,
  });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await addDelivery(w, now));
  const received = () => receiver.received.filter((r) => r.path === `/hook${path}`);
  return { ...w, ids, received };
}

const delivery = async (id: string) => {
  const row = await findDelivery(db, id);
  if (!row) throw new Error(`no delivery ${id}`);
  return row;
};
const webhook = async (id: string) => {
  const row = await findWebhook(db, id);
  if (!row) throw new Error(`no webhook ${id}`);
  return row;
};
/** Switches a test's subscription off at its end, so nothing of it stays due for the next test. */
const retire = async (id: string) =>
  updateWebhook({ db, who, allowPrivate: true }, await webhook(id), { enabled: false });

describe('webhook sender', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db, { webhookAllowPrivate: true });
    loop = await makeLoop(db, app);
    receiver = await startReceiver();
  });

  it('retries a failing receiver on the back-off schedule, then gives up', async () => {
    receiver.answer(500);
    const t0 = new Date();
    const w = await failingSubscription(1, t0);
    const [id] = w.ids as [string];
    let now = t0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        const wait = RETRY_DELAYS_MS[attempt - 2] as number;
        // A second early: not yet due.
        await sendDueDeliveries(db, options(at(now, wait - 1_000)));
        expect(w.received()).toHaveLength(attempt - 1);
        now = at(now, wait);
      }
      await sendDueDeliveries(db, options(now));
      expect(w.received()).toHaveLength(attempt);
      const row = await delivery(id);
      expect(row.attempts).toBe(attempt);
      expect(row.lastResponseStatus).toBe(500);
      expect(row.lastError).toBe('HTTP 500: receiver is down');
      if (attempt < MAX_ATTEMPTS) {
        expect(row.status).toBe('failed');
        expect(row.nextAttemptAt?.getTime()).toBe(now.getTime() + (RETRY_DELAYS_MS[attempt - 1] as number));
      } else {
        expect(row.status).toBe('gave_up');
        expect(row.nextAttemptAt).toBeNull();
      }
    }
    // Eight attempts over most of a day, each the same delivery and event, freshly signed.
    expect(now.getTime() - t0.getTime()).toBe(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0));
    expect(new Set(w.received().map((r) => r.headers['x-gridloop-delivery']))).toEqual(new Set([id]));
    expect(new Set(w.received().map((r) => JSON.parse(r.body).id)).size).toBe(1);
    await sendDueDeliveries(db, options(at(now, 48 * HOUR)));
    expect(w.received()).toHaveLength(MAX_ATTEMPTS);
    await retire(w.id);
  });

  it('disables a subscription failing for a day, not one failing in a burst, and tells its creator', async () => {
    receiver.answer(503);
    const t0 = new Date();
    const w = await failingSubscription(21, t0, { createdBy: loop.adminId });
    await sendDueDeliveries(db, options(t0));
    // 21 failures in a row within a minute: an outage, not yet a dead endpoint.
    expect(await webhook(w.id)).toMatchObject({ enabled: true, consecutiveFailures: 21 });
    await sendDueDeliveries(db, options(at(t0, 25 * HOUR)));
    const off = await webhook(w.id);
    expect(off).toMatchObject({ enabled: false, disabledReason: 'failures', consecutiveFailures: 22 });
    // The attempt that crossed the line was the last: the rest were given up, not sent.
    expect(w.received()).toHaveLength(22);
    for (const id of w.ids) expect((await delivery(id)).status).toBe('gave_up');
    const audit = await db
      .selectFrom('auditLog')
      .select(['action', 'data', 'actor'])
      .where('subjectId', '=', w.id)
      .where('action', '=', 'webhook.disabled')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.data).toMatchObject({ reason: 'failures', failures: 22 });
    expect(audit[0]?.actor).toMatchObject({ kind: 'system', name: 'webhook-sender' });
    const told = await db
      .selectFrom('notification')
      .select('kind')
      .where('recipientId', '=', loop.adminId)
      .where('kind', '=', 'webhook_disabled')
      .execute();
    expect(told).toHaveLength(1);
    // Nothing more goes out while it is off.
    await sendDueDeliveries(db, options(at(t0, 50 * HOUR)));
    expect(w.received()).toHaveLength(22);
  });

  it('mends the failure record on a success, and replays a delivery with a fresh run', async () => {
    receiver.answer(500);
    const t0 = new Date();
    const w = await failingSubscription(1, t0);
    const [id] = w.ids as [string];
    await sendDueDeliveries(db, options(t0));
    expect(await webhook(w.id)).toMatchObject({ consecutiveFailures: 1 });
    receiver.answer(200);
    await sendDueDeliveries(db, options(at(t0, RETRY_DELAYS_MS[0] as number)));
    expect(await webhook(w.id)).toMatchObject({ consecutiveFailures: 0, failingSince: null });
    expect(await delivery(id)).toMatchObject({ status: 'succeeded', attempts: 2, lastResponseStatus: 200 });

    await replayDelivery({ db, who, allowPrivate: true }, await webhook(w.id), await delivery(id));
    expect(await delivery(id)).toMatchObject({ status: 'pending', attempts: 0, replays: 1 });
    await sendNow(db, id, { allowPrivate: true });
    expect(await delivery(id)).toMatchObject({ status: 'succeeded', attempts: 1, replays: 1 });
    expect(w.received()).toHaveLength(3);
    expect(w.received()[2]?.headers['x-gridloop-delivery']).toBe(id);

    await retire(w.id);
    await expect(
      replayDelivery({ db, who, allowPrivate: true }, await webhook(w.id), await delivery(id)),
    ).rejects.toMatchObject({ code: 'WEBHOOK_DISABLED' });
  });

  it('leases a claimed delivery so a second sender cannot take it, until the lease runs out', async () => {
    const t0 = new Date();
    const w = await failingSubscription(1, t0);
    const mine = (claimed: { id: string }[]) => claimed.filter((c) => w.ids.includes(c.id));
    expect(mine(await claimDeliveries(db, t0, { batch: 100, leaseMs: 60_000 }))).toHaveLength(1);
    expect(mine(await claimDeliveries(db, at(t0, 59_000), { batch: 100, leaseMs: 60_000 }))).toHaveLength(0);
    // The first sender died holding it: after the lease it is taken again.
    expect(mine(await claimDeliveries(db, at(t0, 60_000), { batch: 100, leaseMs: 60_000 }))).toHaveLength(1);
    await retire(w.id);
  });

  it('signs with the new and the old secret for a day after a rotation', async () => {
    receiver.answer(200);
    const t0 = new Date();
    const w = await failingSubscription(0, t0);
    const { secret } = await rotateWebhookSecret({ db, who, allowPrivate: true, now: t0 }, await webhook(w.id));
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const check = async (now: Date) => {
      const pinged = await addDelivery(w, now);
      await sendNow(db, pinged, options(now));
      const request = w.received().at(-1);
      const header = request?.headers['x-gridloop-signature'] as string;
      return {
        fresh: verifySignature(secret, header, request?.body ?? '', { now }),
        old: verifySignature(w.secret, header, request?.body ?? '', { now }),
      };
    };
    expect(await check(at(t0, HOUR))).toEqual({ fresh: true, old: true });
    expect(await check(at(t0, 25 * HOUR))).toEqual({ fresh: true, old: false });
    await retire(w.id);
  });

  it('refuses at connect time a name that resolves to a private address, when those are not allowed', async () => {
    const t0 = new Date();
    const w = await failingSubscription(1, t0);
    const port = new URL(receiver.url).port;
    await db
      .updateTable('webhook')
      .set({ url: `http://localhost:${port}/hook/blocked` })
      .where('id', '=', w.id)
      .execute();
    await sendDueDeliveries(db, { allowPrivate: false, now: t0 });
    const row = await delivery(w.ids[0] as string);
    expect(row.status).toBe('failed');
    expect(row.lastError).toMatch(/blocked address/);
    expect(receiver.received.filter((r) => r.path === '/hook/blocked')).toHaveLength(0);
    await retire(w.id);
  });
});

/** A delivery of a made-up reported case for a subscription, due at `now`. */
async function addDelivery(w: { id: string; district: string }, now: Date): Promise<string> {
  const id = uuidv7();
  const payload: WebhookPayload = {
    id,
    type: 'case.reported',
    occurredAt: '2026-11-22T10:00:00+08:00',
    case: null,
    action: 'report',
    seq: 1,
    stage: null,
    satisfaction: null,
    solved: null,
    closeReason: null,
  };
  await db
    .insertInto('webhookDelivery')
    .values({
      district: w.district,
      id,
      webhookId: w.id,
      eventKey: `test:${id}`,
      eventId: id,
      eventType: 'case.reported',
      payload: JSON.stringify(payload),
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return id;
}

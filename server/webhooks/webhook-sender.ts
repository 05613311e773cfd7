/**
 * The sender: POSTs due deliveries, signed, with a timeout, and records how each attempt went.
 * A failed attempt is tried again on a back-off schedule with jitter (1 min, 5 min, 30 min, 1 h, 2 h,
 * 6 h, 12 h: 8 attempts over about 22 hours), then given up. A subscription that keeps failing —
 * at least 20 failed attempts in a row spanning at least a day — is disabled, audited, and its
 * creator told; a short outage never disables one. Deliveries are claimed with a lease
 * (`for update skip locked`), so several processes never send the same one at once, and one whose
 * sender died is tried again when its lease ends.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { WebhookPayload } from '../../common/webhooks.js';
import type { Db } from '../db/database.js';
import { VERSION } from '../version.js';
import { disableFailingWebhook } from './commands/disable-webhook.js';
import { signatureHeader } from './webhook-signature.js';
import { postJson } from './webhook-target.js';

const MINUTE = 60_000;
/** Waits after the 1st, 2nd … failed attempt; one more attempt than waits. */
export const RETRY_DELAYS_MS = [1, 5, 30, 60, 120, 360, 720].map((m) => m * MINUTE);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
const ERROR_CHARS = 500;

export interface SendOptions {
  /** Private, loopback and reserved targets allowed (tests, development). */
  allowPrivate: boolean;
  /** The clock (tests drive it): signing time, due times, the disabling rule. */
  now?: Date;
  timeoutMs?: number;
  /** 0 ≤ x < 1; jitter of ±10 % around each wait. */
  random?: () => number;
  batch?: number;
  concurrency?: number;
  disableAfterFailures?: number;
  disableAfterMs?: number;
  /** Asked before each batch: false when the process is stopping. */
  keepGoing?: () => boolean;
}

/** A delivery claimed for one attempt, with its subscription's target and secrets. */
export interface ClaimedDelivery {
  district: string;
  id: string;
  webhookId: string;
  eventType: string;
  payload: WebhookPayload;
  attempts: number;
  replays: number;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface SendResult {
  attempted: number;
  succeeded: number;
  failed: number;
  gaveUp: number;
  disabled: number;
}

/** The wait after the n-th failed attempt (1-based), jittered. */
export function retryDelay(failedAttempts: number, random: () => number = Math.random): number {
  const base = RETRY_DELAYS_MS[Math.min(failedAttempts, RETRY_DELAYS_MS.length) - 1] ?? MINUTE;
  return Math.round(base * (0.9 + 0.2 * random()));
}

/**
 * Claims due deliveries of enabled subscriptions (or one named delivery, whatever its due time and
 * its subscription's state: a ping or a replay asked for now) and leases them past the timeout.
 */
export async function claimDeliveries(
  db: Db,
  now: Date,
  options: { batch: number; leaseMs: number; id?: string },
): Promise<ClaimedDelivery[]> {
  const filter = options.id
    ? sql`d2.id = ${options.id} and d2.status in ('pending', 'failed')`
    : sql`d2.status in ('pending', 'failed') and d2.next_attempt_at <= ${now} and w2.enabled`;
  const { rows } = await sql<ClaimedDelivery>`
    update webhook_delivery d set next_attempt_at = ${new Date(now.getTime() + options.leaseMs)}
    from webhook w
    where (d.district, d.id) in (
        select d2.district, d2.id from webhook_delivery d2
        join webhook w2 on w2.district = d2.district and w2.id = d2.webhook_id
        where ${filter}
        order by d2.next_attempt_at limit ${options.batch}
        for update of d2 skip locked)
      and w.district = d.district and w.id = d.webhook_id
    returning d.district, d.id, d.webhook_id, d.event_type, d.payload, d.attempts, d.replays,
      w.url, w.secret, w.previous_secret, w.previous_secret_expires_at`.execute(db);
  return rows;
}

/** One signed POST of a delivery; never throws. */
export async function attemptDelivery(claimed: ClaimedDelivery, options: SendOptions): Promise<AttemptOutcome> {
  const now = options.now ?? new Date();
  const body = JSON.stringify(claimed.payload);
  const secrets = [claimed.secret];
  if (claimed.previousSecret && claimed.previousSecretExpiresAt && claimed.previousSecretExpiresAt > now)
    secrets.push(claimed.previousSecret);
  const started = performance.now();
  try {
    const answer = await postJson(
      claimed.url,
      body,
      {
        'user-agent': `Gridloop-Webhook/${VERSION}`,
        'x-gridloop-event': claimed.eventType,
        'x-gridloop-delivery': claimed.id,
        'x-gridloop-signature': signatureHeader(secrets, Math.floor(now.getTime() / 1000), body),
      },
      { timeoutMs: options.timeoutMs ?? 10_000, allowPrivate: options.allowPrivate },
    );
    const ok = answer.status >= 200 && answer.status < 300;
    const error = ok ? null : `HTTP ${answer.status}${answer.excerpt ? `: ${answer.excerpt}` : ''}`;
    return { ok, status: answer.status, error, durationMs: Math.round(performance.now() - started) };
  } catch (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    return { ok: false, status: null, error: message, durationMs: Math.round(performance.now() - started) };
  }
}

/**
 * Writes an attempt's outcome: the delivery's status and next time, the subscription's run of
 * failures, and — when that run has lasted long enough — its disabling. An outcome that finds the
 * delivery replayed or given up meanwhile is dropped (a replay's own attempt counts instead).
 */
export async function recordAttempt(
  db: Db,
  claimed: ClaimedDelivery,
  outcome: AttemptOutcome,
  options: SendOptions,
): Promise<{ status: 'succeeded' | 'failed' | 'gave_up'; disabled: boolean } | null> {
  const now = options.now ?? new Date();
  const ping = claimed.eventType === 'ping';
  const attempts = claimed.attempts + 1;
  const status = outcome.ok ? 'succeeded' : ping || attempts >= MAX_ATTEMPTS ? 'gave_up' : 'failed';
  const next = status === 'failed' ? new Date(now.getTime() + retryDelay(attempts, options.random)) : null;
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('webhookDelivery')
      .set({
        status,
        attempts,
        nextAttemptAt: next,
        lastAttemptAt: now,
        lastResponseStatus: outcome.status,
        lastError: outcome.error?.slice(0, ERROR_CHARS) ?? null,
        durationMs: outcome.durationMs,
        updatedAt: now,
      })
      .where('district', '=', claimed.district)
      .where('id', '=', claimed.id)
      .where('attempts', '=', claimed.attempts)
      .where('replays', '=', claimed.replays)
      // Given up meanwhile (its subscription was switched off): the outcome changes nothing.
      .where('status', 'in', ['pending', 'failed'])
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return null;
    // A ping tests the target; it neither breaks nor mends the subscription's record.
    if (ping) return { status, disabled: false };
    const where = sql`district = ${claimed.district} and id = ${claimed.webhookId}`;
    if (outcome.ok) {
      await sql`update webhook set consecutive_failures = 0, failing_since = null
        where ${where} and consecutive_failures > 0`.execute(trx);
      return { status, disabled: false };
    }
    const { rows } = await sql<{ consecutiveFailures: number; failingSince: Date; enabled: boolean }>`
      update webhook set consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, ${now})
      where ${where} returning consecutive_failures, failing_since, enabled`.execute(trx);
    const run = rows[0];
    const longEnough =
      run?.enabled &&
      run.consecutiveFailures >= (options.disableAfterFailures ?? 20) &&
      now.getTime() - run.failingSince.getTime() >= (options.disableAfterMs ?? 24 * 60 * MINUTE);
    if (longEnough) await disableFailingWebhook(trx, { district: claimed.district, id: claimed.webhookId }, now);
    return { status, disabled: Boolean(longEnough) };
  });
}

/** Claims, sends and records one delivery asked for now (a ping, a replay); null if someone else holds it. */
export async function sendNow(db: Db, deliveryId: string, options: SendOptions) {
  const [claimed] = await claimDeliveries(db, options.now ?? new Date(), {
    batch: 1,
    leaseMs: (options.timeoutMs ?? 10_000) + MINUTE,
    id: deliveryId,
  });
  if (!claimed) return null;
  return recordAttempt(db, claimed, await attemptDelivery(claimed, options), options);
}

/** Sends what is due, a few at a time, until nothing due is left (or 20 batches: the next tick goes on). */
export async function sendDueDeliveries(db: Db, options: SendOptions): Promise<SendResult> {
  const result: SendResult = { attempted: 0, succeeded: 0, failed: 0, gaveUp: 0, disabled: 0 };
  const batch = options.batch ?? 50;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  for (let round = 0; round < 20 && (options.keepGoing?.() ?? true); round++) {
    const claimed = await claimDeliveries(db, options.now ?? new Date(), {
      batch,
      leaseMs: (options.timeoutMs ?? 10_000) + MINUTE,
    });
    // One subscription's deliveries go one after another, in order; different ones side by side.
    const lanes = new Map<string, ClaimedDelivery[]>();
    for (const c of claimed) lanes.set(c.webhookId, [...(lanes.get(c.webhookId) ?? []), c]);
    const queue = [...lanes.values()];
    const worker = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const c of lane) {
          const recorded = await recordAttempt(db, c, await attemptDelivery(c, options), options);
          result.attempted += 1;
          if (recorded?.status === 'succeeded') result.succeeded += 1;
          if (recorded?.status === 'failed') result.failed += 1;
          if (recorded?.status === 'gave_up') result.gaveUp += 1;
          if (recorded?.disabled) result.disabled += 1;
          // Disabled on this attempt: the rest of its claimed deliveries were given up with it.
          if (recorded?.disabled) break;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    if (claimed.length < batch) break;
  }
  return result;
}

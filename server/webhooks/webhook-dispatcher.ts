/**
 * The dispatcher: after commit, never inside a step's transaction, it turns new rows of the case
 * event log and the light log into deliveries — one per subscription whose unit's subtree holds
 * the case, whose event types include the event, and which existed before the event's transaction
 * — and moves its cursor past them in the same transaction. A restart resumes from the cursor; a
 * delivery exists at most once per subscription and event (unique key), so reading a row twice
 * never sends twice. One process at a time reads a source (`for update skip locked` on its cursor).
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db, Trx } from '../db/database.js';
import { type Cursor, EVENT_SOURCES, type EventSource, eventsOf, readSource } from './webhook-events.js';

export interface DispatchOptions {
  /** Rows read per transaction. */
  batch?: number;
  /** The clock (tests drive it); deliveries are due from this instant. */
  now?: Date;
}

export interface DispatchResult {
  /** Events read (a step announcing two types counts twice). */
  events: number;
  deliveries: number;
}

interface Subscriber {
  district: string;
  id: string;
  unitPath: string;
  eventTypes: string[];
  createdXid: bigint;
}

/** Reads both sources to the end, batch after batch. */
export async function dispatchWebhookEvents(db: Db, options: DispatchOptions = {}): Promise<DispatchResult> {
  const total: DispatchResult = { events: 0, deliveries: 0 };
  for (const source of EVENT_SOURCES) {
    for (;;) {
      const step = await db.transaction().execute((trx) => dispatchBatch(trx, source, options));
      total.events += step.events;
      total.deliveries += step.deliveries;
      if (!step.more) break;
    }
  }
  return total;
}

async function dispatchBatch(
  trx: Trx,
  source: EventSource,
  options: DispatchOptions,
): Promise<DispatchResult & { more: boolean }> {
  const batch = options.batch ?? 500;
  const now = options.now ?? new Date();
  const cursor = await trx
    .selectFrom('webhookCursor')
    .select(['xid', 'district', 'caseId', 'seq'])
    .where('source', '=', source)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  // Another process holds this source's cursor: it is reading the same rows.
  if (!cursor) return { events: 0, deliveries: 0, more: false };

  const subscribers = (
    await trx
      .selectFrom('webhook')
      .select(['district', 'id', 'unitPath', 'eventTypes', 'createdXid'])
      .where('enabled', '=', true)
      .execute()
  ).map((w): Subscriber => ({ ...w, createdXid: BigInt(w.createdXid) }));
  if (subscribers.length === 0) {
    // Nobody listens: skip to the oldest running transaction (a later subscription sees only later events).
    await sql`
      update webhook_cursor set xid = pg_snapshot_xmin(pg_current_snapshot()), district = '',
        case_id = '00000000-0000-0000-0000-000000000000', seq = 0, updated_at = now()
      where source = ${source} and xid < pg_snapshot_xmin(pg_current_snapshot())`.execute(trx);
    return { events: 0, deliveries: 0, more: false };
  }

  const rows = await readSource(trx, source, cursor as Cursor, batch);
  const last = rows.at(-1);
  if (!last) return { events: 0, deliveries: 0, more: false };

  const values = [];
  let events = 0;
  for (const row of rows) {
    for (const event of eventsOf(source, row, now)) {
      events += 1;
      const payload = JSON.stringify(event.payload);
      for (const w of subscribers) {
        if (!w.eventTypes.includes(event.type)) continue;
        if (!event.unitPath.startsWith(w.unitPath) || event.xid <= w.createdXid) continue;
        values.push({
          district: w.district,
          id: uuidv7(),
          webhookId: w.id,
          eventKey: event.key,
          eventId: event.payload.id,
          eventType: event.type,
          payload,
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        });
      }
    }
  }
  let deliveries = 0;
  if (values.length > 0) {
    const inserted = await trx
      .insertInto('webhookDelivery')
      .values(values)
      .onConflict((oc) => oc.columns(['district', 'webhookId', 'eventKey']).doNothing())
      .returning('id')
      .execute();
    deliveries = inserted.length;
  }
  await sql`
    update webhook_cursor set xid = ${last.xid}::xid8, district = ${last.district}, case_id = ${last.caseId},
      seq = ${last.seq}, updated_at = now()
    where source = ${source}`.execute(trx);
  return { events, deliveries, more: rows.length === batch };
}

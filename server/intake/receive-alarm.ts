/**
 * 物联感知告警: an alarm a machine sends becomes a report in the grid of its place, or joins the open
 * case already there. Rules:
 *
 * - A retry (same machine key, same idempotency key) answers what the first call answered and
 *   writes nothing; so does a retry racing the first call (the alarm row's unique key, and the
 *   report's external id, settle it). The same key with another alarm is refused
 *   (IDEMPOTENCY_KEY_REUSED), writing nothing.
 * - The place must be in a unit grid under the key's unit; else a coded 422 and nothing written.
 * - Joining: an open case of the same category that an alarm of the same device opened or joined,
 *   else the nearest open case of the same category within the category's duplicate radius and
 *   window (the duplicate search's rule). One machine's alarms of one category are taken one at a
 *   time (an advisory lock), so a burst at one place opens one case, not several.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Urgency } from '../../common/cases.js';
import type { SystemActor } from '../cases/case.policy.js';
import { type CaseContext, reportCase } from '../cases/commands/report-case.js';
import { findDuplicates, OPEN_STATES } from '../cases/duplicates.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import type { GridLocator } from '../territory/placement.js';
import type { MachineKeyRow } from './machine-keys.js';

export interface AlarmProps {
  idempotencyKey: string;
  /** SHA-256 of the alarm as sent (report-requests.ts `requestHash`): the same key with another alarm is refused. */
  requestHash: string;
  deviceId: string;
  categoryCode: string;
  urgency: Urgency;
  lng: number;
  lat: number;
  address?: string | undefined;
  description: string;
  occurredAt: Date;
}

export interface AlarmAnswer {
  caseId: string;
  number: string;
  /** Joined an open case instead of opening one. */
  attached: boolean;
  /** A retry of an alarm already received: nothing was written. */
  replay: boolean;
}

export interface IntakeContext {
  db: Db;
  locator: GridLocator;
  requestId?: string | undefined;
  ip?: string | undefined;
}

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === UNIQUE_VIOLATION;

/** The answer to an alarm already received with this key; the same key with another alarm is refused. */
async function previous(db: Db, key: MachineKeyRow, props: AlarmProps): Promise<AlarmAnswer | undefined> {
  const row = await db
    .selectFrom('alarm')
    .innerJoin('cases', (join) =>
      join.onRef('cases.district', '=', 'alarm.district').onRef('cases.id', '=', 'alarm.caseId'),
    )
    .select(['alarm.caseId', 'cases.number', 'alarm.attached', 'alarm.requestHash'])
    .where('alarm.machineKeyId', '=', key.id)
    .where('alarm.idempotencyKey', '=', props.idempotencyKey)
    .executeTakeFirst();
  if (!row) return undefined;
  // Alarms received before their hashes were kept (migration 0020) have none: answered as retries.
  if (row.requestHash !== null && row.requestHash !== props.requestHash)
    throw new AppError('IDEMPOTENCY_KEY_REUSED', { fields: [{ path: 'headers.idempotency-key', reason: 'reused' }] });
  return { caseId: row.caseId, number: row.number, attached: row.attached, replay: true };
}

/** The open case this alarm belongs to, if any (see the file's comment). */
async function openCaseFor(db: Db, key: MachineKeyRow, props: AlarmProps, categoryId: string) {
  const sameDevice = await db
    .selectFrom('alarm')
    .innerJoin('cases', (join) =>
      join.onRef('cases.district', '=', 'alarm.district').onRef('cases.id', '=', 'alarm.caseId'),
    )
    .select(['cases.id', 'cases.district', 'cases.number'])
    .where('alarm.machineKeyId', '=', key.id)
    .where('alarm.deviceId', '=', props.deviceId)
    .where('alarm.categoryCode', '=', props.categoryCode)
    .where('cases.state', 'in', OPEN_STATES)
    .orderBy('alarm.receivedAt', 'desc')
    .executeTakeFirst();
  if (sameDevice) return sameDevice;
  const near = await findDuplicates(
    db,
    { categoryId, lng: props.lng, lat: props.lat, text: '', now: props.occurredAt },
    20,
  );
  const found = near.find((c) => c.relation === 'same_category');
  return found ? { id: found.id, district: found.district, number: found.number } : undefined;
}

export async function receiveAlarm(ctx: IntakeContext, key: MachineKeyRow, props: AlarmProps): Promise<AlarmAnswer> {
  const replay = await previous(ctx.db, key, props);
  if (replay) return replay;

  const grid = await ctx.locator.locate(props.lng, props.lat);
  if (!grid?.path.startsWith(key.unitPath)) {
    throw new AppError('ALARM_OUTSIDE_SCOPE', {
      fields: [{ path: 'body.location', reason: grid ? 'in a grid outside the key’s unit' : 'in no unit grid' }],
    });
  }
  const category = await ctx.db
    .selectFrom('category')
    .select('id')
    .where('code', '=', props.categoryCode)
    .where('disabled', '=', false)
    .where('code', 'not like', '%00')
    .executeTakeFirst();
  if (!category) {
    throw new AppError('CATEGORY_UNKNOWN', {
      fields: [{ path: 'body.categoryCode', reason: 'unknown, disabled or a major category' }],
    });
  }

  return ctx.db.connection().execute(async (db) => {
    const lock = `alarm:${key.id}:${props.categoryCode}`;
    await sql`select pg_advisory_lock(hashtext(${lock}))`.execute(db);
    try {
      const raced = await previous(db, key, props);
      if (raced) return raced;
      const open = await openCaseFor(db, key, props, category.id);
      let target: { id: string; district: string; number: string };
      if (open) target = open;
      else {
        const actor: SystemActor = { kind: 'system', id: null, name: `machine:${key.name}` };
        const context: CaseContext = { db, locator: ctx.locator, actor, requestId: ctx.requestId, ip: ctx.ip };
        const externalId = `${key.id}:${props.idempotencyKey}`;
        const reported = await reportCase(context, {
          channel: 'sensor',
          categoryCode: props.categoryCode,
          urgency: props.urgency,
          description: props.description,
          address: props.address,
          lng: props.lng,
          lat: props.lat,
          reporter: { kind: 'machine', name: `${key.name} · ${props.deviceId}` },
          externalId,
        });
        target = { id: reported.id, district: grid.district, number: reported.number };
      }
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('alarm')
            .values({
              id: uuidv7(),
              machineKeyId: key.id,
              idempotencyKey: props.idempotencyKey,
              requestHash: props.requestHash,
              deviceId: props.deviceId,
              categoryCode: props.categoryCode,
              lng: props.lng,
              lat: props.lat,
              occurredAt: props.occurredAt,
              district: target.district,
              caseId: target.id,
              attached: Boolean(open),
            })
            .execute();
          await trx.updateTable('machineKey').set({ lastUsedAt: new Date() }).where('id', '=', key.id).execute();
        });
      } catch (error) {
        const again = isUniqueViolation(error) ? await previous(db, key, props) : undefined;
        if (again) return again;
        throw error;
      }
      return { caseId: target.id, number: target.number, attached: Boolean(open), replay: false };
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${lock}))`.execute(db);
    }
  });
}

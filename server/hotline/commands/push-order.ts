/**
 * 工单推送: the hotline's system sends one order (machine key of the channel `hotline`, an
 * Idempotency-Key it repeats on every retry). Rules:
 *
 * - The order's fields are ours (common/hotline.ts); its category, unit and urgency may be the
 *   hotline's own words, read through the district's default mapping's value tables, or our codes.
 *   Every bad field is named at once (422), and nothing is written.
 * - It is received like an imported row (commands/receive-order.ts) within the key's unit: a new
 *   number makes a case, the same content again is unchanged, changed content updates.
 * - The answer is stored with the key and Idempotency-Key in the same transaction as what it
 *   answers; a retry (or a request racing its twin) gets that answer again, marked `replay`, and
 *   writes nothing. The same key with a different body is refused (IDEMPOTENCY_KEY_REUSED).
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Db } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { findDefaultMapping } from '../../imports/import.repository.js';
import type { StoredCells } from '../../imports/import.tables.js';
import type { Cell, SourceRow } from '../../imports/import-file.js';
import { mapRow, prepareMapping, storedCells } from '../../imports/import-mapping.js';
import type { MachineKeyRow } from '../../intake/machine-keys.js';
import type { GridLocator } from '../../territory/placement.js';
import type { ZPushOrder } from '../hotline.schema.js';
import { HOTLINE_KIND, hotlineImport } from '../hotline-import.js';
import { orderOf } from '../hotline-order.js';
import { type OrderAnswer, receiveOrder } from './receive-order.js';

export interface PushContext {
  db: Db;
  locator: GridLocator;
  requestId?: string | undefined;
  ip?: string | undefined;
}

/** An order as pushed: our field names, the caller nested (the route's zod schema). */
export type PushedOrder = z.infer<typeof ZPushOrder>;

export interface PushAnswer extends OrderAnswer {
  /** A retry of a push already answered: nothing was written. */
  replay: boolean;
}

const UNIQUE_VIOLATION = '23505';

/** The body as a row whose columns are our field names (caller.name → callerName). */
function asRow(body: PushedOrder): SourceRow {
  const { caller, ...rest } = body;
  const cells: [string, Cell][] = Object.entries({ ...rest, callerName: caller?.name, callerPhone: caller?.phone })
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([k, v]) => [k, v]);
  return { number: 1, cells };
}

async function stored(db: Db, key: MachineKeyRow, idempotencyKey: string, requestHash: string) {
  const row = await db
    .selectFrom('hotlinePush')
    .select(['requestHash', 'status', 'answer'])
    .where('machineKeyId', '=', key.id)
    .where('idempotencyKey', '=', idempotencyKey)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.requestHash !== requestHash)
    throw new AppError('IDEMPOTENCY_KEY_REUSED', { fields: [{ path: 'headers.idempotency-key', reason: 'reused' }] });
  return {
    status: row.status === 201 ? 201 : 200,
    answer: { ...(row.answer as unknown as OrderAnswer), replay: true },
  } as const;
}

export async function pushOrder(
  ctx: PushContext,
  key: MachineKeyRow,
  props: { idempotencyKey: string; body: PushedOrder },
): Promise<{ status: 200 | 201; answer: PushAnswer }> {
  const requestHash = createHash('sha256').update(JSON.stringify(props.body)).digest('hex');
  const replay = await stored(ctx.db, key, props.idempotencyKey, requestHash);
  if (replay) return replay;

  const [mapping, choices] = await Promise.all([
    findDefaultMapping(ctx.db, key.district, HOTLINE_KIND),
    hotlineImport.codes(ctx.db, key.district),
  ]);
  const identity = Object.fromEntries(hotlineImport.fields.map((f) => [f.key, f.key]));
  const prepared = prepareMapping(hotlineImport, { columns: identity, values: mapping?.rules.values ?? {} }, choices);
  const row = asRow(props.body);
  const { record, problems } = mapRow(prepared, row);
  const [first] = problems;
  if (first) {
    throw new AppError(first.code, { fields: problems.map((p) => ({ path: `body.${p.field}`, reason: p.en })) });
  }
  const cells: StoredCells = storedCells(row);
  try {
    const answer = await receiveOrder(
      {
        db: ctx.db,
        locator: ctx.locator,
        district: key.district,
        scopePath: key.unitPath,
        actorName: `12345 接口 API · ${key.name}`,
        requestId: ctx.requestId,
        ip: ctx.ip,
      },
      {
        order: orderOf(record),
        cells,
        source: { kind: 'push', machineKeyId: key.id },
        alsoWrite: async (trx, answer) => {
          await trx
            .insertInto('hotlinePush')
            .values({
              machineKeyId: key.id,
              idempotencyKey: props.idempotencyKey,
              requestHash,
              district: key.district,
              orderNumber: answer.orderNumber,
              status: answer.outcome === 'created' ? 201 : 200,
              answer: JSON.stringify(answer),
            })
            .execute();
          await trx.updateTable('machineKey').set({ lastUsedAt: new Date() }).where('id', '=', key.id).execute();
        },
      },
    );
    return { status: answer.outcome === 'created' ? 201 : 200, answer: { ...answer, replay: false } };
  } catch (error) {
    // A twin with the same Idempotency-Key answered first: its answer is this one's.
    const again =
      (error as { code?: string }).code === UNIQUE_VIOLATION
        ? await stored(ctx.db, key, props.idempotencyKey, requestHash)
        : undefined;
    if (again) return again;
    throw error;
  }
}

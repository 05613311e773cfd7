/**
 * 接收工单: one 12345 work order, imported or pushed, becomes or updates its case.
 *
 * - A new order number (in the district) is reported through the workflow's report command as a
 *   case of the channel `hotline`: the caller as the reporter's contact, the mapped category and
 *   urgency, placed at its point or else by its address within its handling unit (or the sender's
 *   scope); its number, call time, deadline and unit as extra lines of the description. The order
 *   and its first version are written in the report's own transaction.
 * - The same number with the same content (hash of the mapped fields) is unchanged: nothing written.
 * - The same number with other content records a new version and, while the case is open, an
 *   `amend` step naming what changed (the new values, personal data only named), in one
 *   transaction. The case's own fields are never rewritten: its people may have acted on them.
 *   A finished case (closed, rejected, merged) keeps the version only.
 *
 * Never two cases of one number: the order's row is written in its case's transaction under the
 * key (district, number), so of two senders racing (an import and a push, twin pushes) one wins and
 * the other, rolled back whole, finds the winner's order when it looks again.
 */
import { transitionOf } from '../../../common/workflow.js';
import type { SystemActor } from '../../cases/case.policy.js';
import { withExtraLines } from '../../cases/catalogue/answers.js';
import { type CaseContext, reportCase } from '../../cases/commands/report-case.js';
import { transitionCase } from '../../cases/commands/transition-case.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { StoredCells } from '../../imports/import.tables.js';
import type { GridLocator } from '../../territory/placement.js';
import { type Extent, pointInSubtree, subtreeExtent } from '../../territory/subtree.js';
import type { OrderSource } from '../hotline.tables.js';
import { changedFields, contentHash, type HotlineOrder, orderFields, orderLines } from '../hotline-order.js';

export interface OrderContext {
  db: Db;
  locator: GridLocator;
  district: string;
  /** Where the sender's orders may land: an import's scope, a machine key's unit. */
  scopePath: string;
  /** The system actor's name on the case's steps (`12345 导入 · 张三`, `12345 接口 · 市热线`). */
  actorName: string;
  requestId?: string | undefined;
  ip?: string | undefined;
}

export interface ReceiveOrderProps {
  order: HotlineOrder;
  /** The row or body as it came. */
  cells: StoredCells;
  source: { kind: OrderSource; runId?: string | undefined; machineKeyId?: string | undefined };
  /** Written in the transaction that records the outcome (a push's stored answer); for an unchanged order, alone. */
  alsoWrite?: ((trx: Trx, answer: OrderAnswer) => Promise<void>) | undefined;
}

export interface OrderAnswer {
  outcome: 'created' | 'updated' | 'unchanged';
  orderNumber: string;
  version: number;
  caseId: string;
  number: string;
  trackingCode: string;
}

const PERSONAL = new Set(['callerName', 'callerPhone']);
const EXTENT_TTL_MS = 60_000;
const extents = new Map<string, { box: Extent | null; at: number }>();

/** A subtree's extent, kept a minute (rows of one file ask for the same few). */
async function extentOf(db: Db, path: string): Promise<Extent | null> {
  const kept = extents.get(path);
  if (kept && Date.now() - kept.at < EXTENT_TTL_MS) return kept.box;
  const box = await subtreeExtent(db, path);
  extents.set(path, { box, at: Date.now() });
  return box;
}

/** Where a new order may be placed: within its handling unit (in the sender's scope) or the scope itself. */
async function placeOrder(ctx: OrderContext, order: HotlineOrder): Promise<{ path: string; unitName?: string }> {
  if ((order.lng === undefined) !== (order.lat === undefined)) {
    throw new AppError('IMPORT_VALUE_REQUIRED', {
      fields: [{ path: order.lng === undefined ? 'lng' : 'lat', reason: 'lng and lat go together' }],
    });
  }
  if (order.lng === undefined && !order.address) {
    throw new AppError('LOCATION_REQUIRED', { fields: [{ path: 'address', reason: 'an address, or lng and lat' }] });
  }
  let subtree: { path: string; unitName?: string } = { path: ctx.scopePath };
  if (order.unit) {
    const unit = await ctx.db
      .selectFrom('unit')
      .select(['path', 'name'])
      .where('district', '=', ctx.district)
      .where('code', '=', order.unit)
      .executeTakeFirst();
    if (!unit)
      throw new AppError('IMPORT_VALUE_UNKNOWN', { fields: [{ path: 'unit', reason: `no unit ${order.unit}` }] });
    if (!unit.path.startsWith(ctx.scopePath))
      throw new AppError('HOTLINE_OUTSIDE_SCOPE', { fields: [{ path: 'unit', reason: `${unit.name} is outside` }] });
    subtree = { path: unit.path, unitName: unit.name };
  }
  if (order.lng !== undefined && order.lat !== undefined) {
    const box = await extentOf(ctx.db, subtree.path);
    if (!(await pointInSubtree(ctx.locator, { path: subtree.path, box }, { lng: order.lng, lat: order.lat }))) {
      throw new AppError('HOTLINE_OUTSIDE_SCOPE', { fields: [{ path: 'lng,lat', reason: 'the point lies outside' }] });
    }
  }
  return subtree;
}

async function numbersOf(db: Db | Trx, district: string, caseId: string) {
  return db
    .selectFrom('cases')
    .select(['number', 'trackingCode', 'state', 'version', 'unitPath'])
    .where('district', '=', district)
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
}

function versionRow(ctx: OrderContext, props: ReceiveOrderProps, version: number, hash: string) {
  return {
    district: ctx.district,
    orderNumber: props.order.orderNumber,
    version,
    contentHash: hash,
    fields: JSON.stringify(orderFields(props.order)),
    raw: JSON.stringify(props.cells),
    source: props.source.kind,
    runId: props.source.runId ?? null,
    machineKeyId: props.source.machineKeyId ?? null,
  };
}

async function create(ctx: OrderContext, props: ReceiveOrderProps, hash: string): Promise<OrderAnswer> {
  const { order } = props;
  const db = ctx.db;
  const within = await placeOrder(ctx, order);
  const actor: SystemActor = { kind: 'system', id: null, name: ctx.actorName };
  const context: CaseContext = { db, locator: ctx.locator, actor, requestId: ctx.requestId, ip: ctx.ip };
  let answer: OrderAnswer | undefined;
  await reportCase(context, {
    channel: 'hotline',
    categoryCode: order.category,
    urgency: order.urgency ?? 'normal',
    title: order.title,
    description: withExtraLines(order.description, orderLines(order, within.unitName)),
    address: order.address,
    lng: order.lng,
    lat: order.lat,
    reporter: { kind: 'caller', name: order.callerName, phone: order.callerPhone },
    withinPath: within.path,
    alsoWrite: async (trx, c) => {
      await trx
        .insertInto('hotlineOrder')
        .values({
          district: ctx.district,
          orderNumber: order.orderNumber,
          caseId: c.id,
          version: 1,
          contentHash: hash,
          calledAt: order.calledAt ?? null,
          deadlineAt: order.deadline ?? null,
          firstSource: props.source.kind,
          lastSource: props.source.kind,
        })
        .execute();
      await trx
        .insertInto('hotlineOrderVersion')
        .values(versionRow(ctx, props, 1, hash))
        .execute();
      const made = await numbersOf(trx, c.district, c.id);
      answer = { outcome: 'created', orderNumber: order.orderNumber, version: 1, caseId: c.id, ...pick(made) };
      await props.alsoWrite?.(trx, answer);
    },
  });
  if (!answer) throw new Error('the report wrote no order');
  return answer;
}

const pick = (c: { number: string; trackingCode: string }) => ({ number: c.number, trackingCode: c.trackingCode });

/** The step's text: the version and each changed field's new value (personal data only named). */
function amendReason(version: number, before: Record<string, unknown>, after: Record<string, string | number>) {
  const changed = changedFields(before, after);
  const value = (key: string) => {
    const v = after[key];
    if (v === undefined) return '（已删除）';
    return PERSONAL.has(key) ? '（已更新）' : String(v).slice(0, 200);
  };
  const lines = changed.map((f) => `${f.label.zh} ${f.label.en}：${value(f.key)}`);
  return [`12345 工单第 ${version} 版 Order version ${version}`, ...lines].join('\n');
}

async function update(
  ctx: OrderContext,
  props: ReceiveOrderProps,
  existing: { caseId: string; version: number },
  hash: string,
): Promise<OrderAnswer> {
  const db = ctx.db;
  const version = existing.version + 1;
  const previous = await db
    .selectFrom('hotlineOrderVersion')
    .select('fields')
    .where('district', '=', ctx.district)
    .where('orderNumber', '=', props.order.orderNumber)
    .where('version', '=', existing.version)
    .executeTakeFirstOrThrow();
  const c = await numbersOf(db, ctx.district, existing.caseId);
  const answer: OrderAnswer = {
    outcome: 'updated',
    orderNumber: props.order.orderNumber,
    version,
    caseId: existing.caseId,
    ...pick(c),
  };
  const record = async (trx: Trx) => {
    await trx
      .insertInto('hotlineOrderVersion')
      .values(versionRow(ctx, props, version, hash))
      .execute();
    await trx
      .updateTable('hotlineOrder')
      .set({
        version,
        contentHash: hash,
        calledAt: props.order.calledAt ?? null,
        deadlineAt: props.order.deadline ?? null,
        lastSource: props.source.kind,
        updatedAt: new Date(),
      })
      .where('district', '=', ctx.district)
      .where('orderNumber', '=', props.order.orderNumber)
      .execute();
    await props.alsoWrite?.(trx, answer);
  };
  const actor: SystemActor = { kind: 'system', id: null, name: ctx.actorName };
  const reason = amendReason(version, previous.fields, orderFields(props.order));
  // The case's people may act meanwhile: the step is taken on the state and version just read,
  // read again when they moved; a case finished meanwhile keeps the version only.
  for (let attempt = 1, current = c; ; attempt++, current = await numbersOf(db, ctx.district, existing.caseId)) {
    if (!transitionOf('amend').from.includes(current.state)) {
      await db.transaction().execute(record);
      return answer;
    }
    try {
      await transitionCase(
        { db, locator: ctx.locator, actor, requestId: ctx.requestId, ip: ctx.ip },
        { caseId: existing.caseId, action: 'amend', version: current.version, reason, alsoWrite: record },
      );
      return answer;
    } catch (error) {
      const moved = error instanceof AppError && ['CASE_VERSION_CONFLICT', 'CASE_STATE_CONFLICT'].includes(error.code);
      if (!moved || attempt >= 5) throw error;
    }
  }
}

/** A unique key of the order's own rows broke: another sender wrote this order first. */
const raced = (error: unknown) => {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (e.constraint === 'hotline_order_pkey' || e.constraint === 'hotline_order_version_pkey');
};

async function receiveOnce(ctx: OrderContext, props: ReceiveOrderProps, hash: string): Promise<OrderAnswer> {
  const existing = await ctx.db
    .selectFrom('hotlineOrder as o')
    .innerJoin('cases as c', (join) => join.onRef('c.district', '=', 'o.district').onRef('c.id', '=', 'o.caseId'))
    .select(['o.caseId', 'o.version', 'o.contentHash', 'c.unitPath', 'c.number', 'c.trackingCode'])
    .where('o.district', '=', ctx.district)
    .where('o.orderNumber', '=', props.order.orderNumber)
    .executeTakeFirst();
  if (!existing) return create(ctx, props, hash);
  if (!existing.unitPath.startsWith(ctx.scopePath)) {
    throw new AppError('HOTLINE_OUTSIDE_SCOPE', { fields: [{ path: 'orderNumber', reason: 'its case lies outside' }] });
  }
  if (existing.contentHash !== hash) return update(ctx, props, existing, hash);
  const answer: OrderAnswer = {
    outcome: 'unchanged',
    orderNumber: props.order.orderNumber,
    version: existing.version,
    caseId: existing.caseId,
    ...pick(existing),
  };
  const alsoWrite = props.alsoWrite;
  if (alsoWrite) await ctx.db.transaction().execute((trx) => alsoWrite(trx, answer));
  return answer;
}

/**
 * Receives one order (see the file's comment); AppErrors say why it was refused, nothing then
 * written. No lock is held while a case is made: the order's own keys settle a race (the loser's
 * transaction rolls back whole, its case with it) and the loser looks again, finding the winner's.
 */
export async function receiveOrder(ctx: OrderContext, props: ReceiveOrderProps): Promise<OrderAnswer> {
  const hash = contentHash(props.order);
  for (let attempt = 1; ; attempt++) {
    try {
      return await receiveOnce(ctx, props, hash);
    } catch (error) {
      if (!raced(error) || attempt >= 5) throw error;
    }
  }
}

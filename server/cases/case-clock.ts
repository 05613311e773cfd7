/**
 * The stage clock of a case: which stage runs, since when, until when, paused or not. A transition's
 * ClockEffect (common/workflow.ts) is applied here; all working-time arithmetic is the calendar's.
 */
import type { Stage, Urgency } from '../../common/cases.js';
import type { ClockEffect } from '../../common/workflow.js';
import type { LimitUnit, WorkingCalendar } from '../calendar/working-calendar.js';
import type { Db, Trx } from '../db/database.js';

export interface Limit {
  amount: number;
  unit: LimitUnit;
}

/** Used when neither the category nor the global defaults name a limit. */
export const FALLBACK_LIMITS: Record<Stage, Limit> = {
  register: { amount: 1, unit: 'working_hours' },
  dispatch: { amount: 1, unit: 'working_hours' },
  handle: { amount: 3, unit: 'working_days' },
  verify: { amount: 1, unit: 'working_days' },
};

/** The limit of a stage: the category's for this urgency, else the global default, else the fallback. */
export async function limitFor(db: Db | Trx, categoryId: string, urgency: Urgency, stage: Stage): Promise<Limit> {
  const rows = await db
    .selectFrom('timeLimit')
    .select(['categoryId', 'amount', 'unit'])
    .where('urgency', '=', urgency)
    .where('stage', '=', stage)
    .where((eb) => eb.or([eb('categoryId', '=', categoryId), eb('categoryId', 'is', null)]))
    .execute();
  const row = rows.find((r) => r.categoryId === categoryId) ?? rows.find((r) => r.categoryId === null);
  return row ? { amount: Number(row.amount), unit: row.unit } : FALLBACK_LIMITS[stage];
}

export interface Clock {
  stage: Stage | null;
  /** The unit of the running stage's limit (working or natural time). */
  stageUnit: LimitUnit | null;
  stageStartedAt: Date | null;
  dueAt: Date | null;
  warnedAt: Date | null;
  overdueAt: Date | null;
  pausedAt: Date | null;
}

export interface ClockContext {
  calendar: WorkingCalendar;
  now: Date;
  limit: (stage: Stage) => Promise<Limit>;
  /** For `extend`: the approved amount. */
  extension?: Limit | undefined;
}

/** Applies a transition's clock effect; returns the new clock and whether a stopped stage was on time. */
export async function applyClock(
  effect: ClockEffect,
  clock: Clock,
  ctx: ClockContext,
): Promise<{ clock: Clock; stopped?: { stage: Stage; onTime: boolean } }> {
  // Only the clock's own columns: the caller may pass a whole case row.
  let next: Clock = {
    stage: clock.stage,
    stageUnit: clock.stageUnit,
    stageStartedAt: clock.stageStartedAt,
    dueAt: clock.dueAt,
    warnedAt: clock.warnedAt,
    overdueAt: clock.overdueAt,
    pausedAt: clock.pausedAt,
  };
  let stopped: { stage: Stage; onTime: boolean } | undefined;
  if (effect.stop && next.stage) {
    stopped = { stage: next.stage, onTime: !next.dueAt || ctx.now <= next.dueAt };
    next = {
      stage: null,
      stageUnit: null,
      stageStartedAt: null,
      dueAt: null,
      warnedAt: null,
      overdueAt: null,
      pausedAt: null,
    };
  }
  if (effect.pause && next.stage && !next.pausedAt) next.pausedAt = ctx.now;
  if (effect.resume && next.stage && next.pausedAt && next.dueAt) {
    const limit = await ctx.limit(next.stage);
    const dueAt = ctx.calendar.shiftForPause(next.dueAt, next.pausedAt, ctx.now, limit.unit);
    next.dueAt = dueAt;
    next.pausedAt = null;
    if (dueAt > ctx.now) next.overdueAt = null;
  }
  if (effect.extend && next.dueAt && ctx.extension) {
    const dueAt = ctx.calendar.addLimit(next.dueAt, ctx.extension.amount, ctx.extension.unit);
    next.dueAt = dueAt;
    next.warnedAt = null;
    if (dueAt > ctx.now) next.overdueAt = null;
  }
  if (effect.start) {
    const limit = await ctx.limit(effect.start);
    next = {
      stage: effect.start,
      stageUnit: limit.unit,
      stageStartedAt: ctx.now,
      dueAt: ctx.calendar.addLimit(ctx.now, limit.amount, limit.unit),
      warnedAt: null,
      overdueAt: null,
      pausedAt: null,
    };
  }
  return stopped ? { clock: next, stopped } : { clock: next };
}

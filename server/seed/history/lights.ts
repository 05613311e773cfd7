/**
 * The running stage clocks as the replay expects them, so that the replayed clock stops only where
 * the deadline sweep would light something (yellow at the warning share of the stage, red past
 * due). Each step's effect comes from the workflow table, the case's time limit and the calendar,
 * as applyClock computes it; what the model cannot follow (a resumed or extended clock, a refused
 * step) is read back from the database. The model only chooses where to stop: whether to sweep is
 * always asked of the database, and the sweep is the real one.
 */
import { type CaseAction, transitionOf } from '../../../common/workflow.js';
import type { CasePlan } from './planner.js';
import type { HistoryWorld } from './world.js';

interface Clock {
  /** When the yellow light falls due (the sweep warns at or after it). */
  threshold: number;
  /** Due time (the sweep marks red strictly after it). */
  due: number;
  warned: boolean;
}

/** A clock as the database holds it. */
export interface ClockRow {
  index: number;
  stageStartedAt: Date | null;
  dueAt: Date | null;
  warnedAt: Date | null;
  overdueAt: Date | null;
  pausedAt: Date | null;
}

export class Lights {
  private readonly clocks = new Map<number, Clock>();
  /** Cases whose clock the model no longer knows. */
  readonly lost = new Set<number>();

  /** The yellow-light share (the policy setting); the sweep is given the same. */
  private readonly share: number;

  constructor(
    private readonly world: HistoryWorld,
    private readonly plans: ReadonlyMap<number, CasePlan>,
  ) {
    this.share = world.settings.warnShare;
  }

  /** A step (or the report) of case `index` at `at`. */
  step(index: number, action: CaseAction, at: Date): void {
    const clock = transitionOf(action).clock;
    if (clock.resume || clock.extend) {
      this.clocks.delete(index);
      this.lost.add(index);
      return;
    }
    if (clock.stop || clock.pause) this.clocks.delete(index);
    const plan = this.plans.get(index);
    if (clock.start && plan) {
      const limit = this.world.limit(plan.category.id, plan.urgency, clock.start);
      const due = this.world.calendar.addLimit(at, limit.amount, limit.unit).getTime();
      this.clocks.set(index, { threshold: at.getTime() + this.share * (due - at.getTime()), due, warned: false });
    }
  }

  /** The earliest instant at which a sweep would light something; Infinity when nothing runs. */
  next(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const c of this.clocks.values()) next = Math.min(next, c.warned ? c.due + 1 : c.threshold);
    return next;
  }

  /** What a sweep at `at` does to the clocks: yellow at the threshold, red (and no more lights) past due. */
  swept(at: Date): void {
    const now = at.getTime();
    for (const [index, c] of this.clocks) {
      if (now >= c.threshold) c.warned = true;
      if (now > c.due) this.clocks.delete(index);
    }
  }

  /** Replaces what the model thinks of these cases (all of them with `all`) with the database's clocks. */
  load(rows: readonly ClockRow[], cases: Iterable<number> | 'all'): void {
    if (cases === 'all') this.clocks.clear();
    else for (const index of cases) this.clocks.delete(index);
    for (const row of rows) {
      this.lost.delete(row.index);
      if (!row.dueAt || !row.stageStartedAt || row.pausedAt || row.overdueAt) continue;
      const [start, due] = [row.stageStartedAt.getTime(), row.dueAt.getTime()];
      this.clocks.set(row.index, { threshold: start + this.share * (due - start), due, warned: row.warnedAt !== null });
    }
    if (cases === 'all') this.lost.clear();
    else for (const index of cases) this.lost.delete(index);
  }
}

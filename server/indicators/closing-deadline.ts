/**
 * The two case columns the closure indicators count from (GLOSSARY 应结案数 dueForClosure, 按期结案数),
 * worked out by `transitionCase` for each step so that the closure rates read one indexed column:
 *
 * - `handleDueAt`, the handling deadline: set when a dispatch or reassignment starts the handle
 *   clock, moved exactly as the clock is by an approved extension (延期) and by a deferral's pause
 *   (缓办, on resuming); NOT moved when a failed verification restarts the clock (a rework buys no
 *   time), and not cleared when the stage stops. A reopened case keeps it until it is dispatched again.
 * - `closedOnTime`, decided when the case closes: a verified closure is on time when the handling
 *   report it verified came no later than `handleDueAt` and the verification stayed within its own
 *   time limit; any other closure of a dispatched case when it came no later than `handleDueAt`;
 *   a case never dispatched (handled on the spot, closed or cancelled before dispatch) when the stage
 *   it stopped was on time. A reopen clears it.
 */
import type { CaseState, Stage } from '../../common/cases.js';
import type { CaseAction } from '../../common/workflow.js';
import type { LimitUnit, WorkingCalendar } from '../calendar/working-calendar.js';
import type { Clock, Limit } from '../cases/case-clock.js';

export interface ClosingInput {
  action: CaseAction;
  from: CaseState;
  to: CaseState;
  /** The case before the step. */
  before: {
    handleDueAt: Date | null;
    stage: Stage | null;
    stageUnit: LimitUnit | null;
    stageStartedAt: Date | null;
    pausedAt: Date | null;
  };
  /** The clock after the step. */
  clock: Clock;
  stopped: { stage: Stage; onTime: boolean } | undefined;
  /** The approved amount of an extension. */
  extension: Limit | undefined;
  now: Date;
  calendar: WorkingCalendar;
}

export interface ClosingColumns {
  handleDueAt?: Date | null;
  closedOnTime?: boolean | null;
}

/** The changes a step makes to `handleDueAt` and `closedOnTime` (only the columns it moves). */
export function closingColumns(input: ClosingInput): ClosingColumns {
  const { action, before, clock, calendar, now } = input;
  const out: ClosingColumns = {};
  let handleDueAt = before.handleDueAt;
  if ((action === 'dispatch' || action === 'reassign') && clock.stage === 'handle') {
    handleDueAt = clock.dueAt;
    out.handleDueAt = handleDueAt;
  } else if (action === 'approve_extension' && before.stage === 'handle' && handleDueAt && input.extension) {
    handleDueAt = calendar.addLimit(handleDueAt, input.extension.amount, input.extension.unit);
    out.handleDueAt = handleDueAt;
  } else if (action === 'resume' && before.stage === 'handle' && handleDueAt && before.pausedAt) {
    handleDueAt = calendar.shiftForPause(handleDueAt, before.pausedAt, now, before.stageUnit ?? 'working_days');
    out.handleDueAt = handleDueAt;
  }

  if (input.to === 'closed' && input.from !== 'closed') {
    if (!handleDueAt) out.closedOnTime = input.stopped?.onTime ?? true;
    else if (action === 'verify_pass') {
      // The verify stage started when the handling report came in.
      const reportedAt = before.stageStartedAt ?? now;
      out.closedOnTime = reportedAt <= handleDueAt && (input.stopped?.onTime ?? true);
    } else out.closedOnTime = now <= handleDueAt;
  }
  if (action === 'reopen') out.closedOnTime = null;
  return out;
}

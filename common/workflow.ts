/**
 * The case workflow as one table (DESIGN rule 3). Every transition is a row: the states it leaves
 * from, the state it reaches, who may take it (a role and their relation to the case), what it
 * requires, what it does to the clock and which counters it moves. The server enforces this table,
 * the web shows buttons from it, the tests iterate it. A transition not in the table does not exist.
 *
 * National model: 信息采集 → 案卷建立 → 任务派遣 → 任务处置 → 处理反馈 → 核查结案 → 综合评价.
 */
import type { CaseState, Channel, CloseReason, Stage } from './cases.js';

/**
 * Who may act, by role and relation to the case:
 * - `reporter`: the person (resident or staff) who reported it;
 * - `dispatcher`: a dispatcher whose scope covers the case's unit;
 * - `handler`: a handler of the department the case is dispatched to;
 * - `coHandler`: a handler of a co-handling department (协办);
 * - `gridWorker`: a grid worker whose scope covers the case's grid;
 * - `committeeStaff`: committee staff whose scope covers the case's unit;
 * - `supervisor`: a supervisor whose scope covers the case's unit;
 * - `system`: the machine (a sensor's key, Open311, the deadline sweep).
 */
export const ACTOR_RELATIONS = [
  'reporter',
  'dispatcher',
  'handler',
  'coHandler',
  'gridWorker',
  'committeeStaff',
  'supervisor',
  'system',
] as const;
export type ActorRelation = (typeof ACTOR_RELATIONS)[number];

export const CASE_ACTIONS = [
  'report',
  'register',
  'self_register',
  'reject',
  'self_handle',
  'dispatch',
  'acknowledge',
  'return',
  'reassign',
  'add_co_handler',
  'note',
  'amend',
  'submit_handling',
  'verify_pass',
  'verify_fail',
  'request_extension',
  'approve_extension',
  'deny_extension',
  'request_deferral',
  'approve_deferral',
  'deny_deferral',
  'resume',
  'supervise',
  'escalate',
  'close',
  'merge',
  'callback',
  'reopen',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Counters an action moves; the indicators are computed from them (GLOSSARY "Indicators"). */
export const CASE_COUNTERS = [
  'registered',
  'rejected',
  'dispatched',
  'returned',
  'handled',
  'reworked',
  'extended',
  'deferred',
  'escalated',
  'reopened',
  'selfHandled',
  'supervised',
] as const;
export type CaseCounter = (typeof CASE_COUNTERS)[number];

export interface TransitionRequirements {
  /** A free-text reason, at least this many characters. */
  reason?: { minLength: number };
  /** A reject reason code (REJECT_REASONS). */
  rejectReason?: true;
  /** Photos: at least `min`; `beforeAfter` asks for both a before and an after photo. */
  photos?: { min: number; beforeAfter?: boolean };
  /** The department to dispatch or co-handle to. */
  department?: true;
  /** A close reason from this list (an explanation is then required unless it is `solved`). */
  closeReason?: readonly CloseReason[];
  /** The case this one duplicates. */
  mergedInto?: true;
  /** A satisfaction rating and whether the problem was solved (回访). */
  rating?: true;
  /** A requested amount of time (extension). */
  amount?: true;
  /** The actor must not be the case's handler (核查 by someone else). */
  notTheHandler?: true;
  /** The category may be corrected on the way (改类): optional, a reportable minor category. */
  recategorize?: true;
  /** The case's category must allow this (自行立案 / 自行处置). */
  categoryAllows?: 'selfRegister' | 'selfHandle';
  /** A pending request of this kind must exist (approve/deny). */
  pending?: 'extension' | 'deferral';
  /** One rating per closure: a callback already recorded must not be overwritten (a reopen clears it). */
  notYetRated?: true;
  /** Only within the category's dispute window after closing (days, a setting). */
  withinDisputeWindow?: true;
}

/** What a transition does to the stage clocks (working-time deadlines). */
export interface ClockEffect {
  /** Stop the running stage's clock (record on time or overdue). */
  stop?: true;
  /** Start this stage's clock from its time limit. */
  start?: Stage;
  /** Pause the running clock (缓办). */
  pause?: true;
  /** Resume a paused clock, moving its due time by the pause. */
  resume?: true;
  /** Move the running clock's due time by the approved amount (延期). */
  extend?: true;
}

export interface Transition {
  action: CaseAction;
  /** States it may be taken from; empty for `report`, which creates the case. */
  from: readonly CaseState[];
  /** The state it reaches; 'same' keeps the state (notes, supervision, callbacks). */
  to: CaseState | 'same';
  actors: readonly ActorRelation[];
  requires: TransitionRequirements;
  clock: ClockEffect;
  counts: readonly CaseCounter[];
  /** Shown to the reporter and the public timeline (otherwise staff only). */
  public: boolean;
  label: { zh: string; en: string };
}

const OPEN: readonly CaseState[] = ['registered', 'dispatched', 'handling', 'deferred', 'handled'];

export const WORKFLOW: readonly Transition[] = [
  {
    action: 'report',
    from: [],
    to: 'reported',
    actors: ['reporter', 'dispatcher', 'gridWorker', 'committeeStaff', 'system'],
    requires: {},
    clock: { start: 'register' },
    counts: [],
    public: true,
    label: { zh: '上报', en: 'Report' },
  },
  {
    action: 'register',
    from: ['reported'],
    to: 'registered',
    actors: ['dispatcher'],
    requires: { recategorize: true },
    clock: { stop: true, start: 'dispatch' },
    counts: ['registered'],
    public: true,
    label: { zh: '立案', en: 'Register' },
  },
  {
    action: 'self_register',
    from: ['reported'],
    to: 'registered',
    actors: ['gridWorker'],
    requires: { categoryAllows: 'selfRegister' },
    clock: { stop: true, start: 'dispatch' },
    counts: ['registered'],
    public: true,
    label: { zh: '自行立案', en: 'Register (grid worker)' },
  },
  {
    action: 'reject',
    from: ['reported'],
    to: 'rejected',
    actors: ['dispatcher'],
    requires: { rejectReason: true, reason: { minLength: 4 } },
    clock: { stop: true },
    counts: ['rejected'],
    public: true,
    label: { zh: '不予立案', en: 'Reject' },
  },
  {
    action: 'self_handle',
    from: ['reported', 'registered'],
    to: 'closed',
    actors: ['gridWorker'],
    requires: { categoryAllows: 'selfHandle', photos: { min: 2, beforeAfter: true }, reason: { minLength: 4 } },
    clock: { stop: true },
    counts: ['selfHandled', 'handled'],
    public: true,
    label: { zh: '自行处置', en: 'Handle on the spot' },
  },
  {
    action: 'dispatch',
    from: ['registered'],
    to: 'dispatched',
    actors: ['dispatcher'],
    requires: { department: true },
    clock: { stop: true, start: 'handle' },
    counts: ['dispatched'],
    public: true,
    label: { zh: '派遣', en: 'Dispatch' },
  },
  {
    action: 'acknowledge',
    from: ['dispatched'],
    to: 'handling',
    actors: ['handler'],
    requires: {},
    clock: {},
    counts: [],
    public: true,
    label: { zh: '签收', en: 'Acknowledge' },
  },
  {
    action: 'return',
    from: ['dispatched'],
    to: 'registered',
    actors: ['handler'],
    requires: { reason: { minLength: 4 } },
    clock: { stop: true, start: 'dispatch' },
    counts: ['returned'],
    public: false,
    label: { zh: '退单', en: 'Return' },
  },
  {
    action: 'reassign',
    from: ['dispatched', 'handling'],
    to: 'dispatched',
    actors: ['dispatcher'],
    requires: { department: true, reason: { minLength: 4 } },
    clock: { stop: true, start: 'handle' },
    counts: ['dispatched'],
    public: false,
    label: { zh: '转派', en: 'Reassign' },
  },
  {
    action: 'add_co_handler',
    from: ['dispatched', 'handling'],
    to: 'same',
    actors: ['dispatcher'],
    requires: { department: true },
    clock: {},
    counts: [],
    public: false,
    label: { zh: '增加协办部门', en: 'Add co-handler' },
  },
  {
    action: 'note',
    from: ['dispatched', 'handling', 'deferred', 'handled'],
    to: 'same',
    actors: ['handler', 'coHandler', 'dispatcher', 'gridWorker'],
    requires: { reason: { minLength: 2 } },
    clock: {},
    counts: [],
    public: false,
    label: { zh: '处置进展', en: 'Progress note' },
  },
  {
    // The sending system changed what it sent (a 12345 order re-sent with new content): the case
    // keeps what its people acted on and records the change; nobody's turn changes.
    action: 'amend',
    from: ['reported', ...OPEN],
    to: 'same',
    actors: ['system'],
    requires: { reason: { minLength: 2 } },
    clock: {},
    counts: [],
    public: false,
    label: { zh: '来源内容更新', en: 'Amended by its source' },
  },
  {
    action: 'submit_handling',
    from: ['handling'],
    to: 'handled',
    actors: ['handler'],
    requires: { reason: { minLength: 4 }, photos: { min: 1 } },
    clock: { stop: true, start: 'verify' },
    counts: ['handled'],
    public: true,
    label: { zh: '处理反馈', en: 'Report handling' },
  },
  {
    action: 'verify_pass',
    from: ['handled'],
    to: 'closed',
    actors: ['gridWorker'],
    requires: { notTheHandler: true, photos: { min: 1 } },
    clock: { stop: true },
    counts: [],
    public: true,
    label: { zh: '核查通过并结案', en: 'Verify and close' },
  },
  {
    action: 'verify_fail',
    from: ['handled'],
    to: 'handling',
    actors: ['gridWorker'],
    requires: { notTheHandler: true, photos: { min: 1 }, reason: { minLength: 4 } },
    clock: { stop: true, start: 'handle' },
    counts: ['reworked'],
    public: true,
    label: { zh: '核查不通过（返工）', en: 'Verification failed (rework)' },
  },
  {
    action: 'request_extension',
    from: ['handling'],
    to: 'same',
    actors: ['handler'],
    requires: { reason: { minLength: 4 }, amount: true },
    clock: {},
    counts: [],
    public: false,
    label: { zh: '申请延期', en: 'Request extension' },
  },
  {
    action: 'approve_extension',
    from: ['handling'],
    to: 'same',
    actors: ['supervisor'],
    requires: { pending: 'extension' },
    clock: { extend: true },
    counts: ['extended'],
    public: false,
    label: { zh: '批准延期', en: 'Approve extension' },
  },
  {
    action: 'deny_extension',
    from: ['handling'],
    to: 'same',
    actors: ['supervisor'],
    requires: { pending: 'extension', reason: { minLength: 4 } },
    clock: {},
    counts: [],
    public: false,
    label: { zh: '驳回延期', en: 'Deny extension' },
  },
  {
    action: 'request_deferral',
    from: ['handling'],
    to: 'same',
    actors: ['handler'],
    requires: { reason: { minLength: 4 } },
    clock: {},
    counts: [],
    public: false,
    label: { zh: '申请缓办', en: 'Request deferral' },
  },
  {
    action: 'approve_deferral',
    from: ['handling'],
    to: 'deferred',
    actors: ['supervisor'],
    requires: { pending: 'deferral' },
    clock: { pause: true },
    counts: ['deferred'],
    public: true,
    label: { zh: '批准缓办', en: 'Approve deferral' },
  },
  {
    action: 'deny_deferral',
    from: ['handling'],
    to: 'same',
    actors: ['supervisor'],
    requires: { pending: 'deferral', reason: { minLength: 4 } },
    clock: {},
    counts: [],
    public: false,
    label: { zh: '驳回缓办', en: 'Deny deferral' },
  },
  {
    action: 'resume',
    from: ['deferred'],
    to: 'handling',
    actors: ['handler', 'supervisor'],
    requires: {},
    clock: { resume: true },
    counts: [],
    public: true,
    label: { zh: '恢复处置', en: 'Resume handling' },
  },
  {
    action: 'supervise',
    from: ['reported', ...OPEN],
    to: 'same',
    actors: ['supervisor', 'system'],
    requires: { reason: { minLength: 4 } },
    clock: {},
    counts: ['supervised'],
    public: false,
    label: { zh: '督办', en: 'Supervision order' },
  },
  {
    action: 'escalate',
    from: ['registered'],
    to: 'registered',
    actors: ['dispatcher'],
    requires: { reason: { minLength: 4 } },
    clock: { stop: true, start: 'dispatch' },
    counts: ['escalated'],
    public: false,
    label: { zh: '上报上级', en: 'Escalate' },
  },
  {
    action: 'close',
    from: ['reported', ...OPEN],
    to: 'closed',
    actors: ['dispatcher'],
    requires: { closeReason: ['unsolvable', 'not_responsible', 'cancelled'], reason: { minLength: 4 } },
    clock: { stop: true },
    counts: [],
    public: true,
    label: { zh: '结案', en: 'Close' },
  },
  {
    action: 'merge',
    from: ['reported', 'registered'],
    to: 'merged',
    actors: ['dispatcher'],
    requires: { mergedInto: true },
    clock: { stop: true },
    counts: [],
    public: true,
    label: { zh: '合并重复案件', en: 'Merge as duplicate' },
  },
  {
    action: 'callback',
    from: ['closed'],
    to: 'same',
    actors: ['reporter', 'dispatcher'],
    requires: { rating: true, notYetRated: true },
    clock: {},
    counts: [],
    public: true,
    label: { zh: '回访评价', en: 'Callback' },
  },
  {
    action: 'reopen',
    from: ['closed'],
    to: 'registered',
    actors: ['reporter', 'dispatcher'],
    requires: { reason: { minLength: 4 }, withinDisputeWindow: true },
    clock: { start: 'dispatch' },
    counts: ['reopened'],
    public: true,
    label: { zh: '重新办理', en: 'Reopen' },
  },
];

const BY_ACTION = new Map(WORKFLOW.map((t) => [t.action, t]));

/** The row of an action (every CaseAction has exactly one). */
export function transitionOf(action: CaseAction): Transition {
  const row = BY_ACTION.get(action);
  if (!row) throw new Error(`no workflow row for ${action}`);
  return row;
}

/** Actions that may be taken from a state (before checking who acts). */
export function actionsFrom(state: CaseState): Transition[] {
  return WORKFLOW.filter((t) => t.from.includes(state));
}

/** The state a transition leads to from a given state. */
export const nextState = (t: Transition, from: CaseState): CaseState => (t.to === 'same' ? from : t.to);

/**
 * Who reports through which channel: a grid worker on patrol, a resident, a dispatcher entering a
 * hotline call (or the hotline's own work orders, imported or pushed: the system), committee staff
 * from research visits and board posts, machines for sensors and Open311.
 */
export const CHANNEL_REPORTERS: Record<Channel, readonly ActorRelation[]> = {
  patrol: ['gridWorker'],
  resident: ['reporter'],
  hotline: ['dispatcher', 'system'],
  sensor: ['system'],
  survey: ['committeeStaff', 'gridWorker'],
  board: ['committeeStaff'],
  open311: ['system'],
};

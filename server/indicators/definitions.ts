/**
 * Every indicator of the closed loop, defined once (GLOSSARY "Indicators"): its code, its Chinese
 * and English names, where it is counted and — for rates and averages — its formula as data. The
 * API serves this list (GET /api/indicators/definitions), the query computes from it, the tests
 * check against it.
 *
 * Three kinds of counts:
 * - `events`: flows, counted from the case event log on the +08:00 day of the step (the daily
 *   rollup `indicator_day`, kept by a trigger, migration 0009). A period counts the steps taken in
 *   it, so a case dispatched on 31 March and handled on 1 April counts in March's dispatches and
 *   April's handlings. Callback counts are the exception: they count with the closure they rate.
 * - `cases`: the closure cohort, counted from the case rows: the cases whose handling deadline
 *   (`handle_due_at`, server/indicators/closing-deadline.ts) fell in the period, as they stand now.
 * - `now`: a snapshot at the moment of asking, the same whatever the period.
 */

export const FLOW_COUNTS = [
  'reported',
  'registered',
  'registeredOnTime',
  'rejected',
  'dispatched',
  'returned',
  'handled',
  'handledOnTime',
  'handledOverdue',
  'selfHandled',
  'verified',
  'reworked',
  'closed',
  'closedSolved',
  'closedOnTime',
  'closedFirstTime',
  'extended',
  'deferred',
  'escalated',
  'reopened',
  'merged',
  'supervised',
  'callbackDue',
  'callbackResponded',
  'callbacks',
  'callbackSatisfied',
  'callbackBasicallySatisfied',
  'callbackDissatisfied',
  'callbackSolved',
  'solvedGrid',
  'solvedCommunity',
  'solvedSubdistrict',
  'solvedDistrict',
  'solvedCity',
  'registrationWorkingMinutes',
  'handlingWorkingMinutes',
] as const;
export type FlowCount = (typeof FLOW_COUNTS)[number];

export const DUE_COUNTS = ['dueForClosure', 'dueClosed', 'dueClosedOnTime'] as const;
export type DueCount = (typeof DUE_COUNTS)[number];

export const CURRENT_COUNTS = ['overdueUnhandled'] as const;
export type CurrentCount = (typeof CURRENT_COUNTS)[number];

/** Counts a period has (the snapshot aside). */
export type PeriodCount = FlowCount | DueCount;
export type CountCode = PeriodCount | CurrentCount;
export type Counts = Record<PeriodCount, number>;

export interface CountDefinition {
  code: CountCode;
  kind: 'count';
  source: 'events' | 'cases' | 'now';
  zh: string;
  en: string;
  /** What exactly is counted. */
  definition: string;
}

const flow = (code: FlowCount, zh: string, en: string, definition: string): CountDefinition => ({
  code,
  kind: 'count',
  source: 'events',
  zh,
  en,
  definition,
});

export const COUNT_DEFINITIONS: readonly CountDefinition[] = [
  flow('reported', '上报数', 'Reported', 'Cases reported (上报) in the period, through any channel.'),
  flow(
    'registered',
    '立案数',
    'Registered',
    'Registrations (立案, also by a grid worker): `register` and `self_register` steps. A reopened case is not registered again (see reopened).',
  ),
  flow(
    'registeredOnTime',
    '按时立案数',
    'Registered on time',
    'Registrations that stopped the register clock within its time limit.',
  ),
  flow('rejected', '不予立案数', 'Rejected', '`reject` steps.'),
  flow(
    'dispatched',
    '派遣数',
    'Dispatched',
    'Dispatches to a department: `dispatch` and `reassign` (转派) steps. A case sent, returned and sent again counts twice.',
  ),
  flow('returned', '退单数', 'Returned', '`return` steps, counted for the department that returned the case.'),
  flow(
    'handled',
    '处置数',
    'Handled',
    'First handling reports (处理反馈) of each dispatch. A report after a failed verification is not counted again (see reworked), so a dispatch is handled at most once; on-the-spot handling is selfHandled.',
  ),
  flow(
    'handledOnTime',
    '按期处置数',
    'Handled on time',
    'Of handled, those reported by the handle deadline (extensions and deferrals included).',
  ),
  flow('handledOverdue', '超期处置数', 'Handled late', 'Of handled, those reported after the handle deadline.'),
  flow(
    'selfHandled',
    '自行处置数',
    'Handled on the spot',
    '`self_handle` steps: a grid worker solved it on the spot; never dispatched.',
  ),
  flow('verified', '核查数', 'Verified', 'Verifications (核查), passed or failed.'),
  flow(
    'reworked',
    '返工数',
    'Reworked',
    'First failed verification of each dispatch (a case failing twice counts once per dispatch).',
  ),
  flow(
    'closed',
    '结案数（本期办结）',
    'Closed',
    'Closures in the period: a case reaching `closed` (verified, handled on the spot, or closed by a dispatcher with a reason). Merged duplicates are counted in merged instead.',
  ),
  flow('closedSolved', '解决结案数', 'Closed as solved', 'Closures with the reason `solved`.'),
  flow(
    'closedOnTime',
    '按期办结数',
    'Closed on time (by closing day)',
    'Closures that kept their deadline (`cases.closed_on_time`, see closing-deadline.ts), by the day of closing.',
  ),
  flow('closedFirstTime', '一次办结数', 'Closed first time', 'Closures of cases never returned, reworked or reopened.'),
  flow('extended', '延期数', 'Extensions', 'Approved extensions (延期).'),
  flow('deferred', '缓办数', 'Deferrals', 'Approved deferrals (缓办).'),
  flow('escalated', '上报上级数', 'Escalated', '`escalate` steps.'),
  flow('reopened', '重新办理数', 'Reopened', '`reopen` steps (a reporter or dispatcher disputed a closure).'),
  flow('merged', '合并数', 'Merged', 'Cases merged into another as duplicates.'),
  flow(
    'supervised',
    '督办数',
    'Supervision orders',
    'Supervision orders (督办), including the automatic ones of the deadline sweep.',
  ),
  flow(
    'callbackDue',
    '应回访数',
    'Callbacks due',
    'Closures of cases reported by the public (a resident, a hotline caller, an anonymous reporter): someone to call back.',
  ),
  flow(
    'callbackResponded',
    '已回访数',
    'Called back',
    'Callbacks (回访) recorded on those cases, counted on the day of the closure they rate.',
  ),
  flow(
    'callbacks',
    '回访评价数',
    'Callbacks',
    'All callbacks with a rating, counted on the day of the closure they rate.',
  ),
  flow('callbackSatisfied', '满意数', 'Satisfied', 'Callbacks rated satisfied.'),
  flow('callbackBasicallySatisfied', '基本满意数', 'Basically satisfied', 'Callbacks rated basically satisfied.'),
  flow('callbackDissatisfied', '不满意数', 'Dissatisfied', 'Callbacks rated dissatisfied.'),
  flow(
    'callbackSolved',
    '回访已解决数',
    'Solved (callback)',
    'Callbacks in which the reporter said the problem was solved.',
  ),
  flow('solvedGrid', '网格解决数', 'Solved in the grid', 'Solved closures at grid level (handled on the spot).'),
  flow('solvedCommunity', '社区解决数', 'Solved in the community', 'Solved closures at community level.'),
  flow(
    'solvedSubdistrict',
    '街道解决数',
    'Solved in the subdistrict',
    'Solved closures at subdistrict level (by a department).',
  ),
  flow('solvedDistrict', '区级解决数', 'Solved in the district', 'Solved closures of cases escalated to the district.'),
  flow('solvedCity', '市级解决数', 'Solved in the city', 'Solved closures of cases escalated to the city.'),
  flow(
    'registrationWorkingMinutes',
    '立案用时（工作分钟）',
    'Registration time (working minutes)',
    'Sum over registrations of the working time from report to registration.',
  ),
  flow(
    'handlingWorkingMinutes',
    '处置用时（工作分钟）',
    'Handling time (working minutes)',
    'Sum over handled of the working time from dispatch to the handling report (a deferral’s pause included).',
  ),
  {
    code: 'dueForClosure',
    kind: 'count',
    source: 'cases',
    zh: '应结案数',
    en: 'Due for closure',
    definition:
      'Cases whose handling deadline (`handle_due_at`) fell in the period and before now. With the setting “deferred cases leave the denominators”, cases ever deferred are left out of this cohort (and so of dueClosed and dueClosedOnTime).',
  },
  {
    code: 'dueClosed',
    kind: 'count',
    source: 'cases',
    zh: '应结案已结案数',
    en: 'Closed of due',
    definition:
      'Of dueForClosure, the cases closed before the end of the period, as they stand now (a case reopened since is not closed).',
  },
  {
    code: 'dueClosedOnTime',
    kind: 'count',
    source: 'cases',
    zh: '按期结案数',
    en: 'Closed on time of due',
    definition:
      'Of dueClosed, the closures that kept the deadline: the verified handling report came by `handle_due_at` and the verification within its own limit (closing-deadline.ts).',
  },
  {
    code: 'overdueUnhandled',
    kind: 'count',
    source: 'now',
    zh: '超期未处置数',
    en: 'Overdue, not handled',
    definition: 'Now, whatever the period: cases in the handle stage, not deferred, past their handle deadline.',
  },
];

/** A sum of counts minus others. */
export interface Formula {
  plus: readonly PeriodCount[];
  minus?: readonly PeriodCount[];
}

export const RATE_CODES = [
  'closureRate',
  'onTimeClosureRate',
  'handlingRate',
  'onTimeHandlingRate',
  'reworkRate',
  'extensionRate',
  'accurateDispatchRate',
  'onTimeRegistrationRate',
  'firstTimeCompletionRate',
  'responseRate',
  'resolutionRate',
  'satisfactionRate',
] as const;
export type RateCode = (typeof RATE_CODES)[number];

export interface RateDefinition {
  code: RateCode;
  kind: 'rate';
  zh: string;
  en: string;
  numerator: Formula;
  denominator: Formula;
  /** With the setting on, these counts also come off the denominator (deferred cases leave it). */
  deferredLeave?: readonly PeriodCount[];
  definition: string;
}

const DEFERRED: readonly PeriodCount[] = ['deferred'];

export const RATE_DEFINITIONS: readonly RateDefinition[] = [
  {
    code: 'closureRate',
    kind: 'rate',
    zh: '结案率',
    en: 'Closure rate',
    numerator: { plus: ['dueClosed'] },
    denominator: { plus: ['dueForClosure'] },
    definition: '结案数 / 应结案数: of the cases due for closure in the period, the share closed by its end.',
  },
  {
    code: 'onTimeClosureRate',
    kind: 'rate',
    zh: '按期结案率',
    en: 'On-time closure rate',
    numerator: { plus: ['dueClosedOnTime'] },
    denominator: { plus: ['dueForClosure'] },
    definition: '按期结案数 / 应结案数: of the cases due for closure in the period, the share closed on time.',
  },
  {
    code: 'handlingRate',
    kind: 'rate',
    zh: '处置率',
    en: 'Handling rate',
    numerator: { plus: ['handled'] },
    denominator: { plus: ['dispatched'] },
    deferredLeave: DEFERRED,
    definition: '处置数 / 派遣数 (− 缓办数 when deferred cases leave the denominators).',
  },
  {
    code: 'onTimeHandlingRate',
    kind: 'rate',
    zh: '按期处置率',
    en: 'On-time handling rate',
    numerator: { plus: ['handledOnTime'] },
    denominator: { plus: ['dispatched'] },
    deferredLeave: DEFERRED,
    definition: '按期处置数 / 派遣数 (− 缓办数 when deferred cases leave the denominators).',
  },
  {
    code: 'reworkRate',
    kind: 'rate',
    zh: '返工率',
    en: 'Rework rate',
    numerator: { plus: ['reworked'] },
    denominator: { plus: ['handled'] },
    definition: '返工数 / 处置数: dispatches whose first handling failed verification, per dispatch handled.',
  },
  {
    code: 'extensionRate',
    kind: 'rate',
    zh: '延期率',
    en: 'Extension rate',
    numerator: { plus: ['extended'] },
    denominator: { plus: ['dispatched'] },
    deferredLeave: DEFERRED,
    definition: '延期数 / 派遣数 (− 缓办数 when deferred cases leave the denominators).',
  },
  {
    code: 'accurateDispatchRate',
    kind: 'rate',
    zh: '准确派遣率',
    en: 'Accurate dispatch rate',
    numerator: { plus: ['dispatched'], minus: ['returned'] },
    denominator: { plus: ['dispatched'] },
    definition: '(派遣数 − 退单数) / 派遣数.',
  },
  {
    code: 'onTimeRegistrationRate',
    kind: 'rate',
    zh: '按时立案率',
    en: 'On-time registration rate',
    numerator: { plus: ['registeredOnTime'] },
    denominator: { plus: ['registered'] },
    definition: '按时立案数 / 立案数: registrations within the register time limit.',
  },
  {
    code: 'firstTimeCompletionRate',
    kind: 'rate',
    zh: '一次办结率',
    en: 'First-time completion rate',
    numerator: { plus: ['closedFirstTime'] },
    denominator: { plus: ['closed'] },
    definition: '一次办结数 / 结案数 (本期办结): closures of cases never returned, reworked or reopened.',
  },
  {
    code: 'responseRate',
    kind: 'rate',
    zh: '响应率',
    en: 'Response rate',
    numerator: { plus: ['callbackResponded'] },
    denominator: { plus: ['callbackDue'] },
    definition:
      '已回访数 / 应回访数: of the period’s closures of cases reported by the public, the share called back with a rating (12345).',
  },
  {
    code: 'resolutionRate',
    kind: 'rate',
    zh: '解决率',
    en: 'Resolution rate',
    numerator: { plus: ['callbackSolved'] },
    denominator: { plus: ['callbacks'] },
    definition:
      '回访已解决数 / 回访评价数: callbacks of the period’s closures in which the reporter said it was solved (12345).',
  },
  {
    code: 'satisfactionRate',
    kind: 'rate',
    zh: '满意率',
    en: 'Satisfaction rate',
    numerator: { plus: ['callbackSatisfied', 'callbackBasicallySatisfied'] },
    denominator: { plus: ['callbacks'] },
    definition:
      '(满意数 + 基本满意数) / 回访评价数: callbacks of the period’s closures rated satisfied or basically satisfied (12345).',
  },
];

export const AVERAGE_CODES = ['avgRegistrationHours', 'avgHandlingHours'] as const;
export type AverageCode = (typeof AVERAGE_CODES)[number];

export interface AverageDefinition {
  code: AverageCode;
  kind: 'average';
  zh: string;
  en: string;
  numerator: Formula;
  denominator: Formula;
  /** The quotient is divided by this (minutes → hours). */
  divisor: number;
  unit: 'working_hours';
  definition: string;
}

export const AVERAGE_DEFINITIONS: readonly AverageDefinition[] = [
  {
    code: 'avgRegistrationHours',
    kind: 'average',
    zh: '平均立案时长（工作小时）',
    en: 'Average registration time (working hours)',
    numerator: { plus: ['registrationWorkingMinutes'] },
    denominator: { plus: ['registered'] },
    divisor: 60,
    unit: 'working_hours',
    definition: 'registrationWorkingMinutes / registered / 60: working time from report to registration.',
  },
  {
    code: 'avgHandlingHours',
    kind: 'average',
    zh: '平均处置时长（工作小时）',
    en: 'Average handling time (working hours)',
    numerator: { plus: ['handlingWorkingMinutes'] },
    denominator: { plus: ['handled'] },
    divisor: 60,
    unit: 'working_hours',
    definition: 'handlingWorkingMinutes / handled / 60: working time from dispatch to the first handling report.',
  },
];

export const INDICATOR_CODES: readonly string[] = [
  ...COUNT_DEFINITIONS.map((d) => d.code),
  ...RATE_CODES,
  ...AVERAGE_CODES,
];

export const zeroCounts = (): Counts =>
  Object.fromEntries([...FLOW_COUNTS, ...DUE_COUNTS].map((c) => [c, 0])) as Counts;

const total = (f: Formula, counts: Counts) =>
  f.plus.reduce((s, c) => s + counts[c], 0) - (f.minus ?? []).reduce((s, c) => s + counts[c], 0);

/** Rounds half away from zero to `digits` decimals (rates to 4, hours and scores to 2). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * f + Number.EPSILON * f)) / f;
}

export interface RateValue {
  /** numerator / denominator, 0–1, four decimals; null when the denominator is 0 or less. */
  value: number | null;
  numerator: number;
  denominator: number;
  /** Unrounded, for scores. */
  exact: number | null;
}

/** A rate from counts under the deferral setting. */
export function rateOf(def: RateDefinition, counts: Counts, deferredLeave: boolean): RateValue {
  const numerator = total(def.numerator, counts);
  let denominator = total(def.denominator, counts);
  if (deferredLeave && def.deferredLeave) denominator -= total({ plus: def.deferredLeave }, counts);
  const exact = denominator > 0 ? numerator / denominator : null;
  return { value: exact === null ? null : round(exact, 4), numerator, denominator, exact };
}

/** Every rate of a set of counts. */
export function ratesOf(counts: Counts, deferredLeave: boolean): Record<RateCode, RateValue> {
  return Object.fromEntries(RATE_DEFINITIONS.map((d) => [d.code, rateOf(d, counts, deferredLeave)])) as Record<
    RateCode,
    RateValue
  >;
}

/** Every average of a set of counts (hours, two decimals; null without a denominator), with its exact value. */
export function averagesOf(counts: Counts): Record<AverageCode, { value: number | null; exact: number | null }> {
  return Object.fromEntries(
    AVERAGE_DEFINITIONS.map((d) => {
      const denominator = total(d.denominator, counts);
      const exact = denominator > 0 ? total(d.numerator, counts) / denominator / d.divisor : null;
      return [d.code, { value: exact === null ? null : round(exact, 2), exact }];
    }),
  ) as Record<AverageCode, { value: number | null; exact: number | null }>;
}

/**
 * Household visits (走访): the kinds of need a visit finds, their states, and the half-year rule —
 * one place for the calendar arithmetic so the server's lists, its coverage figures, the monthly
 * analysis and the web all count alike.
 *
 * The rule: a household must be visited at least once every six calendar months. A visit on day d
 * (Beijing calendar) keeps the household covered through `dueOn(d)` = d + 6 months (the 31 August
 * + 6 months is 28 February, or 29 in a leap year); from the next day it is overdue. A household
 * never visited is overdue from the start.
 */

/** Months between visits of one household. */
export const VISIT_INTERVAL_MONTHS = 6;

/** What a visit found that the household needs (困难诉求). */
export const NEED_KINDS = [
  'elderly_care',
  'health',
  'disability',
  'assistance',
  'employment',
  'housing',
  'safety',
  'environment',
  'dispute',
  'policy',
  'other',
] as const;
export type NeedKind = (typeof NEED_KINDS)[number];

export const NEED_KIND_LABELS: Record<NeedKind, { zh: string; en: string }> = {
  elderly_care: { zh: '养老照护', en: 'Elderly care' },
  health: { zh: '医疗健康', en: 'Health' },
  disability: { zh: '助残服务', en: 'Disability support' },
  assistance: { zh: '生活困难救助', en: 'Hardship assistance' },
  employment: { zh: '就业帮扶', en: 'Employment' },
  housing: { zh: '房屋修缮', en: 'Housing repair' },
  safety: { zh: '安全隐患', en: 'Safety hazard' },
  environment: { zh: '环境卫生', en: 'Environment' },
  dispute: { zh: '矛盾纠纷', en: 'Dispute' },
  policy: { zh: '政策咨询', en: 'Policy question' },
  other: { zh: '其他', en: 'Other' },
};

/**
 * A need is `open` when recorded, `referred` once turned into a case (the case carries it on), and
 * `resolved` when met without a case (the resolution says how). A referred need counts as open
 * until its case reaches a final state.
 */
export const NEED_STATUSES = ['open', 'referred', 'resolved'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

export const NEED_STATUS_LABELS: Record<NeedStatus, { zh: string; en: string }> = {
  open: { zh: '待处理', en: 'Open' },
  referred: { zh: '已转案件', en: 'Referred to a case' },
  resolved: { zh: '已解决', en: 'Resolved' },
};

export const VISIT_LIMITS = {
  findingsMax: 4_000,
  needsMax: 10,
  needTextMin: 2,
  needTextMax: 1_000,
  photosMax: 9,
  resolutionMin: 4,
  resolutionMax: 1_000,
  /** How long before now a visit may be recorded (a worker catching up on a week of paper notes). */
  backdateDays: 31,
  /** Visit list and due list page size. */
  pageMax: 500,
} as const;

/** Night visits (夜访): between 19:00 and 07:00 Beijing time, unless the visitor says otherwise. */
export const NIGHT_FROM_HOUR = 19;
export const NIGHT_UNTIL_HOUR = 7;

const BEIJING_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Beijing calendar day ('yyyy-mm-dd') of an instant. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10);
}

/** The instant a Beijing calendar day begins. */
export function beijingDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - BEIJING_MS);
}

/** Is the instant within night-visit hours (Beijing)? */
export function isNightTime(at: Date): boolean {
  const hour = new Date(at.getTime() + BEIJING_MS).getUTCHours();
  return hour >= NIGHT_FROM_HOUR || hour < NIGHT_UNTIL_HOUR;
}

/** A calendar day plus whole months, the day clamped to the month's length (08-31 + 6 → 02-28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

const shiftDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The last day a visit on `visitDay` keeps its household covered. */
export function dueOn(visitDay: string): string {
  return addMonths(visitDay, VISIT_INTERVAL_MONTHS);
}

/**
 * The first visit day that still covers a household on `day`: the earliest d with dueOn(d) ≥ day.
 * A household is covered on `day` exactly when it was visited on or after this day (and by `day`).
 */
export function coveredSince(day: string): string {
  // dueOn is non-decreasing, so step from the naive answer to the exact one (a few days at most).
  let d = addMonths(day, -VISIT_INTERVAL_MONTHS);
  while (dueOn(d) >= day) d = shiftDay(d, -1);
  d = shiftDay(d, 1);
  while (dueOn(d) < day) d = shiftDay(d, 1);
  return d;
}

/** The last calendar day of a month 'yyyy-mm'. */
export function monthEnd(month: string): string {
  return shiftDay(addMonths(`${month}-01`, 1), -1);
}

/** Covered households as a share of all (0 when there are none), rounded to 4 decimals. */
export function coverageRate(visited: number, households: number): number {
  return households === 0 ? 0 : Math.round((visited / households) * 10_000) / 10_000;
}

// ---- API shapes (the server's zod schemas are typed against these) ----

export interface UnitRefLite {
  id: string;
  code: string;
  name: string;
}

export interface NeedView {
  id: string;
  kind: NeedKind;
  description: string;
  status: NeedStatus;
  /** Still to be met: open, or referred to a case not yet in a final state. */
  open: boolean;
  case: { id: string; number: string; state: string } | null;
  referredAt: string | null;
  resolution: string | null;
  resolvedBy: { id: string; name: string } | null;
  resolvedAt: string | null;
  createdAt: string;
  abilities: { refer: boolean; resolve: boolean };
}

export interface VisitView {
  id: string;
  household: { id: string; address: string; dissolved: boolean };
  unit: UnitRefLite;
  visitor: { id: string; name: string };
  visitedAt: string;
  night: boolean;
  findings: string;
  needs: NeedView[];
  photos: { key: string; thumbUrl: string; publicUrl: string }[];
  synthetic: boolean;
  createdAt: string;
}

export interface DueItemView {
  household: { id: string; address: string; members: number };
  unit: UnitRefLite;
  /** The head's name (names are not masked; ID numbers and phones never appear here). */
  head: { id: string; name: string } | null;
  lastVisitedAt: string | null;
  /** Last day the latest visit keeps the household covered; null when never visited. */
  dueOn: string | null;
  overdue: boolean;
}

export interface CoverageFiguresView {
  households: number;
  covered: number;
  overdue: number;
  neverVisited: number;
  rate: number;
}

export interface CoverageRowView extends CoverageFiguresView {
  unit: UnitRefLite & { level: string };
}

export interface CoverageView {
  /** The day counted (Beijing), and the first visit day that still covers a household on it. */
  day: string;
  coveredSince: string;
  unit: UnitRefLite & { level: string };
  total: CoverageFiguresView;
  committees: CoverageRowView[];
  grids: CoverageRowView[];
}

/**
 * Statistical periods in China Standard Time (+08:00): a day, an ISO week (Monday to Sunday), a
 * month, a quarter, a year, or a custom run of days; each with the period before it (环比) and the
 * same period a year earlier (同比):
 * - 环比: the day, week, month, quarter or year before; for a custom period the same number of
 *   days just before it.
 * - 同比: the same dates a year earlier (29 February becomes 28 February); for a week, the week
 *   52 weeks earlier (so Monday stays Monday).
 */
import { civilFromDays, DAY_MS, daysFromCivil, formatDay, OFFSET_MS, parseDay, weekdayOf } from '../calendar/civil.js';
import { AppError, type FieldProblem } from '../http/app-error.js';

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Longest custom period, in days (three years). */
export const MAX_CUSTOM_DAYS = 1096;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/** Days as day numbers (days since 1970-01-01 in +08:00), both ends included. */
export interface DayRange {
  from: number;
  to: number;
}

export interface Period extends DayRange {
  kind: PeriodKind;
  previous: DayRange;
  lastYear: DayRange;
}

export interface PeriodQuery {
  period: PeriodKind;
  date?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const fail = (fields: FieldProblem[]): never => {
  throw new AppError('INDICATOR_PERIOD_INVALID', { fields });
};

function day(text: string | undefined, path: string): number {
  if (text === undefined) return fail([{ path, reason: 'required (yyyy-mm-dd)' }]);
  const n = parseDay(text);
  if (n === null) return fail([{ path, reason: 'not a date (yyyy-mm-dd)' }]);
  const { year } = civilFromDays(n);
  if (year < FIRST_YEAR || year > LAST_YEAR) fail([{ path, reason: `year between ${FIRST_YEAR} and ${LAST_YEAR}` }]);
  return n;
}

const daysInMonth = (year: number, month: number) =>
  (month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)) - daysFromCivil(year, month, 1);

/** The same date a year earlier (29 February → 28 February). */
function yearEarlier(n: number): number {
  const { year, month, day: d } = civilFromDays(n);
  return daysFromCivil(year - 1, month, Math.min(d, daysInMonth(year - 1, month)));
}

const monthStart = (year: number, month: number) => daysFromCivil(year, month, 1);
const monthRange = (year: number, month: number, months: number): DayRange => {
  const end = month + months;
  return { from: monthStart(year, month), to: monthStart(year + Math.floor((end - 1) / 12), ((end - 1) % 12) + 1) - 1 };
};

/** Parses and checks a period; a bad one is INDICATOR_PERIOD_INVALID (422) naming the field. */
export function parsePeriod(query: PeriodQuery): Period {
  if (query.period === 'custom') {
    const from = day(query.from, 'query.from');
    const to = day(query.to, 'query.to');
    if (to < from) fail([{ path: 'query.to', reason: 'before from' }]);
    const days = to - from + 1;
    if (days > MAX_CUSTOM_DAYS) fail([{ path: 'query.to', reason: `at most ${MAX_CUSTOM_DAYS} days` }]);
    return {
      kind: 'custom',
      from,
      to,
      previous: { from: from - days, to: from - 1 },
      lastYear: { from: yearEarlier(from), to: yearEarlier(to) },
    };
  }
  const n = day(query.date, 'query.date');
  const { year, month } = civilFromDays(n);
  switch (query.period) {
    case 'day':
      return {
        kind: 'day',
        from: n,
        to: n,
        previous: { from: n - 1, to: n - 1 },
        lastYear: { from: yearEarlier(n), to: yearEarlier(n) },
      };
    case 'week': {
      const monday = n - ((weekdayOf(n) + 6) % 7);
      return {
        kind: 'week',
        from: monday,
        to: monday + 6,
        previous: { from: monday - 7, to: monday - 1 },
        lastYear: { from: monday - 364, to: monday - 358 },
      };
    }
    case 'month':
      return {
        kind: 'month',
        ...monthRange(year, month, 1),
        previous: month === 1 ? monthRange(year - 1, 12, 1) : monthRange(year, month - 1, 1),
        lastYear: monthRange(year - 1, month, 1),
      };
    case 'quarter': {
      const first = month - ((month - 1) % 3);
      return {
        kind: 'quarter',
        ...monthRange(year, first, 3),
        previous: first === 1 ? monthRange(year - 1, 10, 3) : monthRange(year, first - 3, 3),
        lastYear: monthRange(year - 1, first, 3),
      };
    }
    case 'year':
      return {
        kind: 'year',
        ...monthRange(year, 1, 12),
        previous: monthRange(year - 1, 1, 12),
        lastYear: monthRange(year - 1, 1, 12),
      };
    default:
      return fail([{ path: 'query.period', reason: `one of day, week, month, quarter, year, custom` }]);
  }
}

/** The first instant of a day number in +08:00. */
export const dayStart = (n: number): Date => new Date(n * DAY_MS - OFFSET_MS);

/** A range as 'yyyy-mm-dd' dates, both ends included. */
export const formatRange = (r: DayRange) => ({ from: formatDay(r.from), to: formatDay(r.to) });

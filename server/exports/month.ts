/**
 * Months as the assessment and the open data take them: `yyyy-mm` in China Standard Time, years
 * 2000–2100 like the indicator periods (period.ts). A bad month is MONTH_INVALID naming the field.
 */
import { daysFromCivil, formatDay } from '../calendar/civil.js';
import { AppError } from '../http/app-error.js';
import type { DayRange } from '../indicators/period.js';

export interface Month {
  year: number;
  month: number;
}

/** Longest run of months one open-data answer covers. */
export const MAX_MONTHS = 12;

export const MONTH_PATTERN = /^\d{4}-\d{2}$/;

const invalid = (path: string, reason: string) => new AppError('MONTH_INVALID', { fields: [{ path, reason }] });

export function parseMonth(text: string, path: string): Month {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) throw invalid(path, 'yyyy-mm');
  const [year, month] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12) throw invalid(path, 'month 01–12');
  if (year < 2000 || year > 2100) throw invalid(path, 'year between 2000 and 2100');
  return { year, month };
}

const index = (m: Month) => m.year * 12 + m.month - 1;

/** The days from the first of `from` to the last of `to` (both included); `to` not before `from`, at most MAX_MONTHS. */
export function monthsRange(from: Month, to: Month, toPath: string): DayRange {
  const months = index(to) - index(from) + 1;
  if (months < 1) throw invalid(toPath, 'before from');
  if (months > MAX_MONTHS) throw invalid(toPath, `at most ${MAX_MONTHS} months`);
  const next = index(to) + 1;
  return {
    from: daysFromCivil(from.year, from.month, 1),
    to: daysFromCivil(Math.floor(next / 12), (next % 12) + 1, 1) - 1,
  };
}

export const formatMonth = (m: Month) => `${m.year}-${String(m.month).padStart(2, '0')}`;

/** The first day of the month as `yyyy-mm-dd` (what parsePeriod takes for a month). */
export const firstDay = (m: Month) => formatDay(daysFromCivil(m.year, m.month, 1));

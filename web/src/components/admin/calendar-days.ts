/**
 * What each day of a year is, from the days the server lists (it leaves plain weekdays and weekends
 * out): a statutory holiday, a make-up working day (调休), an administrator's override either way,
 * a weekend or a working day. Dates are civil days (no time zone): arithmetic runs in UTC.
 */
import type { CalendarDay } from '@/api/admin';

export type DayKind = 'holiday' | 'makeup' | 'override_holiday' | 'override_workday' | 'weekend' | 'workday';

export const DAY_KINDS: readonly DayKind[] = [
  'holiday',
  'makeup',
  'override_holiday',
  'override_workday',
  'weekend',
  'workday',
];

export interface DayCell {
  /** yyyy-mm-dd */
  day: string;
  date: number;
  /** 0 = Monday … 6 = Sunday (weeks in China start on Monday). */
  column: number;
  kind: DayKind;
  entry: CalendarDay | null;
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

export const dayString = (year: number, month: number, date: number) => `${year}-${pad(month)}-${pad(date)}`;

/** The civil day `delta` days after `day`. */
export function addDays(day: string, delta: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d) + delta * DAY_MS);
  return dayString(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate());
}

/** Today in Beijing. */
export function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

export function kindOf(entry: CalendarDay | null, weekend: boolean): DayKind {
  if (entry?.source === 'override') return entry.workday ? 'override_workday' : 'override_holiday';
  if (entry?.source === 'statutory') return entry.workday ? 'makeup' : 'holiday';
  if (entry) return entry.workday ? 'workday' : 'weekend';
  return weekend ? 'weekend' : 'workday';
}

/** The days of one month (1–12) with their kinds. */
export function monthCells(year: number, month: number, byDay: ReadonlyMap<string, CalendarDay>): DayCell[] {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells: DayCell[] = [];
  for (let date = 1; date <= days; date++) {
    const weekday = new Date(Date.UTC(year, month - 1, date)).getUTCDay();
    const day = dayString(year, month, date);
    const entry = byDay.get(day) ?? null;
    cells.push({ day, date, column: (weekday + 6) % 7, kind: kindOf(entry, weekday === 0 || weekday === 6), entry });
  }
  return cells;
}

/** A civil day in words, e.g. 2026年12月16日星期三 / Wednesday, December 16, 2026. */
export function longDay(day: string, locale: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

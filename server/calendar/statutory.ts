/**
 * The statutory calendar from `chinese-days`: public holidays and make-up working days (调休) as
 * published by the State Council. Its data covers 2004–2026 (package 1.5.7); other years are plain
 * Monday–Friday, which is why `scheduleKnown` exists.
 *
 * We read the package's data file rather than call its functions: they parse dates in the
 * machine's time zone and answer the wrong day west of UTC (`getDayDetail('2026-10-10')` under
 * TZ=America/Los_Angeles says "not a working day"), and they parse a string per call, far too slow
 * for a deadline sweep. The data file is the same table the functions use (checked day by day,
 * 2003–2027, under Asia/Shanghai).
 */
import { createRequire } from 'node:module';
import { parseDay } from './civil.js';

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

function isData(value: unknown): value is ChineseDaysData {
  if (typeof value !== 'object' || value === null) return false;
  const { holidays, workdays } = value as Record<string, unknown>;
  return typeof holidays === 'object' && holidays !== null && typeof workdays === 'object' && workdays !== null;
}

function dayNumbers(days: Record<string, string>): Set<number> {
  const set = new Set<number>();
  for (const day of Object.keys(days)) {
    const n = parseDay(day);
    if (n !== null) set.add(n);
  }
  return set;
}

const data: unknown = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json');
if (!isData(data)) throw new Error('chinese-days/dist/chinese-days.json has an unexpected shape');

/** Day numbers of statutory holidays (weekdays and weekends alike). */
const HOLIDAYS = dayNumbers(data.holidays);
/** Day numbers of make-up working days (weekends worked in exchange for a holiday). */
const MAKE_UP_WORKDAYS = dayNumbers(data.workdays);
const KNOWN_YEARS = new Set(
  Object.keys(data.holidays)
    .filter((day) => day.endsWith('-01-01'))
    .map((day) => Number(day.slice(0, 4))),
);

/**
 * The statutory answer for a day number: a holiday is off, a make-up day is on, else Monday–Friday
 * (`weekday`: 0 = Sunday … 6 = Saturday).
 */
export function statutoryWorkday(dayNumber: number, weekday: number): boolean {
  if (HOLIDAYS.has(dayNumber)) return false;
  if (MAKE_UP_WORKDAYS.has(dayNumber)) return true;
  return weekday !== 0 && weekday !== 6;
}

/**
 * Whether `chinese-days` holds the official schedule of `year`. Every official schedule makes
 * 1 January New Year's Day (元旦) a holiday; a year without data has no entry for it.
 */
export function scheduleKnown(year: number): boolean {
  return KNOWN_YEARS.has(year);
}

const TABLE: ChineseDaysData = data;

export interface StatutoryDay {
  kind: 'holiday' | 'make_up_workday';
  name: { zh: string; en: string };
}

/** Whether a day is a statutory holiday or make-up working day (调休), with the festival's name; null otherwise. */
export function statutoryDay(day: string): StatutoryDay | null {
  const holiday = TABLE.holidays[day];
  const workday = holiday === undefined ? TABLE.workdays[day] : undefined;
  const entry = holiday ?? workday;
  if (entry === undefined) return null;
  const [en = '', zh = ''] = entry.split(',');
  return { kind: holiday !== undefined ? 'holiday' : 'make_up_workday', name: { zh, en } };
}

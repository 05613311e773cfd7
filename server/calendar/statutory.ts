/**
 * The statutory calendar from `chinese-days`: public holidays and make-up working days (调休) as
 * published by the State Council. Its data covers 2004–2026 (package 1.5.7); for other years it
 * silently answers plain Monday–Friday, which is why `scheduleKnown` exists.
 *
 * Each year is read once per process into a bitmap (about 2 ms a year): the library parses a date
 * per call, far too slow for the inner loop of a deadline sweep.
 */
import chineseDays from 'chinese-days';
import { daysFromCivil, formatDay } from './civil.js';

interface YearTable {
  first: number;
  workday: Uint8Array;
}

const tables = new Map<number, YearTable>();
const known = new Map<number, boolean>();

function tableOf(year: number): YearTable {
  let table = tables.get(year);
  if (!table) {
    const first = daysFromCivil(year, 1, 1);
    const length = daysFromCivil(year + 1, 1, 1) - first;
    const workday = new Uint8Array(length);
    for (let i = 0; i < length; i++) workday[i] = chineseDays.getDayDetail(formatDay(first + i)).work ? 1 : 0;
    table = { first, workday };
    tables.set(year, table);
  }
  return table;
}

/** Whether the statutory calendar makes this day (a day number in `year`) a working day. */
export function statutoryWorkday(dayNumber: number, year: number): boolean {
  const table = tableOf(year);
  return table.workday[dayNumber - table.first] === 1;
}

/**
 * Whether `chinese-days` holds the official schedule of `year`. Probe: every official schedule
 * names 1 January New Year's Day (元旦); a year without data answers with the weekday's name.
 */
export function scheduleKnown(year: number): boolean {
  let answer = known.get(year);
  if (answer === undefined) {
    answer = chineseDays.getDayDetail(`${String(year).padStart(4, '0')}-01-01`).name.includes('元旦');
    known.set(year, answer);
  }
  return answer;
}

/**
 * Working hours: the periods of a working day, e.g. 09:00–12:00 and 13:00–17:30, the same for
 * every working day. Stored in `setting` under `calendar.workingHours` as [["09:00","12:00"], …].
 */
import type { FieldProblem } from '../http/app-error.js';
import { parseClock } from './civil.js';

export type WorkingHours = [string, string][];

/** Used while the setting is absent. */
export const DEFAULT_WORKING_HOURS: WorkingHours = [
  ['09:00', '12:00'],
  ['13:00', '17:30'],
];

export const MAX_PERIODS = 8;

/** A period in minutes since midnight, start < end. */
export interface Period {
  start: number;
  end: number;
}

/**
 * Checks working hours: 1–8 periods of two 'HH:MM' strings (00:00–24:00), each starting before it
 * ends, in ascending order, not overlapping (one may start when the previous ends).
 * `path` prefixes each problem's path (e.g. 'body.workingHours').
 */
export function checkWorkingHours(
  value: unknown,
  path = 'workingHours',
): { periods: Period[]; problems: [] } | { periods: null; problems: FieldProblem[] } {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PERIODS)
    return { periods: null, problems: [{ path, reason: `1 to ${MAX_PERIODS} periods ["HH:MM","HH:MM"] are needed` }] };
  const problems: FieldProblem[] = [];
  const periods: Period[] = [];
  value.forEach((pair: unknown, i) => {
    const at = `${path}.${i}`;
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      problems.push({ path: at, reason: 'must be a pair ["HH:MM","HH:MM"]' });
      return;
    }
    const start = parseClock(pair[0]);
    const end = parseClock(pair[1]);
    if (start === null || end === null) {
      problems.push({ path: at, reason: 'times must be HH:MM between 00:00 and 24:00' });
      return;
    }
    if (start >= end) {
      problems.push({ path: at, reason: 'must start before it ends' });
      return;
    }
    const previous = periods.at(-1);
    if (previous && start < previous.end)
      problems.push({ path: at, reason: 'must start after the previous period ends (ascending, no overlap)' });
    periods.push({ start, end });
  });
  return problems.length ? { periods: null, problems } : { periods, problems: [] };
}

/** Parses '09:00-12:00,13:00-17:30' (the command line's form) into pairs; null when malformed. */
export function parseHoursText(text: string): WorkingHours | null {
  const pairs: WorkingHours = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d{1,2}:\d{2})\s*[-–~]\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!m?.[1] || !m[2]) return null;
    pairs.push([m[1].padStart(5, '0'), m[2].padStart(5, '0')]);
  }
  return pairs;
}

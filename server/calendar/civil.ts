/**
 * Civil-date arithmetic in China Standard Time (UTC+8, no daylight saving since 1991), done with
 * integers rather than Intl or Date string parsing so that the calendar's inner loops stay cheap.
 *
 * A "day number" counts days since 1970-01-01 in +08:00 wall time; "wall ms" is an instant's
 * epoch milliseconds plus eight hours, so that `floor(wall / DAY_MS)` is its day number.
 */

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;
/** Asia/Shanghai is UTC+8 all year round. */
export const OFFSET_MS = 8 * 3_600_000;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Day number (days since 1970-01-01) of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date of a day number (inverse of daysFromCivil). */
export function civilFromDays(dayNumber: number): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'yyyy-mm-dd' of a day number. */
export function formatDay(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The day number of a real 'yyyy-mm-dd' date (1000–9999), or null (bad shape, 2026-02-30 …). */
export function parseDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;
  const n = daysFromCivil(year, month, day);
  return civilFromDays(n).day === day ? n : null;
}

/** Minutes since midnight of 'HH:MM' (00:00–24:00), or null. */
export function parseClock(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/** ISO 8601 in +08:00, e.g. `2026-10-12T17:30:00+08:00` (milliseconds only when there are any). */
export function toShanghaiIso(at: Date): string {
  const wall = at.getTime() + OFFSET_MS;
  const dayNumber = Math.floor(wall / DAY_MS);
  let rest = wall - dayNumber * DAY_MS;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const clock = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor(rest / 60) % 60)}:${pad(rest % 60)}`;
  return `${formatDay(dayNumber)}T${clock}${ms ? `.${pad(ms, 3)}` : ''}+08:00`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO 8601 date-time (`2026-09-30T16:00:00+08:00`, `…Z`, `2026-09-30 16:00`, `2026-09-30`).
 * Without an offset the wall time is read in Asia/Shanghai (+08:00), never in the machine's zone.
 * Returns null when the text is not a real instant.
 */
export function parseInstant(text: string): Date | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const dayNumber = parseDay(`${m[1]}-${m[2]}-${m[3]}`);
  const [h, min, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (dayNumber === null || h > 23 || min > 59 || s > 59) return null;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let offset = OFFSET_MS;
  const zone = m[8];
  if (zone === 'Z' || zone === 'z') offset = 0;
  else if (zone) {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || 0);
    if (oh > 14 || om > 59) return null;
    offset = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om) * MINUTE_MS;
  }
  return new Date(dayNumber * DAY_MS + ((h * 60 + min) * 60 + s) * 1000 + ms - offset);
}

/** Is an ISO 8601 text a real calendar time? JavaScript would read 2026-02-30 as 2 March. */
export function isCalendarTime(text: string): boolean {
  const [y, m, d, hh, mm, ss] = text.split(/[-T :.Z+]/).map(Number) as number[];
  if (y === undefined || m === undefined || d === undefined) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return m >= 1 && m <= 12 && d >= 1 && d <= days && (hh ?? 0) < 24 && (mm ?? 0) < 60 && (ss ?? 0) < 60;
}

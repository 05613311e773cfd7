/**
 * The one calendar module (DESIGN rule 8): every due time, elapsed working time and remaining time
 * is computed here, never by ad-hoc date arithmetic. Pure: the database is read by
 * calendar.repository.ts (`loadCalendar`), which builds this from the settings and overrides.
 *
 * The rules (they are law; the tests pin each one):
 *
 * - Time zone: Asia/Shanghai, UTC+8 all year; "days" are +08:00 calendar days.
 * - Working day: an administrator's override for the date wins; else the statutory calendar
 *   (`chinese-days`: public holidays off, make-up working days 调休 on); else Monday–Friday.
 * - Working time: the configured periods (default 09:00–12:00 and 13:00–17:30) of working days,
 *   each period half-open [start, end). Nothing else counts: nights, lunch breaks, weekends, holidays.
 * - `natural_minutes` / `natural_hours`: plain elapsed time; the calendar is ignored.
 * - `working_hours`: the due time is where `amount` hours of working time have been consumed
 *   after `from`. A start outside working time (a report at 20:00 or 03:00, at lunch, on a holiday)
 *   therefore starts counting at the next working period's start.
 * - `working_days`: one working day is the working time of one day (7.5 h by default), so
 *   N working days = N × that, consumed like `working_hours`. Inside working time this is the same
 *   clock position N working days later (16:00 Wednesday + 1 → 16:00 on the next working day).
 *   From outside working time, counting starts at the next working period's start and the due
 *   time is the END of the Nth working day counted from that day (report Friday 20:00 + 1 → the
 *   next working day at 17:30). Fractions work (0.5 working day = 3 h 45 min by default).
 * - Boundaries: when the amount runs out exactly at the end of a period, the due time is that
 *   end (12:00, 17:30), never the start of the next period.
 * - An amount of 0 returns `from` unchanged; negative or non-finite amounts throw RangeError.
 * - Deferral (暂停/缓办) stops the clock: `shiftForPause` moves the due time by the working (or,
 *   for natural units, elapsed) time between pause and resumption. Extension moves the due time:
 *   `addLimit(dueAt, amount, unit)`.
 */
import { civilFromDays, DAY_MS, formatDay, MINUTE_MS, OFFSET_MS, parseDay, weekdayOf } from './civil.js';
import { scheduleKnown, statutoryWorkday } from './statutory.js';
import { checkWorkingHours, type Period, type WorkingHours } from './working-hours.js';

export const LIMIT_UNITS = ['natural_minutes', 'natural_hours', 'working_hours', 'working_days'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];
export type DayKind = 'workday' | 'holiday';
export { DEFAULT_WORKING_HOURS, type WorkingHours } from './working-hours.js';

export interface WorkingCalendarOptions {
  /** Periods of a working day, e.g. [['09:00','12:00'], ['13:00','17:30']]. */
  workingHours: readonly (readonly [string, string])[];
  /** Administrator's days, 'yyyy-mm-dd' → kind; they win over the statutory calendar. */
  overrides?: ReadonlyMap<string, DayKind> | Readonly<Record<string, DayKind>>;
  /** Only Asia/Shanghai (UTC+8) is supported. */
  timeZone?: 'Asia/Shanghai';
}

/** Time left until (or, when overdue, past) a due time; amounts are magnitudes, rounded up to minutes. */
export interface Remaining {
  overdue: boolean;
  /** 'working': a day is one working day of working time; 'natural': a day is 24 h. */
  basis: 'working' | 'natural';
  totalMinutes: number;
  days: number;
  hours: number;
  minutes: number;
  /** e.g. '剩余 1 个工作日 3 小时', '已超时 20 分钟'. */
  zh: string;
  /** e.g. '1 working day 3 h left', 'overdue by 20 min'. */
  en: string;
}

export interface CoverageWarning {
  year: number;
  zh: string;
  en: string;
}

/** A working day longer than a year away means no working days are left; stop instead of looping. */
const MAX_IDLE_DAYS = 400;

const isWorkingUnit = (unit: LimitUnit) => unit === 'working_hours' || unit === 'working_days';

export class WorkingCalendar {
  /** The working hours as given (normalised copy). */
  readonly workingHours: WorkingHours;
  /** Working minutes in one working day (450 for the default hours). */
  readonly minutesPerDay: number;
  private readonly periods: { start: number; end: number }[];
  private readonly overrides = new Map<number, boolean>();
  private readonly overrideYears = new Set<number>();

  constructor(options: WorkingCalendarOptions) {
    if (options.timeZone !== undefined && options.timeZone !== 'Asia/Shanghai')
      throw new RangeError(`unsupported time zone ${String(options.timeZone)}`);
    const checked = checkWorkingHours(options.workingHours);
    if (!checked.periods)
      throw new RangeError(`invalid working hours: ${checked.problems.map((p) => `${p.path} ${p.reason}`).join('; ')}`);
    this.workingHours = options.workingHours.map(([s, e]) => [s, e]);
    this.periods = checked.periods.map((p: Period) => ({ start: p.start * MINUTE_MS, end: p.end * MINUTE_MS }));
    this.minutesPerDay = checked.periods.reduce((sum, p) => sum + p.end - p.start, 0);
    const entries = options.overrides instanceof Map ? [...options.overrides] : Object.entries(options.overrides ?? {});
    for (const [day, kind] of entries) {
      const n = parseDay(day);
      if (n === null || (kind !== 'workday' && kind !== 'holiday'))
        throw new RangeError(`invalid override ${day}: ${String(kind)}`);
      this.overrides.set(n, kind === 'workday');
      this.overrideYears.add(civilFromDays(n).year);
    }
  }

  /** Whether 'yyyy-mm-dd' is a working day: override, else statutory calendar, else Monday–Friday. */
  isWorkday(day: string): boolean {
    const n = parseDay(day);
    if (n === null) throw new RangeError(`not a date: ${day}`);
    return this.workdayNumber(n);
  }

  /** Whether the instant lies inside a working period of a working day. */
  isWorkingTime(at: Date): boolean {
    const wall = instantMs(at) + OFFSET_MS;
    const day = Math.floor(wall / DAY_MS);
    const offset = wall - day * DAY_MS;
    return this.workdayNumber(day) && this.periods.some((p) => offset >= p.start && offset < p.end);
  }

  /** The due time of a limit starting at `from` (see the rules at the top of this file). */
  addLimit(from: Date, amount: number, unit: LimitUnit): Date {
    const start = instantMs(from);
    if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`invalid amount ${amount}`);
    switch (unit) {
      case 'natural_minutes':
        return new Date(start + Math.round(amount * MINUTE_MS));
      case 'natural_hours':
        return new Date(start + Math.round(amount * 60 * MINUTE_MS));
      case 'working_hours':
        return new Date(this.addWorkingMs(start, Math.round(amount * 60 * MINUTE_MS)));
      case 'working_days':
        return new Date(this.addWorkingMs(start, Math.round(amount * this.minutesPerDay * MINUTE_MS)));
      default:
        throw new RangeError(`unknown limit unit ${String(unit)}`);
    }
  }

  /** Working minutes in [a, b) (fractional when seconds are involved); negative when b is before a. */
  workingMinutesBetween(a: Date, b: Date): number {
    const [from, to] = [instantMs(a), instantMs(b)];
    return from <= to ? this.workingMsBetween(from, to) / MINUTE_MS : -this.workingMsBetween(to, from) / MINUTE_MS;
  }

  /**
   * Time left from `now` until `dueAt`, in working time for working units and elapsed time for
   * natural ones; when `now` is past `dueAt`, `overdue` and how far past.
   */
  remaining(now: Date, dueAt: Date, unit: LimitUnit): Remaining {
    const [a, b] = [instantMs(now), instantMs(dueAt)];
    const overdue = a > b;
    const [from, to] = overdue ? [b, a] : [a, b];
    const working = isWorkingUnit(unit);
    const ms = working ? this.workingMsBetween(from, to) : to - from;
    const totalMinutes = Math.ceil(ms / MINUTE_MS);
    const perDay = working ? this.minutesPerDay : 24 * 60;
    const days = Math.floor(totalMinutes / perDay);
    const rest = totalMinutes - days * perDay;
    const hours = Math.floor(rest / 60);
    const minutes = rest - hours * 60;
    const zhParts = [
      days ? `${days} ${working ? '个工作日' : '天'}` : '',
      hours ? `${hours} 小时` : '',
      minutes || totalMinutes === 0 ? `${minutes} 分钟` : '',
    ].filter(Boolean);
    const enParts = [
      days ? `${days} ${working ? 'working ' : ''}day${days === 1 ? '' : 's'}` : '',
      hours ? `${hours} h` : '',
      minutes || totalMinutes === 0 ? `${minutes} min` : '',
    ].filter(Boolean);
    return {
      overdue,
      basis: working ? 'working' : 'natural',
      totalMinutes,
      days,
      hours,
      minutes,
      zh: overdue ? `已超时 ${zhParts.join(' ')}` : `剩余 ${zhParts.join(' ')}`,
      en: overdue ? `overdue by ${enParts.join(' ')}` : `${enParts.join(' ')} left`,
    };
  }

  /**
   * The due time after a pause: `dueAt` moved by the working time (natural time for natural units)
   * between `pausedFrom` and `resumedAt`. A pause that consumed no working time (a night, a
   * holiday) leaves the due time as it was. Equivalent to "what was left at the pause, counted
   * again from the resumption".
   */
  shiftForPause(dueAt: Date, pausedFrom: Date, resumedAt: Date, unit: LimitUnit): Date {
    const [due, paused, resumed] = [instantMs(dueAt), instantMs(pausedFrom), instantMs(resumedAt)];
    if (resumed <= paused) return new Date(due);
    if (!isWorkingUnit(unit)) return new Date(due + resumed - paused);
    return new Date(this.addWorkingMs(due, this.workingMsBetween(paused, resumed)));
  }

  /** Whether `year`'s official schedule is known: `chinese-days` has it, or an override lies in it. */
  hasScheduleFor(year: number): boolean {
    return scheduleKnown(year) || this.overrideYears.has(year);
  }

  /**
   * A warning when the current year, or — from 1 December — the coming year, has no official
   * schedule (then working days fall back to Monday–Friday); null when all is well.
   */
  coverageWarning(now: Date): CoverageWarning | null {
    const today = civilFromDays(Math.floor((instantMs(now) + OFFSET_MS) / DAY_MS));
    if (!this.hasScheduleFor(today.year)) return missingSchedule(today.year);
    if (today.month === 12 && !this.hasScheduleFor(today.year + 1)) return missingSchedule(today.year + 1);
    return null;
  }

  /** Working-day flag of a day number: override, else statutory (which falls back to weekdays). */
  private workdayNumber(day: number): boolean {
    const override = this.overrides.get(day);
    return override ?? statutoryWorkday(day, weekdayOf(day));
  }

  /** The instant where `amount` ms of working time after `start` have been consumed. O(days). */
  private addWorkingMs(start: number, amount: number): number {
    if (amount === 0) return start;
    let day = Math.floor((start + OFFSET_MS) / DAY_MS);
    let offset = start + OFFSET_MS - day * DAY_MS;
    let left = amount;
    let idle = 0;
    for (;;) {
      if (this.workdayNumber(day)) {
        idle = 0;
        for (const p of this.periods) {
          if (offset >= p.end) continue;
          const begin = Math.max(offset, p.start);
          const available = p.end - begin;
          if (left <= available) return day * DAY_MS + begin + left - OFFSET_MS;
          left -= available;
        }
      } else if (++idle > MAX_IDLE_DAYS) throw new RangeError(`no working day after ${formatDay(day - idle)}`);
      day += 1;
      offset = 0;
    }
  }

  /** Working ms in [from, to), from <= to. O(days). */
  private workingMsBetween(from: number, to: number): number {
    const lastDay = Math.floor((to + OFFSET_MS) / DAY_MS);
    let total = 0;
    for (let day = Math.floor((from + OFFSET_MS) / DAY_MS); day <= lastDay; day++) {
      if (!this.workdayNumber(day)) continue;
      const base = day * DAY_MS - OFFSET_MS;
      for (const p of this.periods) {
        const overlap = Math.min(to, base + p.end) - Math.max(from, base + p.start);
        if (overlap > 0) total += overlap;
      }
    }
    return total;
  }
}

function instantMs(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid date');
  return ms;
}

function missingSchedule(year: number): CoverageWarning {
  return {
    year,
    zh: `${year} 年的法定节假日及调休安排尚未录入，工作日暂按周一至周五计算。请在国务院办公厅公布后录入（gridloop calendar set-day）。`,
    en: `The official holiday schedule for ${year} has not been entered; working days fall back to Monday–Friday. Enter it once the State Council publishes it (gridloop calendar set-day).`,
  };
}

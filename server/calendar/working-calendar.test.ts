/**
 * The calendar's rules, pinned by hand-computed examples. Default working hours 09:00–12:00 and
 * 13:00–17:30 (7.5 h a working day). Every time is +08:00.
 *
 * chinese-days 1.5.7's 2026 data, as printed before writing these tests:
 *   Spring Festival: Sat 02-14 make-up WORKDAY; Sun 02-15 … Mon 02-23 holiday; Tue 02-24 back;
 *                    Sat 02-28 make-up WORKDAY.
 *   Mid-Autumn / National Day: Sun 09-20 make-up WORKDAY; Fri 09-25 Mid-Autumn holiday (Sat 26,
 *                    Sun 27 off); Mon 09-28 … Wed 09-30 work; Thu 10-01 … Wed 10-07 holiday;
 *                    Thu 10-08, Fri 10-09 work; Sat 10-10 make-up WORKDAY; Sun 10-11 off; Mon 10-12 work.
 *   2027: no data (1 January answers "Friday", a workday) — the reason for overrides and warnings.
 */
import { describe, expect, it } from 'vitest';
import { parseDay, parseInstant, toShanghaiIso } from './civil.js';
import { DEFAULT_WORKING_HOURS, type LimitUnit, WorkingCalendar } from './working-calendar.js';

const calendar = new WorkingCalendar({ workingHours: DEFAULT_WORKING_HOURS });

/** A +08:00 wall time ('2026-09-30 16:00') as a Date. */
function at(text: string): Date {
  const date = parseInstant(text);
  if (!date) throw new Error(`bad test time ${text}`);
  return date;
}

/** The due time, as '2026-10-10 16:00' for readable expectations. */
function due(from: string, amount: number, unit: LimitUnit, cal = calendar): string {
  return toShanghaiIso(cal.addLimit(at(from), amount, unit))
    .slice(0, 16)
    .replace('T', ' ');
}

describe('statutory calendar (chinese-days 2026)', () => {
  it('knows the National Day and Mid-Autumn holidays of 2026 and their make-up working days', () => {
    const expected: Record<string, boolean> = {
      '2026-09-19': false, // Saturday, ordinary weekend
      '2026-09-20': true, // Sunday, make-up working day for National Day
      '2026-09-24': true, // Thursday
      '2026-09-25': false, // Friday, Mid-Autumn Festival
      '2026-09-26': false, // Saturday
      '2026-09-27': false, // Sunday
      '2026-09-28': true, // Monday
      '2026-09-30': true, // Wednesday
      '2026-10-01': false, // National Day holiday, Thursday …
      '2026-10-05': false, // … Monday inside the holiday …
      '2026-10-07': false, // … to Wednesday
      '2026-10-08': true, // Thursday, back to work
      '2026-10-09': true, // Friday
      '2026-10-10': true, // Saturday, make-up working day
      '2026-10-11': false, // Sunday
      '2026-10-12': true, // Monday
    };
    for (const [day, work] of Object.entries(expected)) expect([day, calendar.isWorkday(day)]).toEqual([day, work]);
  });

  it('knows the Spring Festival of 2026 with its two make-up Saturdays', () => {
    expect(calendar.isWorkday('2026-02-14')).toBe(true); // Saturday, make-up
    for (let d = 15; d <= 23; d++) expect(calendar.isWorkday(`2026-02-${d}`)).toBe(false);
    expect(calendar.isWorkday('2026-02-24')).toBe(true);
    expect(calendar.isWorkday('2026-02-28')).toBe(true); // Saturday, make-up
    expect(calendar.isWorkday('2026-03-01')).toBe(false); // Sunday
  });
});

describe('working days across National Day 2026', () => {
  it('counts the same clock position N working days later, skipping the holiday, using the make-up Saturday', () => {
    // Wed 09-30 16:00; working days after it: Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 make-up (3).
    expect(due('2026-09-30 16:00', 1, 'working_days')).toBe('2026-10-08 16:00');
    expect(due('2026-09-30 16:00', 3, 'working_days')).toBe('2026-10-10 16:00');
    // Sun 10-11 is off, so the 4th is Mon 10-12.
    expect(due('2026-09-30 16:00', 4, 'working_days')).toBe('2026-10-12 16:00');
  });

  it('a report during the holiday or after hours before it ends at the end of the Nth working day', () => {
    // Sat 10-03 is a holiday: counting starts Thu 10-08 09:00; 1 working day ends 10-08 17:30.
    expect(due('2026-10-03 10:00', 1, 'working_days')).toBe('2026-10-08 17:30');
    // Wed 09-30 20:00 is after hours; the next period starts 10-08 09:00; 3 working days end on
    // the make-up Saturday 10-10 at 17:30.
    expect(due('2026-09-30 20:00', 3, 'working_days')).toBe('2026-10-10 17:30');
  });

  it('working hours run out before the holiday and resume after it', () => {
    // 16:30–17:30 on 09-30 is 1 h; the second hour is 10-08 09:00–10:00.
    expect(due('2026-09-30 16:30', 2, 'working_hours')).toBe('2026-10-08 10:00');
    // Thu 09-24 17:00: 30 min that day; Fri 25 Mid-Autumn, Sat 26 and Sun 27 off; Mon 28 09:30.
    expect(due('2026-09-24 17:00', 1, 'working_hours')).toBe('2026-09-28 09:30');
    // Sat 09-19 is off; Sun 09-20 is a make-up working day: counting starts there at 09:00.
    expect(due('2026-09-19 10:00', 1, 'working_hours')).toBe('2026-09-20 10:00');
  });
});

describe('Spring Festival 2026', () => {
  it('uses the make-up Saturdays and skips the nine-day holiday', () => {
    // Fri 02-13 16:00: Sat 02-14 make-up (1), holiday to Mon 02-23, Tue 02-24 (2) … Fri 02-27 (5),
    // Sat 02-28 make-up (6).
    expect(due('2026-02-13 16:00', 1, 'working_days')).toBe('2026-02-14 16:00');
    expect(due('2026-02-13 16:00', 2, 'working_days')).toBe('2026-02-24 16:00');
    expect(due('2026-02-13 16:00', 6, 'working_days')).toBe('2026-02-28 16:00');
  });
});

describe('weekends, lunch breaks, reports outside working hours', () => {
  // 2026-11-03 is a Tuesday, 2026-11-06 a Friday, 2026-11-09 a Monday.
  it('skips weekends', () => {
    expect(due('2026-11-06 16:00', 1, 'working_days')).toBe('2026-11-09 16:00');
    expect(due('2026-11-06 17:00', 1, 'working_hours')).toBe('2026-11-09 09:30'); // 30 min Fri, 30 min Mon
    expect(due('2026-11-07 10:00', 2, 'working_hours')).toBe('2026-11-09 11:00'); // Saturday report
  });

  it('does not count the lunch break', () => {
    expect(due('2026-11-03 11:30', 1, 'working_hours')).toBe('2026-11-03 13:30'); // 30 min + 30 min
    expect(due('2026-11-03 12:30', 1, 'working_hours')).toBe('2026-11-03 14:00'); // starts at 13:00
    expect(due('2026-11-03 11:00', 1, 'working_hours')).toBe('2026-11-03 12:00'); // ends at the period's end
    expect(calendar.workingMinutesBetween(at('2026-11-03 11:00'), at('2026-11-03 14:00'))).toBe(120);
  });

  it('starts a report made at 20:00 or at 03:00 at the next working period', () => {
    // Tue 20:00 → counting starts Wed 09:00.
    expect(due('2026-11-03 20:00', 1, 'working_hours')).toBe('2026-11-04 10:00');
    expect(due('2026-11-03 20:00', 1, 'working_days')).toBe('2026-11-04 17:30');
    // Tue 03:00 → counting starts Tue 09:00 the same day.
    expect(due('2026-11-03 03:00', 2, 'working_hours')).toBe('2026-11-03 11:00');
    expect(due('2026-11-03 03:00', 1, 'working_days')).toBe('2026-11-03 17:30');
    // Fri 20:00 → Mon 09:00 start; 1 working day ends Mon 17:30.
    expect(due('2026-11-06 20:00', 1, 'working_days')).toBe('2026-11-09 17:30');
  });

  it('takes fractions of a working day as that share of the working day', () => {
    // 0.5 × 7.5 h = 3 h 45 min from Tue 09:00: 3 h to 12:00, 45 min from 13:00.
    expect(due('2026-11-03 09:00', 0.5, 'working_days')).toBe('2026-11-03 13:45');
  });

  it('follows other working hours', () => {
    const single = new WorkingCalendar({ workingHours: [['08:30', '17:00']] });
    expect(single.minutesPerDay).toBe(510);
    expect(due('2026-11-03 20:00', 1, 'working_days', single)).toBe('2026-11-04 17:00');
    expect(due('2026-11-03 12:30', 1, 'working_hours', single)).toBe('2026-11-03 13:30');
  });
});

describe('natural units', () => {
  it('ignore the calendar', () => {
    expect(due('2026-09-30 16:00', 90, 'natural_minutes')).toBe('2026-09-30 17:30');
    expect(due('2026-09-30 16:00', 48, 'natural_hours')).toBe('2026-10-02 16:00'); // inside the holiday
    expect(due('2026-11-03 23:30', 1, 'natural_hours')).toBe('2026-11-04 00:30');
  });
});

describe('overrides and years without an official schedule', () => {
  it('lets an administrator make a holiday a working day, and a working day a holiday', () => {
    const extraWorkday = new WorkingCalendar({
      workingHours: DEFAULT_WORKING_HOURS,
      overrides: { '2026-10-05': 'workday' },
    });
    expect(extraWorkday.isWorkday('2026-10-05')).toBe(true);
    expect(due('2026-09-30 16:00', 1, 'working_days', extraWorkday)).toBe('2026-10-05 16:00');
    const extraHoliday = new WorkingCalendar({
      workingHours: DEFAULT_WORKING_HOURS,
      overrides: new Map([['2026-10-08', 'holiday' as const]]),
    });
    expect(due('2026-09-30 16:00', 1, 'working_days', extraHoliday)).toBe('2026-10-09 16:00');
  });

  it('falls back to Monday–Friday in 2027 and warns until the schedule is entered', () => {
    // 2026-12-31 is a Thursday; 2027-01-01 a Friday, 2027-01-04 a Monday.
    expect(calendar.hasScheduleFor(2026)).toBe(true);
    expect(calendar.hasScheduleFor(2027)).toBe(false);
    expect(calendar.isWorkday('2027-01-01')).toBe(true);
    expect(due('2026-12-31 16:00', 1, 'working_days')).toBe('2027-01-01 16:00');
    expect(calendar.coverageWarning(at('2026-11-30 23:59'))).toBeNull();
    const december = calendar.coverageWarning(at('2026-12-01 00:00'));
    expect(december?.year).toBe(2027);
    expect(december?.zh).toContain('2027 年');
    expect(december?.en).toContain('2027');
    expect(calendar.coverageWarning(at('2027-03-01 10:00'))?.year).toBe(2027); // the current year, always

    const entered = new WorkingCalendar({
      workingHours: DEFAULT_WORKING_HOURS,
      overrides: { '2027-01-01': 'holiday' },
    });
    expect(entered.hasScheduleFor(2027)).toBe(true);
    expect(entered.isWorkday('2027-01-01')).toBe(false);
    expect(due('2026-12-31 16:00', 1, 'working_days', entered)).toBe('2027-01-04 16:00');
    expect(entered.coverageWarning(at('2026-12-15 10:00'))).toBeNull();
    expect(entered.coverageWarning(at('2027-12-15 10:00'))?.year).toBe(2028);
  });
});

describe('elapsed and remaining time', () => {
  it('counts working minutes between two times, signed', () => {
    // 09-30 16:00–17:30 (90) + 10-08 09:00–10:00 (60).
    expect(calendar.workingMinutesBetween(at('2026-09-30 16:00'), at('2026-10-08 10:00'))).toBe(150);
    expect(calendar.workingMinutesBetween(at('2026-10-08 10:00'), at('2026-09-30 16:00'))).toBe(-150);
    expect(calendar.workingMinutesBetween(at('2026-11-03 20:00'), at('2026-11-04 08:00'))).toBe(0);
  });

  it('says how much is left, or how far overdue', () => {
    // 09-30 16:00 → 10-09 11:00: 90 + 450 + 120 = 660 min = 1 working day (450) + 3 h 30 min.
    const left = calendar.remaining(at('2026-09-30 16:00'), at('2026-10-09 11:00'), 'working_days');
    expect(left).toMatchObject({ overdue: false, basis: 'working', totalMinutes: 660, days: 1, hours: 3, minutes: 30 });
    expect(left.zh).toBe('剩余 1 个工作日 3 小时 30 分钟');
    expect(left.en).toBe('1 working day 3 h 30 min left');
    // Due Tue 17:30, now Wed 09:20: the night does not count, 20 working minutes overdue.
    const late = calendar.remaining(at('2026-11-04 09:20'), at('2026-11-03 17:30'), 'working_hours');
    expect(late).toMatchObject({ overdue: true, totalMinutes: 20, zh: '已超时 20 分钟', en: 'overdue by 20 min' });
    const natural = calendar.remaining(at('2026-09-30 16:00'), at('2026-10-02 18:00'), 'natural_hours');
    expect(natural).toMatchObject({ basis: 'natural', days: 2, hours: 2, zh: '剩余 2 天 2 小时' });
  });
});

describe('pauses (deferral stops the clock)', () => {
  it('moves the due time by the working time the pause consumed', () => {
    // Due Fri 11-06 16:00. Paused Thu 11-05 15:00, resumed Mon 11-09 10:00: 2.5 h Thu + 7.5 h Fri
    // + 1 h Mon = 11 working hours. 8.5 h were left at the pause; from Mon 10:00 that is 6.5 h
    // Monday and 2 h Tuesday → Tue 11-10 11:00.
    const shifted = calendar.shiftForPause(
      at('2026-11-06 16:00'),
      at('2026-11-05 15:00'),
      at('2026-11-09 10:00'),
      'working_days',
    );
    expect(toShanghaiIso(shifted)).toBe('2026-11-10T11:00:00+08:00');
  });

  it('leaves the due time when the pause consumed no working time; natural units shift by elapsed time', () => {
    const dueAt = at('2026-11-06 16:00');
    expect(calendar.shiftForPause(dueAt, at('2026-11-03 18:00'), at('2026-11-04 08:00'), 'working_hours')).toEqual(
      dueAt,
    );
    expect(calendar.shiftForPause(dueAt, at('2026-11-04 08:00'), at('2026-11-03 18:00'), 'working_hours')).toEqual(
      dueAt,
    );
    const natural = calendar.shiftForPause(dueAt, at('2026-11-03 18:00'), at('2026-11-04 08:00'), 'natural_hours');
    expect(toShanghaiIso(natural)).toBe('2026-11-07T06:00:00+08:00');
  });
});

describe('inputs', () => {
  it('refuses bad working hours, overrides and amounts; zero returns the start', () => {
    expect(() => new WorkingCalendar({ workingHours: [] })).toThrow(RangeError);
    expect(() => new WorkingCalendar({ workingHours: [['12:00', '09:00']] })).toThrow(/start before/);
    expect(
      () =>
        new WorkingCalendar({
          workingHours: [
            ['09:00', '12:00'],
            ['11:00', '17:00'],
          ],
        }),
    ).toThrow(/overlap/);
    expect(() => new WorkingCalendar({ workingHours: [['9:00', '25:00']] })).toThrow(/HH:MM/);
    expect(
      () => new WorkingCalendar({ workingHours: DEFAULT_WORKING_HOURS, overrides: { '2026-02-30': 'holiday' } }),
    ).toThrow();
    expect(() => calendar.addLimit(at('2026-11-03 10:00'), -1, 'working_hours')).toThrow(RangeError);
    expect(() => calendar.addLimit(new Date(Number.NaN), 1, 'working_hours')).toThrow(RangeError);
    expect(due('2026-11-03 20:00', 0, 'working_hours')).toBe('2026-11-03 20:00');
    expect(() => calendar.isWorkday('2026-13-01')).toThrow(RangeError);
  });

  it('parses and prints ISO 8601 in +08:00 whatever the machine zone', () => {
    expect(parseInstant('2026-09-30T08:00:00Z')?.getTime()).toBe(at('2026-09-30 16:00').getTime());
    expect(parseInstant('2026-09-30T16:00:00+08:00')?.getTime()).toBe(Date.UTC(2026, 8, 30, 8));
    expect(parseInstant('2026-09-30T10:00:00-0200')?.getTime()).toBe(Date.UTC(2026, 8, 30, 12));
    expect(parseInstant('2026-09-30')?.getTime()).toBe(Date.UTC(2026, 8, 29, 16));
    for (const bad of ['2026-02-29T10:00', '2026-09-30T24:00', 'tomorrow', '2026-9-30', ''])
      expect(parseInstant(bad)).toBeNull();
    expect(toShanghaiIso(new Date(Date.UTC(2026, 9, 12, 9, 30)))).toBe('2026-10-12T17:30:00+08:00');
    expect(toShanghaiIso(new Date(Date.UTC(2026, 11, 31, 16, 0, 0, 5)))).toBe('2027-01-01T00:00:00.005+08:00');
    expect(parseDay('2028-02-29')).not.toBeNull();
    expect(parseDay('2027-02-29')).toBeNull();
  });

  it('is fast enough for a sweep: O(days), no parsing in the loop', () => {
    const from = at('2026-01-05 10:00').getTime();
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) calendar.addLimit(new Date(from + i * 600_000), 3, 'working_days');
    expect(performance.now() - started).toBeLessThan(1_000); // about 20 ms here
  });
});

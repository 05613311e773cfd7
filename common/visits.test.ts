/**
 * The half-year rule's calendar: months added with the day clamped, the due day of a visit, and
 * the first visit day that still covers a household — which must agree with each other on every day.
 */
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  beijingDay,
  beijingDayStart,
  coverageRate,
  coveredSince,
  dueOn,
  isNightTime,
  monthEnd,
} from './visits.js';

const days = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
  );

describe('half-year calendar', () => {
  it('adds months with the day clamped to the month', () => {
    expect(addMonths('2026-03-15', 6)).toBe('2026-09-15');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-12-31', -6)).toBe('2026-06-30');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-22', -12)).toBe('2025-11-22');
  });

  it('keeps a household covered through the day six months after the visit', () => {
    expect(dueOn('2026-05-20')).toBe('2026-11-20');
    expect(dueOn('2026-08-31')).toBe('2027-02-28');
  });

  it('finds the first covering visit day, consistent with dueOn on every pair of days', () => {
    expect(coveredSince('2026-11-20')).toBe('2026-05-20');
    // 28 February 2027 is covered by visits from 28 August (and by those of 29–31 August).
    expect(coveredSince('2027-02-28')).toBe('2026-08-28');
    expect(coveredSince('2027-03-01')).toBe('2026-09-01');
    for (const day of days('2026-12-20', 80)) {
      const first = coveredSince(day);
      for (const visit of days('2026-06-01', 120))
        expect(dueOn(visit) >= day, `${visit} on ${day}`).toBe(visit >= first);
    }
  });

  it('ends a month on its last day', () => {
    expect(monthEnd('2026-02')).toBe('2026-02-28');
    expect(monthEnd('2028-02')).toBe('2028-02-29');
    expect(monthEnd('2026-12')).toBe('2026-12-31');
  });

  it('reads days and nights in Beijing time', () => {
    expect(beijingDay(new Date('2026-11-21T16:30:00Z'))).toBe('2026-11-22');
    expect(beijingDayStart('2026-11-22').toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(isNightTime(new Date('2026-11-22T11:00:00Z'))).toBe(true); // 19:00
    expect(isNightTime(new Date('2026-11-22T10:59:00Z'))).toBe(false); // 18:59
    expect(isNightTime(new Date('2026-11-21T22:59:00Z'))).toBe(true); // 06:59
    expect(isNightTime(new Date('2026-11-21T23:00:00Z'))).toBe(false); // 07:00
  });

  it('rates coverage as a share, zero for no households', () => {
    expect(coverageRate(0, 0)).toBe(0);
    expect(coverageRate(2, 3)).toBe(0.6667);
    expect(coverageRate(3, 3)).toBe(1);
  });
});

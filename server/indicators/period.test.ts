/**
 * Periods in +08:00 and their 环比 / 同比 ranges: pure rules, no database.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../http/app-error.js';
import { dayStart, formatRange, type PeriodQuery, parsePeriod } from './period.js';

const ranges = (q: PeriodQuery) => {
  const p = parsePeriod(q);
  return { ...formatRange(p), previous: formatRange(p.previous), lastYear: formatRange(p.lastYear) };
};

describe('statistical periods', () => {
  it('finds the day, ISO week, month, quarter and year around a date, with the period before and a year earlier', () => {
    expect(ranges({ period: 'day', date: '2024-02-29' })).toEqual({
      from: '2024-02-29',
      to: '2024-02-29',
      previous: { from: '2024-02-28', to: '2024-02-28' },
      lastYear: { from: '2023-02-28', to: '2023-02-28' },
    });
    // Sunday 2025-03-16 lies in the week of Monday 10 March; 52 weeks earlier is Monday 11 March 2024.
    expect(ranges({ period: 'week', date: '2025-03-16' })).toEqual({
      from: '2025-03-10',
      to: '2025-03-16',
      previous: { from: '2025-03-03', to: '2025-03-09' },
      lastYear: { from: '2024-03-11', to: '2024-03-17' },
    });
    expect(ranges({ period: 'month', date: '2025-01-31' })).toEqual({
      from: '2025-01-01',
      to: '2025-01-31',
      previous: { from: '2024-12-01', to: '2024-12-31' },
      lastYear: { from: '2024-01-01', to: '2024-01-31' },
    });
    expect(ranges({ period: 'month', date: '2024-02-10' }).to).toBe('2024-02-29');
    expect(ranges({ period: 'quarter', date: '2025-02-14' })).toEqual({
      from: '2025-01-01',
      to: '2025-03-31',
      previous: { from: '2024-10-01', to: '2024-12-31' },
      lastYear: { from: '2024-01-01', to: '2024-03-31' },
    });
    expect(ranges({ period: 'quarter', date: '2025-12-31' })).toMatchObject({ from: '2025-10-01', to: '2025-12-31' });
    expect(ranges({ period: 'year', date: '2025-07-01' })).toEqual({
      from: '2025-01-01',
      to: '2025-12-31',
      previous: { from: '2024-01-01', to: '2024-12-31' },
      lastYear: { from: '2024-01-01', to: '2024-12-31' },
    });
  });

  it('puts a custom period after the same number of days before it, and a year back by dates', () => {
    expect(ranges({ period: 'custom', from: '2024-03-01', to: '2024-03-10' })).toEqual({
      from: '2024-03-01',
      to: '2024-03-10',
      previous: { from: '2024-02-20', to: '2024-02-29' },
      lastYear: { from: '2023-03-01', to: '2023-03-10' },
    });
  });

  it('starts days at midnight in China, whatever the machine’s zone', () => {
    const p = parsePeriod({ period: 'day', date: '2025-03-01' });
    expect(dayStart(p.from).toISOString()).toBe('2025-02-28T16:00:00.000Z');
    expect(dayStart(p.to + 1).toISOString()).toBe('2025-03-01T16:00:00.000Z');
  });

  it('refuses impossible dates, backwards or overlong custom periods and far years, naming the field', () => {
    const bad: [PeriodQuery, string][] = [
      [{ period: 'month', date: '2025-02-29' }, 'query.date'],
      [{ period: 'month', date: '2025-3-1' }, 'query.date'],
      [{ period: 'month' }, 'query.date'],
      [{ period: 'year', date: '1999-06-01' }, 'query.date'],
      [{ period: 'custom', from: '2025-03-02', to: '2025-03-01' }, 'query.to'],
      [{ period: 'custom', from: '2020-01-01', to: '2023-01-01' }, 'query.to'],
      [{ period: 'custom', to: '2025-03-01' }, 'query.from'],
    ];
    for (const [query, field] of bad) {
      let error: unknown;
      try {
        parsePeriod(query);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(query)).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INDICATOR_PERIOD_INVALID');
      expect((error as AppError).fields?.[0]?.path).toBe(field);
    }
    // Three years to the day is the longest custom period.
    expect(parsePeriod({ period: 'custom', from: '2022-01-01', to: '2024-12-31' }).to).toBeGreaterThan(0);
  });
});

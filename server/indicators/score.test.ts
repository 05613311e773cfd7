/**
 * Rates, averages, scores and ranks from counts: pure rules over definitions.ts, no database.
 */
import { describe, expect, it } from 'vitest';
import { averagesOf, RATE_DEFINITIONS, rateOf, ratesOf, zeroCounts } from './definitions.js';
import { rankBy, scoreOf } from './query.js';

const counts = (values: Partial<ReturnType<typeof zeroCounts>>) => ({ ...zeroCounts(), ...values });
const def = (code: string) => RATE_DEFINITIONS.find((d) => d.code === code) as (typeof RATE_DEFINITIONS)[number];

describe('rates, scores and ranks', () => {
  it('computes rates from their formulas, null without a denominator', () => {
    const c = counts({ dispatched: 8, returned: 2, handled: 5, handledOnTime: 4, deferred: 3 });
    expect(rateOf(def('accurateDispatchRate'), c, false)).toMatchObject({ value: 0.75, numerator: 6, denominator: 8 });
    expect(rateOf(def('handlingRate'), c, false)).toMatchObject({ value: 0.625, denominator: 8 });
    // Deferred cases leave the dispatch-based denominators only when the setting says so.
    expect(rateOf(def('handlingRate'), c, true)).toMatchObject({ value: 1, denominator: 5 });
    expect(rateOf(def('accurateDispatchRate'), c, true).denominator).toBe(8);
    expect(rateOf(def('handlingRate'), counts({ dispatched: 2, deferred: 2, handled: 1 }), true).value).toBeNull();
    expect(Object.values(ratesOf(zeroCounts(), false)).every((r) => r.value === null && r.exact === null)).toBe(true);
  });

  it('averages working minutes into hours', () => {
    expect(averagesOf(counts({ registered: 3, registrationWorkingMinutes: 100 })).avgRegistrationHours).toEqual({
      value: 0.56,
      exact: 100 / 3 / 60,
    });
    expect(averagesOf(zeroCounts()).avgHandlingHours).toEqual({ value: null, exact: null });
  });

  it('weighs only the rates that have a value, on 0–100', () => {
    const rates = ratesOf(counts({ dueForClosure: 4, dueClosed: 3, dueClosedOnTime: 1 }), false);
    // satisfaction has no callbacks: 30 × 0.75 + 35 × 0.25 over 65.
    expect(scoreOf(rates, { closureRate: 30, onTimeClosureRate: 35, satisfactionRate: 35 })).toBe(48.08);
    expect(scoreOf(rates, { satisfactionRate: 100 })).toBeNull();
    expect(scoreOf(rates, { closureRate: 1, onTimeClosureRate: 0 })).toBe(75);
  });

  it('ranks by competition (ties share a rank, the next is skipped), those without a value last and unranked', () => {
    const items = [
      { name: 'd', v: null },
      { name: 'c', v: 50 },
      { name: 'b', v: 80 },
      { name: 'a', v: 80 },
      { name: 'e', v: 10 },
    ];
    const ranked = rankBy(
      items,
      (i) => i.v,
      (i) => i.name,
    );
    expect(ranked.map((r) => [r.item.name, r.rank])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 3],
      ['e', 4],
      ['d', null],
    ]);
  });
});

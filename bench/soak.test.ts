/**
 * The soak's verdicts, stated before the run: p99 of the last minutes against the first, RSS slope.
 */
import { describe, expect, it } from 'vitest';
import { p99Flat, slope } from './soak.js';

const spread = (base: number, n = 200) => Array.from({ length: n }, (_, i) => base + (i % 100));

describe('soak verdicts', () => {
  it('p99 is flat within 1.5× or 50 ms, and not beyond', () => {
    expect(p99Flat(spread(100), spread(150)).met).toBe(true);
    const slower = p99Flat(spread(300), spread(700));
    expect(slower).toMatchObject({ firstP99: 398, lastP99: 798, met: false });
    // A fast answer may jitter by a few tens of ms without being a trend.
    expect(p99Flat([5, 6, 7], [40, 50, 55]).met).toBe(true);
    expect(p99Flat([5, 6, 7], [40, 50, 58]).met).toBe(false);
  });

  it('measures the RSS slope per minute through the sawtooth of garbage collection', () => {
    const flat = Array.from({ length: 540 }, (_, s): [number, number] => [s / 60, 300 + (s % 30) - 15]);
    expect(Math.abs(slope(flat))).toBeLessThan(0.5);
    const leak = flat.map(([t, rss]): [number, number] => [t, rss + 5 * t]);
    expect(slope(leak)).toBeCloseTo(5, 0);
  });
});

import { describe, expect, it } from 'vitest';
import { createRng, WeightedPicker } from './random.js';

describe('createRng', () => {
  it('repeats the same stream for the same seed and differs for another', () => {
    const draw = (seed: number | string) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => rng.uint32());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw('cases')).toEqual(draw('cases'));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(1.5)).not.toEqual(draw(1));
  });

  it('gives floats in [0, 1) that look uniform', () => {
    const rng = createRng(7);
    const buckets = new Array<number>(10).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      const b = Math.floor(x * 10);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100);
  });

  it('int() covers both bounds and nothing outside', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(-2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(rng.int(5, 5)).toBe(5);
    expect(() => rng.int(2, 1)).toThrow(RangeError);
  });

  it('picks, shuffles and samples', () => {
    const rng = createRng(11);
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(items).toContain(rng.pick(items));
    expect(() => rng.pick([])).toThrow(RangeError);
    const shuffled = rng.shuffled(items);
    expect(shuffled).not.toBe(items);
    expect([...shuffled].sort()).toEqual(items);
    const inPlace = [...items];
    expect(rng.shuffle(inPlace)).toBe(inPlace);
    const sample = rng.sample(items, 3);
    expect(sample).toHaveLength(3);
    expect(new Set(sample).size).toBe(3);
    expect(rng.sample(items, 99)).toHaveLength(5);
  });

  it('forks by label from the seed, not the current state', () => {
    const a = createRng(42);
    const b = createRng(42);
    for (let i = 0; i < 100; i++) b.next();
    expect(a.fork('x').uint32()).toBe(b.fork('x').uint32());
    expect(a.fork('x').uint32()).not.toBe(a.fork('y').uint32());
  });

  it('draws normals with about the right mean and spread', () => {
    const rng = createRng(5);
    const n = 20_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal(10, 2);
      sum += x;
      sq += x * x;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(sq / n - mean * mean)).toBeCloseTo(2, 1);
  });
});

describe('WeightedPicker', () => {
  it('follows the weights and never picks a zero weight', () => {
    const picker = new WeightedPicker([
      ['a', 3],
      ['never', 0],
      ['b', 1],
    ] as const);
    const rng = createRng(9);
    let a = 0;
    let never = 0;
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const x = picker.pick(rng);
      if (x === 'never') never++;
      if (x === 'a') a++;
    }
    expect(never).toBe(0);
    expect(a / n).toBeCloseTo(0.75, 1);
  });

  it('rejects empty and weightless tables', () => {
    expect(() => new WeightedPicker([])).toThrow(RangeError);
    expect(() => new WeightedPicker([['a', 0]])).toThrow(RangeError);
    expect(() => new WeightedPicker([['a', -1]])).toThrow(RangeError);
  });
});

/**
 * A small, fast, seeded pseudo-random generator for demo and benchmark data.
 *
 * Everything the seed generators make (the demo subdistrict, a year of cases, a million residents)
 * must come out identical for the same seed on every machine, so nothing here touches `Math.random`.
 * The generator is sfc32 (Chris Doty-Humphrey's "small fast counting" generator: 128 bits of state,
 * period at least 2^32, passes PractRand), seeded through splitmix32 so that nearby seeds (1, 2, 3 …)
 * give unrelated streams. Each draw is a handful of 32-bit integer operations.
 *
 * Not for anything secret: use `node:crypto` for tokens and passwords.
 *
 * @example
 *   const rng = createRng(20261122);
 *   rng.next();            // 0 ≤ x < 1
 *   rng.int(1, 6);         // a die: 1…6 inclusive
 *   rng.pick(['a', 'b']);  // one element
 *   rng.fork('cases');     // an independent stream, stable however much this one is used
 */

/** A seed: a number (any finite number; its 32-bit integer part and fraction both count) or a string. */
export type Seed = number | string;

/** 32-bit FNV-1a over the UTF-16 code units of a string. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Folds a seed into 32 bits. */
function seedBits(seed: Seed): number {
  if (typeof seed === 'string') return hashString(seed);
  if (!Number.isFinite(seed)) throw new RangeError(`a seed must be finite, got ${seed}`);
  if (Number.isInteger(seed) && Math.abs(seed) <= 0xffffffff) return seed >>> 0;
  return hashString(String(seed));
}

/** splitmix32: expands one 32-bit word into a well-mixed sequence, used only to fill sfc32's state. */
function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const TWO_POW_32 = 4294967296;

/** A seeded random stream. Create one with {@link createRng}. */
export class Rng {
  /** The 32-bit seed material this stream started from; {@link Rng.fork} derives from it. */
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Seed) {
    this.seed = seedBits(seed);
    const mix = splitmix32(this.seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    // Discard the first outputs, as sfc32's author recommends.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The next 32-bit unsigned integer, 0 … 2^32 − 1. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1), 32 bits of resolution. */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** An integer in [min, max], both inclusive. Both bounds must be integers with max ≥ min. */
  int(min: number, max: number): number {
    if (!(max >= min)) throw new RangeError(`int(${min}, ${max}): max must be ≥ min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p (0 … 1). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A normally distributed float (Box–Muller), mean 0 and standard deviation 1 unless given. */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next(); // (0, 1]: log(0) would be −∞
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Shuffles the array IN PLACE (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
    return items;
  }

  /** A shuffled copy; the argument is left alone. */
  shuffled<T>(items: readonly T[]): T[] {
    return this.shuffle([...items]);
  }

  /** `count` distinct elements, in random order (count is capped at the array's length). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const held = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = held;
    }
    copy.length = n;
    return copy;
  }

  /**
   * An independent stream named `label`, derived from this stream's SEED (not its current state):
   * `createRng(s).fork('x')` is the same stream however many numbers were drawn before, so adding a
   * new consumer to a generator does not change what the others produce.
   */
  fork(label: string): Rng {
    return new Rng(hashString(`${this.seed}\u0000${label}`));
  }
}

/** A new seeded stream. */
export function createRng(seed: Seed): Rng {
  return new Rng(seed);
}

/**
 * Picks from a fixed table with weights, in O(log n) per pick (a binary search over cumulative
 * weights). Build it once and reuse it: building is O(n).
 */
export class WeightedPicker<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('a weighted table needs at least one entry');
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight ${weight} must be finite and ≥ 0`);
      total += weight;
      this.cumulative[i] = total;
    });
    if (total <= 0) throw new RangeError('a weighted table needs a positive total weight');
    this.total = total;
  }

  pick(rng: Rng): T {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

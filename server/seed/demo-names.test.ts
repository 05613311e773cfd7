import { describe, expect, it } from 'vitest';
import {
  FEMALE_GIVEN_CHARS,
  MALE_GIVEN_CHARS,
  NEUTRAL_GIVEN_CHARS,
  ROAD_NAMES,
  randomAddress,
  randomMobile,
  randomPersonName,
  randomSurname,
  SURNAMES,
} from './demo-names.js';
import { createRng } from './random.js';

describe('demo names', () => {
  it('draws surnames by frequency', () => {
    const rng = createRng(1);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const s = randomSurname(rng);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    expect(counts.get('王') ?? 0).toBeGreaterThan(counts.get('罗') ?? 0);
    expect(counts.get('李') ?? 0).toBeGreaterThan(counts.get('孔') ?? 0);
    expect(new Set(SURNAMES.map(([s]) => s)).size).toBe(SURNAMES.length);
  });

  it('makes names of a surname and one or two given characters', () => {
    const rng = createRng(2);
    const surnames = new Set(SURNAMES.map(([s]) => s));
    const given = new Set([...MALE_GIVEN_CHARS, ...FEMALE_GIVEN_CHARS, ...NEUTRAL_GIVEN_CHARS]);
    for (let i = 0; i < 500; i++) {
      const name = randomPersonName(rng, i % 3 === 0 ? 'male' : i % 3 === 1 ? 'female' : undefined);
      const surname = [...surnames].find(
        (s) => name.startsWith(s) && [...name.slice(s.length)].every((c) => given.has(c)),
      );
      expect(surname, name).toBeDefined();
      const rest = [...name.slice(surname?.length ?? 0)];
      expect(rest.length === 1 || rest.length === 2, name).toBe(true);
    }
  });

  it('makes mobiles and addresses in the expected shapes', () => {
    const rng = createRng(3);
    for (let i = 0; i < 200; i++) {
      expect(randomMobile(rng)).toMatch(/^139\d{8}$/);
      expect(randomMobile(rng, '138')).toMatch(/^138\d{8}$/);
      const address = randomAddress(rng);
      const match = /^(.+路)(\d+)弄(\d+)号(\d+)室$/.exec(address);
      expect(match, address).not.toBeNull();
      expect(ROAD_NAMES).toContain(match?.[1]);
    }
    expect(randomAddress(rng, ['梧桐路']).startsWith('梧桐路')).toBe(true);
  });
});

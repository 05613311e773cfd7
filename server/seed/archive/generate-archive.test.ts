/**
 * The synthetic archive: deterministic, and valid the way real data must be — every ID number
 * passes the GB 11643 check and agrees with the person's birth date and gender, every living
 * household has exactly one head, relations fit the ages, buildings stand inside their grids —
 * with the demo's proportions (age pyramid, tags, group rentals) in a believable range.
 */
import { describe, expect, it } from 'vitest';
import { parseIdNumber, parsePhone } from '../../../common/id-number.js';
import type { Position } from '../../../common/territory.js';
import { DEMO_SEED, generateDemo } from '../demo-data.js';
import { createRng } from '../random.js';
import { type ArchiveDemo, generateArchive, type SynthPerson } from './generate-archive.js';
import { creditCode } from './venues.js';

const units = generateDemo().units;
const asOf = new Date('2026-11-22T04:00:00Z');
const today = '2026-11-22';
const full = generateArchive({ seed: DEMO_SEED, units, asOf });
const living = full.people.filter((p) => p.status === 'active');

/** Whole years between a birth date and a day (both 'yyyy-mm-dd'). */
function ageOn(birth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birth.slice(0, 4));
  return day.slice(5) >= birth.slice(5) ? years : years - 1;
}

/** Ray casting over one ring. */
function inside([x, y]: [number, number], ring: readonly Position[]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Position;
    const [xj, yj] = ring[j] as Position;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

const share = (part: number, whole: number) => part / whole;

describe('generateArchive', () => {
  it('is deterministic for a seed and a day, and differs for another seed', () => {
    const small = (seed: number) => generateArchive({ seed, units, asOf, people: 2_000 });
    const a: ArchiveDemo = small(7);
    expect(small(7)).toEqual(a);
    expect(small(8).people.map((p) => p.idNumber)).not.toEqual(a.people.map((p) => p.idNumber));
    expect(a.people.length).toBeGreaterThan(1_900);
    expect(a.people.length).toBeLessThan(2_400);
  });

  it('holds about 30,000 people in every unit grid of the demo', () => {
    expect(full.people.length).toBeGreaterThan(29_000);
    expect(full.people.length).toBeLessThan(31_500);
    const grids = new Set(units.filter((u) => u.level === 'grid').map((u) => u.code));
    expect(new Set(full.households.map((h) => h.grid))).toEqual(grids);
    expect(new Set(full.buildings.map((b) => b.grid))).toEqual(grids);
  });

  it('gives every person a valid ID number matching their birth date and gender, unique, registered ones from the district', () => {
    const seen = new Set<string>();
    for (const p of full.people) {
      const parsed = parseIdNumber(p.idNumber, today);
      expect(parsed, p.idNumber).toMatchObject({ ok: true, birthDate: p.birthDate, gender: p.gender });
      if (p.residence === 'registered') expect(p.idNumber.slice(0, 6)).toBe('310104');
      seen.add(p.idNumber);
    }
    expect(seen.size).toBe(full.people.length);
  });

  it('has ages that are the birth dates counted to the day, and a population as old as central Shanghai', () => {
    for (const p of full.people) expect(ageOn(p.birthDate, today), p.name).toBe(p.age);
    const old = living.filter((p) => p.age >= 60).length;
    const children = living.filter((p) => p.age < 15).length;
    expect(share(old, living.length)).toBeGreaterThan(0.2);
    expect(share(old, living.length)).toBeLessThan(0.3);
    expect(share(children, living.length)).toBeGreaterThan(0.1);
    expect(share(children, living.length)).toBeLessThan(0.2);
    expect(Math.max(...full.people.map((p) => p.age))).toBeLessThanOrEqual(100);
  });

  it('gives every living household exactly one head, and relations that fit the ages', () => {
    let checked = 0;
    full.households.forEach((h, index) => {
      if (h.dissolvedOn) return;
      const members = h.members.map((m) => full.people[m] as SynthPerson);
      expect(members.filter((m) => m.relation === 'head')).toHaveLength(1);
      expect(members[0]?.relation).toBe('head');
      const head = members[0] as SynthPerson;
      const age = (p: SynthPerson) => ageOn(p.birthDate, today);
      for (const m of members) {
        expect(m.household).toBe(index);
        if (m.relation === 'spouse') {
          expect(m.gender).not.toBe(head.gender);
          expect(age(m)).toBeGreaterThanOrEqual(20);
          expect(Math.abs(age(m) - age(head))).toBeLessThanOrEqual(10);
        }
        if (m.relation === 'child') {
          for (const parent of members.filter((x) => x.relation === 'head' || x.relation === 'spouse'))
            expect(age(parent) - age(m), `${parent.name} / ${m.name}`).toBeGreaterThanOrEqual(18);
        }
        if (m.relation === 'parent') expect(age(m) - age(head)).toBeGreaterThanOrEqual(22);
        if (m.relation === 'grandchild') expect(age(head) - age(m)).toBeGreaterThanOrEqual(36);
        checked += 1;
      }
    });
    expect(checked).toBe(living.filter((p) => !full.households[p.household]?.dissolvedOn).length);
  });

  it('names people naturally: surnames by frequency, one or two given characters, few namesakes', () => {
    const bySurname = new Map<string, number>();
    const byName = new Map<string, number>();
    for (const p of full.people) {
      const surname = ['欧阳', '诸葛', '上官'].find((s) => p.name.startsWith(s)) ?? p.name.slice(0, 1);
      bySurname.set(surname, (bySurname.get(surname) ?? 0) + 1);
      byName.set(p.name, (byName.get(p.name) ?? 0) + 1);
      expect(p.name.length - surname.length).toBeGreaterThanOrEqual(1);
      expect(p.name.length - surname.length).toBeLessThanOrEqual(2);
    }
    const top = [...bySurname.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
    expect(['王', '李', '张', '刘', '陈', '杨', '黄', '赵']).toEqual(expect.arrayContaining(top.slice(0, 5)));
    expect(top.slice(0, 2)).toContain('王');
    expect(Math.max(...byName.values())).toBeLessThan(full.people.length * 0.001);
  });

  it('gives phones only in the synthetic 1700 block, each once', () => {
    const phones = [...full.people.flatMap((p) => p.phones), ...full.venues.map((v) => v.contactPhone)];
    for (const phone of phones) {
      expect(phone).toMatch(/^1700[0-9]{7}$/);
      expect(parsePhone(phone).ok).toBe(true);
    }
    expect(new Set(phones).size).toBe(phones.length);
    expect(full.people.filter((p) => p.age < 12).every((p) => p.phones.length === 0)).toBe(true);
  });

  it('stands every building and venue inside its grid, and numbers each flat once', () => {
    const rings = new Map(
      units.flatMap((u) =>
        u.geometry?.type === 'Polygon' ? [[u.code, u.geometry.coordinates[0] ?? []] as const] : [],
      ),
    );
    for (const b of [...full.buildings, ...full.venues])
      expect(inside([b.lng, b.lat], rings.get(b.grid) ?? []), `${b.address} in ${b.grid}`).toBe(true);
    const flats = new Set(full.dwellings.map((d) => `${d.building}|${d.unit ?? ''}|${d.room}`));
    expect(flats.size).toBe(full.dwellings.length);
  });

  it('lives households in dwellings the way they are held: owners, tenants, some group rentals, some empty', () => {
    const byDwelling = new Map<number, number[]>();
    full.households.forEach((h, i) => {
      if (!h.dissolvedOn) byDwelling.set(h.dwelling, [...(byDwelling.get(h.dwelling) ?? []), i]);
    });
    for (const [dwelling, households] of byDwelling) {
      const d = full.dwellings[dwelling];
      expect(d?.occupancy).not.toBe('vacant');
      if (d?.groupRental) expect(households.length).toBeGreaterThanOrEqual(2);
      else expect(households).toHaveLength(1);
      if (d?.occupancy === 'owner_occupied' && d.owner && 'person' in d.owner)
        expect(full.households[households[0] as number]?.members[0]).toBe(d.owner.person);
      if (d?.occupancy === 'rented') expect(d.owner && 'name' in d.owner).toBe(true);
    }
    const vacant = full.dwellings.filter((d) => d.occupancy === 'vacant').length;
    expect(share(vacant, full.dwellings.length)).toBeGreaterThan(0.02);
    expect(share(vacant, full.dwellings.length)).toBeLessThan(0.15);
    expect(full.dwellings.filter((d) => d.groupRental).length).toBeGreaterThan(20);
  });

  it('puts tags where they belong, at believable rates', () => {
    const kinds = (kind: string) => full.tags.filter((t) => t.kind === kind);
    const alone = new Set(
      living.flatMap((p, _i) => {
        const h = full.households[p.household];
        return p.age >= 60 && h?.members.length === 1 ? [full.people.indexOf(p)] : [];
      }),
    );
    expect(new Set(kinds('elderly_alone').map((t) => t.person))).toEqual(alone);
    expect(alone.size).toBeGreaterThan(300);
    const disabled = kinds('disability');
    expect(disabled.every((t) => t.grade !== undefined && t.grade >= 1 && t.grade <= 4)).toBe(true);
    expect(share(disabled.length, living.length)).toBeGreaterThan(0.015);
    expect(share(disabled.length, living.length)).toBeLessThan(0.04);
    const registered = full.households.filter((h) => h.residence === 'registered').length;
    expect(share(kinds('minimum_income').length, registered)).toBeGreaterThan(0.005);
    expect(share(kinds('minimum_income').length, registered)).toBeLessThan(0.02);
    for (const t of kinds('child_in_difficulty'))
      expect((full.people[t.person as number] as SynthPerson).age).toBeLessThan(18);
    for (const t of full.tags) {
      expect(t.validFrom <= today).toBe(true);
      if (t.validTo) expect(t.validTo >= t.validFrom).toBe(true);
      if (t.person !== undefined) expect(t.validFrom >= (full.people[t.person] as SynthPerson).birthDate).toBe(true);
    }
  });

  it('records a year of departures: floating households moving away, deaths of the very old', () => {
    const movedOut = full.people.filter((p) => p.status === 'moved_out');
    const died = full.people.filter((p) => p.status === 'deceased');
    expect(movedOut.length).toBeGreaterThan(50);
    expect(died.length).toBeGreaterThan(5);
    for (const p of movedOut) expect(full.households[p.household]?.dissolvedOn).toBe(p.statusChangedOn);
    for (const p of died) {
      expect(p.age).toBeGreaterThanOrEqual(78);
      expect(full.households[p.household]?.members).not.toContain(full.people.indexOf(p));
    }
  });

  it('licenses venues with a unified social credit code whose GB 32100 check character holds', () => {
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const valid = (code: string) => {
      const sum = [...code.slice(0, 17)].reduce((s, c, i) => s + chars.indexOf(c) * (weights[i] as number), 0);
      return chars[(31 - (sum % 31)) % 31] === code[17];
    };
    expect(valid('91350100M000100Y43')).toBe(true); // a published example
    expect(valid(creditCode(createRng(1), '310104'))).toBe(true);
    for (const v of full.venues) {
      const business = v.licences.find((l) => l.kind === 'business');
      expect(business && valid(business.number), v.name).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { DEPARTMENT_ROLES, ROLES } from '../../common/roles.js';
import { DEPARTMENT_KINDS, type Position, UNIT_LEVELS, type UnitGeometry } from '../../common/territory.js';
import {
  DEMO_DISTRICT_CODE,
  DEMO_PASSWORD,
  DEMO_RESIDENT_PASSWORD,
  DEMO_SUBDISTRICT_CODE,
  type DemoData,
  type DemoUnit,
  generateDemo,
} from './demo-data.js';
import { ringArea } from './demo-geometry.js';

const demo = generateDemo();
const byCode = new Map(demo.units.map((u) => [u.code, u]));
const ofLevel = (data: DemoData, level: DemoUnit['level']) => data.units.filter((u) => u.level === level);

function ringOf(geometry: UnitGeometry | null): Position[] {
  if (geometry?.type !== 'Polygon') throw new Error('expected a Polygon');
  expect(geometry.coordinates).toHaveLength(1);
  return geometry.coordinates[0] as Position[];
}

/** Proper intersection (or touching) of segments ab and cd. */
function segmentsMeet(a: Position, b: Position, c: Position, d: Position): boolean {
  const cross = (o: Position, p: Position, q: Position) =>
    (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0]);
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (d1 === 0 && d2 === 0) {
    // Collinear (edges along the straight outline): they meet only if their extents overlap.
    const overlap = (i: 0 | 1) =>
      Math.max(Math.min(a[i], b[i]), Math.min(c[i], d[i])) <= Math.min(Math.max(a[i], b[i]), Math.max(c[i], d[i]));
    return overlap(0) && overlap(1);
  }
  return ((d1 >= 0 && d2 <= 0) || (d1 <= 0 && d2 >= 0)) && ((d3 >= 0 && d4 <= 0) || (d3 <= 0 && d4 >= 0));
}

function isSimple(ring: Position[]): boolean {
  const n = ring.length - 1; // edges
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue; // adjacent edges share a vertex
      if (segmentsMeet(ring[i] as Position, ring[i + 1] as Position, ring[j] as Position, ring[j + 1] as Position)) {
        return false;
      }
    }
  }
  return new Set(ring.slice(0, -1).map((p) => p.join(','))).size === n; // no repeated vertex
}

describe('generateDemo', () => {
  it('is deterministic for a seed and varies with it', () => {
    expect(generateDemo()).toEqual(demo);
    expect(generateDemo(20261122)).toEqual(demo);
    const other = generateDemo(1);
    expect(other.accounts.map((a) => a.displayName)).not.toEqual(demo.accounts.map((a) => a.displayName));
    expect(other.units.map((u) => u.geometry)).not.toEqual(demo.units.map((u) => u.geometry));
    // Structure does not depend on the seed.
    expect(other.units.map((u) => u.code)).toEqual(demo.units.map((u) => u.code));
  });

  it('has the expected territory', () => {
    const counts = Object.fromEntries(UNIT_LEVELS.map((level) => [level, ofLevel(demo, level).length]));
    expect(counts).toEqual({ city: 1, district: 1, subdistrict: 1, community: 10, responsibility_grid: 20, grid: 40 });
    expect(byCode.get('310000000000')?.name).toBe('上海市');
    expect(byCode.get(DEMO_DISTRICT_CODE)?.name).toBe('徐汇区');
    expect(byCode.get(DEMO_SUBDISTRICT_CODE)?.level).toBe('subdistrict');
    expect(byCode.size).toBe(demo.units.length);
    expect(new Set(demo.units.map((u) => u.name)).size).toBe(demo.units.length);
    for (const c of ofLevel(demo, 'community')) expect(c.kind).toBe('residential');
    const codes = ofLevel(demo, 'community').map((u) => u.code);
    expect(codes).toEqual(Array.from({ length: 10 }, (_, i) => `310104090${String(i + 1).padStart(3, '0')}`));
    expect(byCode.get('310104090001001')?.name).toBe('梧桐苑第1网格');
    expect(byCode.get('310104090001901')?.name).toBe('梧桐苑责任网格一');
  });

  it('gives codes the shape of their level and the prefix of their parent, parents first', () => {
    const seen = new Set<string>();
    for (const unit of demo.units) {
      const parent = unit.parentCode === null ? null : byCode.get(unit.parentCode);
      if (unit.level === 'city') expect(unit.parentCode).toBeNull();
      else {
        expect(parent, unit.code).toBeDefined();
        expect(seen.has(unit.parentCode as string), `${unit.code} listed before its parent`).toBe(true);
      }
      seen.add(unit.code);
      switch (unit.level) {
        case 'city':
          expect(unit.code).toMatch(/^\d{2}0{10}$/);
          break;
        case 'district':
          expect(unit.code).toMatch(/^\d{6}0{6}$/);
          expect(unit.code.slice(0, 2)).toBe(parent?.code.slice(0, 2));
          break;
        case 'subdistrict':
          expect(unit.code).toMatch(/^\d{9}000$/);
          expect(unit.code.slice(0, 6)).toBe(parent?.code.slice(0, 6));
          break;
        case 'community':
          expect(unit.code).toMatch(/^\d{12}$/);
          expect(unit.code.slice(0, 9)).toBe(parent?.code.slice(0, 9));
          break;
        case 'responsibility_grid':
          expect(unit.code).toMatch(/^\d{12}90[12]$/);
          expect(unit.code.slice(0, 12)).toBe(parent?.code);
          break;
        case 'grid':
          expect(unit.code).toMatch(/^\d{12}00[1-4]$/);
          expect(parent?.level).toBe('responsibility_grid');
          expect(unit.code.slice(0, 12)).toBe(parent?.code.slice(0, 12));
          break;
      }
    }
    // Each responsibility grid holds two unit grids.
    for (const rg of ofLevel(demo, 'responsibility_grid')) {
      expect(demo.units.filter((u) => u.parentCode === rg.code)).toHaveLength(2);
    }
  });

  it('gives valid polygons to the subdistrict and below, none above', () => {
    expect(byCode.get('310000000000')?.geometry).toBeNull();
    expect(byCode.get(DEMO_DISTRICT_CODE)?.geometry).toBeNull();
    const expectedLength = { subdistrict: 29, community: 9, responsibility_grid: 7, grid: 5 } as Record<string, number>;
    for (const unit of demo.units.slice(2)) {
      const ring = ringOf(unit.geometry);
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring).toHaveLength(expectedLength[unit.level] as number);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      for (const position of ring) {
        expect(position).toHaveLength(2);
        const [lng, lat] = position;
        expect(Number.isFinite(lng) && Number.isFinite(lat)).toBe(true);
        expect(lng).toBeGreaterThanOrEqual(121.425);
        expect(lng).toBeLessThanOrEqual(121.455);
        expect(lat).toBeGreaterThanOrEqual(31.17);
        expect(lat).toBeLessThanOrEqual(31.19);
        expect(Math.round(lng * 1e6) / 1e6).toBe(lng);
        expect(Math.round(lat * 1e6) / 1e6).toBe(lat);
      }
      expect(isSimple(ring), unit.code).toBe(true);
      expect(ringArea(ring), `${unit.code} is counter-clockwise`).toBeGreaterThan(0);
    }
  });

  it("keeps each unit grid inside its committee's bounding box", () => {
    for (const grid of ofLevel(demo, 'grid')) {
      const committee = ringOf(byCode.get(grid.code.slice(0, 12))?.geometry ?? null);
      const lngs = committee.map((p) => p[0]);
      const lats = committee.map((p) => p[1]);
      for (const [lng, lat] of ringOf(grid.geometry)) {
        expect(lng).toBeGreaterThanOrEqual(Math.min(...lngs));
        expect(lng).toBeLessThanOrEqual(Math.max(...lngs));
        expect(lat).toBeGreaterThanOrEqual(Math.min(...lats));
        expect(lat).toBeLessThanOrEqual(Math.max(...lats));
      }
    }
  });

  it('tiles without gaps or overlaps: child areas sum to the parent area', () => {
    const area = (u: DemoUnit) => ringArea(ringOf(u.geometry));
    const close = (a: number, b: number) => expect(Math.abs(a - b) / b).toBeLessThan(1e-9);
    const subdistrict = byCode.get(DEMO_SUBDISTRICT_CODE) as DemoUnit;
    const grids = ofLevel(demo, 'grid');
    close(
      grids.reduce((sum, g) => sum + area(g), 0),
      area(subdistrict),
    );
    for (const level of ['community', 'responsibility_grid'] as const) {
      for (const parent of ofLevel(demo, level)) {
        const children = demo.units.filter((u) => u.parentCode === parent.code);
        close(
          children.reduce((sum, c) => sum + area(c), 0),
          area(parent),
        );
      }
    }
    close(
      ofLevel(demo, 'community').reduce((sum, c) => sum + area(c), 0),
      area(subdistrict),
    );
    // Every unit grid vertex is a vertex shared exactly with its neighbours: 11 × 5 distinct points.
    const vertices = new Set(grids.flatMap((g) => ringOf(g.geometry).map((p) => p.join(','))));
    expect(vertices.size).toBe(55);
  });

  it('gives simple, convex, gap-free unit grids for other seeds too', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const data = generateDemo(seed);
      const grids = ofLevel(data, 'grid');
      let total = 0;
      for (const grid of grids) {
        const ring = ringOf(grid.geometry);
        expect(isSimple(ring), `${seed} ${grid.code}`).toBe(true);
        for (let i = 0; i < 4; i++) {
          const [a, b, c] = [ring[i], ring[i + 1], ring[(i + 2) % 4]] as [Position, Position, Position];
          const turn = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
          expect(turn, `${seed} ${grid.code} turns left at every corner`).toBeGreaterThan(0);
        }
        total += ringArea(ring);
      }
      const outline = ringArea(ringOf(ofLevel(data, 'subdistrict')[0]?.geometry ?? null));
      expect(Math.abs(total - outline) / outline).toBeLessThan(1e-9);
    }
  });

  it('has departments on both levels that refer to demo units', () => {
    const codes = new Set(demo.departments.map((d) => d.code));
    expect(codes.size).toBe(demo.departments.length);
    expect(demo.departments.filter((d) => d.level === 'district')).toHaveLength(8);
    expect(demo.departments.filter((d) => d.level === 'subdistrict')).toHaveLength(7);
    for (const d of demo.departments) {
      expect(d.code).toMatch(/^D\d+-[A-Z]+$/);
      expect(DEPARTMENT_KINDS).toContain(d.kind);
      expect(d.servesUnitCode).toBe(d.level === 'district' ? DEMO_DISTRICT_CODE : DEMO_SUBDISTRICT_CODE);
      if (d.deployedToUnitCode !== null) expect(byCode.has(d.deployedToUnitCode)).toBe(true);
    }
    expect(demo.departments.filter((d) => d.deployedToUnitCode === DEMO_SUBDISTRICT_CODE).map((d) => d.kind)).toEqual([
      'urban_enforcement',
      'market_regulation',
      'police_station',
    ]);
  });

  it('has one account per role with valid grants, unique usernames and phones', () => {
    const usernames = demo.accounts.map((a) => a.username);
    expect(new Set(usernames).size).toBe(usernames.length);
    expect(usernames).toEqual([
      'admin',
      'districtadmin',
      'leader',
      'supervisor',
      'dispatcher',
      'handler',
      'committee',
      'gridworker',
      'gridworker2',
    ]);
    const roles = new Set(demo.accounts.flatMap((a) => a.grants.map((g) => g.role)));
    expect([...roles].sort()).toEqual([...ROLES].sort());
    const departments = new Set(demo.departments.map((d) => d.code));
    for (const account of demo.accounts) {
      expect(account.username).toMatch(/^[A-Za-z][A-Za-z0-9._-]{2,31}$/);
      expect(account.password).toBe(DEMO_PASSWORD);
      expect(account.phone).toMatch(/^139\d{8}$/);
      expect(account.displayName).toMatch(/^\p{Script=Han}{2,4}$/u);
      expect(account.note.zh.length).toBeGreaterThan(0);
      expect(account.note.en.length).toBeGreaterThan(0);
      expect(account.grants.length).toBeGreaterThan(0);
      for (const grant of account.grants) {
        expect(byCode.has(grant.unitCode), grant.unitCode).toBe(true);
        if (DEPARTMENT_ROLES.includes(grant.role)) expect(departments.has(grant.departmentCode ?? '')).toBe(true);
        else expect(grant.departmentCode).toBeNull();
      }
    }
    expect(new Set(demo.accounts.map((a) => a.phone)).size).toBe(demo.accounts.length);
    const grantOf = (username: string) => demo.accounts.find((a) => a.username === username)?.grants[0];
    expect(grantOf('districtadmin')?.unitCode).toBe(DEMO_DISTRICT_CODE);
    expect(grantOf('admin')?.unitCode).toBe(DEMO_SUBDISTRICT_CODE);
    expect(grantOf('handler')?.departmentCode).toBe('D310104090-CG');
    expect(grantOf('committee')?.unitCode).toBe('310104090001');
    expect(grantOf('gridworker')?.unitCode).toBe('310104090001901');
    const other = grantOf('gridworker2')?.unitCode ?? '';
    expect(byCode.get(other)?.level).toBe('responsibility_grid');
    expect(other.slice(0, 12)).not.toBe('310104090001');
  });

  it('has three residents with phone logins', () => {
    expect(demo.residents.map((r) => r.phone)).toEqual(['13800000001', '13800000002', '13800000003']);
    for (const r of demo.residents) {
      expect(r.password).toBe(DEMO_RESIDENT_PASSWORD);
      expect(r.displayName).toMatch(/^\p{Script=Han}{2,4}$/u);
    }
    const names = [...demo.accounts, ...demo.residents].map((p) => p.displayName);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has a workforce for the history: a grid worker per responsibility grid, staff per committee, handlers per department', () => {
    const grantsOf = (role: string) => demo.workforce.flatMap((a) => a.grants.filter((g) => g.role === role));
    expect(new Set(grantsOf('grid_worker').map((g) => g.unitCode))).toEqual(
      new Set(ofLevel(demo, 'responsibility_grid').map((u) => u.code)),
    );
    expect(new Set(grantsOf('committee_staff').map((g) => g.unitCode))).toEqual(
      new Set(ofLevel(demo, 'community').map((u) => u.code)),
    );
    expect(new Set(grantsOf('handler').map((g) => g.departmentCode))).toEqual(
      new Set(demo.departments.filter((d) => d.kind !== 'grid_centre').map((d) => d.code)),
    );
    expect(grantsOf('dispatcher').length).toBeGreaterThan(0);
    expect(grantsOf('supervisor').length).toBeGreaterThan(0);
    const everyone = [...demo.accounts, ...demo.workforce];
    expect(new Set(everyone.map((a) => a.username.toLowerCase())).size).toBe(everyone.length);
    expect(new Set(everyone.map((a) => a.phone)).size).toBe(everyone.length);
    for (const a of demo.workforce) expect(a.username).toMatch(/^[A-Za-z][A-Za-z0-9._-]{2,31}$/);
    const people = [...everyone, ...demo.residents, ...demo.neighbours];
    expect(new Set(people.map((p) => p.displayName)).size).toBe(people.length);
    expect(new Set([...demo.residents, ...demo.neighbours].map((r) => r.phone)).size).toBe(
      demo.residents.length + demo.neighbours.length,
    );
  });
});

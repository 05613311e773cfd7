import { describe, expect, it } from 'vitest';
import type { Position } from '../../common/territory.js';
import { blockRing, buildLattice, ringArea } from './demo-geometry.js';
import { createRng } from './random.js';

const options = { columns: 10, rows: 4, west: 121.425, east: 121.455, south: 31.17, north: 31.19 };

describe('buildLattice', () => {
  it('keeps corners fixed, boundary points on their edges, and 6 decimals', () => {
    const lattice = buildLattice(createRng(1), options);
    expect(lattice.points).toHaveLength(5);
    for (const line of lattice.points) expect(line).toHaveLength(11);
    const at = (c: number, r: number) => lattice.points[r]?.[c] as Position;
    expect(at(0, 0)).toEqual([121.425, 31.19]);
    expect(at(10, 4)).toEqual([121.455, 31.17]);
    for (let c = 0; c <= 10; c++) {
      expect(at(c, 0)[1]).toBe(31.19);
      expect(at(c, 4)[1]).toBe(31.17);
    }
    for (let r = 0; r <= 4; r++) {
      expect(at(0, r)[0]).toBe(121.425);
      expect(at(10, r)[0]).toBe(121.455);
    }
    for (const line of lattice.points) {
      for (const [lng, lat] of line) {
        expect(Math.round(lng * 1e6) / 1e6).toBe(lng);
        expect(Math.round(lat * 1e6) / 1e6).toBe(lat);
      }
    }
  });

  it('rejects a jitter that could fold cells', () => {
    expect(() => buildLattice(createRng(1), { ...options, jitter: 0.3 })).toThrow(RangeError);
  });
});

describe('blockRing', () => {
  const lattice = buildLattice(createRng(2), options);

  it('walks a block boundary counter-clockwise and closes it', () => {
    const cell = blockRing(lattice, 3, 1);
    expect(cell).toHaveLength(5);
    expect(cell[0]).toEqual(cell[4]);
    expect(ringArea(cell)).toBeGreaterThan(0);
    const block = blockRing(lattice, 2, 0, 2, 2);
    expect(block).toHaveLength(9);
    expect(ringArea(block)).toBeGreaterThan(0);
    expect(blockRing(lattice, 0, 0, 10, 4)).toHaveLength(29);
  });

  it('tiles a block exactly with its cells', () => {
    const block = ringArea(blockRing(lattice, 4, 2, 2, 2));
    const cells = [
      [4, 2],
      [5, 2],
      [4, 3],
      [5, 3],
    ].reduce((sum, [c, r]) => sum + ringArea(blockRing(lattice, c as number, r as number)), 0);
    expect(Math.abs(cells - block) / block).toBeLessThan(1e-12);
  });

  it('refuses blocks outside the lattice', () => {
    expect(() => blockRing(lattice, 9, 0, 2, 1)).toThrow(RangeError);
    expect(() => blockRing(lattice, 0, 4)).toThrow(RangeError);
  });
});

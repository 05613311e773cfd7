import { describe, expect, it } from 'vitest';
import type { Position, UnitGeometry } from '../../../common/territory.js';
import { SpatialIndex } from './spatial-index.js';

interface Grid {
  code: string;
  geometry: UnitGeometry;
}

function rect(west: number, south: number, east: number, north: number): Position[] {
  return [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ];
}
const grid = (code: string, ...rings: Position[][]): Grid => ({
  code,
  geometry: { type: 'Polygon', coordinates: rings },
});
const codeAt = (index: SpatialIndex<Grid>, lng: number, lat: number) => index.locate(lng, lat)?.code;

/** mulberry32, so the randomized cases are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SpatialIndex', () => {
  // West and east halves of a square, sharing the edge lng = 121.41; the east half has the smaller code.
  const west = grid('310104090001002', rect(121.4, 31.2, 121.41, 31.21));
  const east = grid('310104090001001', rect(121.41, 31.2, 121.42, 31.21));

  it('places a point strictly inside a grid there', () => {
    const index = SpatialIndex.build([west, east]);
    expect(index.size).toBe(2);
    expect(codeAt(index, 121.405, 31.205)).toBe(west.code);
    expect(codeAt(index, 121.415, 31.205)).toBe(east.code);
  });

  /** Both ways of giving the two codes, each built in both orders. */
  function arrangements(a: Position[][], b: Position[][]): { entries: Grid[]; smaller: string }[] {
    const [low, high] = ['310104090001001', '310104090001002'];
    return [
      [grid(low, ...a), grid(high, ...b)],
      [grid(high, ...a), grid(low, ...b)],
    ].flatMap((pair) => [
      { entries: pair, smaller: low },
      { entries: [...pair].reverse(), smaller: low },
    ]);
  }

  it('gives a point on a shared edge to the smaller code, whatever the order of building', () => {
    for (const { entries, smaller } of arrangements(
      [rect(121.4, 31.2, 121.41, 31.21)],
      [rect(121.41, 31.2, 121.42, 31.21)],
    )) {
      const index = SpatialIndex.build(entries);
      expect(codeAt(index, 121.41, 31.205)).toBe(smaller);
      expect(codeAt(index, 121.41, 31.2)).toBe(smaller);
      expect(codeAt(index, 121.41, 31.21)).toBe(smaller);
    }
  });

  it('gives a point on a level shared edge to the smaller code', () => {
    for (const { entries, smaller } of arrangements(
      [rect(121.4, 31.2, 121.41, 31.21)],
      [rect(121.4, 31.21, 121.41, 31.22)],
    )) {
      const index = SpatialIndex.build(entries);
      expect(codeAt(index, 121.405, 31.21)).toBe(smaller);
      expect(codeAt(index, 121.4, 31.21)).toBe(smaller);
    }
  });

  it('gives a point on a slanted shared edge to the smaller code', () => {
    // Binary fractions, so the midpoint of the slanted edge lies exactly on it.
    const upper: Position[] = [
      [121, 31],
      [121.5, 31.25],
      [121, 31.5],
      [121, 31],
    ];
    const lower: Position[] = [
      [121, 31],
      [121.5, 31],
      [121.5, 31.25],
      [121, 31],
    ];
    for (const { entries, smaller } of arrangements([upper], [lower])) {
      const index = SpatialIndex.build(entries);
      expect(codeAt(index, 121.25, 31.125)).toBe(smaller);
      expect(codeAt(index, 121.25, 31.126)).toBe(entries.find((e) => e.geometry.coordinates[0] === upper)?.code);
      expect(codeAt(index, 121.25, 31.124)).toBe(entries.find((e) => e.geometry.coordinates[0] === lower)?.code);
    }
  });

  it('gives a vertex shared by four grids to the smallest code', () => {
    const four = [
      grid('310104090001004', rect(121.4, 31.2, 121.41, 31.21)),
      grid('310104090001003', rect(121.41, 31.2, 121.42, 31.21)),
      grid('310104090001002', rect(121.4, 31.21, 121.41, 31.22)),
      grid('310104090001005', rect(121.41, 31.21, 121.42, 31.22)),
    ];
    expect(codeAt(SpatialIndex.build(four), 121.41, 31.21)).toBe('310104090001002');
    expect(codeAt(SpatialIndex.build([...four].reverse()), 121.41, 31.21)).toBe('310104090001002');
    expect(codeAt(SpatialIndex.build(four), 121.4, 31.2)).toBe('310104090001004');
  });

  it('leaves a hole empty, unless a grid fills it', () => {
    const ring = grid(
      '310104090001002',
      rect(121.4, 31.2, 121.43, 31.23),
      rect(121.41, 31.21, 121.42, 31.22).reverse(),
    );
    const island = grid('310104090001001', rect(121.41, 31.21, 121.42, 31.22));
    expect(codeAt(SpatialIndex.build([ring]), 121.415, 31.215)).toBeUndefined();
    expect(codeAt(SpatialIndex.build([ring]), 121.405, 31.215)).toBe(ring.code);
    expect(codeAt(SpatialIndex.build([ring]), 121.41, 31.215)).toBe(ring.code); // the hole's border is the grid's
    const both = SpatialIndex.build([ring, island]);
    expect(codeAt(both, 121.415, 31.215)).toBe(island.code);
    expect(codeAt(both, 121.42, 31.215)).toBe(island.code);
  });

  it('finds nothing outside every grid, nor for points that are not numbers', () => {
    const index = SpatialIndex.build([west, east]);
    expect(codeAt(index, 121.5, 31.205)).toBeUndefined();
    expect(codeAt(index, 121.405, 31.3)).toBeUndefined();
    expect(codeAt(index, Number.NaN, 31.205)).toBeUndefined();
    expect(codeAt(index, 121.405, Number.POSITIVE_INFINITY)).toBeUndefined();
    const empty = SpatialIndex.build<Grid>([]);
    expect(empty.size).toBe(0);
    expect(codeAt(empty, 121.405, 31.205)).toBeUndefined();
  });

  it('places points in either part of a MultiPolygon grid, and not between them', () => {
    const multi: Grid = {
      code: '310104090001007',
      geometry: {
        type: 'MultiPolygon',
        coordinates: [[rect(121.4, 31.2, 121.41, 31.21)], [rect(121.5, 31.2, 121.51, 31.21)]],
      },
    };
    const index = SpatialIndex.build([multi]);
    expect(codeAt(index, 121.405, 31.205)).toBe(multi.code);
    expect(codeAt(index, 121.505, 31.205)).toBe(multi.code);
    expect(codeAt(index, 121.45, 31.205)).toBeUndefined();
  });

  it('leaves out entries it cannot use, and closes rings left open', () => {
    const broken = grid('310104090001000', [[121.4, Number.NaN], ...rect(121.4, 31.2, 121.41, 31.21)]);
    const open = grid('310104090001008', rect(121.5, 31.2, 121.51, 31.21).slice(0, 4));
    const index = SpatialIndex.build([broken, open, grid('310104090001006')]);
    expect(index.size).toBe(1);
    expect(codeAt(index, 121.505, 31.205)).toBe(open.code);
    expect(codeAt(index, 121.405, 31.205)).toBeUndefined();
  });
});

describe('SpatialIndex against brute force on a jittered lattice', () => {
  const random = rng(42);
  const size = 30;
  const [x0, y0, step] = [121.0, 31.0, 0.01];
  const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
  const points: Position[][] = [];
  for (let r = 0; r <= size; r++) {
    const line: Position[] = [];
    for (let c = 0; c <= size; c++) {
      const jitter = () => (r === 0 || r === size || c === 0 || c === size ? 0 : (random() * 2 - 1) * 0.2 * step);
      line.push([round6(x0 + c * step + jitter()), round6(y0 + r * step + jitter())]);
    }
    points.push(line);
  }
  const at = (c: number, r: number): Position => points[r]?.[c] ?? [0, 0];
  // Codes shuffled, so that code order is not the lattice's order.
  const serials = Array.from({ length: size * size }, (_, i) => i + 1).sort(() => random() - 0.5);
  const grids: Grid[] = serials.map((serial, i) => {
    const [c, r] = [i % size, Math.floor(i / size)];
    return grid(`3101040900${String(serial).padStart(5, '0')}`, [
      at(c, r),
      at(c + 1, r),
      at(c + 1, r + 1),
      at(c, r + 1),
      at(c, r),
    ]);
  });
  const byCode = [...grids].sort((a, b) => (a.code < b.code ? -1 : 1));
  const positionsOf = (g: Grid): Position[] =>
    g.geometry.type === 'Polygon' ? g.geometry.coordinates.flat() : g.geometry.coordinates.flat(2);

  /** Textbook closed point-in-polygon, written independently of the index. */
  function bruteForce(lng: number, lat: number): string | undefined {
    for (const g of byCode) {
      const ring = g.geometry.type === 'Polygon' ? (g.geometry.coordinates[0] ?? []) : [];
      let inside = false;
      let onBorder = false;
      for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
        const [xi = 0, yi = 0] = ring[i] ?? [];
        const [xj = 0, yj = 0] = ring[j] ?? [];
        const between =
          Math.min(xi, xj) <= lng && lng <= Math.max(xi, xj) && Math.min(yi, yj) <= lat && lat <= Math.max(yi, yj);
        if (between && (xj - xi) * (lat - yi) === (yj - yi) * (lng - xi)) onBorder = true;
        if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
      if (onBorder || inside) return g.code;
    }
    return undefined;
  }

  const index = SpatialIndex.build(grids);
  const shuffled = SpatialIndex.build([...grids].sort(() => random() - 0.5));

  it('agrees on 10,000 random points, some outside the lattice', () => {
    let located = 0;
    for (let i = 0; i < 10_000; i++) {
      const lng = x0 - 0.01 + random() * (size * step + 0.02);
      const lat = y0 - 0.01 + random() * (size * step + 0.02);
      const expected = bruteForce(lng, lat);
      expect(codeAt(index, lng, lat), `${lng}, ${lat}`).toBe(expected);
      expect(codeAt(shuffled, lng, lat), `${lng}, ${lat}`).toBe(expected);
      if (expected) located++;
    }
    expect(located).toBeGreaterThan(8_000);
  });

  it('gives every lattice point to the smallest code among the grids that share it', () => {
    for (let r = 0; r <= size; r++) {
      for (let c = 0; c <= size; c++) {
        const [lng, lat] = at(c, r);
        const sharing = byCode.filter((g) => positionsOf(g).some((p) => p[0] === lng && p[1] === lat));
        expect(sharing.length).toBeGreaterThan(0);
        expect(codeAt(index, lng, lat), `${c}, ${r}`).toBe(sharing[0]?.code);
        expect(codeAt(shuffled, lng, lat), `${c}, ${r}`).toBe(sharing[0]?.code);
      }
    }
  });

  it('never drops a point between two neighbours: edge midpoints go to one of the two', () => {
    // A midpoint is only about on a slanted edge; whichever side it falls, it must not fall in a crack.
    for (let r = 1; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const [[ax, ay], [bx, by]] = [at(c, r), at(c + 1, r)];
        const [lng, lat] = [(ax + bx) / 2, (ay + by) / 2];
        const neighbours = [grids[(r - 1) * size + c]?.code, grids[r * size + c]?.code];
        expect(neighbours, `${lng}, ${lat}`).toContain(codeAt(index, lng, lat));
        expect(codeAt(shuffled, lng, lat)).toBe(codeAt(index, lng, lat));
      }
    }
  });
});

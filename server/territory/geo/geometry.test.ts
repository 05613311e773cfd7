import { describe, expect, it } from 'vitest';
import type { PolygonGeometry, Position, UnitGeometry } from '../../../common/territory.js';
import {
  areaOf,
  type GeometryProblem,
  isWithin,
  outsideArea,
  overlapArea,
  overlaps,
  validateGeometry,
} from './geometry.js';

/** A closed counter-clockwise rectangle in Shanghai. */
function rect(west: number, south: number, east: number, north: number): Position[] {
  return [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ];
}
const polygon = (...rings: Position[][]): PolygonGeometry => ({ type: 'Polygon', coordinates: rings });

const square = polygon(rect(121.4, 31.2, 121.41, 31.21));
const left = polygon(rect(121.4, 31.2, 121.41, 31.21));
const right = polygon(rect(121.41, 31.2, 121.42, 31.21));
const both = polygon(rect(121.4, 31.2, 121.42, 31.21));

function valid(input: unknown) {
  const result = validateGeometry(input);
  if (!result.ok) throw new Error(`expected valid, got ${result.reason} ${result.detail ?? ''}`);
  return result;
}

describe('validateGeometry', () => {
  it('accepts a square and gives its bbox', () => {
    const result = valid(square);
    expect(result.geometry).toEqual(square);
    expect(result.bbox).toEqual([121.4, 31.2, 121.41, 31.21]);
  });

  it('accepts a MultiPolygon with a hole', () => {
    const multi = {
      type: 'MultiPolygon',
      coordinates: [
        [rect(121.4, 31.2, 121.43, 31.23), rect(121.41, 31.21, 121.42, 31.22).reverse()],
        [rect(121.5, 31.2, 121.51, 31.21)],
      ],
    };
    const result = valid(multi);
    expect(result.geometry).toEqual(multi);
    expect(result.bbox).toEqual([121.4, 31.2, 121.51, 31.23]);
  });

  it('drops altitude and repeated positions', () => {
    const result = valid({
      type: 'Polygon',
      coordinates: [
        [
          [121.4, 31.2, 4],
          [121.41, 31.2, 4],
          [121.41, 31.2, 4],
          [121.41, 31.21, 5],
          [121.4, 31.21, 5],
          [121.4, 31.2, 4],
        ],
      ],
    });
    expect(result.geometry).toEqual(square);
  });

  const invalid: [what: string, input: unknown, reason: GeometryProblem][] = [
    ['null', null, 'not_object'],
    ['a string', 'POLYGON((…))', 'not_object'],
    ['an array', [rect(121.4, 31.2, 121.41, 31.21)], 'not_object'],
    ['a Point', { type: 'Point', coordinates: [121.4, 31.2] }, 'bad_type'],
    ['a Feature', { type: 'Feature', geometry: square }, 'bad_type'],
    ['no coordinates', { type: 'Polygon' }, 'not_object'],
    ['coordinates not arrays', { type: 'Polygon', coordinates: 'x' }, 'bad_coordinates'],
    ['a string number', polygon([[121.4, '31.2'] as unknown as Position]), 'bad_coordinates'],
    ['a one-number position', { type: 'Polygon', coordinates: [[[121.4]]] }, 'bad_coordinates'],
    ['no rings', { type: 'Polygon', coordinates: [] }, 'empty'],
    ['no polygons', { type: 'MultiPolygon', coordinates: [] }, 'empty'],
    ['NaN', polygon([[121.4, Number.NaN]]), 'not_finite'],
    ['Infinity', polygon([[Number.POSITIVE_INFINITY, 31.2]]), 'not_finite'],
    ['latitude beyond 90', polygon(rect(0, 95, 1, 96)), 'out_of_range'],
    ['longitude beyond 180', polygon(rect(190, 31, 191, 32)), 'out_of_range'],
    ['New York', polygon(rect(-74.01, 40.7, -74, 40.71)), 'outside_china'],
    ['swapped coordinates', polygon(rect(31.2, 121.4, 31.21, 121.41)), 'outside_china'],
    ['swapped coordinates in the west', polygon(rect(31.2, 80.1, 31.21, 80.2)), 'outside_china'],
    ['an unclosed ring', polygon(rect(121.4, 31.2, 121.41, 31.21).slice(0, 4)), 'unclosed_ring'],
    [
      'a triangle without its closing point',
      polygon([
        [121.4, 31.2],
        [121.41, 31.2],
        [121.41, 31.21],
      ]),
      'unclosed_ring',
    ],
    [
      'a closed ring of 3',
      polygon([
        [121.4, 31.2],
        [121.41, 31.2],
        [121.4, 31.2],
      ]),
      'too_few_positions',
    ],
    [
      'a bow-tie',
      polygon([
        [121.4, 31.2],
        [121.41, 31.21],
        [121.41, 31.2],
        [121.4, 31.21],
        [121.4, 31.2],
      ]),
      'self_intersection',
    ],
    [
      'a hole crossing its exterior',
      polygon(rect(121.4, 31.2, 121.41, 31.21), rect(121.405, 31.205, 121.415, 31.215)),
      'self_intersection',
    ],
    [
      'a flat ring',
      polygon([
        [121.4, 31.2],
        [121.41, 31.2],
        [121.42, 31.2],
        [121.4, 31.2],
      ]),
      'zero_area',
    ],
    [
      'a bad part of a MultiPolygon',
      { type: 'MultiPolygon', coordinates: [square.coordinates, [[]]] },
      'too_few_positions',
    ],
  ];
  it.each(invalid)('refuses %s', (_what, input, reason) => {
    const result = validateGeometry(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });

  it('names the first kink of a bow-tie', () => {
    const result = validateGeometry(
      polygon([
        [121.4, 31.2],
        [121.41, 31.21],
        [121.41, 31.2],
        [121.4, 31.21],
        [121.4, 31.2],
      ]),
    );
    expect(result).toMatchObject({ ok: false, reason: 'self_intersection' });
    if (!result.ok) {
      const [lng, lat] = (result.detail ?? '').split(',').map(Number);
      expect(lng).toBeCloseTo(121.405, 9);
      expect(lat).toBeCloseTo(31.205, 9);
    }
  });

  it('hints at swapped coordinates', () => {
    const result = validateGeometry(polygon(rect(31.2, 121.4, 31.21, 121.41)));
    expect(result.ok ? '' : result.detail).toMatch(/swapped/);
  });
});

describe('relations', () => {
  const side = 0.01 * 111_320; // metres per 0.01° of latitude, roughly
  it('measures a square of 0.01° in Shanghai at about 1 km²', () => {
    expect(areaOf(square)).toBeGreaterThan(side * side * 0.8);
    expect(areaOf(square)).toBeLessThan(side * side * 0.9);
  });

  it('two squares sharing an edge do not overlap', () => {
    expect(overlapArea(left, right)).toBeLessThan(1);
    expect(overlaps(left, right)).toBe(false);
    expect(overlaps(right, left)).toBe(false);
  });

  it('squares far apart do not overlap (bbox pre-check)', () => {
    expect(overlapArea(square, polygon(rect(122, 31, 122.01, 31.01)))).toBe(0);
  });

  it('both halves lie within the square made of them, a shared border included', () => {
    expect(outsideArea(left, both)).toBeLessThan(1);
    expect(isWithin(left, both)).toBe(true);
    expect(isWithin(right, both)).toBe(true);
    expect(isWithin(both, both)).toBe(true);
  });

  it('two overlapping squares overlap by the shared quarter', () => {
    const a = polygon(rect(121.4, 31.2, 121.42, 31.22));
    const b = polygon(rect(121.41, 31.21, 121.43, 31.23));
    const quarter = areaOf(polygon(rect(121.41, 31.21, 121.42, 31.22)));
    expect(overlapArea(a, b)).toBeCloseTo(quarter, -1);
    expect(overlaps(a, b)).toBe(true);
    expect(overlaps(b, a)).toBe(true);
  });

  it('a child sticking out of its parent is not within it', () => {
    const child = polygon(rect(121.415, 31.2, 121.425, 31.21));
    const outside = areaOf(polygon(rect(121.42, 31.2, 121.425, 31.21)));
    expect(outsideArea(child, both)).toBeCloseTo(outside, -1);
    expect(isWithin(child, both)).toBe(false);
    expect(isWithin(child, both, 0.6)).toBe(true);
  });

  it('a child entirely elsewhere lies wholly outside', () => {
    const far: UnitGeometry = polygon(rect(122, 31, 122.01, 31.01));
    expect(outsideArea(far, both)).toBeCloseTo(areaOf(far), 3);
    expect(isWithin(far, both)).toBe(false);
  });

  it('tolerates a parent border digitised a hair off', () => {
    const parent = polygon(rect(121.4, 31.2, 121.41999, 31.21));
    expect(isWithin(right, parent)).toBe(true);
    expect(isWithin(right, parent, 0)).toBe(false);
  });

  it('a MultiPolygon child within a parent with a hole', () => {
    const parent = polygon(rect(121.4, 31.2, 121.43, 31.23), rect(121.41, 31.21, 121.42, 31.22).reverse());
    const inHole: UnitGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rect(121.4, 31.2, 121.405, 31.205)], [rect(121.412, 31.212, 121.418, 31.218)]],
    };
    expect(isWithin(inHole, parent)).toBe(false);
    const aroundHole: UnitGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rect(121.4, 31.2, 121.405, 31.205)], [rect(121.425, 31.225, 121.43, 31.23)]],
    };
    expect(isWithin(aroundHole, parent)).toBe(true);
  });
});

/**
 * Geometry for generated territory: a jittered lattice of quadrilateral cells and the outlines of
 * rectangular blocks of cells. Neighbouring cells share their lattice points exactly, so the cells
 * tile the lattice's outline with no gaps and no overlaps, and the outline of any block of cells is
 * made of the same points as the cells inside it.
 *
 * Coordinates are WGS84 [longitude, latitude] rounded to 6 decimals (about 0.1 m). Rings are closed
 * and counter-clockwise (RFC 7946 exterior rings).
 */
import type { PolygonGeometry, Position } from '../../common/territory.js';
import type { Rng } from './random.js';

export interface LatticeOptions {
  /** Number of cells west to east. */
  columns: number;
  /** Number of cells north to south. */
  rows: number;
  /** Western and eastern longitude of the outline. */
  west: number;
  east: number;
  /** Southern and northern latitude of the outline. */
  south: number;
  north: number;
  /**
   * Largest displacement of a lattice point, as a fraction of a cell's width (along longitude) or
   * height (along latitude). Below 0.25 every point stays in its own quarter-cell box, so opposite
   * sides of a cell can never cross and every cell is a simple quadrilateral. Default 0.2.
   */
  jitter?: number;
}

/**
 * `(columns + 1) × (rows + 1)` points; `points[row][column]`, row 0 along the northern edge and
 * column 0 along the western edge.
 */
export interface Lattice {
  columns: number;
  rows: number;
  points: Position[][];
}

/** Rounds a coordinate to 6 decimals. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * A jittered lattice. Interior points move in both directions; points on the outline's edges move
 * only along their edge; the four corners stay put, so the outline stays a rectangle's worth of
 * straight edges.
 */
export function buildLattice(rng: Rng, options: LatticeOptions): Lattice {
  const { columns, rows, west, east, south, north } = options;
  const jitter = options.jitter ?? 0.2;
  if (!(jitter >= 0 && jitter < 0.25)) throw new RangeError(`jitter ${jitter} must be in [0, 0.25)`);
  if (!(columns >= 1 && rows >= 1)) throw new RangeError('a lattice needs at least one cell');
  const cellWidth = (east - west) / columns;
  const cellHeight = (north - south) / rows;
  const points: Position[][] = [];
  for (let row = 0; row <= rows; row++) {
    const line: Position[] = [];
    for (let column = 0; column <= columns; column++) {
      const onWestOrEast = column === 0 || column === columns;
      const onNorthOrSouth = row === 0 || row === rows;
      // Draw both offsets for every point so the stream does not depend on which points move.
      const dx = (rng.next() * 2 - 1) * jitter * cellWidth;
      const dy = (rng.next() * 2 - 1) * jitter * cellHeight;
      const lng = west + column * cellWidth + (onWestOrEast ? 0 : dx);
      const lat = north - row * cellHeight - (onNorthOrSouth ? 0 : dy);
      line.push([round6(lng), round6(lat)]);
    }
    points.push(line);
  }
  return { columns, rows, points };
}

function point(lattice: Lattice, column: number, row: number): Position {
  const found = lattice.points[row]?.[column];
  if (!found) throw new RangeError(`no lattice point at column ${column}, row ${row}`);
  return found;
}

/**
 * The closed, counter-clockwise outline of the block of cells from (`column`, `row`) spanning
 * `width` columns and `height` rows: every lattice point on the block's boundary, in order, starting
 * and ending at the south-western corner. A single cell gives 4 points (5 with the closing one); a
 * 2 × 2 block gives 8.
 */
export function blockRing(lattice: Lattice, column: number, row: number, width = 1, height = 1): Position[] {
  if (
    width < 1 ||
    height < 1 ||
    column < 0 ||
    row < 0 ||
    column + width > lattice.columns ||
    row + height > lattice.rows
  ) {
    throw new RangeError(`block ${column},${row} ${width}×${height} is outside the lattice`);
  }
  const c0 = column;
  const c1 = column + width;
  const r0 = row; // north
  const r1 = row + height; // south
  const ring: Position[] = [];
  for (let c = c0; c < c1; c++) ring.push(point(lattice, c, r1)); // south edge, westwards → east
  for (let r = r1; r > r0; r--) ring.push(point(lattice, c1, r)); // east edge, northwards
  for (let c = c1; c > c0; c--) ring.push(point(lattice, c, r0)); // north edge, westwards
  for (let r = r0; r < r1; r++) ring.push(point(lattice, c0, r)); // west edge, southwards
  ring.push(point(lattice, c0, r1)); // close
  return ring.map(([lng, lat]) => [lng, lat]);
}

/** A GeoJSON Polygon with one exterior ring. */
export function polygon(ring: Position[]): PolygonGeometry {
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * Signed shoelace area of a closed ring in squared degrees (positive when counter-clockwise).
 * Coordinates are taken relative to the ring's first point, which keeps the products small and the
 * result accurate to about 1e-16 of the area rather than of lng × lat.
 */
export function ringArea(ring: readonly Position[]): number {
  const origin = ring[0];
  if (!origin) return 0;
  const [ox, oy] = origin;
  let twice = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as Position;
    const [x2, y2] = ring[i + 1] as Position;
    twice += (x1 - ox) * (y2 - oy) - (x2 - ox) * (y1 - oy);
  }
  return twice / 2;
}

/**
 * In-process placement of a point into unit grids: which grid holds this [lng, lat]?
 *
 * A uniform bucket grid over the grids' overall bounding box narrows a lookup to the ten or so
 * grids whose bounding box meets the point's bucket; an even–odd ray cast over flat typed arrays then
 * decides. Entries are sorted by code and every bucket lists them in that order, so the first grid
 * whose closed polygon holds the point is the one with the smallest code: a point on a border
 * shared by two grids always goes to the same one, whichever order they were given in.
 *
 * Borders are decided consistently between neighbours: every edge is evaluated from its lower
 * endpoint to its upper one, so two grids sharing an edge compute bit-for-bit the same side test
 * and a point is never dropped between them, nor counted "on" the edge by one and not the other.
 */
import type { Position, UnitGeometry } from '../../../common/territory.js';

/**
 * Bucket side as a multiple of the median entry's bounding box (~11 entries per bucket on a
 * lattice). Larger buckets measured faster than small ones (bench/placement.ts: 0.5 → 2.9 entries
 * per bucket ran ~25 % slower): the bucket tables then stay in cache, and the candidates of a
 * bucket are mostly neighbours whose records lie side by side, so scanning them costs little.
 */
const BUCKET_SCALE = 2;
/** Most buckets per indexed entry (bounds memory when sizes vary widely). */
const MAX_CELLS_PER_ENTRY = 16;

/** How the bucket grid came out; for benchmarks and tuning. */
export interface SpatialIndexStats {
  columns: number;
  rows: number;
  /** Mean number of entries listed per bucket. */
  meanCandidates: number;
}

/** Positions of an entry's record before its rings: entry index, minX, minY, maxX, maxY, ring count. */
const HEADER = 6;

/** Every ring of a geometry (holes and parts alike), closed, leaving out those under 3 positions. */
function ringsOf(geometry: UnitGeometry): Position[][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.flat().flatMap((ring) => {
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (!first || !last || ring.length < 3) return [];
    return [first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first]];
  });
}

const usable = (geometry: UnitGeometry) => {
  const rings = ringsOf(geometry);
  return rings.length > 0 && rings.every((ring) => ring.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
};

/**
 * One flat record per entry, in entry order, so that a candidate's bounding box and vertices sit
 * together in memory: `[e, minX, minY, maxX, maxY, ringCount, (n, x1, y1 … xn, yn) per ring]`.
 * Returns the records and the offset of each.
 */
function pack(geometries: UnitGeometry[]): { data: Float64Array; offsets: Int32Array } {
  const data: number[] = [];
  const offsets = new Int32Array(geometries.length);
  geometries.forEach((geometry, e) => {
    const at = data.length;
    offsets[e] = at;
    const rings = ringsOf(geometry);
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    data.push(e, 0, 0, 0, 0, rings.length);
    for (const ring of rings) {
      data.push(ring.length);
      for (const [x, y] of ring) {
        data.push(x, y);
        [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
      }
    }
    [data[at + 1], data[at + 2], data[at + 3], data[at + 4]] = [minX, minY, maxX, maxY];
  });
  return { data: Float64Array.from(data), offsets };
}

function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[sorted.length >> 1] ?? 0;
}

/** The bucket of a coordinate along one axis; build and lookup share it, so both round alike. */
function bucketOf(v: number, min: number, inv: number, count: number): number {
  const i = Math.floor((v - min) * inv);
  return i < 0 ? 0 : i >= count ? count - 1 : i;
}

interface Layout {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  columns: number;
  rows: number;
  invWidth: number;
  invHeight: number;
}

type Box = readonly [minX: number, minY: number, maxX: number, maxY: number];

/** Sizes the bucket grid from the median entry, within a bound on memory. */
function layout(boxes: Box[]): Layout {
  if (boxes.length === 0)
    return { minX: 0, minY: 0, maxX: -1, maxY: -1, columns: 1, rows: 1, invWidth: 0, invHeight: 0 };
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x0, y0, x1, y1] of boxes) {
    [minX, minY, maxX, maxY] = [Math.min(minX, x0), Math.min(minY, y0), Math.max(maxX, x1), Math.max(maxY, y1)];
  }
  const width = maxX - minX;
  const height = maxY - minY;
  const cellWidth = median(boxes.map((b) => b[2] - b[0])) * BUCKET_SCALE || width || 1;
  const cellHeight = median(boxes.map((b) => b[3] - b[1])) * BUCKET_SCALE || height || 1;
  let columns = Math.max(1, Math.ceil(width / cellWidth));
  let rows = Math.max(1, Math.ceil(height / cellHeight));
  const maxCells = Math.max(1024, boxes.length * MAX_CELLS_PER_ENTRY);
  if (columns * rows > maxCells) {
    const shrink = Math.sqrt((columns * rows) / maxCells);
    columns = Math.max(1, Math.floor(columns / shrink));
    rows = Math.max(1, Math.floor(rows / shrink));
  }
  const invWidth = width > 0 ? columns / width : 0;
  const invHeight = height > 0 ? rows / height : 0;
  return { minX, minY, maxX, maxY, columns, rows, invWidth, invHeight };
}

/**
 * Lists, per bucket, the records of the entries whose bounding box meets it, in entry order
 * (compressed rows: bucket `c` holds `items[start[c] .. start[c + 1]]`, each an offset in `data`).
 */
function fillBuckets(boxes: Box[], offsets: Int32Array, g: Layout): { start: Int32Array; items: Int32Array } {
  const cells = g.columns * g.rows;
  const bucketsOf = ([x0, y0, x1, y1]: Box) => {
    const [c0, c1] = [bucketOf(x0, g.minX, g.invWidth, g.columns), bucketOf(x1, g.minX, g.invWidth, g.columns)];
    const [r0, r1] = [bucketOf(y0, g.minY, g.invHeight, g.rows), bucketOf(y1, g.minY, g.invHeight, g.rows)];
    const out: number[] = [];
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) out.push(r * g.columns + c);
    return out;
  };
  const start = new Int32Array(cells + 1);
  for (const box of boxes) for (const cell of bucketsOf(box)) start[cell + 1] = (start[cell + 1] ?? 0) + 1;
  for (let c = 1; c <= cells; c++) start[c] = (start[c] ?? 0) + (start[c - 1] ?? 0);
  const items = new Int32Array(start[cells] ?? 0);
  const next = start.slice(0, cells);
  boxes.forEach((box, e) => {
    for (const cell of bucketsOf(box)) {
      const slot = next[cell] ?? 0;
      next[cell] = slot + 1;
      items[slot] = offsets[e] ?? 0;
    }
  });
  return { start, items };
}

/**
 * Closed even–odd containment of (px, py) in the rings of the record at `data[at]` (holes and
 * parts alike). Hot path: indices are in range by construction, hence the bare `as number`.
 */
function contains(data: Float64Array, at: number, px: number, py: number): boolean {
  let inside = false;
  let i = at + HEADER;
  for (let rings = data[at + HEADER - 1] as number; rings > 0; rings--) {
    const end = i + 1 + 2 * (data[i] as number);
    i++;
    let ax = data[i] as number;
    let ay = data[i + 1] as number;
    for (i += 2; i < end; i += 2) {
      const bx = data[i] as number;
      const by = data[i + 1] as number;
      if (ay > py !== by > py) {
        // The side of the point seen from the lower endpoint: the same for both grids on this edge.
        const o =
          ay < by ? (bx - ax) * (py - ay) - (by - ay) * (px - ax) : (ax - bx) * (py - by) - (ay - by) * (px - bx);
        if (o === 0) return true;
        if (o > 0) inside = !inside;
      } else if (ay === py || by === py) {
        // Touching the ray's line without crossing it: the point can only be on a level edge or a vertex.
        if (ay === by ? (px >= ax && px <= bx) || (px >= bx && px <= ax) : px === (ay === py ? ax : bx)) return true;
      }
      ax = bx;
      ay = by;
    }
  }
  return inside;
}

/** Point placement into unit grids; build once, then `locate` many times. */
export class SpatialIndex<T extends { geometry: UnitGeometry; code: string }> {
  private readonly grid: Layout;
  private readonly cellStart: Int32Array;
  private readonly cellItems: Int32Array;
  private readonly data: Float64Array;

  private constructor(private readonly entries: T[]) {
    const { data, offsets } = pack(entries.map((e) => e.geometry));
    const boxes = Array.from(
      offsets,
      (o): Box => [data[o + 1] ?? 0, data[o + 2] ?? 0, data[o + 3] ?? 0, data[o + 4] ?? 0],
    );
    const g = layout(boxes);
    const buckets = fillBuckets(boxes, offsets, g);
    this.data = data;
    this.cellStart = buckets.start;
    this.cellItems = buckets.items;
    this.grid = g;
  }

  /**
   * Indexes `entries` (not copied: their geometry must not change afterwards). Entries without a
   * ring of 3 positions or with a non-finite coordinate are left out. Codes decide ties on shared
   * borders: smallest first.
   */
  static build<T extends { geometry: UnitGeometry; code: string }>(entries: T[]): SpatialIndex<T> {
    const kept = entries.filter((e) => usable(e.geometry));
    kept.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return new SpatialIndex(kept);
  }

  /** Number of entries indexed. */
  get size(): number {
    return this.entries.length;
  }

  /** The shape of the bucket grid. */
  get stats(): SpatialIndexStats {
    const { columns, rows } = this.grid;
    return { columns, rows, meanCandidates: this.cellItems.length / (columns * rows) };
  }

  /**
   * The entry whose polygon holds the point. A point on a border or vertex shared by several
   * entries goes to the one with the smallest code; a point in a hole or outside every entry
   * gives `undefined`.
   */
  locate(lng: number, lat: number): T | undefined {
    const g = this.grid;
    if (!(lng >= g.minX && lng <= g.maxX && lat >= g.minY && lat <= g.maxY)) return undefined;
    const cell = bucketOf(lat, g.minY, g.invHeight, g.rows) * g.columns + bucketOf(lng, g.minX, g.invWidth, g.columns);
    const data = this.data;
    const items = this.cellItems;
    for (let i = this.cellStart[cell] as number, end = this.cellStart[cell + 1] as number; i < end; i++) {
      const at = items[i] as number;
      if (lng < (data[at + 1] as number) || lat < (data[at + 2] as number)) continue;
      if (lng > (data[at + 3] as number) || lat > (data[at + 4] as number)) continue;
      if (contains(data, at, lng, lat)) return this.entries[data[at] as number];
    }
    return undefined;
  }
}

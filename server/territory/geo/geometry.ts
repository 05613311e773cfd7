/**
 * Unit boundaries: GeoJSON Polygon / MultiPolygon in WGS84 [longitude, latitude]. Validation of
 * what an import or an editor sends, and the two relations territory checks need: "lies within its
 * parent" and "overlaps a neighbour", both measured in square metres so that shared borders and
 * floating-point noise pass.
 */
import { area } from '@turf/area';
import { difference } from '@turf/difference';
import { feature, featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { kinks } from '@turf/kinks';
import type { Position, UnitGeometry } from '../../../common/territory.js';

/** Why a geometry was refused. */
export type GeometryProblem =
  /** Not an object with `type` and `coordinates`. */
  | 'not_object'
  /** A `type` other than Polygon or MultiPolygon. */
  | 'bad_type'
  /** `coordinates` is not nested arrays of [lng, lat] or [lng, lat, altitude] numbers. */
  | 'bad_coordinates'
  /** No polygon, or a polygon with no ring. */
  | 'empty'
  /** NaN or ±Infinity. */
  | 'not_finite'
  /** Longitude outside [-180, 180] or latitude outside [-90, 90]. */
  | 'out_of_range'
  /** Outside a generous box around China: usually latitude and longitude swapped. */
  | 'outside_china'
  /** A ring with fewer than 4 positions (after dropping repeated ones). */
  | 'too_few_positions'
  /** A ring whose last position differs from its first. */
  | 'unclosed_ring'
  /** Edges cross or touch (within a ring, or between rings). */
  | 'self_intersection'
  /** A polygon with no area. */
  | 'zero_area';

/** [minLng, minLat, maxLng, maxLat]. */
export type BBox = [number, number, number, number];

/** The result of {@link validateGeometry}. */
export type GeometryCheck =
  | { ok: true; geometry: UnitGeometry; bbox: BBox }
  | { ok: false; reason: GeometryProblem; detail?: string };

/** A generous box around China (incl. the South China Sea islands down to 3°N). */
export const CHINA_BOX: BBox = [73, 3, 136, 54];
/** Below this a polygon counts as having no area (m²); floating noise on a degenerate ring is far smaller. */
const MIN_AREA_M2 = 0.01;

type Failure = { ok: false; reason: GeometryProblem; detail?: string };
const fail = (reason: GeometryProblem, detail?: string): Failure =>
  detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };

const inBox = (lng: number, lat: number, box: BBox) => lng >= box[0] && lng <= box[2] && lat >= box[1] && lat <= box[3];

function parsePosition(value: unknown, where: string): Position | Failure {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return fail('bad_coordinates', where);
  const [lng, lat, alt] = value as unknown[];
  if (typeof lng !== 'number' || typeof lat !== 'number' || (alt !== undefined && typeof alt !== 'number'))
    return fail('bad_coordinates', where);
  if (!Number.isFinite(lng) || !Number.isFinite(lat)) return fail('not_finite', where);
  const swapped = inBox(lat, lng, CHINA_BOX);
  const at = `${where} = [${lng}, ${lat}]${swapped ? ': swapped? positions are [longitude, latitude]' : ''}`;
  if (lng < -180 || lng > 180 || lat < -90 || lat > 90) return fail(swapped ? 'outside_china' : 'out_of_range', at);
  if (!inBox(lng, lat, CHINA_BOX)) return fail('outside_china', at);
  return [lng, lat];
}

function parseRing(value: unknown, where: string): Position[] | Failure {
  if (!Array.isArray(value)) return fail('bad_coordinates', where);
  const ring: Position[] = [];
  for (let i = 0; i < value.length; i++) {
    const p = parsePosition(value[i], `${where}[${i}]`);
    if (!Array.isArray(p)) return p;
    const last = ring[ring.length - 1];
    // Repeated positions carry no shape, and kinks() would report them as touching edges.
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && ring.length > 1 && (first[0] !== last[0] || first[1] !== last[1]))
    return fail('unclosed_ring', where);
  if (ring.length < 4) return fail('too_few_positions', where);
  return ring;
}

function parsePolygon(value: unknown, where: string): Position[][] | Failure {
  if (!Array.isArray(value)) return fail('bad_coordinates', where);
  if (value.length === 0) return fail('empty', where);
  const rings: Position[][] = [];
  for (let i = 0; i < value.length; i++) {
    const ring = parseRing(value[i], `${where}[${i}]`);
    if (!Array.isArray(ring)) return ring;
    rings.push(ring);
  }
  return rings;
}

function parse(input: unknown): UnitGeometry | Failure {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail('not_object');
  const { type, coordinates } = input as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') return fail('bad_type', String(type));
  if (!Array.isArray(coordinates)) return fail(coordinates === undefined ? 'not_object' : 'bad_coordinates');
  if (type === 'Polygon') {
    const rings = parsePolygon(coordinates, 'coordinates');
    return Array.isArray(rings) ? { type, coordinates: rings } : rings;
  }
  if (coordinates.length === 0) return fail('empty', 'coordinates');
  const polygons: Position[][][] = [];
  for (let i = 0; i < coordinates.length; i++) {
    const rings = parsePolygon(coordinates[i], `coordinates[${i}]`);
    if (!Array.isArray(rings)) return rings;
    polygons.push(rings);
  }
  return { type, coordinates: polygons };
}

/** The polygons of a geometry, each as its rings. */
export function polygonsOf(geometry: UnitGeometry): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The bounding box of a geometry ([Infinity, Infinity, -Infinity, -Infinity] when empty). */
export function bboxOf(geometry: UnitGeometry): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      for (const [lng, lat] of ring) {
        if (lng < box[0]) box[0] = lng;
        if (lat < box[1]) box[1] = lat;
        if (lng > box[2]) box[2] = lng;
        if (lat > box[3]) box[3] = lat;
      }
    }
  }
  return box;
}

/**
 * Checks untrusted input as a unit boundary and normalises it: a Polygon or MultiPolygon inside
 * China, rings closed with at least 4 positions, no self-intersection, some area. An altitude is
 * dropped, and so are positions repeated one after the other. Does not check that holes lie inside
 * their exterior ring or that the parts of a MultiPolygon are disjoint, beyond edges not crossing.
 */
export function validateGeometry(input: unknown): GeometryCheck {
  const geometry = parse(input);
  if ('ok' in geometry) return geometry;
  // kinks() compares every pair of edges; fine for grid boundaries of tens to a few thousand points.
  const crossing = kinks(geometry).features[0];
  if (crossing) {
    const [lng, lat] = crossing.geometry.coordinates;
    return fail('self_intersection', `${lng}, ${lat}`);
  }
  const polygons = polygonsOf(geometry);
  for (let i = 0; i < polygons.length; i++) {
    const rings = polygons[i];
    if (rings && area({ type: 'Polygon', coordinates: rings }) < MIN_AREA_M2)
      return fail('zero_area', geometry.type === 'Polygon' ? 'coordinates' : `coordinates[${i}]`);
  }
  return { ok: true, geometry, bbox: bboxOf(geometry) };
}

/** Area of a geometry in m² (geodesic, holes subtracted). */
export function areaOf(geometry: UnitGeometry): number {
  return area(geometry);
}

function boxesMeet(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** Area in m² of the part of `child` that lies outside `parent`. */
export function outsideArea(child: UnitGeometry, parent: UnitGeometry): number {
  if (!boxesMeet(bboxOf(child), bboxOf(parent))) return area(child);
  const rest = difference(featureCollection([feature(child), feature(parent)]));
  return rest ? area(rest) : 0;
}

/**
 * Whether `child` lies within `parent`, allowing `toleranceRatio` of the child's area outside it
 * (digitised neighbours never share borders exactly; 0.5 % by default).
 */
export function isWithin(child: UnitGeometry, parent: UnitGeometry, toleranceRatio = 0.005): boolean {
  return outsideArea(child, parent) <= toleranceRatio * area(child);
}

/** Area in m² that `a` and `b` share; 0 without computing when their bounding boxes do not meet. */
export function overlapArea(a: UnitGeometry, b: UnitGeometry): number {
  if (!boxesMeet(bboxOf(a), bboxOf(b))) return 0;
  const shared = intersect(featureCollection([feature(a), feature(b)]));
  return shared ? area(shared) : 0;
}

/** Whether `a` and `b` share more than `toleranceM2` square metres (touching along a border does not count). */
export function overlaps(a: UnitGeometry, b: UnitGeometry, toleranceM2 = 1): boolean {
  return overlapArea(a, b) > toleranceM2;
}

/**
 * Small geometry helpers for drawing units: bounding boxes and a point to hang a label on.
 * Coordinates are WGS84 [lng, lat].
 */
import type { UnitFeatureCollection } from '@common/api';
import type { Position, UnitGeometry } from '@common/territory';

/** [west, south, east, north] */
export type BBox = [number, number, number, number];

function outerRings(geometry: UnitGeometry): Position[][] {
  return geometry.type === 'Polygon'
    ? geometry.coordinates.slice(0, 1)
    : geometry.coordinates.flatMap((polygon) => polygon.slice(0, 1));
}

/** Grows `box` (or starts one) to cover the geometry; returns null for an empty one. */
export function extendBBox(box: BBox | null, geometry: UnitGeometry): BBox | null {
  let result = box;
  for (const ring of outerRings(geometry)) {
    for (const [lng, lat] of ring) {
      result = result
        ? [Math.min(result[0], lng), Math.min(result[1], lat), Math.max(result[2], lng), Math.max(result[3], lat)]
        : [lng, lat, lng, lat];
    }
  }
  return result;
}

export function featuresBBox(collection: UnitFeatureCollection, start: BBox | null = null): BBox | null {
  return collection.features.reduce<BBox | null>((box, feature) => extendBBox(box, feature.geometry), start);
}

/** Signed area and centroid of one ring (shoelace formula, planar: fine at the scale of a district). */
function ringCentroid(ring: Position[]): { area: number; point: Position } | null {
  let twiceArea = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i];
    const b = ring[i + 1];
    if (!a || !b) continue;
    const cross = a[0] * b[1] - b[0] * a[1];
    twiceArea += cross;
    cx += (a[0] + b[0]) * cross;
    cy += (a[1] + b[1]) * cross;
  }
  if (twiceArea === 0) return null;
  return { area: Math.abs(twiceArea / 2), point: [cx / (3 * twiceArea), cy / (3 * twiceArea)] };
}

/** Where to put a unit's name: the centroid of its largest outer ring (the first vertex if degenerate). */
export function labelPoint(geometry: UnitGeometry): Position | null {
  let best: { area: number; point: Position } | null = null;
  for (const ring of outerRings(geometry)) {
    const centroid = ringCentroid(ring);
    if (centroid && (!best || centroid.area > best.area)) best = centroid;
  }
  if (best) return best.point;
  return outerRings(geometry)[0]?.[0] ?? null;
}

/**
 * Which unit grid a point lies in, on the phone: an even-odd ray test over the grids the map already
 * holds (holes included). The server places the report itself; this only tells the resident.
 */
import type { PublicGridCollection } from '@common/public-api';
import type { Position } from '@common/territory';

/** A point as the report sends it (WGS84). */
export interface LngLat {
  lng: number;
  lat: number;
}

function inRing(point: Position, ring: Position[]): boolean {
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (!a || !b) continue;
    if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

function inPolygon(point: Position, rings: Position[][]): boolean {
  const [outer, ...holes] = rings;
  return Boolean(outer && inRing(point, outer) && !holes.some((hole) => inRing(point, hole)));
}

/** The grid feature holding the point, or null outside every grid. */
export function gridAt(grids: PublicGridCollection, point: Position) {
  return (
    grids.features.find((feature) => {
      const g = feature.geometry;
      return g.type === 'Polygon'
        ? inPolygon(point, g.coordinates)
        : g.coordinates.some((polygon) => inPolygon(point, polygon));
    }) ?? null
  );
}

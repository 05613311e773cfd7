/**
 * GCJ-02 (国测局坐标, "Mars coordinates"): the offset datum that map providers licensed in mainland
 * China (AutoNavi/Amap, Tencent, most tile services) draw their tiles in. Gridloop stores WGS84;
 * a base map in GCJ-02 needs every grid polygon and case point shifted before drawing, and a pin
 * dropped on it shifted back before saving. Outside mainland China the datum equals WGS84.
 *
 * The forward shift is the published closed form on the Krasovsky 1940 ellipsoid; the reverse has
 * no closed form and is found by fixed-point iteration (to well under a centimetre).
 */

export type LngLat = [number, number];

/** Krasovsky 1940: semi-major axis (m) and first eccentricity squared. */
const A = 6_378_245.0;
const EE = 0.006_693_421_622_965_943;

/** The rough box of mainland China used by providers: no shift outside it. */
export function outOfChina([lng, lat]: LngLat): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function shiftLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** WGS84 → GCJ-02. */
export function wgs84ToGcj02(point: LngLat): LngLat {
  const [lng, lat] = point;
  if (outOfChina(point)) return [lng, lat];
  const x = lng - 105;
  const y = lat - 35;
  const radLat = (lat / 180) * Math.PI;
  const sin = Math.sin(radLat);
  const magic = 1 - EE * sin * sin;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (shiftLat(x, y) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (shiftLng(x, y) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

/** GCJ-02 → WGS84, by iterating the forward shift until it lands on the given point. */
export function gcj02ToWgs84(point: LngLat): LngLat {
  if (outOfChina(point)) return [point[0], point[1]];
  let guess: LngLat = [point[0], point[1]];
  for (let i = 0; i < 30; i++) {
    const [fLng, fLat] = wgs84ToGcj02(guess);
    const dLng = point[0] - fLng;
    const dLat = point[1] - fLat;
    guess = [guess[0] + dLng, guess[1] + dLat];
    if (Math.abs(dLng) < 1e-10 && Math.abs(dLat) < 1e-10) break;
  }
  return guess;
}

type Coordinates = number[] | Coordinates[];

function mapCoordinates(coordinates: Coordinates, shift: (p: LngLat) => LngLat): Coordinates {
  if (typeof coordinates[0] === 'number') {
    const [lng, lat, ...rest] = coordinates as number[];
    return [...shift([lng ?? 0, lat ?? 0]), ...rest];
  }
  return (coordinates as Coordinates[]).map((c) => mapCoordinates(c, shift));
}

/** A copy of a GeoJSON geometry (any type but GeometryCollection) with every position shifted. */
export function shiftGeometry<G extends { type: string; coordinates: unknown }>(
  geometry: G,
  shift: (p: LngLat) => LngLat,
): G {
  return { ...geometry, coordinates: mapCoordinates(geometry.coordinates as Coordinates, shift) };
}

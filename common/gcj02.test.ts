/**
 * The GCJ-02 shift: a few hundred metres inside mainland China, none outside; the reverse finds the
 * WGS84 point again to well under a centimetre; geometries shift position by position.
 */
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, type LngLat, outOfChina, shiftGeometry, wgs84ToGcj02 } from './gcj02.js';

/** Metres between two points (equirectangular; exact enough at this scale). */
function metres(a: LngLat, b: LngLat): number {
  const k = Math.PI / 180;
  const x = (b[0] - a[0]) * k * Math.cos(((a[1] + b[1]) / 2) * k);
  const y = (b[1] - a[1]) * k;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

const PLACES: Record<string, LngLat> = {
  Shanghai: [121.4737, 31.2304],
  Beijing: [116.3975, 39.9087],
  Urumqi: [87.6168, 43.8256],
  Sanya: [109.512, 18.2528],
  Harbin: [126.535, 45.8038],
};

describe('GCJ-02', () => {
  it('shifts points in mainland China by a few hundred metres, east and mostly south in the east', () => {
    for (const [name, p] of Object.entries(PLACES)) {
      const shifted = wgs84ToGcj02(p);
      const d = metres(p, shifted);
      expect(d, name).toBeGreaterThan(50);
      expect(d, name).toBeLessThan(800);
    }
    // Shanghai's well-known offset: about 450–500 m, east-north-east to east-south-east.
    const [lng, lat] = wgs84ToGcj02(PLACES.Shanghai as LngLat);
    expect(lng - 121.4737).toBeGreaterThan(0.003);
    expect(Math.abs(lat - 31.2304)).toBeLessThan(0.003);
  });

  it('matches the published reference value at Tiananmen', () => {
    const [lng, lat] = wgs84ToGcj02([116.404, 39.915]);
    expect(lng).toBeCloseTo(116.410244499, 8);
    expect(lat).toBeCloseTo(39.916404282, 8);
  });

  it('leaves points outside mainland China alone', () => {
    for (const p of [
      [2.3522, 48.8566],
      [-74.006, 40.7128],
      [139.6917, 35.6895],
    ] as LngLat[]) {
      expect(outOfChina(p)).toBe(true);
      expect(wgs84ToGcj02(p)).toEqual(p);
      expect(gcj02ToWgs84(p)).toEqual(p);
    }
  });

  it('finds the WGS84 point again from its GCJ-02 point', () => {
    for (let i = 0; i < 200; i++) {
      const p: LngLat = [75 + ((i * 37) % 60) + i / 1000, 19 + ((i * 13) % 34) + i / 997];
      const back = gcj02ToWgs84(wgs84ToGcj02(p));
      expect(metres(p, back)).toBeLessThan(0.005);
    }
  });

  it('shifts every position of a polygon and keeps other numbers of a position', () => {
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [121.4, 31.2, 5],
          [121.42, 31.2, 5],
          [121.42, 31.22, 5],
          [121.4, 31.2, 5],
        ],
      ],
    };
    const shifted = shiftGeometry(polygon, wgs84ToGcj02);
    const ring = (shifted.coordinates as number[][][])[0] as number[][];
    expect(ring).toHaveLength(4);
    expect(ring[1]).toEqual([...wgs84ToGcj02([121.42, 31.2]), 5]);
    expect(polygon.coordinates[0]?.[1]).toEqual([121.42, 31.2, 5]);
  });
});

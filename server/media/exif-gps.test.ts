import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readExifGps } from './exif-gps.js';
import { jpeg, png, SHANGHAI, SHANGHAI_GPS } from './test-images.js';

type Rational = [number, number];

/** A hand-made TIFF/EXIF block: IFD0 with the GPS pointer, and a GPS IFD with the given tags. */
function tiff(options: {
  little?: boolean;
  latRef?: string;
  lat?: Rational[];
  lngRef?: string;
  lng?: Rational[];
  exifHeader?: boolean;
}): Buffer {
  const little = options.little ?? true;
  const entries: { tag: number; type: number; count: number; data: Buffer }[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    little ? b.writeUInt32LE(n) : b.writeUInt32BE(n);
    return b;
  };
  const rationals = (rs: Rational[]) => Buffer.concat(rs.flatMap(([n, d]) => [u32(n), u32(d)]));
  if (options.latRef !== undefined)
    entries.push({ tag: 1, type: 2, count: 2, data: Buffer.from(`${options.latRef}\0`) });
  if (options.lat) entries.push({ tag: 2, type: 5, count: options.lat.length, data: rationals(options.lat) });
  if (options.lngRef !== undefined)
    entries.push({ tag: 3, type: 2, count: 2, data: Buffer.from(`${options.lngRef}\0`) });
  if (options.lng) entries.push({ tag: 4, type: 5, count: options.lng.length, data: rationals(options.lng) });

  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    little ? b.writeUInt16LE(n) : b.writeUInt16BE(n);
    return b;
  };
  const gpsAt = 8 + 2 + 12 + 4;
  let dataAt = gpsAt + 2 + entries.length * 12 + 4;
  const gpsEntries: Buffer[] = [];
  const data: Buffer[] = [];
  for (const e of entries) {
    let value: Buffer;
    if (e.data.length <= 4) value = Buffer.concat([e.data, Buffer.alloc(4 - e.data.length)]);
    else {
      value = u32(dataAt);
      data.push(e.data);
      dataAt += e.data.length;
    }
    gpsEntries.push(Buffer.concat([u16(e.tag), u16(e.type), u32(e.count), value]));
  }
  const body = Buffer.concat([
    Buffer.from(little ? 'II' : 'MM', 'latin1'),
    u16(42),
    u32(8),
    u16(1),
    Buffer.concat([u16(0x8825), u16(4), u32(1), u32(gpsAt)]),
    u32(0),
    u16(entries.length),
    ...gpsEntries,
    u32(0),
    ...data,
  ]);
  return options.exifHeader ? Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), body]) : body;
}

const DMS_LAT: Rational[] = [
  [39, 1],
  [54, 1],
  [2700, 100],
];
const DMS_LNG: Rational[] = [
  [116, 1],
  [23, 1],
  [1800, 100],
];
// 39°54′27″ N, 116°23′18″ E (Tiananmen)
const BEIJING = { lng: 116.3883333, lat: 39.9075 };

describe('readExifGps', () => {
  it('decodes the position sharp writes into a JPEG (Exif\\0\\0 header, little-endian)', async () => {
    const meta = await sharp(await jpeg({ gps: SHANGHAI_GPS })).metadata();
    expect(meta.exif?.subarray(0, 6).toString('latin1')).toBe('Exif\0\0');
    expect(readExifGps(meta.exif)).toEqual({ hasGpsIfd: true, point: SHANGHAI });
  });

  it('decodes a PNG eXIf block (no header) with southern and western references', async () => {
    const gps = { ...SHANGHAI_GPS, GPSLatitudeRef: 'S', GPSLongitudeRef: 'W' };
    const meta = await sharp(await png({ gps })).metadata();
    expect(readExifGps(meta.exif)).toEqual({ hasGpsIfd: true, point: { lng: -SHANGHAI.lng, lat: -SHANGHAI.lat } });
  });

  it('reads big- and little-endian TIFF, with or without the Exif header', () => {
    for (const little of [true, false]) {
      for (const exifHeader of [true, false]) {
        const block = tiff({ little, exifHeader, latRef: 'N', lat: DMS_LAT, lngRef: 'E', lng: DMS_LNG });
        expect(readExifGps(block)).toEqual({ hasGpsIfd: true, point: BEIJING });
      }
    }
  });

  it('takes decimal degrees in one rational, and a missing reference as north/east', () => {
    const block = tiff({ lat: [[399075, 10000]], lng: [[1163883333, 10000000]] });
    expect(readExifGps(block)).toEqual({ hasGpsIfd: true, point: BEIJING });
  });

  it('reports a GPS IFD without a usable position', () => {
    expect(readExifGps(tiff({ latRef: 'N', lngRef: 'E' }))).toEqual({ hasGpsIfd: true, point: null });
    const zeroDen = tiff({ lat: [[39, 0]], lng: DMS_LNG });
    expect(readExifGps(zeroDen)).toEqual({ hasGpsIfd: true, point: null });
    const nullIsland = tiff({ lat: [[0, 1]], lng: [[0, 1]] });
    expect(readExifGps(nullIsland)).toEqual({ hasGpsIfd: true, point: null });
    const outOfRange = tiff({ lat: [[95, 1]], lng: DMS_LNG });
    expect(readExifGps(outOfRange)).toEqual({ hasGpsIfd: true, point: null });
  });

  it('finds nothing in EXIF without GPS, nor in nothing', async () => {
    const meta = await sharp(await jpeg()).metadata();
    expect(meta.exif).toBeDefined();
    expect(readExifGps(meta.exif)).toEqual({ hasGpsIfd: false, point: null });
    expect(readExifGps(undefined)).toEqual({ hasGpsIfd: false, point: null });
    expect(readExifGps(Buffer.from('not exif at all'))).toEqual({ hasGpsIfd: false, point: null });
  });

  it('never throws on truncated or corrupted blocks', async () => {
    const good = (await sharp(await jpeg({ gps: SHANGHAI_GPS })).metadata()).exif ?? Buffer.alloc(0);
    for (let n = 0; n < good.length; n++) expect(() => readExifGps(good.subarray(0, n))).not.toThrow();
    let seed = 7;
    for (let i = 0; i < 2_000; i++) {
      const bad = Buffer.from(good);
      for (let k = 0; k < 4; k++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        bad[seed % bad.length] = seed & 0xff;
      }
      const result = readExifGps(bad);
      if (result.point) {
        expect(Math.abs(result.point.lat)).toBeLessThanOrEqual(90);
        expect(Math.abs(result.point.lng)).toBeLessThanOrEqual(180);
      }
    }
  });
});

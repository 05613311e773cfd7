/**
 * Reads the GPS position from a raw EXIF block (what sharp's `metadata().exif` gives: a TIFF
 * structure, preceded by `Exif\0\0` when it came from JPEG or WebP, bare from a PNG `eXIf` chunk).
 * A deliberately tiny parser: IFD0 → the GPS IFD pointer (tag 0x8825) → tags 1–4. Every read is
 * bounds-checked; anything malformed gives "no point" rather than an error, since the position is
 * only a hint.
 *
 * Phones write WGS84 (the GPS receiver's datum); a few Chinese camera apps write GCJ-02 without
 * saying so. Treat the point as a hint to be confirmed on the map, never as the case's location.
 */

export interface GeoPoint {
  lng: number;
  lat: number;
}

export interface ExifGps {
  /** The EXIF block has a GPS IFD (even one without a usable position). */
  hasGpsIfd: boolean;
  /** The decoded position, or null when absent, incomplete, out of range or (0, 0). */
  point: GeoPoint | null;
}

const NONE: ExifGps = { hasGpsIfd: false, point: null };
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
const TAG_GPS_IFD = 0x8825;
const TAG_LAT_REF = 1;
const TAG_LAT = 2;
const TAG_LNG_REF = 3;
const TAG_LNG = 4;
const TYPE_ASCII = 2;
const TYPE_LONG = 4;
const TYPE_RATIONAL = 5;
const TYPE_SRATIONAL = 10;
const TYPE_IFD = 13;
/** Bytes of a value of each type, for the types we read. */
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8, 13: 4 };

interface Entry {
  type: number;
  count: number;
  /** Offset (in the TIFF structure) of the value: inline in the entry when it fits in 4 bytes. */
  valueAt: number;
}

/** A bounds-checked view of a TIFF structure in one byte order. */
class Tiff {
  constructor(
    private readonly buf: Buffer,
    private readonly little: boolean,
  ) {}

  fits(at: number, length: number): boolean {
    return Number.isInteger(at) && at >= 0 && length >= 0 && at + length <= this.buf.length;
  }

  u16(at: number): number | undefined {
    if (!this.fits(at, 2)) return undefined;
    return this.little ? this.buf.readUInt16LE(at) : this.buf.readUInt16BE(at);
  }

  u32(at: number): number | undefined {
    if (!this.fits(at, 4)) return undefined;
    return this.little ? this.buf.readUInt32LE(at) : this.buf.readUInt32BE(at);
  }

  i32(at: number): number | undefined {
    if (!this.fits(at, 4)) return undefined;
    return this.little ? this.buf.readInt32LE(at) : this.buf.readInt32BE(at);
  }

  byte(at: number): number | undefined {
    return this.fits(at, 1) ? this.buf[at] : undefined;
  }

  /** The entries of the IFD at `at`, by tag (the first of a repeated tag wins). */
  ifd(at: number): Map<number, Entry> {
    const entries = new Map<number, Entry>();
    const n = this.u16(at);
    if (n === undefined || !this.fits(at + 2, n * 12)) return entries;
    for (let i = 0; i < n; i++) {
      const e = at + 2 + i * 12;
      const tag = this.u16(e);
      const type = this.u16(e + 2);
      const count = this.u32(e + 4);
      if (tag === undefined || type === undefined || count === undefined || entries.has(tag)) continue;
      const size = (TYPE_SIZE[type] ?? 0) * count;
      const valueAt = size <= 4 ? e + 8 : this.u32(e + 8);
      if (valueAt === undefined || size === 0 || !this.fits(valueAt, size)) continue;
      entries.set(tag, { type, count, valueAt });
    }
    return entries;
  }
}

/** Degrees from up to three (s)rationals: degrees, minutes, seconds. */
function degrees(tiff: Tiff, entry: Entry | undefined): number | undefined {
  if (!entry || (entry.type !== TYPE_RATIONAL && entry.type !== TYPE_SRATIONAL)) return undefined;
  if (entry.count < 1 || entry.count > 3) return undefined;
  let value = 0;
  for (let i = 0; i < entry.count; i++) {
    const at = entry.valueAt + i * 8;
    const signed = entry.type === TYPE_SRATIONAL;
    const num = signed ? tiff.i32(at) : tiff.u32(at);
    const den = signed ? tiff.i32(at + 4) : tiff.u32(at + 4);
    if (num === undefined || den === undefined || den === 0) return undefined;
    const part = num / den;
    if (!Number.isFinite(part) || part < 0) return undefined;
    value += part / 60 ** i;
  }
  return value;
}

/** The first character of an ASCII reference tag ('N', 'S', 'E', 'W'), upper-cased. */
function ref(tiff: Tiff, entry: Entry | undefined): string | undefined {
  if (!entry || entry.type !== TYPE_ASCII) return undefined;
  const c = tiff.byte(entry.valueAt);
  return c === undefined || c === 0 ? undefined : String.fromCharCode(c).toUpperCase();
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** The GPS information of a raw EXIF block. Never throws. */
export function readExifGps(exif: Buffer | undefined): ExifGps {
  if (!exif || exif.length < 8) return NONE;
  const buf = exif.subarray(0, 6).equals(EXIF_HEADER) ? exif.subarray(6) : exif;
  const order = buf.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return NONE;
  const tiff = new Tiff(buf, order === 'II');
  const ifd0At = tiff.u32(4);
  if (tiff.u16(2) !== 42 || ifd0At === undefined) return NONE;

  const pointer = tiff.ifd(ifd0At).get(TAG_GPS_IFD);
  if (!pointer || (pointer.type !== TYPE_LONG && pointer.type !== TYPE_IFD) || pointer.count !== 1) return NONE;
  const gpsAt = tiff.u32(pointer.valueAt);
  if (gpsAt === undefined || !tiff.fits(gpsAt, 2)) return { hasGpsIfd: true, point: null };

  const gps = tiff.ifd(gpsAt);
  const lat = degrees(tiff, gps.get(TAG_LAT));
  const lng = degrees(tiff, gps.get(TAG_LNG));
  if (lat === undefined || lng === undefined) return { hasGpsIfd: true, point: null };
  // A missing reference is read as north / east (where this system is used) rather than dropped.
  const latSign = ref(tiff, gps.get(TAG_LAT_REF)) === 'S' ? -1 : 1;
  const lngSign = ref(tiff, gps.get(TAG_LNG_REF)) === 'W' ? -1 : 1;
  const point = { lng: round7(lngSign * lng), lat: round7(latSign * lat) };
  const valid = Math.abs(point.lat) <= 90 && Math.abs(point.lng) <= 180 && !(point.lat === 0 && point.lng === 0);
  return { hasGpsIfd: true, point: valid ? point : null };
}

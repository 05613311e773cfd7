/**
 * Test images made with sharp itself (and a few hand-made hostile files). Used by the media tests.
 */
import { crc32 } from 'node:zlib';
import sharp, { type Exif } from 'sharp';

/** Pseudo-random RGB pixels, so that JPEGs have realistic sizes and real entropy-coded data. */
export function noise(width: number, height: number, channels: 3 | 4 = 3): Buffer {
  const buf = Buffer.alloc(width * height * channels);
  let x = 0x2545f491;
  for (let i = 0; i < buf.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = x & 0xff;
  }
  return buf;
}

const raw = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp(noise(width, height, channels), { raw: { width, height, channels } });

/** Shanghai, Huangpu: 31°10′30″ N, 121°28′15″ E → (121.4708333, 31.175). */
export const SHANGHAI_GPS: Exif['IFD3'] = {
  GPSLatitudeRef: 'N',
  GPSLatitude: '31/1 10/1 3000/100',
  GPSLongitudeRef: 'E',
  GPSLongitude: '121/1 28/1 1500/100',
};
export const SHANGHAI = { lng: 121.4708333, lat: 31.175 };

export interface JpegOptions {
  width?: number;
  height?: number;
  gps?: Exif['IFD3'];
  /** EXIF orientation 1–8. */
  orientation?: number;
  /** Embed this ICC profile ('p3', 'cmyk' …). */
  icc?: string;
  xmp?: string;
}

/** A JPEG of noise, with camera-ish EXIF and optionally GPS, orientation, ICC and XMP. */
export async function jpeg(options: JpegOptions = {}): Promise<Buffer> {
  const { width = 400, height = 300 } = options;
  let s = raw(width, height).jpeg({ quality: 85 });
  if (options.orientation) s = s.withMetadata({ orientation: options.orientation });
  s = s.withExifMerge({
    IFD0: { Make: 'Gridloop', Model: 'Test Camera' },
    ...(options.gps ? { IFD3: options.gps } : {}),
  });
  if (options.icc) s = s.withIccProfile(options.icc);
  if (options.xmp) s = s.withXmp(options.xmp);
  return s.toBuffer();
}

/** A PNG of noise; with alpha when asked; with an EXIF GPS block (eXIf chunk) when given. */
export async function png(options: { width?: number; height?: number; alpha?: boolean; gps?: Exif['IFD3'] } = {}) {
  const { width = 200, height = 150 } = options;
  let s = raw(width, height, options.alpha ? 4 : 3).png();
  if (options.gps) s = s.withExif({ IFD3: options.gps });
  return s.toBuffer();
}

export async function webp(options: { width?: number; height?: number } = {}): Promise<Buffer> {
  return raw(options.width ?? 300, options.height ?? 200)
    .webp({ quality: 80 })
    .toBuffer();
}

export async function gif(): Promise<Buffer> {
  return raw(40, 30).gif().toBuffer();
}

/** An animated WebP of two frames. */
export async function animatedWebp(): Promise<Buffer> {
  const a = await raw(60, 40).png().toBuffer();
  const b = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#00f' } })
    .png()
    .toBuffer();
  return sharp([a, b], { join: { animated: true } })
    .webp({ loop: 0, delay: [100, 100] })
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG whose IHDR is rewritten to declare `width` × `height`: a bomb of a few hundred bytes. */
export async function declaredBombPng(width = 30_000, height = 30_000): Promise<Buffer> {
  const small = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  const ihdr = Buffer.from(small.subarray(16, 29));
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  return Buffer.concat([small.subarray(0, 8), chunk('IHDR', ihdr), small.subarray(33)]);
}

/** A PNG with an `acTL` chunk after IHDR, as an APNG starts. */
export async function apng(): Promise<Buffer> {
  const still = await png({ width: 40, height: 30 });
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(2, 0);
  return Buffer.concat([still.subarray(0, 33), chunk('acTL', actl), still.subarray(33)]);
}

/** A solid-colour PNG made by sharp: `width` × `height` pixels in very few bytes. */
export async function solidPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#eee' }, limitInputPixels: false })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** XMP carrying a position (as some apps write it instead of EXIF). */
export const XMP_WITH_GPS =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="31,10.5N" exif:GPSLongitude="121,28.25E"/>' +
  '</rdf:RDF></x:xmpmeta>';

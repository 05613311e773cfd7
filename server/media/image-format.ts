/**
 * What a file is, from its first bytes. Only the content counts; the declared name and MIME type
 * are compared afterwards for the record (`declaredMismatch`), never trusted.
 */
import type { ImageFormat } from './media.limits.js';

export type Sniffed =
  | { kind: 'accepted'; format: ImageFormat }
  /** An image, but in a format we do not take (HEIC, GIF, TIFF, BMP, SVG …). */
  | { kind: 'other'; name: string }
  | { kind: 'unknown' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const startsWith = (buf: Buffer, bytes: readonly number[], at = 0) =>
  buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
const ascii = (buf: Buffer, at: number, length: number) =>
  buf.length >= at + length ? buf.toString('latin1', at, at + length) : '';

/** Signatures of image formats we recognise but refuse. */
const OTHER_IMAGES: { name: string; test: (buf: Buffer) => boolean }[] = [
  { name: 'gif', test: (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a' },
  { name: 'tiff', test: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) },
  { name: 'bmp', test: (b) => ascii(b, 0, 2) === 'BM' && b.length >= 26 },
  { name: 'heif/avif', test: (b) => ascii(b, 4, 4) === 'ftyp' && /^(hei|hev|mif|msf|avi|avs)/.test(ascii(b, 8, 4)) },
  { name: 'jpeg2000', test: (b) => startsWith(b, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]) },
  {
    name: 'jpegxl',
    test: (b) => startsWith(b, [0xff, 0x0a]) || startsWith(b, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20]),
  },
  { name: 'ico', test: (b) => startsWith(b, [0, 0, 1, 0]) && b.length >= 22 },
  { name: 'psd', test: (b) => ascii(b, 0, 4) === '8BPS' },
  { name: 'svg', test: (b) => /<svg[\s>]/i.test(b.toString('utf8', 0, Math.min(b.length, 4096))) },
];

/** The format of `buf` judged from its magic bytes. */
export function sniffImage(buf: Buffer): Sniffed {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { kind: 'accepted', format: 'jpeg' };
  if (buf.subarray(0, 8).equals(PNG_SIGNATURE)) return { kind: 'accepted', format: 'png' };
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 4) === 'WEBP') return { kind: 'accepted', format: 'webp' };
  const other = OTHER_IMAGES.find((o) => o.test(buf));
  return other ? { kind: 'other', name: other.name } : { kind: 'unknown' };
}

/**
 * Whether a PNG is animated (APNG: an `acTL` chunk before the first `IDAT`). libvips reads only
 * the default image of an APNG, so the stored original would animate while the public copy did
 * not; such files are refused like other animations.
 */
export function isAnimatedPng(buf: Buffer): boolean {
  let at = 8;
  while (at + 8 <= buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'acTL') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    at += 12 + length;
  }
  return false;
}

const MIME_FORMATS: Record<string, ImageFormat> = {
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'image/png': 'png',
  'image/x-png': 'png',
  'image/webp': 'webp',
};
const EXTENSION_FORMATS: Record<string, ImageFormat> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
  webp: 'webp',
};

/**
 * Whether what the client declared (name, MIME type) disagrees with the content. Recorded for
 * forensics; an absent declaration or a generic MIME type (application/octet-stream) is no mismatch.
 */
export function declaredMismatch(format: ImageFormat, declared: { filename?: string; mimeType?: string }): boolean {
  const mime = declared.mimeType?.split(';')[0]?.trim().toLowerCase();
  if (mime && mime !== 'application/octet-stream' && MIME_FORMATS[mime] !== format) return true;
  const dot = declared.filename?.lastIndexOf('.') ?? -1;
  if (declared.filename && dot > 0) {
    const ext = declared.filename.slice(dot + 1).toLowerCase();
    if (EXTENSION_FORMATS[ext] !== format) return true;
  }
  return false;
}

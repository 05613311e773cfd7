/**
 * One uploaded photo → the three variants Gridloop keeps, or a `MediaError`.
 *
 * - `original`: the bytes exactly as received, kept as evidence for staff (never re-encoded); it
 *   may carry EXIF, GPS included (`hadGps` says so).
 * - `public`: upright JPEG, at most `PUBLIC_MAX_SIDE` on the long side, converted to sRGB, with
 *   every piece of metadata stripped (EXIF, GPS, XMP, IPTC, ICC, PNG text). What residents and
 *   the public see.
 * - `thumbnail`: upright WebP, at most `THUMB_MAX_SIDE`, metadata stripped.
 *
 * Checks, cheapest first: size → magic bytes → header (sharp metadata, with the pixel limit) →
 * dimensions, channels, animation → a full decode (the variants; `failOn: 'error'` turns a
 * truncated or damaged image into `corrupt`). Animated or multi-page images (animated WebP, APNG)
 * are refused as `unsupported_format`: a photo of a case is a still, and an original that animates
 * while its public copy shows one frame would make the evidence say two things.
 */
import { createHash } from 'node:crypto';
import type { Metadata, Sharp, SharpOptions } from 'sharp';
import { loadSharp } from '../lazy-modules.js';
import { type GeoPoint, readExifGps } from './exif-gps.js';
import { sanitiseFilename } from './filename.js';
import { declaredMismatch, isAnimatedPng, sniffImage } from './image-format.js';
import { MediaError } from './media.errors.js';
import {
  FLATTEN_BACKGROUND,
  type ImageFormat,
  MAX_CHANNELS,
  MAX_DIMENSION,
  MAX_FILE_BYTES,
  MAX_PIXELS,
  MIME_TYPES,
  PUBLIC_JPEG_QUALITY,
  PUBLIC_MAX_SIDE,
  THUMB_MAX_SIDE,
  THUMB_WEBP_QUALITY,
} from './media.limits.js';

export type { GeoPoint } from './exif-gps.js';

/** What the client said about a file: kept (sanitised) as metadata, never trusted. */
export interface DeclaredFile {
  filename?: string;
  mimeType?: string;
}

/** One stored rendition of a photo. Width and height are upright (EXIF orientation applied). */
export interface ImageVariant {
  buffer: Buffer;
  format: ImageFormat;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
}

/** The facts about a photo worth a database row (everything but the bytes). */
export interface MediaInfo {
  /** SHA-256 of the original bytes, lowercase hex: the key in the store. */
  sha256: string;
  /** The original's format, judged from its content. */
  format: ImageFormat;
  mimeType: string;
  /** Upright size of the original. */
  width: number;
  height: number;
  /** Bytes of the original. */
  bytes: number;
  /** The original carries a location (an EXIF GPS IFD or XMP GPS tags); the public copies never do. */
  hadGps: boolean;
  /** The EXIF position (WGS84 as phones write it), a hint for placing a report; null when none. */
  gps: GeoPoint | null;
  /** The client's file name, sanitised; null when none was given or nothing was left. */
  filename: string | null;
  /** The declared name or MIME type disagreed with the content (for the record only). */
  declaredMismatch: boolean;
}

export interface ProcessedImage extends MediaInfo {
  original: ImageVariant;
  public: ImageVariant;
  thumbnail: ImageVariant;
}

/**
 * Decoder options for untrusted input: our pixel limit, upright, first page only. `failOn: 'error'`
 * (which implies 'truncated') rather than sharp's default 'warning': phone JPEGs often carry
 * harmless libjpeg warnings (extraneous bytes before a marker), while truncation and damage still fail.
 */
const DECODE: SharpOptions = {
  limitInputPixels: MAX_PIXELS,
  failOn: 'error',
  autoOrient: true,
  pages: 1,
};

/** A sharp failure as a media problem: the pixel limit, or else a file sharp could not read. */
function decodeError(err: unknown): MediaError {
  const detail = err instanceof Error ? err.message : String(err);
  return new MediaError(/pixel limit/i.test(detail) ? 'too_many_pixels' : 'corrupt', { detail, cause: err });
}

async function readHeader(input: Buffer): Promise<Metadata> {
  const sharp = await loadSharp();
  try {
    return await sharp(input, DECODE).metadata();
  } catch (err) {
    throw decodeError(err);
  }
}

const positiveInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

/** Refuses a header that is inconsistent with the magic bytes, too big, or animated. */
function checkHeader(meta: Metadata, format: ImageFormat): void {
  if (meta.format !== format) throw new MediaError('corrupt', { detail: `decoder says ${meta.format}, not ${format}` });
  const { width, height } = meta;
  if (!positiveInt(width) || !positiveInt(height)) throw new MediaError('corrupt', { detail: 'no dimensions' });
  if (width > MAX_DIMENSION || height > MAX_DIMENSION || width * height > MAX_PIXELS) {
    throw new MediaError('too_many_pixels', { detail: `${width}×${height}` });
  }
  if (meta.channels > MAX_CHANNELS) throw new MediaError('corrupt', { detail: `${meta.channels} channels` });
  if ((meta.pages ?? 1) > 1) throw new MediaError('unsupported_format', { detail: `${meta.pages} pages/frames` });
}

async function render(pipeline: Sharp, format: ImageFormat): Promise<ImageVariant> {
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return {
      buffer: data,
      format,
      mimeType: MIME_TYPES[format],
      width: info.width,
      height: info.height,
      bytes: data.length,
    };
  } catch (err) {
    throw decodeError(err);
  }
}

/** Without `keepMetadata`/`withMetadata`, sharp writes no EXIF, XMP, IPTC or ICC and converts to sRGB. */
async function renderPublic(input: Buffer): Promise<ImageVariant> {
  const sharp = await loadSharp();
  const pipeline = sharp(input, DECODE)
    .resize({ width: PUBLIC_MAX_SIDE, height: PUBLIC_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: FLATTEN_BACKGROUND })
    .jpeg({ quality: PUBLIC_JPEG_QUALITY, progressive: true });
  return render(pipeline, 'jpeg');
}

async function renderThumbnail(input: Buffer): Promise<ImageVariant> {
  const sharp = await loadSharp();
  const pipeline = sharp(input, DECODE)
    .resize({ width: THUMB_MAX_SIDE, height: THUMB_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: THUMB_WEBP_QUALITY });
  return render(pipeline, 'webp');
}

/** XMP can carry a position too (exif:GPSLatitude); its presence counts for `hadGps`. */
const xmpHasGps = (meta: Metadata) =>
  meta.xmp !== undefined && /GPS(Latitude|Longitude)/.test(meta.xmp.toString('latin1'));

/**
 * Validates one uploaded file and renders its variants. `input` is kept as the original (not
 * copied): do not reuse the buffer afterwards. Throws `MediaError` for anything not a sound,
 * still JPEG, PNG or WebP within the limits.
 */
export async function processImage(input: Buffer, declared: DeclaredFile = {}): Promise<ProcessedImage> {
  if (!Buffer.isBuffer(input) || input.length === 0) throw new MediaError('not_an_image', { detail: 'empty' });
  if (input.length > MAX_FILE_BYTES) throw new MediaError('too_large', { detail: `${input.length} bytes` });

  const sniffed = sniffImage(input);
  if (sniffed.kind === 'unknown') throw new MediaError('not_an_image');
  if (sniffed.kind === 'other') throw new MediaError('unsupported_format', { detail: sniffed.name });
  const { format } = sniffed;
  if (format === 'png' && isAnimatedPng(input)) throw new MediaError('unsupported_format', { detail: 'APNG' });

  const meta = await readHeader(input);
  checkHeader(meta, format);
  // Sequential, not parallel: two full decodes of a 40 MP image at once would double peak memory.
  const publicVariant = await renderPublic(input);
  const thumbnail = await renderThumbnail(input);

  const { hasGpsIfd, point } = readExifGps(meta.exif);
  const width = meta.autoOrient.width;
  const height = meta.autoOrient.height;
  const original: ImageVariant = {
    buffer: input,
    format,
    mimeType: MIME_TYPES[format],
    width,
    height,
    bytes: input.length,
  };
  return {
    sha256: createHash('sha256').update(input).digest('hex'),
    format,
    mimeType: MIME_TYPES[format],
    width,
    height,
    bytes: input.length,
    hadGps: hasGpsIfd || xmpHasGps(meta),
    gps: point,
    filename: sanitiseFilename(declared.filename),
    declaredMismatch: declaredMismatch(format, declared),
    original,
    public: publicVariant,
    thumbnail,
  };
}

/** The database-row facts of a processed image (drops the buffers). */
export function mediaInfo(p: ProcessedImage): MediaInfo {
  const { original: _o, public: _p, thumbnail: _t, ...info } = p;
  return info;
}

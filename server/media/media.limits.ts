/**
 * Limits and formats for photos attached to cases (reports, handling, verification).
 * The format of a file is judged by its content (magic bytes, then sharp's decoder) — never by
 * its name or the MIME type the client declared.
 */

// The limits a client should know live in common/media.ts (the web warns before sending).
export { MAX_DIMENSION, MAX_FILE_BYTES, MAX_FILES, MAX_PIXELS, MAX_TOTAL_BYTES } from '../../common/media.js';

/** Channels of an image: grey, grey + alpha, RGB, RGBA or CMYK. */
export const MAX_CHANNELS = 4;

/** The formats accepted, by the name sharp's decoders give them. */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const MIME_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** The extension a stored file of a format gets (ours, never the client's). */
export const EXTENSIONS: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** The public variant: what residents and the public see. Re-encoded JPEG, metadata stripped. */
export const PUBLIC_MAX_SIDE = 2048;
export const PUBLIC_JPEG_QUALITY = 82;
/** The thumbnail: WebP, metadata stripped. */
export const THUMB_MAX_SIDE = 320;
export const THUMB_WEBP_QUALITY = 70;
/** Background a transparent image is flattened onto for the (JPEG) public variant. */
export const FLATTEN_BACKGROUND = '#ffffff';

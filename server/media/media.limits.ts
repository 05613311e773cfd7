/**
 * Limits and formats for photos attached to cases (reports, handling, verification).
 * The format of a file is judged by its content (magic bytes, then sharp's decoder) — never by
 * its name or the MIME type the client declared.
 */

/** Photos in one submission (a report, a handling or a verification). */
export const MAX_FILES = 9;
/** Bytes in one file: a 48 MP phone JPEG is 6–9 MB. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Bytes of all files of one submission together. */
export const MAX_TOTAL_BYTES = 40 * 1024 * 1024;
/**
 * Pixels (width × height) of one image. A 48 MP phone sensor bins to 12 MP photos by default;
 * 40 MP lets through high-resolution modes of most phones, and bounds a decoded image to
 * 160 MB (RGBA), which is what stops decompression bombs.
 */
export const MAX_PIXELS = 40_000_000;
/** Longest side of one image, so that a 40 MP budget cannot become a 1 × 40 000 000 strip. */
export const MAX_DIMENSION = 12_000;
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

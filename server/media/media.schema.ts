/**
 * API shapes of photos: the answer to an upload, and a photo as a case's timeline shows it to staff
 * and to the public. URLs are relative to the server.
 */
import { z } from 'zod';
import { MAX_FILES, PHOTO_ROLES } from '../../common/media.js';
import { MEDIA_KEY, MEDIA_VARIANTS } from './media.store.js';

export const ZMediaKey = z.string().regex(MEDIA_KEY, 'a media key (64 lowercase hex digits)');

const ZPoint = z.object({ lng: z.number(), lat: z.number() });

/** The multipart body of an upload, for the OpenAPI document (the handler reads the stream itself). */
export const ZUploadBody = z.object({
  file: z
    .array(z.file())
    .min(1)
    .max(MAX_FILES)
    .describe(`1–${MAX_FILES} JPEG, PNG or WebP photos, each in a part named "file"; judged by content, not name`),
});

export const ZUploadedPhoto = z.object({
  key: ZMediaKey,
  format: z.enum(['jpeg', 'png', 'webp']),
  width: z.number(),
  height: z.number(),
  thumbUrl: z.string(),
  publicUrl: z.string(),
  /** The position in the photo's EXIF: staff only, a hint for placing a report. */
  gps: ZPoint.nullable().optional(),
});

export const ZMediaParams = z.strictObject({ key: ZMediaKey, variant: z.enum(MEDIA_VARIANTS) });
export const ZPublicMediaParams = z.strictObject({
  trackingCode: z.string().regex(/^[0-9A-Z]{10}$/),
  key: ZMediaKey,
  variant: z.enum(['public', 'thumb']),
});

/** A photo on a case as staff see it: every variant, and the EXIF position when the original had one. */
export const ZCasePhotoView = z.object({
  key: z.string(),
  role: z.enum(PHOTO_ROLES),
  width: z.number(),
  height: z.number(),
  thumbUrl: z.string(),
  publicUrl: z.string(),
  originalUrl: z.string(),
  gps: ZPoint.nullable(),
});

/** A photo on the public timeline: the metadata-free copies only (`url` is the public copy), through the tracking code. */
export const ZPublicPhotoView = z.object({
  key: z.string(),
  role: z.enum(PHOTO_ROLES),
  thumbUrl: z.string(),
  url: z.string(),
});

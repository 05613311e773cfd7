/**
 * Photos as the API shows them: URLs of the variants an audience may fetch. The public never gets
 * the original's URL nor the EXIF position; their URLs go through the tracking code.
 */
import type { z } from 'zod';
import type { ZCasePhotoView, ZPublicPhotoView } from './media.schema.js';
import type { MediaVariant } from './media.store.js';
import type { CasePhoto } from './photo.repository.js';

export const mediaUrl = (key: string, variant: MediaVariant) => `/api/media/${key}/${variant}`;

export const publicMediaUrl = (trackingCode: string, key: string, variant: 'public' | 'thumb') =>
  `/api/public/cases/${trackingCode}/media/${key}/${variant}`;

export function presentStaffPhoto(p: CasePhoto): z.infer<typeof ZCasePhotoView> {
  return {
    key: p.key,
    role: p.role,
    width: p.width,
    height: p.height,
    thumbUrl: mediaUrl(p.key, 'thumb'),
    publicUrl: mediaUrl(p.key, 'public'),
    originalUrl: mediaUrl(p.key, 'original'),
    gps: p.gps,
  };
}

export function presentPublicPhoto(trackingCode: string, p: CasePhoto): z.infer<typeof ZPublicPhotoView> {
  return {
    key: p.key,
    role: p.role,
    thumbUrl: publicMediaUrl(trackingCode, p.key, 'thumb'),
    url: publicMediaUrl(trackingCode, p.key, 'public'),
  };
}

/**
 * The photos of each event of a timeline by seq; the report's own photos (no seq) go to its first
 * event, the report.
 */
export function photosBySeq(photos: readonly CasePhoto[]): Map<number, CasePhoto[]> {
  const bySeq = new Map<number, CasePhoto[]>();
  for (const p of photos) {
    const seq = p.seq ?? 1;
    bySeq.set(seq, [...(bySeq.get(seq) ?? []), p]);
  }
  return bySeq;
}

/**
 * Photo rows: uploads as they are recorded, whether an actor may use a key (attach it to a case,
 * preview it), and the photos a case shows per step.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { PhotoRole } from '../../common/media.js';
import type { Db, Trx } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { SavedImage } from './media.store.js';
import type { Uploader } from './uploader.js';

/**
 * How long an anonymous upload stays attachable by the same address. Long enough to write a report
 * after taking the photos, short enough that a shared address (a carrier's NAT) rarely matters.
 */
export const ANONYMOUS_ATTACH_HOURS = 24;
/** How long an uploader may preview their own upload before it is on a case they can read. */
export const PREVIEW_MINUTES = 60;

/**
 * Records one row per uploaded file (the same content twice is two rows with one key). The seed
 * also calls it to record a staff member's upload of an image already in the store.
 */
export async function recordUploads(
  trx: Db | Trx,
  uploader: Uploader,
  saved: readonly Pick<
    SavedImage,
    'key' | 'format' | 'width' | 'height' | 'bytes' | 'hadGps' | 'gps' | 'filename' | 'declaredMismatch'
  >[],
  now: Date,
) {
  if (saved.length === 0) return;
  await trx
    .insertInto('photo')
    .values(
      saved.map((s) => ({
        id: uuidv7(),
        key: s.key,
        uploaderKind: uploader.kind,
        accountId: uploader.kind === 'staff' ? uploader.accountId : null,
        residentId: uploader.kind === 'resident' ? uploader.residentId : null,
        ipHash: uploader.kind === 'anonymous' ? uploader.ipHash : null,
        format: s.format,
        width: s.width,
        height: s.height,
        bytes: s.bytes,
        hadGps: s.hadGps,
        gpsLng: s.gps?.lng ?? null,
        gpsLat: s.gps?.lat ?? null,
        filename: s.filename,
        declaredMismatch: s.declaredMismatch,
        createdAt: now,
      })),
    )
    .execute();
}

const hoursBefore = (now: Date, hours: number) => new Date(now.getTime() - hours * 3_600_000);

/**
 * Uploads of `uploader` (a row of `photo`): their own account's or resident's, or anonymous ones
 * from the same address since `anonymousSince`. A resident may attach what they sent before
 * signing in. The system may use any upload.
 */
function uploadedBy(uploader: Uploader, anonymousSince: Date, ownSince?: Date) {
  return (eb: ExpressionBuilder<Database, 'photo'>): Expression<SqlBool> => {
    if (uploader.kind === 'system') return sql<SqlBool>`true`;
    const since = (own: Expression<SqlBool>) => (ownSince ? eb.and([own, eb('photo.createdAt', '>', ownSince)]) : own);
    const anonymous = eb.and([
      eb('photo.uploaderKind', '=', 'anonymous'),
      eb('photo.ipHash', '=', uploader.ipHash),
      eb('photo.createdAt', '>', anonymousSince),
    ]);
    if (uploader.kind === 'staff') return since(eb('photo.accountId', '=', uploader.accountId));
    if (uploader.kind === 'resident')
      return eb.or([since(eb('photo.residentId', '=', uploader.residentId)), anonymous]);
    return anonymous;
  };
}

/**
 * Refuses (422 PHOTO_UNKNOWN, naming each bad entry) keys the uploader may not attach: keys never
 * uploaded, or uploaded by someone else — unless the key is already on `onCase` (a report photo
 * reused as the "before" of its handling). One answer for both, so keys of others do not leak.
 * Otherwise a key seen on a public page could be attached to a case in another scope, whose staff
 * would then receive the original (GPS included).
 */
export async function assertPhotosUsable(
  db: Db | Trx,
  uploader: Uploader,
  keys: readonly string[],
  options: { path: (index: number) => string; now: Date; onCase?: { district: string; caseId: string } },
): Promise<void> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return;
  const usable = new Set(
    (
      await db
        .selectFrom('photo')
        .select('photo.key')
        .distinct()
        .where('photo.key', 'in', wanted)
        .where(uploadedBy(uploader, hoursBefore(options.now, ANONYMOUS_ATTACH_HOURS)))
        .execute()
    ).map((r) => r.key),
  );
  const onCase = options.onCase;
  if (onCase && usable.size < wanted.length) {
    const linked = await db
      .selectFrom('casePhoto')
      .select('key')
      .distinct()
      .where('district', '=', onCase.district)
      .where('caseId', '=', onCase.caseId)
      .where(
        'key',
        'in',
        wanted.filter((k) => !usable.has(k)),
      )
      .execute();
    for (const row of linked) usable.add(row.key);
  }
  const fields = keys.flatMap((key, i) =>
    usable.has(key) ? [] : [{ path: options.path(i), reason: 'unknown photo: upload it first' }],
  );
  if (fields.length) throw new AppError('PHOTO_UNKNOWN', { fields });
}

/** Shows photos on a case: the report's own (seq null, role 'report') or one step's. Repeats are ignored. */
export async function linkPhotos(
  trx: Trx,
  link: {
    district: string;
    caseId: string;
    seq: number | null;
    photos: readonly { key: string; role: PhotoRole }[];
    addedBy: Uploader;
    now: Date;
  },
): Promise<void> {
  if (link.photos.length === 0) return;
  const addedById =
    link.addedBy.kind === 'staff'
      ? link.addedBy.accountId
      : link.addedBy.kind === 'resident'
        ? link.addedBy.residentId
        : null;
  await trx
    .insertInto('casePhoto')
    .values(
      link.photos.map((p) => ({
        district: link.district,
        id: uuidv7(),
        caseId: link.caseId,
        key: p.key,
        role: p.role,
        seq: link.seq,
        addedByKind: link.addedBy.kind,
        addedById,
        createdAt: link.now,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** One photo of a case with what its views need; `public` when the report's or a public step's. */
export interface CasePhoto {
  key: string;
  role: PhotoRole;
  seq: number | null;
  public: boolean;
  width: number;
  height: number;
  gps: { lng: number; lat: number } | null;
}

/** The photos of a case in the order they were added. */
export async function listCasePhotos(db: Db, district: string, caseId: string): Promise<CasePhoto[]> {
  const links = await db
    .selectFrom('casePhoto as cp')
    .leftJoin('caseEvent as e', (join) =>
      join.onRef('e.district', '=', 'cp.district').onRef('e.caseId', '=', 'cp.caseId').onRef('e.seq', '=', 'cp.seq'),
    )
    .select(['cp.key', 'cp.role', 'cp.seq', 'e.public'])
    .where('cp.district', '=', district)
    .where('cp.caseId', '=', caseId)
    .orderBy('cp.id')
    .execute();
  if (links.length === 0) return [];
  // Every upload of a key has the same content, so the first row describes it.
  const facts = await db
    .selectFrom('photo')
    .distinctOn('key')
    .select(['key', 'width', 'height', 'gpsLng', 'gpsLat'])
    .where(
      'key',
      'in',
      links.map((l) => l.key),
    )
    .orderBy('key')
    .orderBy('createdAt')
    .execute();
  const byKey = new Map(facts.map((f) => [f.key, f]));
  return links.flatMap((l) => {
    const f = byKey.get(l.key);
    if (!f) return [];
    return [
      {
        key: l.key,
        role: l.role,
        seq: l.seq,
        public: l.seq === null || l.public === true,
        width: f.width,
        height: f.height,
        gps: f.gpsLng !== null && f.gpsLat !== null ? { lng: f.gpsLng, lat: f.gpsLat } : null,
      },
    ];
  });
}

/** Whether the uploader sent this key within the preview window (their own, not yet on a case they read). */
export async function recentlyUploadedBy(db: Db, uploader: Uploader, key: string, now: Date): Promise<boolean> {
  if (uploader.kind === 'system') return false;
  const since = hoursBefore(now, PREVIEW_MINUTES / 60);
  const row = await db
    .selectFrom('photo')
    .select('photo.id')
    .where('photo.key', '=', key)
    .where(uploadedBy(uploader, since, since))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Cases showing the key (at most `limit`), and whether on the report or a public step. */
export async function casesShowing(db: Db, key: string, limit = 50) {
  return db
    .selectFrom('casePhoto as cp')
    .leftJoin('caseEvent as e', (join) =>
      join.onRef('e.district', '=', 'cp.district').onRef('e.caseId', '=', 'cp.caseId').onRef('e.seq', '=', 'cp.seq'),
    )
    .select([
      'cp.district',
      'cp.caseId',
      sql<boolean>`bool_or(cp.seq is null or coalesce(e.public, false))`.as('public'),
    ])
    .where('cp.key', '=', key)
    .groupBy(['cp.district', 'cp.caseId'])
    .limit(limit)
    .execute();
}

/** Whether any upload of the key was recorded (for telling "unknown" from "not yours" in the audit log). */
export async function photoExists(db: Db, key: string): Promise<boolean> {
  return (await db.selectFrom('photo').select('id').where('key', '=', key).limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Who may see which variant of a photo. A photo has no scope of its own: it is seen through the
 * cases that show it (and, briefly, by whoever uploaded it). The original keeps the camera's
 * metadata, GPS included, so it is for staff who may read such a case; everyone else gets the
 * metadata-free public copy and the thumbnail.
 */
import type { Actor } from '../accounts/actor.js';
import { type CaseForPolicy, canReadCase } from '../cases/case.policy.js';
import { findCase } from '../cases/case.repository.js';
import { mergeTarget, resolveTrackingCode } from '../cases/followers.js';
import type { Db } from '../db/database.js';
import { isStaff } from '../policies/predicates.js';
import type { MediaVariant } from './media.store.js';
import { casesShowing, recentlyUploadedBy } from './photo.repository.js';
import type { Uploader } from './uploader.js';

/**
 * May the actor see this variant of a photo shown on this case (pure)? Staff who may read the case
 * see every variant; a resident reading their own report sees the public copies of its public
 * photos (the report's own and those of public steps), never the original.
 */
export function mayViewOnCase(
  actor: Actor | null,
  variant: MediaVariant,
  link: { public: boolean },
  c: CaseForPolicy,
): boolean {
  if (!canReadCase(actor, c)) return false;
  if (isStaff(actor)) return true;
  return variant !== 'original' && link.public;
}

/** May the actor (or anonymous uploader) see this variant of the photo with this key? */
export async function mayViewPhoto(
  db: Db,
  actor: Actor | null,
  uploader: Uploader,
  key: string,
  variant: MediaVariant,
  now = new Date(),
): Promise<boolean> {
  // The uploader previews their own photo before it is on a case (the original they already have).
  if (variant !== 'original' && (await recentlyUploadedBy(db, uploader, key, now))) return true;
  if (!actor) return false;
  for (const link of await casesShowing(db, key)) {
    if (!isStaff(actor) && !link.public) continue;
    const c = await findCase(db, link.caseId);
    if (c && mayViewOnCase(actor, variant, link, c)) return true;
  }
  return false;
}

/**
 * May the holder of a tracking code see the public copy of this photo? Only when it is shown on the
 * code's case (or the case it was merged into) by the report or a public step.
 */
export async function mayViewByTrackingCode(db: Db, trackingCode: string, key: string): Promise<boolean> {
  const found = await resolveTrackingCode(db, trackingCode);
  const c = found && (await findCase(db, found.caseId));
  if (!c) return false;
  const target = c.state === 'merged' ? await mergeTarget(db, c) : undefined;
  const cases = new Set([c.id, ...(target ? [target.id] : [])]);
  return (await casesShowing(db, key)).some((link) => link.public && cases.has(link.caseId));
}

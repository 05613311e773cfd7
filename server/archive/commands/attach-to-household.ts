import { v7 as uuidv7 } from 'uuid';
import type { StaffActor } from '../../accounts/actor.js';
import { AppError } from '../../http/app-error.js';
import type { HouseholdRow } from '../household.repository.js';
import { type ArchiveContext, auditChange } from './archive-context.js';

export interface AttachToHouseholdProps {
  household: HouseholdRow;
  actor: StaffActor;
  /** The content key of an image the actor uploaded. */
  key: string;
  title: string;
}

/**
 * Adds an image to the household's file (一户一档). Only the actor's own upload may be attached, so
 * a key seen elsewhere cannot pull someone else's image into this file; the same image twice is
 * one attachment (its title updated).
 */
export async function attachToHousehold(ctx: ArchiveContext, props: AttachToHouseholdProps): Promise<void> {
  const h = props.household;
  const photo = await ctx.db
    .selectFrom('photo')
    .select('id')
    .where('key', '=', props.key)
    .where('accountId', '=', props.actor.id)
    .orderBy('createdAt', 'desc')
    .executeTakeFirst();
  if (!photo) throw new AppError('PHOTO_UNKNOWN', { fields: [{ path: 'body.key', reason: 'not an upload of yours' }] });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('householdAttachment')
      .values({
        district: h.district,
        id: uuidv7(),
        householdId: h.id,
        photoId: photo.id,
        key: props.key,
        title: props.title,
        createdBy: props.actor.id,
      })
      .onConflict((oc) => oc.columns(['district', 'householdId', 'photoId']).doUpdateSet({ title: props.title }))
      .execute();
    await auditChange(
      trx,
      ctx,
      { people: [], record: 'attachment', change: 'created', fields: ['title'] },
      { type: 'household', id: h.id, district: h.district },
    );
  });
}

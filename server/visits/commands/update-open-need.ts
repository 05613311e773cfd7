import type { Updateable } from 'kysely';
import type { Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { VisitNeedTable } from '../visit.tables.js';

/**
 * Moves an open need on (referred or resolved) in `trx`, or answers 409 VISIT_NEED_NOT_OPEN when
 * someone acted on it first: the guard is the row's status at the moment of the update.
 */
export async function updateOpenNeed(
  trx: Trx,
  need: { district: string; id: string },
  changes: Updateable<VisitNeedTable>,
  now: Date,
): Promise<void> {
  const updated = await trx
    .updateTable('visitNeed')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updatedAt: now }))
    .where('district', '=', need.district)
    .where('id', '=', need.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AppError('VISIT_NEED_NOT_OPEN');
}

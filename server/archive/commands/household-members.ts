import type { MemberRelation } from '../../../common/archive.js';
import type { Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { pgCode, pgConstraint } from './archive-context.js';

export interface MemberInput {
  /** Loaded and authorized for writing by the route. */
  person: { id: string; district: string };
  relation: MemberRelation;
  joinedOn?: string | null | undefined;
}

/** Exactly one head, nobody twice, everyone in the household's district (checked before writing). */
export function checkMembers(district: string, members: readonly MemberInput[]): void {
  const heads = members.filter((m) => m.relation === 'head').length;
  if (heads !== 1)
    throw new AppError('ARCHIVE_HOUSEHOLD_HEAD', {
      fields: [{ path: 'body.members', reason: `${heads} heads` }],
    });
  const ids = members.map((m) => m.person.id);
  const twice = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (twice >= 0)
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: `body.members.${twice}`, reason: 'listed twice' }] });
  if (members.some((m) => m.person.district !== district)) throw new AppError('ARCHIVE_NOT_SAME_DISTRICT');
}

/**
 * Writes the household's members as listed (replacing any before) and moves them to its unit and
 * address. A member of another household answers 409: they leave that one first.
 */
export async function writeMembers(
  trx: Trx,
  household: { id: string; district: string; unitId: string; unitPath: string; address: string },
  members: readonly MemberInput[],
  now: Date,
): Promise<void> {
  const ids = members.map((m) => m.person.id);
  const elsewhere = await trx
    .selectFrom('householdMember')
    .select(['personId', 'householdId'])
    .where('district', '=', household.district)
    .where('personId', 'in', ids)
    .where('householdId', '<>', household.id)
    .executeTakeFirst();
  if (elsewhere)
    throw new AppError('ARCHIVE_ALREADY_MEMBER', {
      fields: [{ path: `body.members.${ids.indexOf(elsewhere.personId)}`, reason: 'member of another household' }],
      details: { personId: elsewhere.personId, householdId: elsewhere.householdId },
    });
  // Replaced whole: a new head and the old one's new relation land together (the head check is deferred to commit).
  await trx
    .deleteFrom('householdMember')
    .where('district', '=', household.district)
    .where('householdId', '=', household.id)
    .execute();
  await trx
    .insertInto('householdMember')
    .values(
      members.map((m) => ({
        district: household.district,
        householdId: household.id,
        personId: m.person.id,
        relation: m.relation,
        joinedOn: m.joinedOn ?? null,
      })),
    )
    .execute();
  await trx
    .updateTable('person')
    .set((eb) => ({
      unitId: household.unitId,
      unitPath: household.unitPath,
      address: household.address,
      version: eb('version', '+', 1),
      updatedAt: now,
    }))
    .where('district', '=', household.district)
    .where('id', 'in', ids)
    .where((eb) => eb.or([eb('unitId', '<>', household.unitId), eb('address', '<>', household.address)]))
    .execute();
}

/** The deferred head check (migration 0016) failing at commit, as the catalogue's answer. */
export function headViolation(error: unknown): AppError | undefined {
  if (pgCode(error) === '23514' && pgConstraint(error) === 'household_one_head')
    return new AppError('ARCHIVE_HOUSEHOLD_HEAD');
  if (pgCode(error) === '23505' && pgConstraint(error) === 'household_member_district_person_id_key')
    return new AppError('ARCHIVE_ALREADY_MEMBER');
  return undefined;
}

import { AppError } from '../../http/app-error.js';
import type { HouseholdRow } from '../household.repository.js';
import { type ArchiveContext, auditChange } from './archive-context.js';
import { checkMembers, headViolation, type MemberInput, writeMembers } from './household-members.js';

export interface UpdateHouseholdProps {
  household: HouseholdRow;
  version: number;
  address?: string | undefined;
  number?: string | null | undefined;
  notes?: string | undefined;
  /** The whole new list of members (exactly one head), when it changes. */
  members?: MemberInput[] | undefined;
}

/**
 * Changes a household: its address, number, notes, or its members as a whole list (a new head and
 * the old head's new relation in one step). `version` must be the one read.
 */
export async function updateHousehold(ctx: ArchiveContext, props: UpdateHouseholdProps): Promise<void> {
  const h = props.household;
  if (props.members) checkMembers(h.district, props.members);
  const now = ctx.now ?? new Date();
  const before = props.members
    ? await ctx.db
        .selectFrom('householdMember')
        .select('personId')
        .where('district', '=', h.district)
        .where('householdId', '=', h.id)
        .execute()
    : [];
  const fields = (['address', 'number', 'notes', 'members'] as const).filter((k) => props[k] !== undefined);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('household')
        .set((eb) => ({
          ...(props.address !== undefined ? { address: props.address } : {}),
          ...(props.number !== undefined ? { number: props.number } : {}),
          ...(props.notes !== undefined ? { notes: props.notes } : {}),
          version: eb('version', '+', 1),
          updatedAt: now,
        }))
        .where('district', '=', h.district)
        .where('id', '=', h.id)
        .where('version', '=', props.version)
        .returning(['address'])
        .executeTakeFirst();
      if (!updated) throw new AppError('ARCHIVE_VERSION_CONFLICT');
      if (props.members)
        await writeMembers(
          trx,
          { id: h.id, district: h.district, unitId: h.unitId, unitPath: h.unitPath, address: updated.address },
          props.members,
          now,
        );
      const people = [...new Set([...before.map((b) => b.personId), ...(props.members ?? []).map((m) => m.person.id)])];
      await auditChange(
        trx,
        ctx,
        { people, record: 'household', change: 'updated', fields: [...fields] },
        { type: 'household', id: h.id, district: h.district },
      );
    });
  } catch (error) {
    throw headViolation(error) ?? error;
  }
}

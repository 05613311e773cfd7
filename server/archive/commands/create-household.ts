import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../http/app-error.js';
import { type ArchiveContext, actingAccount, auditChange, type PlacedUnit } from './archive-context.js';
import { checkMembers, headViolation, type MemberInput, writeMembers } from './household-members.js';

export interface CreateHouseholdProps {
  unit: PlacedUnit;
  /** The building and dwelling it lives in, if known (checked to be in the unit's district). */
  building?: { id: string; district: string } | undefined;
  dwelling?: { id: string; district: string; buildingId: string } | undefined;
  number?: string | null | undefined;
  address: string;
  notes: string;
  members: MemberInput[];
}

/**
 * Files a household with its members in one transaction: exactly one head (422 otherwise), no
 * member of another household (409); nothing is written when anything is wrong.
 */
export async function createHousehold(ctx: ArchiveContext, props: CreateHouseholdProps): Promise<string> {
  const { district } = props.unit;
  checkMembers(district, props.members);
  if ([props.building, props.dwelling].some((r) => r && r.district !== district))
    throw new AppError('ARCHIVE_NOT_SAME_DISTRICT');
  if (props.dwelling && props.building && props.dwelling.buildingId !== props.building.id)
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ path: 'body.dwellingId', reason: 'not a dwelling of that building' }],
    });
  const id = uuidv7();
  const now = ctx.now ?? new Date();
  const household = { id, district, unitId: props.unit.id, unitPath: props.unit.path, address: props.address };
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('household')
        .values({
          district,
          id,
          unitId: props.unit.id,
          unitPath: props.unit.path,
          number: props.number ?? null,
          address: props.address,
          buildingId: props.dwelling?.buildingId ?? props.building?.id ?? null,
          dwellingId: props.dwelling?.id ?? null,
          notes: props.notes,
          dissolvedAt: null,
          createdBy: actingAccount(ctx),
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      await writeMembers(trx, household, props.members, now);
      await auditChange(
        trx,
        ctx,
        {
          people: props.members.map((m) => m.person.id),
          record: 'household',
          change: 'created',
          fields: ['address', 'members', ...(props.number ? ['number'] : []), ...(props.dwelling ? ['dwelling'] : [])],
        },
        { type: 'household', id, district },
      );
    });
  } catch (error) {
    throw headViolation(error) ?? error;
  }
  return id;
}

import { v7 as uuidv7 } from 'uuid';
import { beijingToday } from '../../../common/id-number.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { TCreatePersonRequest } from '../archive.schema.js';
import { normalizeName, personNameKeys } from '../name-keys.js';
import { checkIdentity, checkPhones } from '../person-fields.js';
import { type ArchiveContext, actingAccount, auditChange, type PlacedUnit, pgCode } from './archive-context.js';

export interface CreatePersonProps {
  /** The community or grid where the person lives. */
  unit: PlacedUnit;
  fields: Omit<TCreatePersonRequest, 'unitId'>;
}

/** The id of the person on file with this ID number in the district, if any. */
export async function personWithIdNumber(db: Db | Trx, district: string, idNumber: string) {
  const row = await db
    .selectFrom('person')
    .select('id')
    .where('idNumber', '=', idNumber)
    .where('district', '=', district)
    .executeTakeFirst();
  return row?.id;
}

export const duplicatePerson = (existingId: string) =>
  new AppError('ARCHIVE_PERSON_DUPLICATE', {
    fields: [{ path: 'body.idNumber', reason: 'already on file in this district' }],
    details: { existingId },
  });

/**
 * Files a person. The ID number is checked (GB 11643) and decides birth date and gender; a second
 * person with the same number in the district answers 409 with the existing id.
 */
export async function createPerson(ctx: ArchiveContext, props: CreatePersonProps): Promise<string> {
  const f = props.fields;
  const today = beijingToday(ctx.now);
  const identity = checkIdentity(f, 'body', today);
  const phones = checkPhones(f.phones, 'body.phones');
  const name = normalizeName(f.name);
  const keys = personNameKeys(name);
  const { district } = props.unit;
  if (identity.idNumber) {
    const existing = await personWithIdNumber(ctx.db, district, identity.idNumber);
    if (existing) throw duplicatePerson(existing);
  }
  const id = uuidv7();
  const now = ctx.now ?? new Date();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('person')
        .values({
          district,
          id,
          unitId: props.unit.id,
          unitPath: props.unit.path,
          name,
          namePinyin: keys.pinyin,
          nameInitials: keys.initials,
          gender: identity.gender,
          birthDate: identity.birthDate,
          idNumber: identity.idNumber,
          phones,
          ethnicity: f.ethnicity ?? null,
          residency: f.residency,
          politicalStatus: f.politicalStatus ?? null,
          politicalStatusShown: f.politicalStatusShown,
          work: f.work,
          notes: f.notes,
          address: f.address,
          statusChangedAt: null,
          createdBy: actingAccount(ctx),
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      await auditChange(
        trx,
        ctx,
        { people: [id], record: 'person', change: 'created', fields: Object.keys(f).sort() },
        { type: 'person', id, district },
      );
    });
  } catch (error) {
    // Two filed the same number at once: the unique index decided.
    if (pgCode(error) === '23505' && identity.idNumber) {
      const existing = await personWithIdNumber(ctx.db, district, identity.idNumber);
      if (existing) throw duplicatePerson(existing);
    }
    throw error;
  }
  return id;
}

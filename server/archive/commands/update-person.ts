import { beijingToday } from '../../../common/id-number.js';
import { AppError } from '../../http/app-error.js';
import type { TUpdatePersonRequest } from '../archive.schema.js';
import { recordManualChange } from '../imports/provenance.js';
import { normalizeName, personNameKeys } from '../name-keys.js';
import type { PersonRow } from '../person.repository.js';
import { checkIdentity, checkPhones } from '../person-fields.js';
import { type ArchiveContext, assertOneUpdated, auditChange, type PlacedUnit, pgCode } from './archive-context.js';
import { duplicatePerson, personWithIdNumber } from './create-person.js';

export interface UpdatePersonProps {
  person: PersonRow;
  changes: Omit<TUpdatePersonRequest, 'unitId'>;
  /** The new unit, when the person moves (checked to be in the actor's write scope). */
  unit?: PlacedUnit | undefined;
}

/**
 * Changes a person's record. `version` must be the one the writer read (409 otherwise: someone
 * else changed it). A new ID number is checked like a new person's; birth date and gender stay
 * consistent with whatever number the record ends with.
 */
export async function updatePerson(ctx: ArchiveContext, props: UpdatePersonProps): Promise<void> {
  const { person: p, changes: c } = props;
  if (props.unit && props.unit.district !== p.district) throw new AppError('ARCHIVE_NOT_SAME_DISTRICT');
  const today = beijingToday(ctx.now);
  const idNumber = c.idNumber !== undefined ? c.idNumber : p.idNumber;
  const identity = idNumber
    ? checkIdentity({ idNumber, birthDate: c.birthDate, gender: c.gender }, 'body', today)
    : checkIdentity(
        { idNumber: null, birthDate: c.birthDate ?? p.birthDate, gender: c.gender ?? p.gender },
        'body',
        today,
      );
  if (identity.idNumber && identity.idNumber !== p.idNumber) {
    const existing = await personWithIdNumber(ctx.db, p.district, identity.idNumber);
    if (existing && existing !== p.id) throw duplicatePerson(existing);
  }
  const phones = c.phones !== undefined ? checkPhones(c.phones, 'body.phones') : undefined;
  const name = c.name !== undefined ? normalizeName(c.name) : undefined;
  const keys = name !== undefined ? personNameKeys(name) : undefined;
  const now = ctx.now ?? new Date();
  const fields = Object.keys(c).filter((k) => k !== 'version');
  if (props.unit) fields.push('unitId');
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('person')
        .set((eb) => ({
          ...(props.unit ? { unitId: props.unit.id, unitPath: props.unit.path } : {}),
          ...(name !== undefined && keys ? { name, namePinyin: keys.pinyin, nameInitials: keys.initials } : {}),
          idNumber: identity.idNumber,
          birthDate: identity.birthDate,
          gender: identity.gender,
          ...(phones !== undefined ? { phones } : {}),
          ...(c.ethnicity !== undefined ? { ethnicity: c.ethnicity } : {}),
          ...(c.residency !== undefined ? { residency: c.residency } : {}),
          ...(c.politicalStatus !== undefined ? { politicalStatus: c.politicalStatus } : {}),
          ...(c.politicalStatusShown !== undefined ? { politicalStatusShown: c.politicalStatusShown } : {}),
          ...(c.work !== undefined ? { work: c.work } : {}),
          ...(c.notes !== undefined ? { notes: c.notes } : {}),
          ...(c.address !== undefined ? { address: c.address } : {}),
          ...(c.status !== undefined && c.status !== p.status ? { status: c.status, statusChangedAt: now } : {}),
          version: eb('version', '+', 1),
          updatedAt: now,
        }))
        .where('district', '=', p.district)
        .where('id', '=', p.id)
        .where('version', '=', c.version)
        .executeTakeFirst();
      assertOneUpdated(updated);
      // Dates what was changed by hand, so a departmental import of older data cannot undo it.
      const byHand: Record<string, string | undefined> = {
        name,
        phones: phones?.join(';'),
        ethnicity: c.ethnicity === undefined ? undefined : (c.ethnicity ?? ''),
        residency: c.residency,
        address: c.address,
        work: c.work,
        unit: props.unit?.path.split('.').filter(Boolean).at(-1),
      };
      await recordManualChange(
        trx,
        { district: p.district, subject: 'person', subjectId: p.id },
        Object.entries(byHand).flatMap(([field, value]) => (value === undefined ? [] : [{ field, value }])),
        today,
      );
      await auditChange(
        trx,
        ctx,
        { people: [p.id], record: 'person', change: 'updated', fields: fields.sort() },
        { type: 'person', id: p.id, district: p.district },
      );
    });
  } catch (error) {
    if (pgCode(error) === '23505' && identity.idNumber) {
      const existing = await personWithIdNumber(ctx.db, p.district, identity.idNumber);
      if (existing && existing !== p.id) throw duplicatePerson(existing);
    }
    throw error;
  }
}

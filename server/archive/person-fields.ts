/**
 * What the fields of a person mean, checked with coded answers: ID numbers (GB 11643), dates,
 * phones, and birth date and gender against the ID number. Used by the commands and reusable by
 * imports (each throws an AppError naming the field).
 */
import type { Gender } from '../../common/archive.js';
import {
  beijingToday,
  EARLIEST_BIRTH_DATE,
  isCalendarDate,
  parseIdNumber,
  parsePhone,
} from '../../common/id-number.js';
import { AppError } from '../http/app-error.js';

/** A YYYY-MM-DD that is a real day, not before 1900 and (unless `future`) not after today. */
export function checkDate(value: string, path: string, options: { future?: boolean; today?: string } = {}): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const today = options.today ?? beijingToday();
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])))
    throw new AppError('ARCHIVE_DATE_INVALID', { fields: [{ path, reason: 'not a calendar date (YYYY-MM-DD)' }] });
  if (value < EARLIEST_BIRTH_DATE)
    throw new AppError('ARCHIVE_DATE_INVALID', { fields: [{ path, reason: `before ${EARLIEST_BIRTH_DATE}` }] });
  if (!options.future && value > today)
    throw new AppError('ARCHIVE_DATE_INVALID', { fields: [{ path, reason: 'in the future' }] });
  return value;
}

/** Normalized phones, each checked; doubles dropped. */
export function checkPhones(phones: readonly string[], path: string): string[] {
  const out: string[] = [];
  phones.forEach((raw, i) => {
    const r = parsePhone(raw);
    if (!r.ok)
      throw new AppError('ARCHIVE_PHONE_INVALID', {
        fields: [{ path: `${path}.${i}`, reason: 'neither a mainland mobile nor a landline with area code' }],
      });
    if (!out.includes(r.normalized)) out.push(r.normalized);
  });
  return out;
}

export interface IdentityInput {
  idNumber?: string | null | undefined;
  birthDate?: string | undefined;
  gender?: Gender | undefined;
}

export interface Identity {
  idNumber: string | null;
  birthDate: string;
  gender: Gender;
}

/**
 * The identity a person is written with: the ID number checked and normalized, birth date and
 * gender derived from it (entered ones must agree), or both entered when there is no number.
 */
export function checkIdentity(input: IdentityInput, path = 'body', today = beijingToday()): Identity {
  if (input.idNumber) {
    const id = parseIdNumber(input.idNumber, today);
    if (!id.ok)
      throw new AppError('ARCHIVE_ID_NUMBER_INVALID', { fields: [{ path: `${path}.idNumber`, reason: id.problem }] });
    if (input.birthDate !== undefined && input.birthDate !== id.birthDate)
      throw new AppError('ARCHIVE_ID_MISMATCH', {
        fields: [{ path: `${path}.birthDate`, reason: `the ID number says ${id.birthDate}` }],
      });
    if (input.gender !== undefined && input.gender !== id.gender)
      throw new AppError('ARCHIVE_ID_MISMATCH', {
        fields: [{ path: `${path}.gender`, reason: `the ID number says ${id.gender}` }],
      });
    return { idNumber: id.normalized, birthDate: id.birthDate, gender: id.gender };
  }
  const { birthDate, gender } = input;
  if (birthDate === undefined || gender === undefined)
    throw new AppError('VALIDATION_FAILED', {
      fields: (['birthDate', 'gender'] as const)
        .filter((k) => input[k] === undefined)
        .map((k) => ({ path: `${path}.${k}`, reason: 'required without an ID number' })),
    });
  return { idNumber: null, birthDate: checkDate(birthDate, `${path}.birthDate`, { today }), gender };
}

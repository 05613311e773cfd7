/**
 * People from a department's file as a kind of import (archive_people): each row is matched by ID
 * number in the run's district. A person not on file is filed in the row's community or grid; one on
 * file has each field the row carries decided by provenance.ts (newer data wins, disagreeing sources
 * are reported), and the row's tag (低保, disability with its grade …) likewise. A row is one
 * transaction: the person, their tag, the provenance and the audit row land together or not at all.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { GENDERS, type Gender, RESIDENCIES, type Residency } from '../../../common/archive.js';
import { ARCHIVE_PERSON_FIELDS } from '../../../common/archive-imports.js';
import { normalizeIdNumber } from '../../../common/id-number.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { ImportKind, MappedRecord, RowContext, RowResult } from '../../imports/import-kind.js';
import { normalizeName, personNameKeys } from '../name-keys.js';
import { checkIdentity, checkPhones } from '../person-fields.js';
import {
  decideClaims,
  placedUnit,
  type RowSource,
  rowSource,
  settleRow,
  sourceCodes,
  type TagClaim,
  tagClaim,
  tagOfRow,
  today,
  unitCodes,
} from './import-parts.js';
import { claimsFrom, type FieldClaim } from './provenance.js';

export const PEOPLE_KIND = 'archive_people';

const GENDER_LABELS: Record<Gender, { zh: string; en: string }> = {
  male: { zh: '男', en: 'Male' },
  female: { zh: '女', en: 'Female' },
};
const RESIDENCY_LABELS: Record<Residency, { zh: string; en: string }> = {
  registered: { zh: '户籍', en: 'Registered' },
  floating: { zh: '流动', en: 'Floating' },
};

async function peopleCodes(db: Db, district: string) {
  const [sources, units] = await Promise.all([sourceCodes(db, district, 'person'), unitCodes(db, district)]);
  return {
    ...sources,
    unit: units,
    gender: GENDERS.map((g) => ({ code: g, label: GENDER_LABELS[g] })),
    residency: RESIDENCIES.map((r) => ({ code: r, label: RESIDENCY_LABELS[r] })),
  };
}

/** The person's fields as the row states them, checked; only what the row carries. */
interface PersonRowData {
  idNumber: string;
  birthDate: string;
  gender: Gender;
  name: string;
  phones?: string[];
  ethnicity?: string;
  residency?: Residency;
  address?: string;
  work?: string;
  unitCode?: string;
}

function readRow(record: MappedRecord, day: string): PersonRowData {
  const identity = checkIdentity(
    {
      idNumber: String(record.idNumber),
      birthDate: record.birthDate === undefined ? undefined : String(record.birthDate),
      gender: record.gender === undefined ? undefined : (String(record.gender) as Gender),
    },
    'body',
    day,
  );
  const text = (key: string) => (record[key] === undefined ? undefined : String(record[key]));
  const phones = text('phones');
  const row: PersonRowData = {
    idNumber: identity.idNumber ?? '',
    birthDate: identity.birthDate,
    gender: identity.gender,
    name: normalizeName(String(record.name)),
  };
  if (phones !== undefined) row.phones = checkPhones(phones.split(/[;；,，、/\s]+/).filter(Boolean), 'body.phones');
  const optional = { ethnicity: text('ethnicity'), address: text('address'), work: text('work') };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) row[key as 'work'] = value;
  if (record.residency !== undefined) row.residency = String(record.residency) as Residency;
  if (record.unit !== undefined) row.unitCode = String(record.unit);
  return row;
}

/** The claims of the row on a person's tracked fields, as text. */
function claimsOf(row: PersonRowData, current: Record<string, string>): FieldClaim[] {
  const incoming: Record<string, string | undefined> = {
    name: row.name,
    phones: row.phones?.join(';'),
    ethnicity: row.ethnicity,
    residency: row.residency,
    address: row.address,
    work: row.work,
    unit: row.unitCode,
  };
  return claimsFrom(incoming, current);
}

async function createPersonFromRow(
  trx: Trx,
  ctx: RowContext,
  row: PersonRowData,
  source: RowSource,
  tag: TagClaim | null,
): Promise<RowResult> {
  if (!row.unitCode)
    throw new AppError('ARCHIVE_IMPORT_UNIT_NEEDED', {
      fields: [{ path: 'body.unit', reason: 'needed for a new person' }],
    });
  const unit = await placedUnit(trx, ctx, row.unitCode);
  const id = uuidv7();
  const keys = personNameKeys(row.name);
  const district = ctx.run.district;
  await trx
    .insertInto('person')
    .values({
      district,
      id,
      unitId: unit.id,
      unitPath: unit.path,
      name: row.name,
      namePinyin: keys.pinyin,
      nameInitials: keys.initials,
      gender: row.gender,
      birthDate: row.birthDate,
      idNumber: row.idNumber,
      phones: row.phones ?? [],
      ethnicity: row.ethnicity ?? null,
      residency: row.residency ?? 'registered',
      politicalStatus: null,
      work: row.work ?? '',
      address: row.address ?? '',
      statusChangedAt: null,
      createdBy: ctx.run.createdBy,
    })
    .execute();
  const claims = claimsOf(row, {});
  if (tag) {
    const t = await tagClaim(trx, { kind: 'person', id, district }, tag, source, ctx.run.createdBy);
    await t.apply();
    claims.push(t.claim);
  }
  const target = { subject: 'person' as const, id, district };
  const decided = await decideClaims(trx, target, source, null, claims);
  return settleRow(trx, ctx, { target, created: true, people: [id] }, decided, claims);
}

async function updatePersonFromRow(
  trx: Trx,
  ctx: RowContext,
  row: PersonRowData,
  source: RowSource,
  tag: TagClaim | null,
  personId: string,
): Promise<RowResult> {
  const district = ctx.run.district;
  const person = await trx
    .selectFrom('person as p')
    .innerJoin('unit as u', (j) => j.onRef('u.id', '=', 'p.unitId').onRef('u.district', '=', 'p.district'))
    .select(['p.id', 'p.unitPath', 'p.name', 'p.phones', 'p.ethnicity', 'p.residency', 'p.address', 'p.work', 'u.code'])
    .select(sql<string>`(p.updated_at at time zone 'Asia/Shanghai')::date::text`.as('changedOn'))
    .where('p.district', '=', district)
    .where('p.id', '=', personId)
    .forUpdate('p')
    .executeTakeFirstOrThrow();
  if (!person.unitPath.startsWith(ctx.run.scopePath))
    throw new AppError('ARCHIVE_IMPORT_OUTSIDE_SCOPE', {
      fields: [{ path: 'body.idNumber', reason: 'on file outside the scope' }],
    });
  const current: Record<string, string> = {
    name: person.name,
    phones: person.phones.join(';'),
    ethnicity: person.ethnicity ?? '',
    residency: person.residency,
    address: person.address,
    work: person.work,
    unit: person.code,
  };
  const claims = claimsOf(row, current);
  const subject = { kind: 'person' as const, id: person.id, district };
  const tagged = tag ? await tagClaim(trx, subject, tag, source, ctx.run.createdBy) : null;
  if (tagged) claims.push(tagged.claim);
  const target = { subject: 'person' as const, id: person.id, district };
  const decided = await decideClaims(trx, target, source, person.changedOn, claims);
  const { taken } = decided;
  const unit = taken.has('unit') && row.unitCode ? await placedUnit(trx, ctx, row.unitCode) : null;
  const keys = taken.has('name') ? personNameKeys(row.name) : null;
  const personFields = [...taken].filter((f) => !f.startsWith('tag.'));
  if (personFields.length > 0)
    await trx
      .updateTable('person')
      .set((eb) => ({
        ...(keys ? { name: row.name, namePinyin: keys.pinyin, nameInitials: keys.initials } : {}),
        ...(taken.has('phones') && row.phones ? { phones: row.phones } : {}),
        ...(taken.has('ethnicity') ? { ethnicity: row.ethnicity ?? null } : {}),
        ...(taken.has('residency') && row.residency ? { residency: row.residency } : {}),
        ...(taken.has('address') && row.address !== undefined ? { address: row.address } : {}),
        ...(taken.has('work') && row.work !== undefined ? { work: row.work } : {}),
        ...(unit ? { unitId: unit.id, unitPath: unit.path } : {}),
        version: eb('version', '+', 1),
        updatedAt: new Date(),
      }))
      .where('district', '=', district)
      .where('id', '=', person.id)
      .execute();
  if (tagged && taken.has(tagged.claim.field)) await tagged.apply();
  return settleRow(trx, ctx, { target, created: false, people: [person.id] }, decided, claims);
}

export const peopleImport: ImportKind = {
  kind: PEOPLE_KIND,
  fields: ARCHIVE_PERSON_FIELDS,
  keyField: 'idNumber',
  uniqueKey: normalizeIdNumber,
  codes: peopleCodes,
  async write(ctx, record) {
    const day = today();
    const row = readRow(record, day);
    const source = await rowSource(ctx, record, day);
    const tag = await tagOfRow(ctx.db, record, 'person');
    return ctx.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('person')
        .select('id')
        .where('idNumber', '=', row.idNumber)
        .where('district', '=', ctx.run.district)
        .executeTakeFirst();
      return existing
        ? updatePersonFromRow(trx, ctx, row, source, tag, existing.id)
        : createPersonFromRow(trx, ctx, row, source, tag);
    });
  },
};

/**
 * Tags on people and households (独居老人, 残疾, 低保 …): adding one for a period from a source with
 * its evidence, and ending one. The type must apply to the record, be enabled, and carry a grade
 * exactly when graded; a tag may not overlap another of the same type on the same record.
 */
import { type Insertable, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { PersonTagTable } from '../archive.tables.js';
import { checkDate } from '../person-fields.js';
import { type ArchiveContext, actingAccount, auditChange } from './archive-context.js';

export type TagSubjectKind = 'person' | 'household';

export interface AddTagProps {
  subject: { kind: TagSubjectKind; id: string; district: string };
  /** People the change concerns (the person, or the household's members), for the audit row. */
  people: string[];
  tagType: string;
  grade?: number | null | undefined;
  sourceDepartmentId?: string | null | undefined;
  validFrom: string;
  validTo?: string | null | undefined;
  evidence: string;
}

const notApplicable = (path: string, reason: string) =>
  new AppError('ARCHIVE_TAG_NOT_APPLICABLE', { fields: [{ path, reason }] });

/** The tag table and subject column of a kind of record (constants: safe as raw SQL). */
const tableOf = (kind: TagSubjectKind) => sql.raw(kind === 'person' ? 'person_tag' : 'household_tag');
const columnOf = (kind: TagSubjectKind) => sql.raw(kind === 'person' ? 'person_id' : 'household_id');

async function overlapping(
  trx: Trx,
  subject: AddTagProps['subject'],
  tagTypeId: string,
  from: string,
  to: string | null,
): Promise<boolean> {
  const { rows } = await sql`select 1 from ${tableOf(subject.kind)}
    where district = ${subject.district} and ${columnOf(subject.kind)} = ${subject.id} and tag_type_id = ${tagTypeId}
      and (valid_to is null or valid_to >= ${from}::date) and (${to}::date is null or valid_from <= ${to}::date)
    limit 1`.execute(trx);
  return rows.length > 0;
}

/** The columns of a tag row, whichever kind of record it is on. */
export type TagValues = Omit<Insertable<PersonTagTable>, 'personId'>;

/** Inserts a tag row on a person or a household (the import's tags are written the same way). */
export async function insertTag(trx: Trx, subject: { kind: TagSubjectKind; id: string }, values: TagValues) {
  if (subject.kind === 'person')
    await trx
      .insertInto('personTag')
      .values({ ...values, personId: subject.id })
      .execute();
  else
    await trx
      .insertInto('householdTag')
      .values({ ...values, householdId: subject.id })
      .execute();
}

export async function addTag(ctx: ArchiveContext, props: AddTagProps): Promise<string> {
  const type = await ctx.db.selectFrom('tagType').selectAll().where('code', '=', props.tagType).executeTakeFirst();
  if (!type) throw notApplicable('body.tagType', 'no such tag type');
  if (type.disabled) throw notApplicable('body.tagType', 'disabled');
  if (type.appliesTo !== 'both' && type.appliesTo !== props.subject.kind)
    throw notApplicable('body.tagType', `for ${type.appliesTo} records`);
  const grade = props.grade ?? null;
  if (type.graded !== (grade !== null))
    throw notApplicable('body.grade', type.graded ? 'a grade 1–4 is needed' : 'this tag has no grade');
  const validFrom = checkDate(props.validFrom, 'body.validFrom', { future: true });
  const validTo = props.validTo ? checkDate(props.validTo, 'body.validTo', { future: true }) : null;
  if (validTo !== null && validTo < validFrom)
    throw new AppError('ARCHIVE_DATE_INVALID', { fields: [{ path: 'body.validTo', reason: 'before validFrom' }] });
  if (props.sourceDepartmentId) {
    const department = await ctx.db
      .selectFrom('department')
      .select('id')
      .where('id', '=', props.sourceDepartmentId)
      .executeTakeFirst();
    if (!department)
      throw new AppError('NOT_FOUND', { fields: [{ path: 'body.sourceDepartmentId', reason: 'no such department' }] });
  }
  const id = uuidv7();
  const { subject } = props;
  await ctx.db.transaction().execute(async (trx) => {
    if (await overlapping(trx, subject, type.id, validFrom, validTo))
      throw notApplicable('body.validFrom', 'overlaps a tag of this type already on the record');
    const values = {
      district: subject.district,
      id,
      tagTypeId: type.id,
      grade,
      sourceDepartmentId: props.sourceDepartmentId ?? null,
      validFrom,
      validTo,
      evidence: props.evidence,
      createdBy: actingAccount(ctx),
    };
    await insertTag(trx, subject, values);
    await auditChange(
      trx,
      ctx,
      { people: props.people, record: 'tag', change: 'created', fields: [type.code] },
      { type: subject.kind, id: subject.id, district: subject.district },
    );
  });
  return id;
}

export interface EndTagProps {
  subject: AddTagProps['subject'];
  people: string[];
  tagId: string;
  validTo: string;
}

/** Ends a tag on a day (not before it began); the tag stays in the record's history. */
export async function endTag(ctx: ArchiveContext, props: EndTagProps): Promise<void> {
  const { subject } = props;
  const validTo = checkDate(props.validTo, 'body.validTo', { future: true });
  await ctx.db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ validFrom: string }>`select valid_from from ${tableOf(subject.kind)}
      where district = ${subject.district} and ${columnOf(subject.kind)} = ${subject.id} and id = ${props.tagId}
      for update`.execute(trx);
    const tag = rows[0];
    if (!tag) throw new AppError('NOT_FOUND');
    if (validTo < tag.validFrom)
      throw new AppError('ARCHIVE_DATE_INVALID', {
        fields: [{ path: 'body.validTo', reason: 'before the tag began' }],
      });
    await sql`update ${tableOf(subject.kind)} set valid_to = ${validTo}::date, updated_at = ${ctx.now ?? new Date()}
      where district = ${subject.district} and id = ${props.tagId}`.execute(trx);
    await auditChange(
      trx,
      ctx,
      { people: props.people, record: 'tag', change: 'updated', fields: ['validTo'] },
      { type: subject.kind, id: subject.id, district: subject.district },
    );
  });
}

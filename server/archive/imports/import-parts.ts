/**
 * What the archive's import kinds share: the codes a district's mapping may translate to (its
 * departments, tag types, communities and grids), the row's source (department and as-of day), the
 * tag a department gives a record, and the audit context of a run's writes.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { TagSubject } from '../../../common/archive.js';
import { beijingToday } from '../../../common/id-number.js';
import type { AuditContext } from '../../audit/audit.writer.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { CodeChoices, MappedRecord, RowContext, RowResult } from '../../imports/import-kind.js';
import { auditChange } from '../commands/archive-context.js';
import { insertTag, type TagSubjectKind } from '../commands/tag-commands.js';
import { checkDate } from '../person-fields.js';
import {
  type DecideContext,
  type Decision,
  decideField,
  type FieldClaim,
  loadSources,
  type SourceSubject,
  saveSources,
} from './provenance.js';

/** The district's departments and the tag types for a kind of record (mapping editor's choices). */
export async function sourceCodes(db: Db, district: string, subject: TagSubjectKind): Promise<CodeChoices> {
  const [departments, types] = await Promise.all([
    db
      .selectFrom('department')
      .select(['code', 'name'])
      .where('district', '=', district)
      .where('disabled', '=', false)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('tagType')
      .select(['code', 'nameZh', 'nameEn'])
      .where('disabled', '=', false)
      .where('appliesTo', 'in', [subject, 'both'] satisfies TagSubject[])
      .orderBy('code')
      .execute(),
  ]);
  return {
    sourceDepartment: departments.map((d) => ({ code: d.code, label: { zh: d.name, en: d.name } })),
    tag: types.map((t) => ({ code: t.code, label: { zh: t.nameZh, en: t.nameEn } })),
  };
}

/** The communities and grids of the district, where a new person may be filed. */
export async function unitCodes(db: Db, district: string): Promise<CodeChoices[string]> {
  const units = await db
    .selectFrom('unit')
    .select(['code', 'name'])
    .where('district', '=', district)
    .where('level', 'in', ['community', 'grid'])
    .orderBy('path')
    .execute();
  return units.map((u) => ({ code: u.code, label: { zh: u.name, en: u.name } }));
}

/** The row's unit (a community or grid of the district), which must lie in the run's scope. */
export async function placedUnit(trx: Trx, ctx: RowContext, code: string) {
  const unit = await trx
    .selectFrom('unit')
    .select(['id', 'path', 'code'])
    .where('district', '=', ctx.run.district)
    .where('code', '=', code)
    .where('level', 'in', ['community', 'grid'])
    .executeTakeFirst();
  if (!unit)
    throw new AppError('ARCHIVE_UNIT_INVALID', { fields: [{ path: 'body.unit', reason: 'not a community or grid' }] });
  if (!unit.path.startsWith(ctx.run.scopePath))
    throw new AppError('ARCHIVE_IMPORT_OUTSIDE_SCOPE', {
      fields: [{ path: 'body.unit', reason: 'outside the scope' }],
    });
  return unit;
}

export interface RowSource {
  /** The department's id (the provenance source) and name (for the report). */
  id: string;
  name: string;
  asOf: string;
}

/** The row's department and as-of day (a real day, not in the future). */
export async function rowSource(ctx: RowContext, record: MappedRecord, today: string): Promise<RowSource> {
  const asOf = checkDate(String(record.asOf), 'body.asOf', { today });
  const department = await ctx.db
    .selectFrom('department')
    .select(['id', 'name'])
    .where('code', '=', String(record.sourceDepartment))
    .where('district', '=', ctx.run.district)
    .executeTakeFirst();
  if (!department)
    throw new AppError('IMPORT_VALUE_UNKNOWN', {
      fields: [{ path: 'body.sourceDepartment', reason: 'no such department' }],
    });
  return { id: department.id, name: department.name, asOf };
}

/** The department names of the sources a record's provenance names (for conflicts). */
export async function sourceNames(trx: Trx, ids: readonly string[]): Promise<Map<string, string>> {
  const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/.test(id));
  if (uuids.length === 0) return new Map();
  const rows = await trx.selectFrom('department').select(['id', 'name']).where('id', 'in', uuids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Who writes a run's changes in the audit log: the system on behalf of the run's starter. */
export const runAuditContext = (ctx: RowContext): AuditContext => ({
  actor: { kind: 'system', id: null, name: `民情档案导入 Archive import · ${ctx.run.createdByName}` },
});

export const today = () => beijingToday();

/** A tag the row gives its record: checked (type applies, grade exactly when graded, dates in order). */
export interface TagClaim {
  typeId: string;
  code: string;
  grade: number | null;
  from: string | null;
  to: string | null;
  evidence: string;
}

export async function tagOfRow(db: Db, record: MappedRecord, subject: TagSubjectKind): Promise<TagClaim | null> {
  if (record.tag === undefined) {
    const stray = (['tagGrade', 'tagFrom', 'tagTo', 'tagEvidence'] as const).find((k) => record[k] !== undefined);
    if (stray)
      throw new AppError('ARCHIVE_TAG_NOT_APPLICABLE', { fields: [{ path: `body.${stray}`, reason: 'no tag' }] });
    return null;
  }
  const type = await db.selectFrom('tagType').selectAll().where('code', '=', String(record.tag)).executeTakeFirst();
  if (!type || type.disabled || (type.appliesTo !== 'both' && type.appliesTo !== subject))
    throw new AppError('ARCHIVE_TAG_NOT_APPLICABLE', {
      fields: [{ path: 'body.tag', reason: `not for ${subject} records` }],
    });
  const grade = record.tagGrade === undefined ? null : Number(record.tagGrade);
  if (grade !== null && !Number.isInteger(grade))
    throw new AppError('ARCHIVE_TAG_NOT_APPLICABLE', {
      fields: [{ path: 'body.tagGrade', reason: 'a whole number 1–4' }],
    });
  if (type.graded !== (grade !== null))
    throw new AppError('ARCHIVE_TAG_NOT_APPLICABLE', {
      fields: [{ path: 'body.tagGrade', reason: type.graded ? 'a grade 1–4 is needed' : 'this tag has no grade' }],
    });
  const from =
    record.tagFrom === undefined ? null : checkDate(String(record.tagFrom), 'body.tagFrom', { future: true });
  const to = record.tagTo === undefined ? null : checkDate(String(record.tagTo), 'body.tagTo', { future: true });
  if (from !== null && to !== null && to < from)
    throw new AppError('ARCHIVE_DATE_INVALID', { fields: [{ path: 'body.tagTo', reason: 'before the tag’s start' }] });
  return {
    typeId: type.id,
    code: type.code,
    grade,
    from,
    to,
    evidence: record.tagEvidence === undefined ? '' : String(record.tagEvidence),
  };
}

interface TagRow {
  id: string;
  grade: number | null;
  validFrom: string;
  validTo: string | null;
}

const tableOf = (kind: TagSubjectKind) => sql.raw(kind === 'person' ? 'person_tag' : 'household_tag');
const columnOf = (kind: TagSubjectKind) => sql.raw(kind === 'person' ? 'person_id' : 'household_id');

const tagText = (t: { grade: number | null; validFrom: string; validTo: string | null }) =>
  `${t.grade === null ? '' : `${t.grade}级 `}${t.validFrom}~${t.validTo ?? ''}`;

/**
 * The row's tag as a field claim (`tag.<code>`) on the record's tag of that type overlapping its
 * period, with the write that makes the record's tag the row's. Without a start day the tag keeps the
 * start on file (or begins on the as-of day), so a monthly list sent again changes nothing.
 */
export async function tagClaim(
  trx: Trx,
  subject: { kind: TagSubjectKind; id: string; district: string },
  tag: TagClaim,
  source: RowSource,
  createdBy: string,
): Promise<{ claim: FieldClaim; apply: () => Promise<void> }> {
  const probeFrom = tag.from ?? source.asOf;
  const { rows } = await sql<TagRow>`select id, grade, valid_from::text as valid_from, valid_to::text as valid_to
    from ${tableOf(subject.kind)}
    where district = ${subject.district} and ${columnOf(subject.kind)} = ${subject.id} and tag_type_id = ${tag.typeId}
      and (valid_to is null or valid_to >= ${probeFrom}::date) and (${tag.to}::date is null or valid_from <= ${tag.to}::date)
    order by valid_from desc limit 1 for update`.execute(trx);
  const existing = rows[0];
  const wanted = { grade: tag.grade, validFrom: tag.from ?? existing?.validFrom ?? source.asOf, validTo: tag.to };
  const claim = { field: `tag.${tag.code}`, incoming: tagText(wanted), current: existing ? tagText(existing) : '' };
  const apply = async () => {
    if (existing) {
      await sql`update ${tableOf(subject.kind)} set grade = ${wanted.grade}, valid_from = ${wanted.validFrom}::date,
        valid_to = ${wanted.validTo}::date, source_department_id = ${source.id},
        evidence = case when ${tag.evidence} = '' then evidence else ${tag.evidence} end, updated_at = now()
        where district = ${subject.district} and id = ${existing.id}`.execute(trx);
      return;
    }
    await insertTag(trx, subject, {
      district: subject.district,
      id: uuidv7(),
      tagTypeId: tag.typeId,
      grade: wanted.grade,
      sourceDepartmentId: source.id,
      validFrom: wanted.validFrom,
      validTo: wanted.validTo,
      evidence: tag.evidence,
      createdBy,
    });
  };
  return { claim, apply };
}

/** A record a row lands on, for provenance and the audit row. */
export interface RowTarget {
  subject: SourceSubject;
  id: string;
  district: string;
}

/**
 * Each claim's fate on a record on file (provenance.ts decideField), from its provenance; a new
 * record takes every claim.
 */
export async function decideClaims(
  trx: Trx,
  target: RowTarget,
  source: RowSource,
  recordDate: string | null,
  claims: readonly FieldClaim[],
): Promise<{ decide: DecideContext; decisions: Decision[]; taken: Set<string> }> {
  const sources = recordDate === null ? [] : await loadSources(trx, target.district, target.subject, target.id);
  const names = await sourceNames(trx, [...new Set(sources.map((s) => s.source))]);
  const decide = { source: source.id, asOf: source.asOf, sources, recordDate, names };
  const decisions = claims.map((c) => decideField(decide, c));
  return { decide, decisions, taken: new Set(decisions.filter((d) => d.take).map((d) => d.field)) };
}

/**
 * The end of every row: what its source said is recorded, the change (if any) audited with the
 * people it touched and the run, and the row's result answered.
 */
export async function settleRow(
  trx: Trx,
  ctx: RowContext,
  row: { target: RowTarget; created: boolean; people: string[] },
  decided: { decide: DecideContext; decisions: Decision[]; taken: Set<string> },
  claims: readonly FieldClaim[],
): Promise<RowResult> {
  const { target } = row;
  await saveSources(
    trx,
    { district: target.district, subject: target.subject, subjectId: target.id, runId: ctx.run.id },
    decided.decide,
    claims,
  );
  const fields = [...decided.taken].sort();
  if (fields.length > 0)
    await auditChange(
      trx,
      { db: ctx.db, who: runAuditContext(ctx) },
      {
        people: row.people,
        record: target.subject,
        change: row.created ? 'created' : 'updated',
        fields,
        importRun: ctx.run.id,
      },
      { type: target.subject, id: target.id, district: target.district },
    );
  return {
    outcome: row.created ? 'created' : fields.length > 0 ? 'updated' : 'unchanged',
    recordId: target.id,
    fields,
    kept: decided.decisions.filter((d) => d.kept).map((d) => d.field),
    conflicts: decided.decisions.flatMap((d) => (d.conflict ? [d.conflict] : [])),
  };
}

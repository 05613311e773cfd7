/**
 * Per-field provenance of the archive (migration 0019 `archive_source`): for each record, field and
 * source, the value the source last gave and the day it was true. The rule a departmental import
 * follows for each field it carries:
 *
 * - the same value as the record's: nothing changes (the source's own date moves forward if newer);
 * - a different value: taken only when the row's date is newer than the field's date — the newest
 *   date any source gave for it; a field never imported is dated by the record's last change, and an
 *   empty field has no date (anything fills it). Otherwise the record keeps its newer value.
 * - either way, when the record's value came from someone else (another department, or the archive
 *   itself: entered by hand), the two sources disagree: a conflict for the report, never a silent choice.
 *   An older row of the same department is simply stale: kept, not a conflict.
 */
import { sql } from 'kysely';
import { maskIdNumber, maskPhone } from '../../../common/id-number.js';
import type { Trx } from '../../db/database.js';
import type { RowConflict } from '../../imports/import.tables.js';

/** The source of values entered by hand in the archive (not a department). */
export const ARCHIVE_SOURCE = 'archive';

export type SourceSubject = 'person' | 'household' | 'venue';

export interface SourceRow {
  field: string;
  source: string;
  asOf: string;
  value: string | null;
}

/** A row's claim about one field: its value as text (lists joined with ';', in a stable order). */
export interface FieldClaim {
  field: string;
  incoming: string;
  current: string;
}

/** The claims of a row: each field it carries (a value, not undefined) against the record's current text. */
export function claimsFrom(
  incoming: Record<string, string | undefined>,
  current: Readonly<Record<string, string>>,
): FieldClaim[] {
  return Object.entries(incoming).flatMap(([field, value]) =>
    value === undefined ? [] : [{ field, incoming: value, current: current[field] ?? '' }],
  );
}

export interface Decision {
  field: string;
  /** The record's value changes to the row's. */
  take: boolean;
  /** The record keeps a newer value than the row's (a different one). */
  kept: boolean;
  conflict: RowConflict | null;
}

export interface DecideContext {
  /** The row's department (its id) and the day its data was true. */
  source: string;
  asOf: string;
  /** The record's provenance, all fields (loadSources). */
  sources: readonly SourceRow[];
  /** The day the record last changed (Beijing), dating fields never imported; null for a new record. */
  recordDate: string | null;
  /** Names of the sources for the report (department id → name). */
  names: ReadonlyMap<string, string>;
}

/** Masks what a report may not show in clear: ID numbers and phones inside a value. */
export function maskValue(value: string): string {
  return value
    .replace(/\d{17}[\dX]/g, (id) => maskIdNumber(id))
    .replace(/(?<!\d)1\d{10}(?!\d)/g, (phone) => maskPhone(phone));
}

const newest = (rows: readonly SourceRow[]) =>
  rows.reduce<SourceRow | null>((a, b) => (a === null || b.asOf > a.asOf ? b : a), null);

/** One field's fate under the rule above. Pure. */
export function decideField(ctx: DecideContext, claim: FieldClaim): Decision {
  const { field, incoming, current } = claim;
  const rows = ctx.sources.filter((s) => s.field === field);
  if (incoming === current) return { field, take: false, kept: false, conflict: null };
  // Whose value the record holds: the newest source that gave it, else the archive itself (by hand,
  // at the latest when the record last changed).
  const holder = newest(rows.filter((s) => (s.value ?? '') === current));
  const dates = [newest(rows)?.asOf, holder ? undefined : (ctx.recordDate ?? undefined)];
  const fieldDate =
    current === ''
      ? null
      : (dates
          .filter((d) => d !== undefined)
          .sort()
          .at(-1) ?? null);
  const take = fieldDate === null || ctx.asOf > fieldDate;
  const holderSource = holder?.source ?? ARCHIVE_SOURCE;
  const disagree = current !== '' && holderSource !== ctx.source;
  const conflict: RowConflict | null = disagree
    ? {
        field,
        incoming: maskValue(incoming),
        current: maskValue(current),
        currentSource: holderSource === ARCHIVE_SOURCE ? '档案 Archive' : (ctx.names.get(holderSource) ?? holderSource),
        currentAsOf: holder ? holder.asOf : ctx.recordDate,
        taken: take,
      }
    : null;
  return { field, take, kept: !take, conflict };
}

/** Every provenance row of a record (few: fields × sources). */
export async function loadSources(
  trx: Trx,
  district: string,
  subject: SourceSubject,
  subjectId: string,
): Promise<SourceRow[]> {
  const rows = await trx
    .selectFrom('archiveSource')
    .select(['field', 'source', 'asOf', 'value'])
    .where('district', '=', district)
    .where('subject', '=', subject)
    .where('subjectId', '=', subjectId)
    .execute();
  return rows;
}

/**
 * Records what the source said for each claimed field, unless the source already said something as
 * of a later day; rows that would change nothing are not written (a re-import writes nothing).
 */
export async function saveSources(
  trx: Trx,
  target: { district: string; subject: SourceSubject; subjectId: string; runId: string | null },
  ctx: Pick<DecideContext, 'source' | 'asOf' | 'sources'>,
  claims: readonly FieldClaim[],
): Promise<void> {
  const fresh = claims.filter((c) => {
    const own = ctx.sources.find((s) => s.field === c.field && s.source === ctx.source);
    return !own || (ctx.asOf >= own.asOf && (ctx.asOf !== own.asOf || (own.value ?? '') !== c.incoming));
  });
  if (fresh.length === 0) return;
  await trx
    .insertInto('archiveSource')
    .values(
      fresh.map((c) => ({
        district: target.district,
        subject: target.subject,
        subjectId: target.subjectId,
        field: c.field,
        source: ctx.source,
        asOf: ctx.asOf,
        value: c.incoming,
        importRunId: target.runId,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['district', 'subject', 'subjectId', 'field', 'source'])
        .doUpdateSet((eb) => ({
          asOf: eb.ref('excluded.asOf'),
          value: eb.ref('excluded.value'),
          importRunId: eb.ref('excluded.importRunId'),
          updatedAt: new Date(),
        }))
        .where(sql.ref('excluded.as_of'), '>=', sql.ref('archive_source.as_of')),
    )
    .execute();
}

/**
 * A change by hand in the archive dates the fields it changed: the archive becomes their newest
 * source, so an import of older data cannot silently undo it (called by the archive's update commands).
 */
export async function recordManualChange(
  trx: Trx,
  target: { district: string; subject: SourceSubject; subjectId: string },
  fields: readonly { field: string; value: string }[],
  today: string,
): Promise<void> {
  if (fields.length === 0) return;
  await trx
    .insertInto('archiveSource')
    .values(
      fields.map((f) => ({
        district: target.district,
        subject: target.subject,
        subjectId: target.subjectId,
        field: f.field,
        source: ARCHIVE_SOURCE,
        asOf: today,
        value: f.value,
        importRunId: null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['district', 'subject', 'subjectId', 'field', 'source']).doUpdateSet((eb) => ({
        asOf: eb.ref('excluded.asOf'),
        value: eb.ref('excluded.value'),
        updatedAt: new Date(),
      })),
    )
    .execute();
}

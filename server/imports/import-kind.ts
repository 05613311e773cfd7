/**
 * What a kind of import tells the engine: its fields, which of them names a record, which fields
 * must be mapped together, the codes its `code` fields accept in a district, and how one mapped
 * row is written. The engine reads files, applies mappings, runs rows and reports; the kind
 * writes. A row's writes are the kind's to keep in one transaction: a row either lands whole or
 * throws an `AppError`, which rejects it (with the error's code and first field) and nothing else.
 */
import type { ImportField } from '../../common/imports.js';
import type { Db } from '../db/database.js';
import type { GridLocator } from '../territory/placement.js';
import type { RowConflict, StoredCells } from './import.tables.js';
import type { FieldValue } from './import-values.js';

/** A row mapped to our fields: only fields with a value are present. */
export type MappedRecord = Record<string, FieldValue>;

/** For each `code` field: the codes it accepts, with their names (the mapping editor's choices). */
export type CodeChoices = Record<string, { code: string; label: { zh: string; en: string } }[]>;

export interface ImportRunInfo {
  id: string;
  district: string;
  /** Where the run's records may land. */
  scopePath: string;
  createdBy: string;
  createdByName: string;
}

export interface RowContext {
  db: Db;
  locator: GridLocator;
  run: ImportRunInfo;
  /** The row's number in the file (1 = the first data row). */
  rowNumber: number;
}

export interface RowResult {
  outcome: 'created' | 'updated' | 'unchanged';
  /** The record the row created or matched (a case, a person …). */
  recordId: string | null;
  /** Fields the row changed (the summary counts them). */
  fields?: string[] | undefined;
  /** Fields the row left alone because the record's data is newer than the row's. */
  kept?: string[] | undefined;
  /** Sources disagreeing (the conflict report). */
  conflicts?: RowConflict[] | undefined;
}

export interface ImportKind {
  kind: string;
  fields: readonly ImportField[];
  /** The field naming a record in the other system (an order number): the report shows it. */
  keyField: string;
  /** Groups of fields of which at least one group must be mapped whole (a place: an address, or lng and lat). */
  oneOf?: readonly (readonly string[])[];
  /**
   * When set, a record may appear once per file: the engine claims each row's key (the key field's
   * text through this function, e.g. an ID number normalised) and rejects a later row with the same
   * key as IMPORT_DUPLICATE_KEY, naming the first.
   */
  uniqueKey?: ((text: string) => string) | undefined;
  codes(db: Db, district: string): Promise<CodeChoices>;
  /** Writes one row (its own transaction); throws an AppError to reject it. */
  write(ctx: RowContext, record: MappedRecord, cells: StoredCells): Promise<RowResult>;
}

/**
 * Kysely's view of the import engine's tables (migration 0015), merged into `Database` by
 * server/db/schema.ts.
 */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { ImportFormat, ImportOutcome, ImportStatus } from '../../common/imports.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/*
 * JSON is stored as lists, never as objects keyed by their texts: Kysely's CamelCasePlugin rewrites
 * object keys on read, so a column named `order_no` or a value `ROAD_WORKS` would come back renamed.
 */

/** Their column for one of our fields. */
export interface StoredColumn {
  field: string;
  column: string;
}

/** Their value → our code, for one `code` field. */
export interface StoredValue {
  field: string;
  value: string;
  code: string;
}

/** A row's cells as they came: [their column, the cell]. */
export type StoredCells = [string, string | number | boolean | null][];

/** A mapping as a run keeps it: a later edit of the saved mapping does not change a run. */
export interface MappingSnapshot {
  columns: StoredColumn[];
  values: StoredValue[];
}

/** Saved mappings: per district and kind, their columns → our fields, their values → our codes. */
export interface ImportMappingTable {
  district: string;
  id: string;
  kind: string;
  name: string;
  /** The district's root path: whose scope reaches into it may use the mapping. */
  unitPath: string;
  columns: JSONColumnType<StoredColumn[], string, string>;
  valueMap: JSONColumnType<StoredValue[], string, string>;
  /** The district's default of its kind: machine pushes translate their values through it. */
  isDefault: boolean;
  createdBy: string | null;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

/** An import run: the file as uploaded, the mapping it is read with, its progress and counts. */
export interface ImportRunTable {
  district: string;
  id: string;
  kind: string;
  mappingId: string;
  mappingName: string;
  mapping: JSONColumnType<MappingSnapshot, string, string>;
  /** Where its records may land: the starter's scope in the district. */
  scopePath: string;
  status: ImportStatus;
  fileName: string;
  fileFormat: ImportFormat;
  file: Buffer;
  fileBytes: number;
  fileSha256: string;
  totalRows: number | null;
  processedRows: Generated<number>;
  createdCount: Generated<number>;
  updatedCount: Generated<number>;
  unchangedCount: Generated<number>;
  rejectedCount: Generated<number>;
  /** Rows that found sources disagreeing (a kind's conflict report). */
  conflictCount: Generated<number>;
  errorCode: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Timestamp;
}

/** One data row's outcome; a rejected row keeps its cells, the reason and the field. */
export interface ImportRowTable {
  district: string;
  runId: string;
  rowNumber: number;
  recordKey: string | null;
  outcome: ImportOutcome;
  recordId: string | null;
  errorCode: string | null;
  field: string | null;
  messageZh: string | null;
  messageEn: string | null;
  raw: JSONColumnType<StoredCells | null, string | null, string | null>;
  /** The fields the row changed (created or updated rows). */
  fields: Generated<string[]>;
  /** The fields the row did not change because the record's data is newer. */
  kept: Generated<string[]>;
  conflicts: ColumnType<RowConflict[], string | undefined, string>;
}

/**
 * Sources disagreeing on one field of a row's record: what the row said, what the record holds and
 * where that came from (a department's name, or the archive itself), and which value the record kept.
 */
export interface RowConflict {
  field: string;
  incoming: string;
  current: string;
  currentSource: string;
  currentAsOf: string | null;
  taken: boolean;
}

/** A key a kind wants once per file, claimed by the first row carrying it (migration 0019). */
export interface ImportKeyTable {
  district: string;
  runId: string;
  key: string;
  rowNumber: number;
}

export interface ImportTables {
  importMapping: ImportMappingTable;
  importRun: ImportRunTable;
  importRow: ImportRowTable;
  importKey: ImportKeyTable;
}

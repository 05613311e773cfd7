/**
 * Vocabulary of imports (导入): files of rows from another system, read through a saved mapping of
 * their columns to our fields and their values to our codes, processed in the background with a
 * report of every rejected row. Shared by the server's import engine (server/imports) and the web.
 * Nothing here knows what is imported: a kind (the hotline's work orders, an archive's people)
 * describes its fields with `ImportField`.
 */

export const IMPORT_FORMATS = ['xlsx', 'csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_OUTCOMES = ['created', 'updated', 'unchanged', 'rejected'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

/** Largest file accepted (bytes) and most data rows in one file. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;

/**
 * One of our fields a column may be mapped to:
 * - `text`: trimmed, at most `maxLength` characters;
 * - `number`: a decimal within `min`–`max`;
 * - `time`: a date-time (`2026-03-01 09:15`, `2026/3/1 9:15`, ISO 8601 with an offset, or a
 *   spreadsheet date), read as Beijing time when it names no zone;
 * - `date`: a calendar day (`2026-03-01`, `2026/3/1`, `2026年3月1日`, `20260301`, a spreadsheet
 *   date) that exists, as `YYYY-MM-DD`;
 * - `code`: one of our codes, reached through the mapping's value table for the field (their
 *   value → our code); our code itself is accepted too.
 */
export const IMPORT_FIELD_TYPES = ['text', 'number', 'time', 'date', 'code'] as const;
export type ImportFieldType = (typeof IMPORT_FIELD_TYPES)[number];

export interface ImportField {
  key: string;
  label: { zh: string; en: string };
  type: ImportFieldType;
  required: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
}

/** Their column (header text, or a JSON key path such as `caller.phone`) for each of our fields. */
export type ImportColumns = Record<string, string>;
/** For each `code` field: their value → our code. */
export type ImportValueMap = Record<string, Record<string, string>>;

/** Longest column name, value and value table accepted in a mapping. */
export const MAPPING_LIMITS = { text: 200, values: 2_000 } as const;

export const IMPORT_STATUS_LABELS: Record<ImportStatus, { zh: string; en: string }> = {
  queued: { zh: '排队中', en: 'Queued' },
  running: { zh: '导入中', en: 'Running' },
  done: { zh: '已完成', en: 'Done' },
  failed: { zh: '失败', en: 'Failed' },
};

export const IMPORT_OUTCOME_LABELS: Record<ImportOutcome, { zh: string; en: string }> = {
  created: { zh: '新建', en: 'Created' },
  updated: { zh: '更新', en: 'Updated' },
  unchanged: { zh: '无变化', en: 'Unchanged' },
  rejected: { zh: '未导入', en: 'Rejected' },
};

type Bilingual = { zh: string; en: string };

/** A saved mapping as the API shows it. */
export interface ImportMappingView {
  id: string;
  district: string;
  kind: string;
  name: string;
  isDefault: boolean;
  columns: ImportColumns;
  values: ImportValueMap;
  createdAt: string;
  updatedAt: string;
}

/** A field for the mapping editor; code fields carry our codes to choose from. */
export interface ImportFieldView {
  key: string;
  label: Bilingual;
  type: ImportField['type'];
  required: boolean;
  choices?: { code: string; label: Bilingual }[] | undefined;
}

export interface ImportFieldsView {
  district: string;
  fields: ImportFieldView[];
  oneOf: string[][];
}

/** A run: its progress (processedRows of totalRows, null until counted), counts, and why it failed. */
export interface ImportRunView {
  id: string;
  district: string;
  kind: string;
  mappingId: string;
  mappingName: string;
  status: ImportStatus;
  fileName: string;
  fileFormat: ImportFormat;
  fileBytes: number;
  totalRows: number | null;
  processedRows: number;
  counts: Record<ImportOutcome, number>;
  /** Rows that found sources disagreeing (kinds with a conflict report; 0 for the others). */
  conflicts: number;
  error: { code: string; message: Bilingual } | null;
  createdBy: { id: string; name: string };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** One row of a run's report: a rejected row with its reason and its cells as they came. */
export interface ImportRowView {
  rowNumber: number;
  recordKey: string | null;
  outcome: ImportOutcome;
  errorCode: string | null;
  field: string | null;
  message: Bilingual | null;
  cells: [string, string | number | boolean | null][];
  /** Fields the row changed, and fields it left because the record's data is newer. */
  fields: string[];
  kept: string[];
  conflicts: ImportConflictView[];
}

/** Two sources disagreeing on a field: the row's value, the record's, whose it is, and which stands. */
export interface ImportConflictView {
  field: string;
  incoming: string;
  current: string;
  currentSource: string;
  currentAsOf: string | null;
  taken: boolean;
}

/** What a run changed: its counts, how often each field changed or was kept, and rejections by code. */
export interface ImportSummaryView {
  counts: Record<ImportOutcome, number>;
  conflicts: number;
  changedFields: { field: string; rows: number }[];
  keptFields: { field: string; rows: number }[];
  rejectedByCode: { code: string; message: Bilingual; rows: number }[];
}

/** A file's header and first rows read through a mapping (nothing written). */
export interface ImportPreview {
  format: ImportFormat;
  header: string[];
  missing: string[];
  rows: {
    rowNumber: number;
    values: Record<string, string | number>;
    problems: { field: string; code: string; message: Bilingual }[];
  }[];
}

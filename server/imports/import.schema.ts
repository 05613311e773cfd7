/**
 * API shapes of imports, for any kind's routes: mappings, runs with their progress, report rows and
 * the preview of a file read through a mapping.
 */
import { z } from 'zod';
import {
  IMPORT_FIELD_TYPES,
  IMPORT_FORMATS,
  IMPORT_OUTCOMES,
  IMPORT_STATUSES,
  type ImportFieldsView,
  type ImportMappingView,
  type ImportPreview,
  type ImportRowView,
  type ImportRunView,
  type ImportSummaryView,
  MAPPING_LIMITS,
} from '../../common/imports.js';

const ZText = z.string().max(MAPPING_LIMITS.text);
const ZBilingual = z.object({ zh: z.string(), en: z.string() });
const ZCellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ZMappingRules = z.object({
  /** Our field → their column (header text, or a JSON key path such as `caller.phone`). */
  columns: z.record(z.string().max(50), ZText),
  /** For each code field: their value → our code. */
  values: z.record(z.string().max(50), z.record(ZText, z.string().max(50))).default({}),
});

export const ZSaveMappingRequest = ZMappingRules.extend({
  name: z.string().trim().min(1).max(100),
  /** The district (6-digit code); may be left out by someone whose scope lies in one district only. */
  district: z
    .string()
    .regex(/^\d{6}$/, '6 digits')
    .optional(),
  /** The district's default mapping: what machine pushes translate their values through. */
  isDefault: z.boolean().default(false),
});
export type TSaveMappingRequest = z.infer<typeof ZSaveMappingRequest>;

export const ZMappingView = z.object({
  id: z.string(),
  district: z.string(),
  kind: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  columns: z.record(z.string(), z.string()),
  values: z.record(z.string(), z.record(z.string(), z.string())),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<ImportMappingView>;

export const ZImportField = z.object({
  key: z.string(),
  label: ZBilingual,
  type: z.enum(IMPORT_FIELD_TYPES),
  required: z.boolean(),
  /** For code fields: our codes with their names (the choices of a value table). */
  choices: z.array(z.object({ code: z.string(), label: ZBilingual })).optional(),
});

export const ZFieldsView = z.object({
  district: z.string(),
  fields: z.array(ZImportField),
  /** Groups of fields of which one group must be mapped whole. */
  oneOf: z.array(z.array(z.string())),
}) satisfies z.ZodType<ImportFieldsView>;

export const ZRunView = z.object({
  id: z.string(),
  district: z.string(),
  kind: z.string(),
  mappingId: z.string(),
  mappingName: z.string(),
  status: z.enum(IMPORT_STATUSES),
  fileName: z.string(),
  fileFormat: z.enum(IMPORT_FORMATS),
  fileBytes: z.number(),
  /** Data rows in the file; null until the run has counted them. */
  totalRows: z.number().nullable(),
  processedRows: z.number(),
  counts: z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), rejected: z.number() }),
  /** Rows that found sources disagreeing (kinds with a conflict report). */
  conflicts: z.number(),
  /** Why a failed run failed: a catalogue code and its messages. */
  error: z.object({ code: z.string(), message: ZBilingual }).nullable(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
}) satisfies z.ZodType<ImportRunView>;

export const ZRowView = z.object({
  rowNumber: z.number(),
  recordKey: z.string().nullable(),
  outcome: z.enum(IMPORT_OUTCOMES),
  errorCode: z.string().nullable(),
  field: z.string().nullable(),
  message: ZBilingual.nullable(),
  /** The row's cells as they came: [column, value]. */
  cells: z.array(z.tuple([z.string(), ZCellValue])),
  /** Fields the row changed, and those it left because the record's data is newer. */
  fields: z.array(z.string()),
  kept: z.array(z.string()),
  /** Sources disagreeing: the row's value, the record's, whose it is and which stands (phones masked). */
  conflicts: z.array(
    z.object({
      field: z.string(),
      incoming: z.string(),
      current: z.string(),
      currentSource: z.string(),
      currentAsOf: z.string().nullable(),
      taken: z.boolean(),
    }),
  ),
}) satisfies z.ZodType<ImportRowView>;

export const ZReportQuery = z.strictObject({
  format: z.enum(['json', 'csv']).default('json'),
  /** Rejected rows (the default), or rows that found sources disagreeing (JSON only). */
  show: z.enum(['rejected', 'conflicts']).default('rejected'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ZReportPage = z.object({ total: z.number(), items: z.array(ZRowView) });

export const ZPreview = z.object({
  format: z.enum(IMPORT_FORMATS),
  header: z.array(z.string()),
  /** Columns the mapping reads that the file lacks. */
  missing: z.array(z.string()),
  rows: z.array(
    z.object({
      rowNumber: z.number(),
      values: z.record(z.string(), z.union([z.string(), z.number()])),
      problems: z.array(z.object({ field: z.string(), code: z.string(), message: ZBilingual })),
    }),
  ),
}) satisfies z.ZodType<ImportPreview>;

export const ZSummaryView = z.object({
  counts: z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), rejected: z.number() }),
  conflicts: z.number(),
  /** How many rows changed each field, and how many left it because the record's data is newer. */
  changedFields: z.array(z.object({ field: z.string(), rows: z.number() })),
  keptFields: z.array(z.object({ field: z.string(), rows: z.number() })),
  rejectedByCode: z.array(z.object({ code: z.string(), message: ZBilingual, rows: z.number() })),
}) satisfies z.ZodType<ImportSummaryView>;

export const ZRunCreated = z.object({ id: z.string(), status: z.enum(IMPORT_STATUSES) });

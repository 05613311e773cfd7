/**
 * Imports as the API shows them: mappings, runs (progress, counts, why a run failed) and report
 * rows (the cells as they came, the reason in both languages).
 */
import type { z } from 'zod';
import { ERRORS, type ErrorCode } from '../../common/errors.js';
import type { MappingRow, ReportRow, RunRow } from './import.repository.js';
import type { ZMappingView, ZRowView, ZRunView } from './import.schema.js';

export function presentMapping(m: MappingRow): z.infer<typeof ZMappingView> {
  return {
    id: m.id,
    district: m.district,
    kind: m.kind,
    name: m.name,
    isDefault: m.isDefault,
    columns: m.rules.columns,
    values: m.rules.values,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

const isCode = (code: string): code is ErrorCode => code in ERRORS;

export function presentRun(r: RunRow): z.infer<typeof ZRunView> {
  const error = r.errorCode && isCode(r.errorCode) ? r.errorCode : null;
  return {
    id: r.id,
    district: r.district,
    kind: r.kind,
    mappingId: r.mappingId,
    mappingName: r.mappingName,
    status: r.status,
    fileName: r.fileName,
    fileFormat: r.fileFormat,
    fileBytes: r.fileBytes,
    totalRows: r.totalRows,
    processedRows: r.processedRows,
    counts: {
      created: r.createdCount,
      updated: r.updatedCount,
      unchanged: r.unchangedCount,
      rejected: r.rejectedCount,
    },
    conflicts: r.conflictCount,
    error: error ? { code: error, message: { zh: ERRORS[error].zh, en: ERRORS[error].en } } : null,
    createdBy: { id: r.createdBy, name: r.createdByName },
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

export function presentRow(r: ReportRow): z.infer<typeof ZRowView> {
  return {
    rowNumber: r.rowNumber,
    recordKey: r.recordKey,
    outcome: r.outcome,
    errorCode: r.errorCode,
    field: r.field,
    message: r.messageZh !== null && r.messageEn !== null ? { zh: r.messageZh, en: r.messageEn } : null,
    cells: r.raw ?? [],
    fields: r.fields,
    kept: r.kept,
    conflicts: r.conflicts,
  };
}

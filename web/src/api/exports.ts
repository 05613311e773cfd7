/**
 * Exports: the case list as a file, read as it streams so the page can show progress, and the
 * monthly assessment. The server says the number of rows up front (X-Total-Count); a CSV's rows are
 * counted as they arrive (line ends outside quotes: UTF-8 never puts a quote or a line feed byte
 * inside a Chinese character), an XLSX's only by bytes (its compressed bytes say nothing of rows).
 */

import type { DepartmentRef, UnitRef } from '@common/api';
import type { CaseState } from '@common/cases';
import { api, send } from './client';

export type ExportFormat = 'csv' | 'xlsx';

export interface CaseExportRequest {
  format: ExportFormat;
  filters: { state?: CaseState[]; overdue?: boolean; q?: string };
  personalData: 'masked' | 'unmasked';
  purpose?: string;
}

export interface ExportProgress {
  /** Rows the server will send. */
  total: number;
  /** Rows received so far (CSV), or null when the format does not tell (XLSX). */
  rows: number | null;
  bytes: number;
}

export interface DownloadedFile {
  blob: Blob;
  name: string;
  total: number;
}

const LF = 0x0a;
const QUOTE = 0x22;

/** Counts record ends of a CSV stream, chunk by chunk, outside quoted fields. */
export function csvRecordCounter(): (chunk: Uint8Array) => number {
  let quoted = false;
  let records = 0;
  return (chunk) => {
    for (const byte of chunk) {
      if (byte === QUOTE) quoted = !quoted;
      else if (byte === LF && !quoted) records += 1;
    }
    return records;
  };
}

/** The file name from Content-Disposition (filename*, else filename), or a fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (encoded) return decodeURIComponent(encoded);
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}

/** POST /api/cases/export, read to the end with progress; rejects with the server's coded error. */
export async function exportCases(
  request: CaseExportRequest,
  onProgress: (progress: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<DownloadedFile> {
  const { state, overdue, q } = request.filters;
  const response = await send('POST', '/api/cases/export', {
    body: {
      format: request.format,
      filters: {
        state: state?.length ? state.join(',') : undefined,
        overdue: overdue ? 'true' : undefined,
        q: q || undefined,
      },
      personalData: request.personalData,
      purpose: request.purpose || undefined,
    },
    signal,
  });
  const total = Number(response.headers.get('x-total-count') ?? 0);
  const name = fileNameOf(response.headers.get('content-disposition'), `cases.${request.format}`);
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  const chunks: Uint8Array[] = [];
  const count = request.format === 'csv' ? csvRecordCounter() : null;
  let bytes = 0;
  onProgress({ total, rows: count ? 0 : null, bytes });
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    // The header line is the first record end.
    onProgress({ total, rows: count ? Math.max(0, count(value) - 1) : null, bytes });
  }
  return { blob: new Blob(chunks as BlobPart[], { type }), name, total };
}

/** Hands a file to the browser's downloads. */
export function saveFile(file: { blob: Blob; name: string }): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface AssessmentColumn {
  code: string;
  kind: 'count' | 'rate';
  zh: string;
  en: string;
  weight: number | null;
}

export interface AssessmentView {
  month: string;
  period: { from: string; to: string };
  unit: UnitRef;
  group: 'units' | 'departments';
  settings: { deferredLeaveDenominators: boolean };
  weights: Record<string, number>;
  columns: AssessmentColumn[];
  items: {
    rank: number | null;
    score: number | null;
    unit: UnitRef | null;
    department: DepartmentRef | null;
    values: Record<string, number | null>;
  }[];
  total: { score: number | null; values: Record<string, number | null> };
  asOf: string;
}

export interface AssessmentQuery {
  month: string;
  unitId?: string | undefined;
  group: 'units' | 'departments';
}

export const getAssessment = (query: AssessmentQuery, signal?: AbortSignal) =>
  api.get<AssessmentView>('/api/assessment', { query: { ...query }, signal });

/** The same assessment as an XLSX file (a plain link: the session cookie goes with it). */
export function assessmentXlsxUrl(query: AssessmentQuery): string {
  const params = new URLSearchParams({ month: query.month, group: query.group });
  if (query.unitId) params.set('unitId', query.unitId);
  return `/api/assessment/xlsx?${params.toString()}`;
}

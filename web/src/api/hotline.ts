/**
 * 12345 work orders (server/hotline): the fields and codes for the mapping editor, mappings, imports
 * (preview, start, progress, report) and the links of the status export and the report's CSV (plain
 * links: the session cookie goes with them). Shapes come from common/imports.ts, which the server's
 * zod schemas are typed against.
 */
import type { HotlineExportFormat } from '@common/hotline';
import type {
  ImportColumns,
  ImportFieldsView,
  ImportMappingView,
  ImportPreview,
  ImportRowView,
  ImportRunView,
  ImportValueMap,
} from '@common/imports';
import { api } from './client';

export function hotlineFields(signal?: AbortSignal): Promise<ImportFieldsView> {
  return api.get('/api/hotline/fields', { signal });
}

export function listMappings(signal?: AbortSignal): Promise<{ items: ImportMappingView[] }> {
  return api.get('/api/hotline/mappings', { signal });
}

export interface MappingInput {
  name: string;
  isDefault: boolean;
  columns: ImportColumns;
  values: ImportValueMap;
}

export function createMapping(body: MappingInput): Promise<ImportMappingView> {
  return api.post('/api/hotline/mappings', body);
}

export function updateMapping(id: string, body: MappingInput): Promise<ImportMappingView> {
  return api.put(`/api/hotline/mappings/${encodeURIComponent(id)}`, body);
}

export function deleteMapping(id: string): Promise<void> {
  return api.delete(`/api/hotline/mappings/${encodeURIComponent(id)}`);
}

const form = (file: File, mappingId: string) => {
  const body = new FormData();
  body.append('mappingId', mappingId);
  body.append('file', file, file.name);
  return body;
};

/** The file's header and first rows read through the mapping; nothing is written. */
export function previewImport(file: File, mappingId: string): Promise<ImportPreview> {
  return api.post('/api/hotline/imports/preview', form(file, mappingId));
}

/** Starts an import in the background; answers its run's id. */
export function startImport(file: File, mappingId: string): Promise<{ id: string }> {
  return api.post('/api/hotline/imports', form(file, mappingId));
}

export function listRuns(signal?: AbortSignal): Promise<{ items: ImportRunView[] }> {
  return api.get('/api/hotline/imports', { signal });
}

export function getRun(id: string, signal?: AbortSignal): Promise<ImportRunView> {
  return api.get(`/api/hotline/imports/${encodeURIComponent(id)}`, { signal });
}

export function getReport(
  id: string,
  page: { offset: number; limit: number },
  signal?: AbortSignal,
): Promise<{ total: number; items: ImportRowView[] }> {
  return api.get(`/api/hotline/imports/${encodeURIComponent(id)}/report`, { query: { ...page }, signal });
}

export const reportCsvUrl = (id: string) => `/api/hotline/imports/${encodeURIComponent(id)}/report?format=csv`;

/** The status export as a download (CSV, XLSX) or a JSON document. */
export function statusUrl(query: { since: string; until?: string | undefined; format: HotlineExportFormat }): string {
  const params = new URLSearchParams({ since: query.since, format: query.format });
  if (query.until) params.set('until', query.until);
  return `/api/hotline/orders/status?${params.toString()}`;
}

/**
 * Any kind of import on the engine's routes (server/imports/import.routes.ts), by the prefix its
 * module mounts them at (`/api/hotline`, `/api/archive/import/people` …): the fields and codes for
 * the mapping editor, mappings, imports (preview, start, progress, summary, report) and the report's
 * CSV link (a plain link: the session cookie goes with it). Shapes come from common/imports.ts, which
 * the server's zod schemas are typed against.
 */
import type {
  ImportColumns,
  ImportFieldsView,
  ImportMappingView,
  ImportPreview,
  ImportRowView,
  ImportRunView,
  ImportSummaryView,
  ImportValueMap,
} from '@common/imports';
import { api } from './client';

export interface MappingInput {
  name: string;
  isDefault: boolean;
  columns: ImportColumns;
  values: ImportValueMap;
}

const form = (file: File, mappingId: string) => {
  const body = new FormData();
  body.append('mappingId', mappingId);
  body.append('file', file, file.name);
  return body;
};

/** The calls of one kind of import. */
export function importApi(prefix: string) {
  const run = (id: string) => `${prefix}/imports/${encodeURIComponent(id)}`;
  const mapping = (id: string) => `${prefix}/mappings/${encodeURIComponent(id)}`;
  return {
    fields: (signal?: AbortSignal): Promise<ImportFieldsView> => api.get(`${prefix}/fields`, { signal }),
    listMappings: (signal?: AbortSignal): Promise<{ items: ImportMappingView[] }> =>
      api.get(`${prefix}/mappings`, { signal }),
    createMapping: (body: MappingInput): Promise<ImportMappingView> => api.post(`${prefix}/mappings`, body),
    updateMapping: (id: string, body: MappingInput): Promise<ImportMappingView> => api.put(mapping(id), body),
    deleteMapping: (id: string): Promise<void> => api.delete(mapping(id)),
    /** The file's header and first rows read through the mapping; nothing is written. */
    preview: (file: File, mappingId: string): Promise<ImportPreview> =>
      api.post(`${prefix}/imports/preview`, form(file, mappingId)),
    /** Starts an import in the background; answers its run's id. */
    start: (file: File, mappingId: string): Promise<{ id: string }> =>
      api.post(`${prefix}/imports`, form(file, mappingId)),
    listRuns: (signal?: AbortSignal): Promise<{ items: ImportRunView[] }> => api.get(`${prefix}/imports`, { signal }),
    getRun: (id: string, signal?: AbortSignal): Promise<ImportRunView> => api.get(run(id), { signal }),
    getSummary: (id: string, signal?: AbortSignal): Promise<ImportSummaryView> =>
      api.get(`${run(id)}/summary`, { signal }),
    /** A page of the rejected rows, or of the rows whose sources disagree. */
    getReport: (
      id: string,
      page: { offset: number; limit: number; show?: 'rejected' | 'conflicts' },
      signal?: AbortSignal,
    ): Promise<{ total: number; items: ImportRowView[] }> =>
      api.get(`${run(id)}/report`, { query: { ...page }, signal }),
    reportCsvUrl: (id: string) => `${run(id)}/report?format=csv`,
  };
}

export type ImportApi = ReturnType<typeof importApi>;

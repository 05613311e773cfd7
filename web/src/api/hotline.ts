/**
 * 12345 work orders (server/hotline): the import engine's calls at /api/hotline (api/imports.ts) and
 * the link of the status export (a plain link: the session cookie goes with it).
 */
import type { HotlineExportFormat } from '@common/hotline';
import { importApi } from './imports';

export const hotlineImports = importApi('/api/hotline');

/** The status export as a download (CSV, XLSX) or a JSON document. */
export function statusUrl(query: { since: string; until?: string | undefined; format: HotlineExportFormat }): string {
  const params = new URLSearchParams({ since: query.since, format: query.format });
  if (query.until) params.set('until', query.until);
  return `/api/hotline/orders/status?${params.toString()}`;
}

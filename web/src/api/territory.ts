/** Territory endpoints (辖区): units in the signed-in person's scope, their detail and boundaries. */
import type { ListResponse, UnitDetailView, UnitFeatureCollection, UnitView } from '@common/api';
import type { UnitLevel } from '@common/territory';
import { api } from './client';

/** Most children a tree node asks for at once (the server's maximum). */
export const CHILDREN_LIMIT = 1000;

/** The roots of my scope (one per granted unit subtree). */
export function listScopeRoots(signal?: AbortSignal): Promise<ListResponse<UnitView>> {
  return api.get('/api/units', { signal });
}

export function listChildren(parentId: string, signal?: AbortSignal): Promise<ListResponse<UnitView>> {
  return api.get('/api/units', { query: { parentId, limit: CHILDREN_LIMIT }, signal });
}

/** Units in scope whose name or code starts with / contains the text. */
export function searchUnits(q: string, signal?: AbortSignal): Promise<ListResponse<UnitView>> {
  return api.get('/api/units', { query: { q, limit: 20 }, signal });
}

export function getUnit(id: string, signal?: AbortSignal): Promise<UnitDetailView> {
  return api.get(`/api/units/${encodeURIComponent(id)}`, { signal });
}

/** Boundaries of the units of one level below a unit. */
export function getUnitFeatures(id: string, level: UnitLevel, signal?: AbortSignal): Promise<UnitFeatureCollection> {
  return api.get(`/api/units/${encodeURIComponent(id)}/geojson`, { query: { level }, signal });
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The type the import route reads a file as, by its name (browsers often give .geojson no type). */
export function importType(file: File): string | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX;
  if (name.endsWith('.geojson') || name.endsWith('.json')) return 'application/geo+json';
  return null;
}

/** Imports units from a GeoJSON or XLSX file, all or nothing; `update` changes units whose code exists. */
export function importUnits(file: File, update: boolean): Promise<{ created: number; updated: number }> {
  const type = importType(file) ?? file.type;
  return api.post('/api/units/import', new Blob([file], { type }), { query: { update: update || undefined } });
}

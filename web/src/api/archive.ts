/**
 * The resident archive (民情档案, server/archive) and household visits (走访, server/visits): search,
 * a person's page and the unmask-with-purpose action, a household's file with its attachments, matter
 * records, the visit list by due, recording a visit and acting on its needs, coverage, the monthly
 * community analysis, the people export. Answers are masked by the server; clear values come only
 * from `unmaskPerson` (or an export asked to unmask). Shapes from common/archive.ts, common/visits.ts
 * and common/monthly-analysis.ts, which the server's zod schemas are typed against.
 */

import type { ListResponse, UnitView } from '@common/api';
import type {
  AccessHistoryEntry,
  HouseholdView,
  Occupancy,
  PersonStatus,
  PersonSummary,
  PersonView,
  Residency,
  UnmaskedPerson,
  UnmaskPurpose,
} from '@common/archive';
import type { Urgency } from '@common/cases';
import type { MonthlyAnalysis } from '@common/monthly-analysis';
import type { CoverageView, DueItemView, NeedKind, NeedView, VisitView } from '@common/visits';
import { api, send } from './client';
import { type DownloadedFile, type ExportFormat, fileNameOf } from './exports';

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PeopleQuery {
  /** Name in Chinese (any part) or pinyin initials / full pinyin (from the start). */
  q?: string;
  /** Exact ID number (the server validates it: 422 when invalid). */
  idNumber?: string;
  address?: string;
  tag?: string;
  status?: PersonStatus;
  residency?: Residency;
  page?: number;
  pageSize?: number;
}

const at = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;

export function searchPeople(query: PeopleQuery, signal?: AbortSignal): Promise<Paged<PersonSummary>> {
  return api.get('/api/archive/people', { query: { ...query }, signal });
}

export function getPerson(id: string, signal?: AbortSignal): Promise<PersonView> {
  return api.get(at('/api/archive/people', id), { signal });
}

/** The clear ID number and phones, for a stated purpose; audited by the server before it answers. */
export function unmaskPerson(id: string, purpose: UnmaskPurpose, purposeText: string): Promise<UnmaskedPerson> {
  return api.post(`${at('/api/archive/people', id)}/unmask`, { purpose, purposeText });
}

export function getAccessHistory(id: string, page: number, signal?: AbortSignal): Promise<Paged<AccessHistoryEntry>> {
  return api.get(`${at('/api/archive/people', id)}/access-history`, { query: { page, pageSize: 20 }, signal });
}

export interface TagTypeView {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  appliesTo: 'person' | 'household' | 'both';
  graded: boolean;
  builtIn: boolean;
  disabled: boolean;
}

export function listTagTypes(signal?: AbortSignal): Promise<{ items: TagTypeView[] }> {
  return api.get('/api/archive/tag-types', { signal });
}

export interface MatterFieldView {
  key: string;
  labelZh: string;
  labelEn: string;
  type: 'text' | 'number' | 'date' | 'boolean' | 'choice';
  required: boolean;
  options?: string[];
}

export interface MatterFormView {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  fields: MatterFieldView[];
  disabled: boolean;
}

export interface MatterRecordView {
  id: string;
  form: { id: string; code: string; nameZh: string; nameEn: string };
  formVersion: number;
  answers: Record<string, string | number | boolean | null>;
  createdAt: string;
}

export function listMatterForms(signal?: AbortSignal): Promise<{ items: MatterFormView[] }> {
  return api.get('/api/archive/matter-forms', { signal });
}

export function listMatterRecords(
  kind: 'person' | 'household',
  id: string,
  signal?: AbortSignal,
): Promise<{ items: MatterRecordView[] }> {
  const base = kind === 'person' ? '/api/archive/people' : '/api/archive/households';
  return api.get(`${at(base, id)}/matter-records`, { signal });
}

export function getHousehold(id: string, signal?: AbortSignal): Promise<HouseholdView> {
  return api.get(at('/api/archive/households', id), { signal });
}

export interface HouseholdSummary {
  id: string;
  number: string | null;
  address: string;
  unit: { id: string; code: string; name: string };
  head: { id: string; name: string } | null;
  memberCount: number;
}

export function searchHouseholds(
  query: { address?: string; tag?: string; page?: number; pageSize?: number },
  signal?: AbortSignal,
): Promise<Paged<HouseholdSummary>> {
  return api.get('/api/archive/households', { query: { ...query }, signal });
}

/** Adds an image the signed-in person uploaded (POST /api/media) to the household's file. */
export function attachToHousehold(id: string, key: string, title: string): Promise<HouseholdView> {
  return api.post(`${at('/api/archive/households', id)}/attachments`, { key, title });
}

/** Where an attachment's image is read (the session cookie goes with the request; each read is audited). */
export function attachmentUrl(householdId: string, attachmentId: string, variant: 'thumb' | 'public'): string {
  return `${at('/api/archive/households', householdId)}/attachments/${encodeURIComponent(attachmentId)}/${variant}`;
}

export interface DwellingView {
  id: string;
  entrance: string;
  room: string;
  floor: number | null;
  areaM2: number | null;
  owner: { personId: string | null; name: string | null; phone: string | null };
  tenant: { personId: string | null; name: string | null; phone: string | null };
  occupancy: Occupancy;
  groupRental: boolean;
}

export interface BuildingView {
  id: string;
  name: string;
  address: string;
  floors: number | null;
  entrances: number | null;
  dwellings: DwellingView[];
}

export function getBuilding(id: string, signal?: AbortSignal): Promise<BuildingView> {
  return api.get(at('/api/archive/buildings', id), { signal });
}

// ---- Visits (走访) ----

export interface DuePage {
  day: string;
  coveredSince: string;
  total: number;
  items: DueItemView[];
}

export function listDue(
  query: { overdue?: boolean; limit?: number; offset?: number },
  signal?: AbortSignal,
): Promise<DuePage> {
  return api.get('/api/visits/due', {
    query: { overdue: query.overdue ? 'true' : undefined, limit: query.limit, offset: query.offset },
    signal,
  });
}

export function listHouseholdVisits(householdId: string, signal?: AbortSignal): Promise<{ items: VisitView[] }> {
  return api.get('/api/visits', { query: { householdId, limit: 50 }, signal });
}

export interface VisitInput {
  householdId: string;
  night: boolean;
  findings: string;
  needs: { kind: NeedKind; description: string }[];
  photos: string[];
}

export function recordVisit(body: VisitInput): Promise<VisitView> {
  return api.post('/api/visits', body);
}

/** A need becomes a case (channel survey) through the workflow's report command. */
export function referNeed(
  visitId: string,
  needId: string,
  body: { categoryCode: string; urgency?: Urgency },
): Promise<{ need: NeedView; case: { id: string; number: string } }> {
  return api.post(`${at('/api/visits', visitId)}/needs/${encodeURIComponent(needId)}/case`, body);
}

export function resolveNeed(visitId: string, needId: string, resolution: string): Promise<NeedView> {
  return api.post(`${at('/api/visits', visitId)}/needs/${encodeURIComponent(needId)}/resolve`, { resolution });
}

export function getCoverage(unitId: string | null, signal?: AbortSignal): Promise<CoverageView> {
  return api.get('/api/visits/coverage', { query: { unitId: unitId ?? undefined }, signal });
}

// ---- The monthly community analysis (社区月度分析) ----

/** Residents' committees in my scope whose name or code has the text (all of them, up to 50, without). */
export function listCommittees(q: string, signal?: AbortSignal): Promise<ListResponse<UnitView>> {
  return api.get('/api/units', {
    query: { level: 'community', q: q.trim().slice(0, 50) || undefined, limit: 50 },
    signal,
  });
}

export function getMonthlyAnalysis(unitId: string, month: string, signal?: AbortSignal): Promise<MonthlyAnalysis> {
  return api.get('/api/analysis/monthly', { query: { unitId, month }, signal });
}

// ---- Exporting people (导出人员名单) ----

/** A search's filters as the export takes them: the search's query without paging. */
export type PeopleFilters = Omit<PeopleQuery, 'page' | 'pageSize'>;

export interface PeopleExportRequest {
  format: ExportFormat;
  purpose: UnmaskPurpose;
  purposeText: string;
  /** ID numbers and phones in clear, for the rows in the scope of a role that may unmask. */
  unmask: boolean;
  filters: PeopleFilters;
}

export interface PeopleExportFile extends DownloadedFile {
  /** Rows whose ID number and phones went out in clear (X-Unmasked-Count). */
  unmasked: number;
}

/** POST /api/archive/people/export: the whole file (at most EXPORT_ROWS_MAX rows); rejects with the coded error. */
export async function exportPeople(request: PeopleExportRequest, signal?: AbortSignal): Promise<PeopleExportFile> {
  const response = await send('POST', '/api/archive/people/export', { body: request, signal });
  const blob = await response.blob();
  return {
    blob,
    name: fileNameOf(response.headers.get('content-disposition'), `people.${request.format}`),
    total: Number(response.headers.get('x-total-count') ?? 0),
    unmasked: Number(response.headers.get('x-unmasked-count') ?? 0),
  };
}

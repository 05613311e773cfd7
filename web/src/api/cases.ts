/**
 * The closed loop for staff: the workflow table, reporting, lists, the inbox (待办), one case with its
 * timeline, taking a step, and what the case page shows around it (duplicates, summonses, photos,
 * the category catalogue). Shapes follow server/cases/case.schema.ts.
 */
import type { ListResponse } from '@common/api';
import type { CaseState, Channel, CloseReason, RejectReason, Satisfaction, Stage, Urgency } from '@common/cases';
import type { PhotoRole } from '@common/media';
import type { Bilingual } from '@common/public-api';
import type { CaseAction } from '@common/workflow';
import { ApiError, api } from './client';

export type Light = 'none' | 'green' | 'yellow' | 'red' | 'paused';
export type LimitUnit = 'natural_minutes' | 'natural_hours' | 'working_hours' | 'working_days';
export const LIMIT_UNITS: readonly LimitUnit[] = ['working_days', 'working_hours', 'natural_hours', 'natural_minutes'];

export interface CaseClock {
  stage: Stage | null;
  startedAt: string | null;
  dueAt: string | null;
  light: Light;
  elapsed?: { minutes: number; basis: 'working' | 'natural' } | null;
  remaining?: { overdue: boolean; minutes: number; basis: 'working' | 'natural'; text: Bilingual } | null;
}

export interface CaseView {
  id: string;
  number: string;
  trackingCode: string | null;
  state: CaseState;
  channel: Channel;
  category: { code: string; name: Bilingual };
  urgency: Urgency;
  title: string;
  description: string;
  address: string | null;
  location: { lng: number; lat: number } | null;
  unitId: string;
  outsideGrid: boolean;
  /** Masked by the server unless the actor's role needs the whole. */
  reporter: { kind: string; name: string | null; phone: string | null };
  departmentId: string | null;
  coDepartmentIds: string[];
  level: string;
  clock: CaseClock;
  pendingRequest: { kind: 'extension' | 'deferral'; reason: string } | null;
  closeReason: CloseReason | null;
  solvedLevel: string | null;
  satisfaction: Satisfaction | null;
  counters: Record<string, number>;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Exactly the steps the signed-in person may take now (the page shows these buttons, no others). */
  abilities: CaseAction[];
}

export interface CasePhotoView {
  key: string;
  role: PhotoRole;
  width: number;
  height: number;
  thumbUrl: string;
  publicUrl: string;
  originalUrl: string;
  gps: { lng: number; lat: number } | null;
}

export interface CaseEventView {
  seq: number;
  action: CaseAction;
  fromState: CaseState | null;
  toState: CaseState;
  actor: { name: string | null; relation: string | null };
  reason: string | null;
  data: Record<string, unknown>;
  at: string;
  photos?: CasePhotoView[];
}

export interface CaseDetail extends CaseView {
  events: CaseEventView[];
  suggestedDepartmentId: string | null;
  /** While it waits to be registered: the categories its words suggest, most likely first. */
  suggestedCategories: CategorySuggestion[];
  /** Machine alarms that opened or joined it (物联感知), or null. */
  alarms: { count: number; devices: number; lastAt: string } | null;
  /** Its other reporters: residents who follow it, reporters of duplicates merged into it (masked). */
  followers: {
    via: 'follow' | 'merge';
    mergedCaseNumber: string | null;
    name: string | null;
    phone: string | null;
    resident: boolean;
    since: string;
  }[];
}

export const INBOX_SECTIONS = [
  'toRegister',
  'toDispatch',
  'toAcknowledge',
  'toHandle',
  'toVerify',
  'toApprove',
  'deferred',
  'overdue',
] as const;
export type InboxSection = (typeof INBOX_SECTIONS)[number];

export interface InboxView {
  sections: Record<InboxSection, { total: number; items: CaseView[] }>;
}

export interface StaffReportRequest {
  channel: 'patrol' | 'hotline' | 'survey' | 'board';
  categoryCode: string;
  urgency: Urgency;
  title?: string;
  description: string;
  address?: string;
  lng?: number;
  lat?: number;
  photos?: string[];
  caller?: { name?: string; phone?: string };
}

export interface ReportResponse {
  id: string;
  number: string;
  trackingCode: string;
  created: boolean;
}

export interface StepPhoto {
  key: string;
  role: 'before' | 'after' | 'evidence';
}

export interface TransitionRequest {
  action: Exclude<CaseAction, 'report'>;
  version: number;
  reason?: string;
  rejectReason?: RejectReason;
  departmentId?: string;
  closeReason?: CloseReason;
  mergedIntoId?: string;
  satisfaction?: Satisfaction;
  solved?: boolean;
  amount?: { amount: number; unit: LimitUnit };
  photos?: StepPhoto[];
  /** A corrected category at registration (改类). */
  categoryCode?: string;
}

export interface CaseListQuery {
  state?: CaseState[];
  overdue?: boolean;
  limit?: number;
  /** ISO time: cases reported before it (the next page starts at the last one shown). */
  before?: string;
  /** One case by its readable number. */
  number?: string;
  /** Words in the title, description or address, or the start of a number. */
  q?: string;
  /** Only cases placed in this unit's subtree. */
  unitId?: string;
  /** ISO time: cases reported at or after it. */
  since?: string;
}

export interface DuplicateCandidate {
  id: string;
  number: string;
  title: string;
  state: CaseState;
  category: { code: string; name: Bilingual };
  relation?: 'same_category' | 'related_category';
  distanceM: number;
  createdAt: string;
  similarity?: number;
  score?: number;
  followers?: number;
}

export interface CaseSummons {
  id: string;
  subject: string;
  place: string;
  state: string;
  light: string;
  replyDueAt: string;
  remaining: { overdue: boolean; text: Bilingual } | null;
  departments: { department?: { id: string; name: string }; name?: string; reply?: string | null }[];
}

/** A minor category (小类) staff may report under. */
export interface CategoryOption {
  code: string;
  major: string;
  kind: 'component' | 'event';
  name: Bilingual;
  keywords: string[];
}

export interface CategoryCatalogue {
  majors: { code: string; kind: 'component' | 'event'; name: Bilingual }[];
  items: CategoryOption[];
}

export const getCase = (id: string, signal?: AbortSignal) =>
  api.get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, { signal });

export const listCases = (query: CaseListQuery, signal?: AbortSignal) =>
  api.get<ListResponse<CaseView>>('/api/cases', {
    query: {
      state: query.state?.length ? query.state.join(',') : undefined,
      overdue: query.overdue ? 'true' : undefined,
      limit: query.limit,
      before: query.before,
      number: query.number,
      q: query.q,
      unitId: query.unitId,
      since: query.since,
    },
    signal,
  });

/** The inbox; `paged` turns the pages of one section (the others answer with their first page). */
export const getInbox = (paged: { section: InboxSection; page: number } | null, signal?: AbortSignal) =>
  api.get<InboxView>('/api/inbox', {
    query: paged && paged.page > 1 ? { section: paged.section, page: paged.page } : {},
    signal,
  });

/** How many cases one page of an inbox section holds (the server's page size). */
export const INBOX_PAGE_SIZE = 50;

/** Reports a case; the same `idempotencyKey` again answers the first report's case (api/idempotency.ts). */
export const reportCase = (body: StaffReportRequest, idempotencyKey?: string) =>
  api.post<ReportResponse>(
    '/api/cases',
    body,
    idempotencyKey ? { headers: { 'Idempotency-Key': idempotencyKey } } : {},
  );

export const takeStep = (id: string, body: TransitionRequest) =>
  api.post<CaseDetail>(`/api/cases/${encodeURIComponent(id)}/transitions`, body);

/** A side panel's route may not exist on this server (404): the panel is then empty, the page still works. */
async function optional<T>(load: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return fallback;
    throw error;
  }
}

/** Open cases that may report the same problem (for merging), most likely first. */
export const getDuplicates = (id: string, signal?: AbortSignal) =>
  optional(
    () =>
      api.get<{ located: boolean; items: DuplicateCandidate[] }>(`/api/cases/${encodeURIComponent(id)}/duplicates`, {
        signal,
      }),
    { located: false, items: [] },
  );

/** Summonses (约请) about the case. */
export const getCaseSummons = (id: string, signal?: AbortSignal) =>
  optional(() => api.get<ListResponse<CaseSummons>>(`/api/cases/${encodeURIComponent(id)}/summons`, { signal }), {
    items: [],
  });

type RawCategory = {
  code?: unknown;
  major?: unknown;
  majorCode?: unknown;
  kind?: unknown;
  name?: unknown;
  nameZh?: unknown;
  nameEn?: unknown;
  keywords?: unknown;
  disabled?: unknown;
  isMajor?: unknown;
};

function named(raw: RawCategory): Bilingual | null {
  if (raw.name && typeof raw.name === 'object') {
    const { zh, en } = raw.name as { zh?: unknown; en?: unknown };
    if (typeof zh === 'string') return { zh, en: typeof en === 'string' ? en : zh };
  }
  if (typeof raw.nameZh === 'string') return { zh: raw.nameZh, en: typeof raw.nameEn === 'string' ? raw.nameEn : '' };
  return null;
}

/** Reads either catalogue answer (staff or public, flat or with majors) into majors and minors. */
function normaliseCatalogue(answer: unknown): CategoryCatalogue {
  const rows: RawCategory[] = Array.isArray(answer)
    ? answer
    : [
        ...(((answer as { majors?: RawCategory[] })?.majors ?? []) as RawCategory[]),
        ...(((answer as { items?: RawCategory[] })?.items ?? []) as RawCategory[]),
      ];
  const majors = new Map<string, CategoryCatalogue['majors'][number]>();
  const disabledMajors = new Set<string>();
  const items: CategoryOption[] = [];
  for (const raw of rows) {
    const name = named(raw);
    if (!name) continue;
    const kind = raw.kind === 'component' ? 'component' : 'event';
    const code = typeof raw.code === 'string' ? raw.code : '';
    const major =
      typeof raw.major === 'string' ? raw.major : typeof raw.majorCode === 'string' ? raw.majorCode : code.slice(0, 2);
    const isMajor = raw.isMajor === true || code.length === 2 || (code.length === 4 && code.endsWith('00'));
    if (raw.disabled === true) {
      if (isMajor) disabledMajors.add(major);
    } else if (isMajor) {
      majors.set(major, { code: major, kind, name });
    } else if (/^\d{4}$/.test(code)) {
      items.push({ code, major, kind, name, keywords: Array.isArray(raw.keywords) ? raw.keywords.map(String) : [] });
    }
  }
  // A disabled major takes its minors with it (as the public catalogue does).
  const enabled = items.filter((item) => !disabledMajors.has(item.major));
  enabled.sort((a, b) => a.code.localeCompare(b.code));
  return { majors: [...majors.values()].sort((a, b) => a.code.localeCompare(b.code)), items: enabled };
}

/**
 * The category catalogue: the staff route when it exists, else the public one (same categories,
 * enabled only). Either way, majors and minors.
 */
export async function getCategories(signal?: AbortSignal): Promise<CategoryCatalogue> {
  try {
    const staff = normaliseCatalogue(await api.get<unknown>('/api/categories', { signal }));
    if (staff.items.length) return staff;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500 || error.status === 0) throw error;
  }
  return normaliseCatalogue(await api.get<unknown>('/api/public/categories', { signal }));
}

/** Case numbers as people read them: district-yyyymmdd-serial. */
export const CASE_NUMBER = /^(\d{6})-(\d{4})(\d{2})(\d{2})-(\d{5})$/;

/** Finds a case in my scope by its number (null when there is none, or it is not mine to see). */
export async function findCaseByNumber(number: string, signal?: AbortSignal): Promise<CaseView | null> {
  if (!CASE_NUMBER.test(number.trim())) return null;
  const answer = await listCases({ number: number.trim(), limit: 1 }, signal);
  return answer.items[0] ?? null;
}

export type LightCounts = Record<Light, number>;

export interface BoardView {
  total: LightCounts;
  byStage: { stage: 'register' | 'dispatch' | 'handle' | 'verify' | null; lights: LightCounts }[];
  byDepartment: { departmentId: string | null; name: string | null; lights: LightCounts }[];
}

export const getBoard = (signal?: AbortSignal) => api.get<BoardView>('/api/cases/board', { signal });

export interface CasePointCollection {
  type: 'FeatureCollection';
  truncated: boolean;
  features: {
    type: 'Feature';
    geometry: { type: 'Point'; coordinates: [number, number] };
    properties: { id: string; number: string; state: CaseState; light: Light; category: string };
  }[];
}

export const getCasePoints = (
  query: { lights?: Light[]; states?: CaseState[]; since?: string; until?: string },
  signal?: AbortSignal,
) =>
  api.get<CasePointCollection>('/api/cases/map', {
    query: {
      light: query.lights?.length ? query.lights.join(',') : undefined,
      state: query.states?.length ? query.states.join(',') : undefined,
      since: query.since,
      until: query.until,
    },
    signal,
  });

/** One step of the wall display's feed: nothing personal (server/cases/case-feed.ts). */
export interface FeedStep {
  caseId: string;
  number: string;
  seq: number;
  action: CaseAction;
  toState: CaseState;
  category: { code: string; name: Bilingual };
  unitName: string | null;
  light: Light;
  at: string;
}

/** The latest steps of cases in my scope, newest first (GET /api/cases/feed). */
export const getCaseFeed = (limit: number, signal?: AbortSignal) =>
  api.get<ListResponse<FeedStep>>('/api/cases/feed', { query: { limit }, signal });

/** A category the words of a report suggest (类别建议); confidence 0–1. */
export interface CategorySuggestion {
  code: string;
  name: { zh: string; en: string };
  confidence: number;
}

/** Likely categories of a description: the staff route, or the public one for the residents' form. */
export const suggestCategories = (text: string, options: { public?: boolean; signal?: AbortSignal } = {}) =>
  api.get<{ items: CategorySuggestion[] }>(
    options.public ? '/api/public/category-suggestions' : '/api/cases/category-suggestions',
    { query: { text: text.slice(0, 600) }, signal: options.signal, allowSignedOut: options.public },
  );

/** For the queue of cases waiting to be registered: suggested categories and likely duplicates. */
export interface IntakeHint {
  id: string;
  categories: CategorySuggestion[];
  duplicates: { id: string; number: string; score: number }[];
}

export const getIntakeHints = (ids: string[], signal?: AbortSignal) =>
  api.get<{ items: IntakeHint[] }>('/api/cases/intake-hints', { query: { ids: ids.join(',') }, signal });

/**
 * The resident's side of the API: no staff sign-in. Reporting, duplicates nearby, following a case,
 * the public view by tracking code, callback and dispute, photo upload, the catalogue and the grid
 * map, and the optional resident sign-in by mobile number.
 */
import type { CaseState, CloseReason, Satisfaction } from '@common/cases';
import type { Answers } from '@common/catalogue';
import type { PublicCatalogue, PublicGridCollection } from '@common/public-api';
import type { CaseAction } from '@common/workflow';
import { currentLocale } from '@/i18n';
import { ApiError, api, HTTP_ERROR, NETWORK_ERROR } from './client';

export type { PublicCatalogue, PublicCategory, PublicGridCollection, PublicMajorCategory } from '@common/public-api';

/** Tracking codes: 10 characters of Crockford base32. */
export const TRACKING_CODE = /^[0-9A-Z]{10}$/;

/** What people type: lower case, spaces, dashes, and Crockford's look-alikes (O → 0, I/L → 1). */
export function normaliseTrackingCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export interface PublicPhoto {
  key: string;
  thumbUrl?: string | null;
  url?: string | null;
}

export interface PublicCaseEvent {
  action: CaseAction;
  toState: CaseState;
  at: string;
  reason: string | null;
}

/** The case as its tracking-code holder sees it: public fields and public events only. */
export interface PublicCaseView {
  number: string;
  state: CaseState;
  category: { code: string; name: { zh: string; en: string } };
  title: string;
  createdAt: string;
  closeReason: CloseReason | null;
  satisfaction: Satisfaction | null;
  abilities: ('callback' | 'reopen')[];
  version: number;
  events: PublicCaseEvent[];
  photos?: PublicPhoto[];
}

export interface PublicContact {
  name?: string;
  phone?: string;
}

export interface PublicReportRequest {
  categoryCode: string;
  description: string;
  address?: string;
  lng?: number;
  lat?: number;
  contact?: PublicContact;
  photos?: string[];
  /** Answers to the category's extra questions by code. */
  answers?: Answers;
}

export interface ReportResponse {
  id: string;
  number: string;
  trackingCode: string;
}

export interface DuplicateCandidate {
  number: string;
  title: string;
  state: CaseState;
  distanceM: number;
  createdAt?: string;
  category?: { code: string; name: { zh: string; en: string } };
}

export interface UploadedPhoto {
  key: string;
  width: number;
  height: number;
  thumbUrl: string;
}

export interface ResidentSessionView {
  resident: { id: string; displayName: string; phone: string };
  csrfToken: string;
  expiresAt: string;
}

export const getCatalogue = (signal?: AbortSignal) => api.get<PublicCatalogue>('/api/public/categories', { signal });

export const getGrids = (signal?: AbortSignal) => api.get<PublicGridCollection>('/api/public/grids', { signal });

/** Reports a problem; the same `idempotencyKey` again answers the first report's case (api/idempotency.ts). */
export const reportCase = (body: PublicReportRequest, idempotencyKey?: string) =>
  api.post<ReportResponse>(
    '/api/public/cases',
    body,
    idempotencyKey ? { headers: { 'Idempotency-Key': idempotencyKey } } : {},
  );

/** Open cases of the same kind near the point, most likely first. */
export async function findDuplicates(
  body: { categoryCode: string; lng: number; lat: number; text: string },
  signal?: AbortSignal,
): Promise<DuplicateCandidate[]> {
  const answer = await api.post<
    DuplicateCandidate[] | { items?: DuplicateCandidate[]; candidates?: DuplicateCandidate[] }
  >('/api/public/duplicates', body, { signal });
  if (Array.isArray(answer)) return answer;
  return answer.candidates ?? answer.items ?? [];
}

/** Follow someone else's case instead of reporting it again: the follower gets a tracking code of their own. */
export const followCase = (number: string, contact?: PublicContact) =>
  api.post<{ trackingCode: string; number?: string }>(
    `/api/public/cases/${encodeURIComponent(number)}/follow`,
    contact ? { contact } : {},
  );

export const getPublicCase = (trackingCode: string, signal?: AbortSignal) =>
  api.get<PublicCaseView>(`/api/public/cases/${encodeURIComponent(trackingCode)}`, { signal });

export const sendCallback = (
  trackingCode: string,
  body: { version: number; satisfaction: Satisfaction; solved: boolean; reason?: string },
) => api.post<PublicCaseView>(`/api/public/cases/${encodeURIComponent(trackingCode)}/callback`, body);

export const sendDispute = (trackingCode: string, body: { version: number; reason: string }) =>
  api.post<PublicCaseView>(`/api/public/cases/${encodeURIComponent(trackingCode)}/reopen`, body);

export const getResidentSession = () => api.get<ResidentSessionView>('/api/resident/session', { allowSignedOut: true });

export const signInResident = (phone: string, password: string) =>
  api.post<ResidentSessionView>('/api/resident/session', { phone, password }, { allowSignedOut: true });

export const signOutResident = () => api.delete('/api/resident/session', { allowSignedOut: true });

/** A photo's small and full public copies (metadata-free; the server strips EXIF GPS). */
export const thumbUrl = (key: string) => `/api/media/${encodeURIComponent(key)}/thumb`;
export const publicPhotoUrl = (key: string) => `/api/media/${encodeURIComponent(key)}/public`;

/**
 * Uploads one photo as multipart form data (field `file`). The JSON client cannot send forms, so this
 * speaks fetch itself, with the same headers and the same coded errors.
 */
export async function uploadPhoto(file: File, csrfToken: string | null, signal?: AbortSignal): Promise<UploadedPhoto> {
  const form = new FormData();
  form.append('file', file, file.name || 'photo.jpg');
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale() };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch('/api/media', { method: 'POST', headers, body: form, credentials: 'same-origin', signal });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: NETWORK_ERROR, message: 'Network error' });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
    if (error && typeof error.code === 'string') {
      throw new ApiError({
        status: response.status,
        code: error.code,
        message: String(error.message ?? error.code),
        messages: (error.messages as { 'zh-CN': string; en: string } | undefined) ?? null,
        fields: (error.fields as { path: string; reason: string }[] | undefined) ?? [],
      });
    }
    throw new ApiError({ status: response.status, code: HTTP_ERROR, message: `HTTP ${response.status}` });
  }
  // The route answers one entry per file (an array), or the entry itself.
  const first = Array.isArray(body) ? body[0] : (body as { items?: UploadedPhoto[] } | UploadedPhoto | undefined);
  const photo = first && 'items' in first ? first.items?.[0] : (first as UploadedPhoto | undefined);
  if (!photo?.key) throw new ApiError({ status: response.status, code: HTTP_ERROR, message: 'No photo in the answer' });
  return photo;
}

/**
 * The one way the web talks to the server: JSON over fetch with the session cookie, the CSRF token on
 * writes, the interface language as Accept-Language, and coded errors (common/api.ts ApiErrorBody)
 * turned into a thrown ApiError. A 401 that means "not signed in" sends the person to the sign-in page.
 */
import type { ApiErrorBody } from '@common/api';
import { currentLocale } from '@/i18n';

/** One field the server rejected, e.g. `{ path: 'body.newPassword', reason: '…' }`. */
export interface FieldProblem {
  path: string;
  reason: string;
}

/** Codes the client itself produces when there is no coded answer from the server. */
export const NETWORK_ERROR = 'NETWORK_ERROR';
export const HTTP_ERROR = 'HTTP_ERROR';

/** A failed API call: the server's coded error, or a network / unreadable answer. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The message in both languages when the server sent them (always, for coded errors). */
  readonly messages: { 'zh-CN': string; en: string } | null;
  readonly fields: FieldProblem[];
  readonly requestId: string | null;
  /** Extra properties the server put into `error` beyond the contract (e.g. `lockedUntil`). */
  readonly details: Record<string, unknown>;

  constructor(props: {
    status: number;
    code: string;
    message: string;
    messages?: { 'zh-CN': string; en: string } | null;
    fields?: FieldProblem[];
    requestId?: string | null;
    details?: Record<string, unknown>;
  }) {
    super(props.message);
    this.name = 'ApiError';
    this.status = props.status;
    this.code = props.code;
    this.messages = props.messages ?? null;
    this.fields = props.fields ?? [];
    this.requestId = props.requestId ?? null;
    this.details = props.details ?? {};
  }

  /** The problem reported for a field, matched on the path's last segment (`body.newPassword` → `newPassword`). */
  fieldReason(field: string): string | undefined {
    return this.fields.find((f) => f.path === field || f.path.endsWith(`.${field}`))?.reason;
  }
}

/** 401 codes that mean "sign in again"; others (a wrong current password) stay with the form. */
const SIGNED_OUT_CODES = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED']);

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

/** The session store hands over the CSRF token of the current session (null when signed out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers what to do when the server says the session is gone (main.ts: go to the sign-in page). */
export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Handle a 401 yourself (session check, sign-in) instead of being sent to the sign-in page. */
  allowSignedOut?: boolean;
  /** Extra request headers (an Idempotency-Key). */
  headers?: Record<string, string>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(status: number, body: unknown): ApiError {
  if (!isErrorBody(body)) {
    return new ApiError({ status, code: HTTP_ERROR, message: `HTTP ${status}` });
  }
  const { code, message, messages, fields, requestId, ...details } = body.error;
  return new ApiError({ status, code, message, messages, fields: fields ?? [], requestId: requestId ?? null, details });
}

/** Sends one request; resolves with the parsed JSON (undefined for 204), rejects with ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await readJson(response)) as T;
}

/**
 * Sends one request; resolves with the Response of a successful answer, its body unread (downloads
 * read it as a stream), rejects with ApiError.
 */
export async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    ...options.headers,
    Accept: 'application/json',
    'Accept-Language': currentLocale(),
  };
  // A Blob (an uploaded file) goes as it is, with its own type; a form (files and fields) with the
  // multipart type the browser sets; anything else as JSON.
  const form = options.body instanceof FormData;
  const raw = options.body instanceof Blob || form;
  if (options.body !== undefined && !form)
    headers['Content-Type'] = raw ? (options.body as Blob).type || 'application/octet-stream' : 'application/json';
  if (WRITE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body:
        options.body === undefined ? undefined : raw ? (options.body as Blob | FormData) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: NETWORK_ERROR, message: 'Network error' });
  }

  if (response.ok) return response;
  const body = await readJson(response);
  const error = toApiError(response.status, body);
  if (response.status === 401 && !options.allowSignedOut && (SIGNED_OUT_CODES.has(error.code) || !isErrorBody(body))) {
    csrfToken = null;
    onSignedOut?.();
  }
  throw error;
}

/** Shorthands by method. */
export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** True for the AbortError of a request that was superseded (not worth showing). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * The arguments of GET requests, read as the specification states them: `service_request_id` (a
 * comma list that overrides every other argument), `service_code` and `status` (comma lists),
 * `start_date` / `end_date` (W3C times with a zone, at most 90 days apart, the most recent 90 days
 * by default), at most 1,000 requests per answer; and the common extensions `page` / `page_size`
 * and `extensions=true` (the update history `notes`). An empty argument counts as absent.
 */

import { isCalendarTime } from '../calendar/civil.js';
import { AppError } from '../http/app-error.js';
import { ZUuid } from '../http/schemas.js';

export const MAX_REQUESTS = 1_000;
export const MAX_SPAN_DAYS = 90;
const DAY = 86_400_000;

/** W3C date-time (the note's "complete date plus hours and minutes", seconds optional) with a zone. */
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const OPEN311_STATUSES = ['open', 'closed'] as const;
export type Open311Status = (typeof OPEN311_STATUSES)[number];

export interface RawRequestQuery {
  service_request_id?: string | undefined;
  service_code?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
  status?: string | undefined;
  page?: string | undefined;
  page_size?: string | undefined;
  extensions?: string | undefined;
}

export type RequestQuery =
  | { kind: 'ids'; ids: string[]; extensions: boolean }
  | {
      kind: 'search';
      serviceCodes: string[] | null;
      statuses: Open311Status[] | null;
      start: Date;
      end: Date;
      page: number;
      pageSize: number;
      extensions: boolean;
    };

const given = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

const invalid = (path: string, reason: string) =>
  new AppError('OPEN311_PARAMETER_INVALID', { fields: [{ path, reason }] });

function commaList(value: string | undefined): string[] | null {
  const text = given(value);
  if (!text) return null;
  return [...new Set(text.split(',').map((v) => v.trim()))];
}

function wholeNumber(value: string | undefined, path: string, min: number, max: number, fallback: number): number {
  const text = given(value);
  if (text === undefined) return fallback;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(path, `a whole number from ${min} to ${max}`);
  return n;
}

function w3cDate(value: string | undefined, path: string): Date | undefined {
  const text = given(value);
  if (text === undefined) return undefined;
  const at = W3C.test(text) && isCalendarTime(text) ? new Date(text) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new AppError('OPEN311_DATE_RANGE_INVALID', {
      fields: [{ path, reason: 'a W3C date-time with its zone, e.g. 2026-01-01T00:00:00+08:00' }],
    });
  }
  return at;
}

/** The range searched: both given (in order, ≤ 90 days), one given (90 days from or to it), or the last 90 days. */
function range(query: RawRequestQuery, now: Date): { start: Date; end: Date } {
  const start = w3cDate(query.start_date, 'start_date');
  const end = w3cDate(query.end_date, 'end_date');
  const span = MAX_SPAN_DAYS * DAY;
  if (start && end) {
    if (end < start)
      throw new AppError('OPEN311_DATE_RANGE_INVALID', { fields: [{ path: 'end_date', reason: 'before start_date' }] });
    if (end.getTime() - start.getTime() > span) {
      throw new AppError('OPEN311_DATE_RANGE_INVALID', {
        fields: [{ path: 'end_date', reason: `more than ${MAX_SPAN_DAYS} days after start_date` }],
      });
    }
    return { start, end };
  }
  if (start) return { start, end: new Date(start.getTime() + span) };
  if (end) return { start: new Date(end.getTime() - span), end };
  return { start: new Date(now.getTime() - span), end: now };
}

export function parseRequestQuery(query: RawRequestQuery, now = new Date()): RequestQuery {
  const extensionsText = given(query.extensions);
  if (extensionsText !== undefined && extensionsText !== 'true' && extensionsText !== 'false')
    throw invalid('extensions', 'true or false');
  const extensions = extensionsText === 'true';

  const ids = commaList(query.service_request_id);
  if (ids) {
    if (ids.length > MAX_REQUESTS) throw invalid('service_request_id', `at most ${MAX_REQUESTS} ids`);
    const bad = ids.find((id) => !ZUuid.safeParse(id).success);
    if (bad !== undefined) throw invalid('service_request_id', `"${bad}" is not a service_request_id`);
    return { kind: 'ids', ids, extensions };
  }

  const serviceCodes = commaList(query.service_code);
  const badCode = serviceCodes?.find((c) => !/^\d{4}$/.test(c));
  if (badCode !== undefined) throw invalid('service_code', `"${badCode}" is not a service_code (4 digits)`);

  const statuses = commaList(query.status);
  const badStatus = statuses?.find((s) => !(OPEN311_STATUSES as readonly string[]).includes(s));
  if (badStatus !== undefined) throw invalid('status', `"${badStatus}": open or closed`);

  return {
    kind: 'search',
    serviceCodes,
    statuses: statuses as Open311Status[] | null,
    ...range(query, now),
    page: wholeNumber(query.page, 'page', 1, 1_000_000, 1),
    pageSize: wholeNumber(query.page_size, 'page_size', 1, MAX_REQUESTS, MAX_REQUESTS),
    extensions,
  };
}

/**
 * Dates and times as people in China read them: always in Asia/Shanghai, whatever the browser's zone.
 */
import { currentLocale } from '@/i18n';

const TIME_ZONE = 'Asia/Shanghai';
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'dateTime' | 'date'): Intl.DateTimeFormat {
  const locale = currentLocale();
  const key = `${locale}:${kind}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(kind === 'dateTime' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    formatters.set(key, found);
  }
  return found;
}

function parse(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `2026-11-22 14:05` style in Beijing time; '—' when missing. */
export function formatDateTime(value: string | Date | null | undefined): string {
  const date = parse(value);
  return date ? formatter('dateTime').format(date) : '—';
}

/** The date alone, in Beijing time; '—' when missing. */
export function formatDate(value: string | Date | null | undefined): string {
  const date = parse(value);
  return date ? formatter('date').format(date) : '—';
}

/** True when an ISO time lies in the future (e.g. an account lock still in force). */
export function isFuture(value: string | null | undefined): boolean {
  const date = parse(value);
  return date !== null && date.getTime() > Date.now();
}

/** A date picker's `YYYY-MM-DD HH:mm:ss` read as Beijing wall-clock time, as an ISO instant with its offset. */
export const fromShanghaiWallTime = (value: string): string => `${value.trim().replace(' ', 'T')}+08:00`;

/**
 * The tracking codes this device has reported or followed, kept in localStorage so that a resident
 * who did not write the code down still finds their case. Codes only: no content, no contact.
 */
import { ref } from 'vue';

export interface MyCase {
  trackingCode: string;
  number: string;
  /** 'reported' or 'followed'. */
  how: 'reported' | 'followed';
  at: string;
}

const STORAGE_KEY = 'gridloop.myCases';
const LIMIT = 20;

function read(): MyCase[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (entry): entry is MyCase =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.trackingCode === 'string' &&
        typeof entry.number === 'string',
    );
  } catch {
    return [];
  }
}

/** Reactive list, newest first. */
export const myCases = ref<MyCase[]>(read());

function write(list: MyCase[]): void {
  myCases.value = list;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch {
    // Storage unavailable (private mode): the list lives for this page only.
  }
}

export function rememberCase(entry: Omit<MyCase, 'at'>): void {
  const rest = read().filter((c) => c.trackingCode !== entry.trackingCode);
  write([{ ...entry, at: new Date().toISOString() }, ...rest].slice(0, LIMIT));
}

export function forgetCase(trackingCode: string): void {
  write(read().filter((c) => c.trackingCode !== trackingCode));
}

/**
 * The server's live event stream (GET /api/events, SSE): one EventSource for the whole signed-in
 * shell, shared by every page that listens. The browser reconnects by itself when a stream ends;
 * when the server refuses one (signed out, restarting) we try again later, backing off. After a
 * reconnect the listeners hear a resync (null): they may have missed changes and should reload.
 */
import type { CaseState } from '@common/cases';
import { onBeforeUnmount, ref } from 'vue';

/** One committed step of a case the person may read. */
export interface LiveCaseEvent {
  caseId: string;
  number: string;
  seq: number;
  state: CaseState;
  version: number;
}

interface Listener {
  /** A case changed; null after a reconnect (anything may have changed). */
  onCase?: (event: LiveCaseEvent | null) => void;
  /** A notification arrived for me (or, null, after a reconnect). */
  onNotification?: () => void;
}

const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 60_000;

/** Whether the stream is open now (the shell may show it). */
export const liveStatus = ref<'off' | 'connecting' | 'open' | 'down'>('off');

const listeners = new Set<Listener>();
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryDelay = FIRST_RETRY_MS;
let everReady = false;
let users = 0;

function emitCase(event: LiveCaseEvent | null): void {
  for (const l of listeners) l.onCase?.(event);
}

function emitNotification(): void {
  for (const l of listeners) l.onNotification?.();
}

function parseCase(data: string): LiveCaseEvent | null {
  try {
    const value = JSON.parse(data) as Partial<LiveCaseEvent>;
    return typeof value.caseId === 'string' ? (value as LiveCaseEvent) : null;
  } catch {
    return null;
  }
}

function open(): void {
  if (typeof EventSource === 'undefined') return;
  liveStatus.value = 'connecting';
  const stream = new EventSource('/api/events', { withCredentials: true });
  source = stream;
  stream.addEventListener('ready', () => {
    liveStatus.value = 'open';
    retryDelay = FIRST_RETRY_MS;
    // A second `ready` is a reconnect: what happened in between was not pushed.
    if (everReady) {
      emitCase(null);
      emitNotification();
    }
    everReady = true;
  });
  stream.addEventListener('case', (message) => {
    const event = parseCase((message as MessageEvent<string>).data);
    if (event) emitCase(event);
  });
  stream.addEventListener('notification', () => emitNotification());
  stream.onerror = () => {
    if (stream.readyState !== EventSource.CLOSED) {
      liveStatus.value = 'connecting';
      return;
    }
    // Refused (401, 503 …): the browser gives up; we come back later.
    stream.close();
    if (source === stream) source = null;
    liveStatus.value = 'down';
    if (users > 0 && !retryTimer) {
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (users > 0 && !source) open();
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
    }
  };
}

/** Opens the stream (the signed-in shell calls it once; calls are counted). */
export function startLive(): void {
  users += 1;
  if (!source && !retryTimer) open();
}

/** Closes the stream when its last user goes (signing out leaves the shell). */
export function stopLive(): void {
  users = Math.max(0, users - 1);
  if (users > 0) return;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  source?.close();
  source = null;
  everReady = false;
  retryDelay = FIRST_RETRY_MS;
  liveStatus.value = 'off';
}

/** Listens while the calling component lives. */
export function useLive(listener: Listener): void {
  listeners.add(listener);
  onBeforeUnmount(() => listeners.delete(listener));
}

/**
 * Calls `reload` when a case event passes `filter` (and after a reconnect), at most once per
 * `waitMs`: a busy centre's stream must not turn into a request per event.
 */
export function useLiveReload(
  reload: () => unknown,
  filter: (event: LiveCaseEvent) => boolean = () => true,
  waitMs = 1_500,
): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const run = () => {
    timer = null;
    last = Date.now();
    void reload();
  };
  useLive({
    onCase: (event) => {
      if (event && !filter(event)) return;
      if (timer) return;
      const wait = Math.max(0, last + waitMs - Date.now());
      timer = setTimeout(run, wait);
    },
  });
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
  });
}

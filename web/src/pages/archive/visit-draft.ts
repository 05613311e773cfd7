/**
 * The visit being typed, kept in localStorage (one per signed-in account) until the server accepts
 * it: a failed submit, a dead network, a closed tab or a flat battery never lose what was typed.
 * Photos are kept as the media keys already uploaded. What is read back is checked field by field,
 * so an old or damaged draft restores what it can and never breaks the page.
 */
import { NEED_KINDS, type NeedKind } from '@common/visits';

export interface DraftNeed {
  kind: NeedKind;
  description: string;
  /** Also make a case of it once the visit is recorded (the server reports it, channel 走访). */
  toCase: boolean;
  categoryCode: string;
}

export interface VisitDraft {
  household: { id: string; address: string; head: string | null } | null;
  night: boolean;
  findings: string;
  needs: DraftNeed[];
  /** Media keys of photos uploaded for this visit. */
  photos: string[];
}

const PREFIX = 'gridloop.visitDraft.';
const KEY = /^[a-f0-9]{64}$/;

export const emptyDraft = (night: boolean): VisitDraft => ({
  household: null,
  night,
  findings: '',
  needs: [],
  photos: [],
});

/** Nothing typed yet (a household alone is not worth keeping). */
export const isBlank = (d: VisitDraft): boolean =>
  !d.findings.trim() && d.photos.length === 0 && d.needs.every((n) => !n.description.trim());

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');

function readNeed(v: unknown): DraftNeed | null {
  if (typeof v !== 'object' || v === null) return null;
  const n = v as Record<string, unknown>;
  const kind = (NEED_KINDS as readonly unknown[]).includes(n.kind) ? (n.kind as NeedKind) : 'other';
  return {
    kind,
    description: text(n.description, 1_000),
    toCase: n.toCase === true,
    categoryCode: /^[0-9]{4}$/.test(text(n.categoryCode, 4)) ? text(n.categoryCode, 4) : '',
  };
}

/** The draft of the account, or null when there is none (or storage is unavailable). */
export function loadDraft(account: string): VisitDraft | null {
  let raw: string | null;
  try {
    raw = localStorage.getItem(PREFIX + account);
  } catch {
    return null;
  }
  if (!raw) return null;
  let v: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    v = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  const h = v.household as Record<string, unknown> | null | undefined;
  return {
    household:
      h && typeof h.id === 'string'
        ? { id: h.id, address: text(h.address, 200), head: typeof h.head === 'string' ? h.head : null }
        : null,
    night: v.night === true,
    findings: text(v.findings, 4_000),
    needs: (Array.isArray(v.needs) ? v.needs : []).map(readNeed).filter((n): n is DraftNeed => n !== null),
    photos: (Array.isArray(v.photos) ? v.photos : []).filter((k): k is string => typeof k === 'string' && KEY.test(k)),
  };
}

/** Keeps the draft (a blank one is removed instead). */
export function saveDraft(account: string, draft: VisitDraft): void {
  try {
    if (isBlank(draft) && !draft.household) localStorage.removeItem(PREFIX + account);
    else localStorage.setItem(PREFIX + account, JSON.stringify(draft));
  } catch {
    // Storage full or unavailable: the form still works, the draft is just not kept.
  }
}

export function clearDraft(account: string): void {
  try {
    localStorage.removeItem(PREFIX + account);
  } catch {
    // Nothing to clear.
  }
}

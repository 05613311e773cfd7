/**
 * Shapes of the built-in catalogue's data: how a major and a minor category are written down.
 */
import type { CategoryKind } from '../../../common/catalogue.js';
import type { DepartmentKind } from '../../../common/territory.js';

/**
 * How long handling may take, as a class rather than a number per category:
 * `hazard` urgent safety hazards (hours), `quick` street order and sanitation (a day), `standard`
 * the installation default (no own rows), `repair` facility repairs, `long` cases that need
 * procedures (illegal building, disputes, assistance).
 */
export const HANDLE_CLASSES = ['hazard', 'quick', 'standard', 'repair', 'long'] as const;
export type HandleClass = (typeof HANDLE_CLASSES)[number];

export interface BuiltinMajor {
  /** Two digits. */
  major: string;
  kind: CategoryKind;
  zh: string;
  en: string;
}

/** A minor category as the data files write it; `code` is the full four digits. */
export interface BuiltinEntry {
  code: string;
  zh: string;
  en: string;
  department: DepartmentKind;
  /** Words a report's text is matched against (a few, in Chinese). */
  keywords: string[];
  /** [radius in metres, window in days] within which a new report may duplicate an open one. */
  duplicate: [number, number];
  handle?: HandleClass;
  /** A grid worker may register it himself (自行立案). */
  selfRegister?: boolean;
  /** A grid worker may settle it on the spot (自行处置). */
  selfHandle?: boolean;
  /** Shown to a resident choosing the category (e.g. "call 119 first"). */
  notice?: { zh: string; en: string };
}

/** A category row as installed (majors included, as `xx00`). */
export interface BuiltinCategory {
  code: string;
  majorCode: string;
  kind: CategoryKind;
  nameZh: string;
  nameEn: string;
  departmentKind: DepartmentKind | null;
  selfRegister: boolean;
  selfHandle: boolean;
  duplicateRadiusM: number;
  duplicateWindowDays: number;
  serviceNoticeZh: string | null;
  serviceNoticeEn: string | null;
  keywords: string[];
  handle: HandleClass;
}

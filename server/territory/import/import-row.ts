/**
 * One unit to create or update, as read from a file or a request, before validation.
 */
export interface ImportRow {
  /** Where it came from, for messages: "feature 3", "row 12", "body". */
  ref: string;
  code: string;
  name: string;
  level?: string | undefined;
  kind?: string | undefined;
  parentCode?: string | undefined;
  /** GeoJSON geometry as given (validated later). */
  geometry?: unknown;
}

/** One reason a row cannot be imported, with zh-CN and English wording. */
export interface ImportProblem {
  ref: string;
  code: string | null;
  field: string;
  problem: string;
  zh: string;
  en: string;
}

export type ProgressFn = (phase: 'read' | 'validate' | 'write', done: number, total: number) => void;

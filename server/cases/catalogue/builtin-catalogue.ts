/**
 * The built-in catalogue: majors and minors of 部件 and 事件 (components.ts, events.ts), the
 * installation's default time limits per urgency × stage, and the handling limits of each
 * handle class. `seedCatalogue` installs it; administrators change it afterwards.
 *
 * Codes: components use majors 01–06, events 11–21. Test factories make their own categories with
 * majors 40–89 and 91, so they never collide with an installed catalogue.
 */
import type { Stage, Urgency } from '../../../common/cases.js';
import type { TimeLimitUnit } from '../../../common/catalogue.js';
import type { BuiltinCategory, BuiltinEntry, BuiltinMajor, HandleClass } from './catalogue.types.js';
import { COMPONENT_MAJORS, COMPONENTS } from './components.js';
import { EVENT_MAJORS, EVENTS } from './events.js';

export interface BuiltinLimit {
  amount: number;
  unit: TimeLimitUnit;
}

/** Duplicate radius and window of a major's own row (never reported under, but the columns need values). */
const MAJOR_DUPLICATE: [number, number] = [50, 7];

export const BUILTIN_MAJORS: readonly BuiltinMajor[] = [...COMPONENT_MAJORS, ...EVENT_MAJORS];
export const BUILTIN_ENTRIES: readonly BuiltinEntry[] = [...COMPONENTS, ...EVENTS];

function majorRow(m: BuiltinMajor): BuiltinCategory {
  return {
    code: `${m.major}00`,
    majorCode: m.major,
    kind: m.kind,
    nameZh: m.zh,
    nameEn: m.en,
    departmentKind: null,
    selfRegister: false,
    selfHandle: false,
    duplicateRadiusM: MAJOR_DUPLICATE[0],
    duplicateWindowDays: MAJOR_DUPLICATE[1],
    serviceNoticeZh: null,
    serviceNoticeEn: null,
    keywords: [],
    handle: 'standard',
  };
}

function minorRow(e: BuiltinEntry): BuiltinCategory {
  const majorCode = e.code.slice(0, 2);
  const major = BUILTIN_MAJORS.find((m) => m.major === majorCode);
  if (!major) throw new Error(`built-in category ${e.code} has no major ${majorCode}`);
  return {
    code: e.code,
    majorCode,
    kind: major.kind,
    nameZh: e.zh,
    nameEn: e.en,
    departmentKind: e.department,
    selfRegister: e.selfRegister ?? false,
    selfHandle: e.selfHandle ?? false,
    duplicateRadiusM: e.duplicate[0],
    duplicateWindowDays: e.duplicate[1],
    serviceNoticeZh: e.notice?.zh ?? null,
    serviceNoticeEn: e.notice?.en ?? null,
    keywords: e.keywords,
    handle: e.handle ?? 'standard',
  };
}

/** Every row to install, majors first (each major's row `xx00` before its minors), ordered by code. */
export const BUILTIN_CATEGORIES: readonly BuiltinCategory[] = [
  ...BUILTIN_MAJORS.map(majorRow),
  ...BUILTIN_ENTRIES.map(minorRow),
].sort((a, b) => a.code.localeCompare(b.code));

/**
 * The installation defaults (category-less rows). Registering and dispatching are a dispatcher's
 * desk work: within a working hour normally, half an hour when urgent; an emergency is taken
 * round the clock in minutes. Handling and verification follow the same gradient.
 */
export const DEFAULT_LIMITS: Record<Urgency, Record<Stage, BuiltinLimit>> = {
  normal: {
    register: { amount: 1, unit: 'working_hours' },
    dispatch: { amount: 1, unit: 'working_hours' },
    handle: { amount: 3, unit: 'working_days' },
    verify: { amount: 1, unit: 'working_days' },
  },
  urgent: {
    register: { amount: 30, unit: 'natural_minutes' },
    dispatch: { amount: 30, unit: 'natural_minutes' },
    handle: { amount: 1, unit: 'working_days' },
    verify: { amount: 4, unit: 'working_hours' },
  },
  emergency: {
    register: { amount: 10, unit: 'natural_minutes' },
    dispatch: { amount: 10, unit: 'natural_minutes' },
    handle: { amount: 4, unit: 'natural_hours' },
    verify: { amount: 2, unit: 'natural_hours' },
  },
};

/** Handling limits per class; `standard` uses the defaults and installs no rows of its own. */
export const HANDLE_LIMITS: Record<Exclude<HandleClass, 'standard'>, Record<Urgency, BuiltinLimit>> = {
  hazard: {
    normal: { amount: 4, unit: 'working_hours' },
    urgent: { amount: 2, unit: 'working_hours' },
    emergency: { amount: 1, unit: 'natural_hours' },
  },
  quick: {
    normal: { amount: 1, unit: 'working_days' },
    urgent: { amount: 4, unit: 'working_hours' },
    emergency: { amount: 2, unit: 'natural_hours' },
  },
  repair: {
    normal: { amount: 5, unit: 'working_days' },
    urgent: { amount: 2, unit: 'working_days' },
    emergency: { amount: 8, unit: 'natural_hours' },
  },
  long: {
    normal: { amount: 10, unit: 'working_days' },
    urgent: { amount: 5, unit: 'working_days' },
    emergency: { amount: 1, unit: 'working_days' },
  },
};

export interface BuiltinLimitRow extends BuiltinLimit {
  /** null: an installation default. */
  categoryCode: string | null;
  urgency: Urgency;
  stage: Stage;
}

/** All limit rows to install: the defaults, then each non-standard category's handling limits. */
export function builtinLimitRows(): BuiltinLimitRow[] {
  const rows: BuiltinLimitRow[] = [];
  for (const [urgency, stages] of Object.entries(DEFAULT_LIMITS) as [Urgency, Record<Stage, BuiltinLimit>][]) {
    for (const [stage, limit] of Object.entries(stages) as [Stage, BuiltinLimit][]) {
      rows.push({ categoryCode: null, urgency, stage, ...limit });
    }
  }
  for (const c of BUILTIN_CATEGORIES) {
    if (c.handle === 'standard') continue;
    for (const [urgency, limit] of Object.entries(HANDLE_LIMITS[c.handle]) as [Urgency, BuiltinLimit][]) {
      rows.push({ categoryCode: c.code, urgency, stage: 'handle', ...limit });
    }
  }
  return rows;
}

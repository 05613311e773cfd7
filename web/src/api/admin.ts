/**
 * The administrator's endpoints: the category catalogue with its time limits and dispatch rules
 * (server/cases/catalogue), the working calendar (server/calendar) and the settings of the loop and
 * the indicators. Shapes follow the servers' zod schemas; the catalogue's come from common/.
 */
import type { Stage, Urgency } from '@common/cases';
import type {
  CategoryDetail,
  CategoryKind,
  CategoryList,
  CategoryQuestion,
  DispatchRuleView,
  NamedText,
  TimeLimitUnit,
  TimeLimitView,
} from '@common/catalogue';
import type { DepartmentKind } from '@common/territory';
import { api } from './client';

// ── Categories and time limits ──────────────────────────────────────────────

export function listCategories(signal?: AbortSignal): Promise<CategoryList> {
  return api.get('/api/categories', { signal });
}

export function getCategory(code: string, signal?: AbortSignal): Promise<CategoryDetail> {
  return api.get(`/api/categories/${encodeURIComponent(code)}`, { signal });
}

/** What an administrator may change on a category (the code never changes). */
export interface CategoryChanges {
  name?: NamedText;
  departmentKind?: DepartmentKind | null;
  selfRegister?: boolean;
  selfHandle?: boolean;
  duplicateRadiusM?: number;
  duplicateWindowDays?: number;
  /** The whole list replaces the old one (Open311 attributes). */
  questions?: CategoryQuestion[];
}

export interface NewCategory extends CategoryChanges {
  code: string;
  /** Needed for a major (`xx00`); a minor takes its major's. */
  kind?: CategoryKind;
  name: NamedText;
}

export function createCategory(body: NewCategory): Promise<CategoryDetail> {
  return api.post('/api/categories', body);
}

export function updateCategory(code: string, changes: CategoryChanges): Promise<CategoryDetail> {
  return api.patch(`/api/categories/${encodeURIComponent(code)}`, changes);
}

export function setCategoryDisabled(code: string, disabled: boolean): Promise<CategoryDetail> {
  return api.post(`/api/categories/${encodeURIComponent(code)}/${disabled ? 'disable' : 'enable'}`);
}

export interface TimeLimitInput {
  urgency: Urgency;
  stage: Stage;
  amount: number;
  unit: TimeLimitUnit;
}

/** Replaces the category's own limits (the pairs left out use the defaults). */
export function setCategoryLimits(code: string, limits: TimeLimitInput[]): Promise<CategoryDetail> {
  return api.put(`/api/categories/${encodeURIComponent(code)}/limits`, { limits });
}

/** Replaces the installation's default limits (the pairs left out use the built-in fallback). */
export function setDefaultLimits(limits: TimeLimitInput[]): Promise<{ items: TimeLimitView[] }> {
  return api.put('/api/categories/default-limits', { limits });
}

// ── Dispatch rules ──────────────────────────────────────────────────────────

export function listDispatchRules(
  query: { categoryCode?: string; unitId?: string } = {},
  signal?: AbortSignal,
): Promise<{ items: DispatchRuleView[] }> {
  return api.get('/api/categories/dispatch-rules', { query, signal });
}

export function createDispatchRule(body: {
  categoryCode: string;
  unitId: string;
  departmentId: string;
}): Promise<DispatchRuleView> {
  return api.post('/api/categories/dispatch-rules', body);
}

export function deleteDispatchRule(id: string): Promise<void> {
  return api.delete(`/api/categories/dispatch-rules/${encodeURIComponent(id)}`);
}

// ── Working calendar ────────────────────────────────────────────────────────

/** A day that is not a plain Monday–Friday working day or weekend (the server leaves those out). */
export interface CalendarDay {
  day: string;
  workday: boolean;
  source: 'override' | 'statutory' | 'weekday';
  /** The festival's name when the statutory schedule names the day. */
  name: NamedText | null;
  /** The administrator's reason for an override. */
  note: string | null;
}

export type WorkingHours = [string, string][];

export interface CalendarYear {
  year: number;
  /** Whether the official holiday schedule of the year is known. */
  scheduleKnown: boolean;
  warning: NamedText | null;
  workingHours: WorkingHours;
  days: CalendarDay[];
}

export function getCalendar(year: number, signal?: AbortSignal): Promise<CalendarYear> {
  return api.get('/api/calendar', { query: { year }, signal });
}

export function setWorkingHours(workingHours: WorkingHours): Promise<{ workingHours: WorkingHours }> {
  return api.put('/api/calendar/working-hours', { workingHours });
}

export function setDayOverride(day: string, kind: 'workday' | 'holiday', note?: string): Promise<CalendarDay> {
  return api.put(`/api/calendar/days/${encodeURIComponent(day)}`, note ? { kind, note } : { kind });
}

export function removeDayOverride(day: string): Promise<{ removed: boolean }> {
  return api.delete(`/api/calendar/days/${encodeURIComponent(day)}`);
}

export interface DueAnswer {
  /** Both in Asia/Shanghai with their offset. */
  from: string;
  dueAt: string;
  remaining: NamedText;
}

export function computeDue(
  query: { from: string; amount: number; unit: TimeLimitUnit },
  signal?: AbortSignal,
): Promise<DueAnswer> {
  return api.get('/api/calendar/due', { query, signal });
}

// ── Settings ────────────────────────────────────────────────────────────────

export interface CaseSettings {
  /** Days after closing within which the reporter may dispute it. */
  disputeDays: number;
  /** Share of a stage's time after which the light turns yellow (0.5–0.95). */
  warnShare: number;
}

export interface IndicatorSettings {
  deferredLeaveDenominators: boolean;
  /** Weights (0–100) of the composite score over rate codes. */
  scoreWeights: Record<string, number>;
}

export interface RateDefinition {
  code: string;
  zh: string;
  en: string;
}

export interface MapSettings {
  tileUrl: string | null;
  coordinateSystem: 'wgs84' | 'gcj02';
  attribution: string;
  maxZoom: number;
}

export function getMapSettings(signal?: AbortSignal): Promise<MapSettings> {
  return api.get('/api/public/map-settings', { signal });
}

export function saveMapSettings(settings: MapSettings): Promise<MapSettings> {
  return api.put('/api/settings/map', settings);
}

export function getCaseSettings(signal?: AbortSignal): Promise<CaseSettings> {
  return api.get('/api/settings/cases', { signal });
}

export function saveCaseSettings(settings: CaseSettings): Promise<CaseSettings> {
  return api.put('/api/settings/cases', settings);
}

export function getIndicatorSettings(signal?: AbortSignal): Promise<IndicatorSettings> {
  return api.get('/api/settings/indicators', { signal });
}

export function saveIndicatorSettings(settings: IndicatorSettings): Promise<IndicatorSettings> {
  return api.put('/api/settings/indicators', settings);
}

/** The rates the score may weigh, with their names. */
export async function listRates(signal?: AbortSignal): Promise<RateDefinition[]> {
  const answer = await api.get<{ rates: RateDefinition[] }>('/api/indicators/definitions', { signal });
  return answer.rates.map(({ code, zh, en }) => ({ code, zh, en }));
}

// ── Machine keys (设备密钥) and Open311 api_keys ─────────────────────────────

/**
 * `sensor`: alarms into a unit's grids; `open311`: an Open311 api_key for a district (its jurisdiction);
 * `hotline`: the 12345 hotline pushing work orders into a district or a unit within one.
 */
export type MachineChannel = 'sensor' | 'open311' | 'hotline';

export interface MachineKeyView {
  id: string;
  name: string;
  channel: MachineChannel;
  unitId: string;
  /** The key's district: an Open311 key's jurisdiction_id. */
  district: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export function listMachineKeys(signal?: AbortSignal): Promise<{ items: MachineKeyView[] }> {
  return api.get('/api/machine-keys', { signal });
}

/** The answer carries the key itself, once. */
export function createMachineKey(body: {
  name: string;
  unitId: string;
  channel: MachineChannel;
}): Promise<MachineKeyView & { key: string }> {
  return api.post('/api/machine-keys', body);
}

export function revokeMachineKey(id: string): Promise<MachineKeyView> {
  return api.delete(`/api/machine-keys/${encodeURIComponent(id)}`);
}

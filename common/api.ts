/**
 * Shapes of the JSON API as the web sees them. The server's zod response schemas produce exactly these;
 * keep the two in step (the server's schemas are typed against these interfaces).
 */
import type { Role } from './roles.js';
import type { DepartmentKind, DepartmentLevel, UnitGeometry, UnitKind, UnitLevel } from './territory.js';

/** Every error answer: a stable code, the message in the request's language, and both languages. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    messages: { 'zh-CN': string; en: string };
    fields?: { path: string; reason: string }[];
    requestId?: string;
  };
}

export interface UnitRef {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
}

export interface DepartmentRef {
  id: string;
  code: string;
  name: string;
}

export interface GrantView {
  id: string;
  role: Role;
  unit: UnitRef;
  department: DepartmentRef | null;
}

/** What the signed-in person may do anywhere in their scope; the web shows menus from it. */
export interface SessionAbilities {
  readTerritory: boolean;
  manageTerritory: boolean;
  readDepartments: boolean;
  manageDepartments: boolean;
  readAccounts: boolean;
  manageAccounts: boolean;
  readAudit: boolean;
  /** My work (待办) and the case list in my scope. */
  readCases: boolean;
  /** Any report channel below. */
  reportCases: boolean;
  /** 热线: dispatchers enter callers' reports. */
  reportHotline: boolean;
  /** 巡查: grid workers on patrol. */
  reportPatrol: boolean;
  /** 走访: committee staff and grid workers from visits. */
  reportSurvey: boolean;
  /** 社区通: committee staff from board posts. */
  reportBoard: boolean;
  /** Categories and their time limits (分类与时限): installation administrators. */
  manageCatalogue: boolean;
  /** Dispatch rules (派遣规则) on units in scope: administrators. */
  manageDispatchRules: boolean;
  /** The working calendar (工作日历): installation administrators. */
  manageCalendar: boolean;
  /** The loop's and the indicators' settings (系统设置): installation administrators. */
  manageSettings: boolean;
  /** Summon departments (约请): committee staff, dispatchers, supervisors, administrators of a committee or subdistrict. */
  issueSummons: boolean;
  /** Answer summonses for a department (答复约请): its handlers. */
  replySummons: boolean;
  /** The summons page: whoever may issue or answer. */
  readSummons: boolean;
  /** Export reporters' contacts unmasked, with a stated purpose (导出明文联系方式): dispatchers, for their scope. */
  unmaskPersonalData: boolean;
  /** The monthly assessment (月度考核): whoever may rank the units or departments in their scope. */
  readAssessment: boolean;
  /** Webhook subscriptions (回调订阅) of units in scope: administrators. */
  manageWebhooks: boolean;
  /** 12345 work orders (热线工单): mappings, imports and the status export, for dispatchers and administrators. */
  useHotline: boolean;
  /** The resident archive (民情档案): territorial readers in scope, and departments through granted tags. */
  readArchive: boolean;
  /** File and change people, households, buildings, venues, tags: administrators, committee staff, grid workers. */
  writeArchive: boolean;
  /** See ID numbers and phones in clear with a stated purpose: the same roles, in scope. */
  unmaskArchive: boolean;
  /** Export people (with a purpose; watermarked): administrators and committee staff. */
  exportArchive: boolean;
  /** Define tag types and matter forms: installation administrators. */
  manageArchiveTypes: boolean;
  /** Import departments' files of people and households into the archive: administrators. */
  importArchive: boolean;
  /** Household visits (走访): the visit list by due and the coverage, for the archive's territorial readers. */
  readVisits: boolean;
  /** Record visits and act on the needs they find: committee staff and grid workers. */
  recordVisits: boolean;
  /** The monthly community analysis (社区月度分析): the archive's territorial readers whose grant reaches a committee. */
  readMonthlyAnalysis: boolean;
}

export interface SessionView {
  account: {
    id: string;
    username: string;
    displayName: string;
    kind: 'staff';
    mustChangePassword: boolean;
    grants: GrantView[];
  };
  csrfToken: string;
  abilities: SessionAbilities;
  expiresAt: string;
}

export interface UnitAbilities {
  update: boolean;
  createChild: boolean;
  import: boolean;
}

export interface UnitView extends UnitRef {
  kind: UnitKind;
  district: string;
  parentId: string | null;
  path: string;
  childCount: number;
  hasGeometry: boolean;
  abilities: UnitAbilities;
}

export interface UnitDetailView extends UnitView {
  ancestors: UnitRef[];
  geometry: UnitGeometry | null;
  createdAt: string;
  updatedAt: string;
}

export interface UnitFeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    id: string;
    geometry: UnitGeometry;
    properties: { id: string; code: string; name: string; level: UnitLevel; parentId: string | null };
  }[];
}

export interface DepartmentView extends DepartmentRef {
  kind: DepartmentKind;
  level: DepartmentLevel;
  servesUnit: UnitRef;
  deployedTo: UnitRef | null;
  abilities: { update: boolean };
}

export interface AccountView {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  grants: GrantView[];
  createdAt: string;
  abilities: { update: boolean; grant: boolean; resetPassword: boolean };
}

export interface ListResponse<T> {
  items: T[];
}

export interface HealthView {
  status: 'ok' | 'degraded';
  /** When degraded: what is down, by its code in the error catalogue. */
  code?: 'DATABASE_UNAVAILABLE' | 'JOBS_UNAVAILABLE';
  database: { ok: boolean; latencyMs: number | null };
  jobs: { ok: boolean; detail: string };
  version: string;
}

/** A resident's own session (phone-based; residents never hold staff roles). */
export interface ResidentSessionView {
  resident: { id: string; displayName: string; phone: string };
  csrfToken: string;
  expiresAt: string;
}

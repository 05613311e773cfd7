/**
 * Kysely's view of the tables (camelCase; the CamelCasePlugin maps to snake_case columns).
 * Migrations do not import this file: it describes the latest schema for application code only.
 */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Role } from '../../common/roles.js';
import type { DepartmentKind, DepartmentLevel, UnitGeometry, UnitKind, UnitLevel } from '../../common/territory.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UnitTable {
  district: string;
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  parentId: string | null;
  path: string;
  depth: number;
  geometry: JSONColumnType<UnitGeometry | null, string | null, string | null>;
  minLng: number | null;
  minLat: number | null;
  maxLng: number | null;
  maxLat: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface DepartmentTable {
  id: string;
  code: string;
  name: string;
  kind: DepartmentKind;
  level: DepartmentLevel;
  servesUnitId: string;
  servesPath: string;
  district: string;
  deployedToUnitId: string | null;
  disabled: Generated<boolean>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface AccountTable {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  passwordHash: string;
  disabled: Generated<boolean>;
  mustChangePassword: Generated<boolean>;
  failedSignIns: Generated<number>;
  lockedUntil: Date | null;
  passwordChangedAt: Timestamp;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface AccountGrantTable {
  id: string;
  accountId: string;
  role: Role;
  unitId: string;
  unitPath: string;
  district: string;
  departmentId: string | null;
  grantedBy: string | null;
  createdAt: Timestamp;
}

export interface ResidentTable {
  id: string;
  phone: string;
  displayName: string;
  passwordHash: string;
  disabled: Generated<boolean>;
  failedSignIns: Generated<number>;
  lockedUntil: Date | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface SessionTable {
  id: string;
  kind: 'staff' | 'resident';
  accountId: string | null;
  residentId: string | null;
  csrfToken: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Timestamp;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
}

export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updatedAt: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  occurredAt: Generated<Date>;
  district: string | null;
  actor: JSONColumnType<Record<string, unknown>, string, string>;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  requestId: string | null;
  ip: string | null;
  seq: string | null;
  prevHash: string | null;
  hash: string | null;
}

export interface CalendarDayTable {
  /** yyyy-mm-dd (the pg DATE parser is set to keep it a string). */
  day: string;
  kind: 'workday' | 'holiday';
  note: Generated<string>;
  createdBy: string | null;
  createdAt: Timestamp;
}

export interface Database {
  calendarDay: CalendarDayTable;
  unit: UnitTable;
  department: DepartmentTable;
  account: AccountTable;
  accountGrant: AccountGrantTable;
  resident: ResidentTable;
  session: SessionTable;
  setting: SettingTable;
  auditLog: AuditLogTable;
}

/** The shared label tables of common/ in the language now shown. */
import { ROLE_LABELS, type Role } from '@common/roles';
import {
  DEPARTMENT_KIND_LABELS,
  type DepartmentKind,
  type DepartmentLevel,
  LEVEL_LABELS,
  type UnitLevel,
} from '@common/territory';
import { i18n, pickLabel } from '@/i18n';

export const roleLabel = (role: Role): string => pickLabel(ROLE_LABELS[role]);
export const levelLabel = (level: UnitLevel): string => pickLabel(LEVEL_LABELS[level]);
export const departmentKindLabel = (kind: DepartmentKind): string => pickLabel(DEPARTMENT_KIND_LABELS[kind]);

/** 区级 / 街道级. (Element Plus's table probes cell slots with an empty row: answer '' then.) */
export function departmentLevelLabel(level: DepartmentLevel | undefined): string {
  if (level === 'district') return i18n.global.t('departments.levels.district');
  if (level === 'subdistrict') return i18n.global.t('departments.levels.subdistrict');
  return '';
}

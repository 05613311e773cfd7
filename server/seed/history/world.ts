/**
 * What the demo history acts in, read from the database once at the start: the subdistrict's grids,
 * the enabled categories with their time limits, the departments with their handlers, the staff
 * (loaded with their grants exactly as a session loads them, so the commands' scope checks are the
 * real ones) and the residents. Nothing here depends on the catalogue's codes.
 */
import type { Stage, Urgency } from '../../../common/cases.js';
import type { Role } from '../../../common/roles.js';
import { loadGrants, type ResidentActor, type StaffActor } from '../../accounts/actor.js';
import { loadCalendar } from '../../calendar/calendar.repository.js';
import type { WorkingCalendar } from '../../calendar/working-calendar.js';
import { FALLBACK_LIMITS, type Limit } from '../../cases/case-clock.js';
import { type CaseSettings, readCaseSettings } from '../../cases/case-settings.js';
import type { Db } from '../../db/database.js';
import { roadsOf, type Topic, topicOf } from './texts.js';

export interface GridInfo {
  id: string;
  code: string;
  path: string;
  bbox: [number, number, number, number];
  committeeShort: string;
  roads: string[];
}

export interface CategoryInfo {
  id: string;
  code: string;
  nameZh: string;
  kind: 'component' | 'event';
  departmentKind: string | null;
  selfRegister: boolean;
  selfHandle: boolean;
  topic: Topic;
}

export interface DepartmentInfo {
  id: string;
  kind: string;
  level: string;
  handlers: StaffActor[];
}

export interface HistoryWorld {
  subdistrict: { path: string; bbox: [number, number, number, number] };
  grids: GridInfo[];
  categories: CategoryInfo[];
  /** Departments that have at least one handler (a dispatch elsewhere could never be acknowledged). */
  departments: DepartmentInfo[];
  staff: StaffActor[];
  residents: ResidentActor[];
  calendar: WorkingCalendar;
  /** The loop's policy settings (dispute window, yellow-light share). */
  settings: CaseSettings;
  /** The limit of a stage, as `limitFor` finds it: the category's, else the default, else the fallback. */
  limit(categoryId: string, urgency: Urgency, stage: Stage): Limit;
}

/** Staff holding `role` with a scope that covers `path`. */
export function covering(world: HistoryWorld, role: Role, path: string): StaffActor[] {
  return world.staff.filter((a) => a.grants.some((g) => g.role === role && path.startsWith(g.unitPath)));
}

export async function loadWorld(db: Db, subdistrictCode: string): Promise<HistoryWorld> {
  const subdistrict = await db
    .selectFrom('unit')
    .select(['path', 'minLng', 'minLat', 'maxLng', 'maxLat'])
    .where('code', '=', subdistrictCode)
    .executeTakeFirst();
  if (!subdistrict || subdistrict.minLng === null || subdistrict.minLat === null)
    throw new Error(`the subdistrict ${subdistrictCode} is missing or has no boundary`);
  const bboxOf = (u: { minLng: number | null; minLat: number | null; maxLng: number | null; maxLat: number | null }) =>
    [u.minLng ?? 0, u.minLat ?? 0, u.maxLng ?? 0, u.maxLat ?? 0] as [number, number, number, number];

  const units = await db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'level', 'path', 'minLng', 'minLat', 'maxLng', 'maxLat'])
    .where('path', 'like', `${subdistrict.path}%`)
    .orderBy('code')
    .execute();
  const committees = units.filter((u) => u.level === 'community');
  const grids: GridInfo[] = units
    .filter((u) => u.level === 'grid' && u.minLng !== null)
    .map((u) => {
      const index = Math.max(
        0,
        committees.findIndex((c) => u.path.startsWith(c.path)),
      );
      const committee = committees[index];
      return {
        id: u.id,
        code: u.code,
        path: u.path,
        bbox: bboxOf(u),
        committeeShort: (committee?.name ?? '').replace(/(居委会|村委会)$/, ''),
        roads: roadsOf(index),
      };
    });

  const categoryRows = await db
    .selectFrom('category')
    .select(['id', 'code', 'majorCode', 'kind', 'nameZh', 'departmentKind', 'selfRegister', 'selfHandle'])
    .where('disabled', '=', false)
    .orderBy('code')
    .execute();
  const majorNames = new Map(categoryRows.filter((c) => c.code.endsWith('00')).map((c) => [c.majorCode, c.nameZh]));
  const categories: CategoryInfo[] = categoryRows
    .filter((c) => !c.code.endsWith('00'))
    .map((c) => ({
      id: c.id,
      code: c.code,
      nameZh: c.nameZh,
      kind: c.kind,
      departmentKind: c.departmentKind,
      selfRegister: c.selfRegister,
      selfHandle: c.selfHandle,
      topic: topicOf(c.nameZh, majorNames.get(c.majorCode)),
    }));

  const accounts = await db
    .selectFrom('account')
    .select(['id', 'username', 'displayName', 'mustChangePassword'])
    .where('disabled', '=', false)
    .orderBy('username')
    .execute();
  const staff: StaffActor[] = [];
  for (const a of accounts) staff.push({ kind: 'staff', ...a, grants: await loadGrants(db, a.id) });

  const departmentRows = await db
    .selectFrom('department')
    .select(['id', 'code', 'kind', 'level'])
    .where('disabled', '=', false)
    .orderBy('code')
    .execute();
  const departments = departmentRows
    .map((d) => ({
      id: d.id,
      kind: d.kind,
      level: d.level,
      handlers: staff.filter((a) => a.grants.some((g) => g.role === 'handler' && g.departmentId === d.id)),
    }))
    .filter((d) => d.handlers.length > 0);

  const residents: ResidentActor[] = (
    await db
      .selectFrom('resident')
      .select(['id', 'phone', 'displayName'])
      .where('disabled', '=', false)
      .orderBy('phone')
      .execute()
  ).map((r) => ({ kind: 'resident', ...r }));

  const limitRows = await db
    .selectFrom('timeLimit')
    .select(['categoryId', 'urgency', 'stage', 'amount', 'unit'])
    .execute();
  const limits = new Map(limitRows.map((r) => [`${r.categoryId ?? '*'}|${r.urgency}|${r.stage}`, r]));
  const limit = (categoryId: string, urgency: Urgency, stage: Stage): Limit => {
    const row = limits.get(`${categoryId}|${urgency}|${stage}`) ?? limits.get(`*|${urgency}|${stage}`);
    return row ? { amount: Number(row.amount), unit: row.unit } : FALLBACK_LIMITS[stage];
  };

  return {
    subdistrict: { path: subdistrict.path, bbox: bboxOf(subdistrict) },
    grids,
    categories,
    departments,
    staff,
    residents,
    calendar: await loadCalendar(db),
    settings: await readCaseSettings(db),
    limit,
  };
}

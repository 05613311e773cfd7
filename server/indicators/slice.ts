/**
 * Loading what an indicator query covers (the load step of the route checklist): the unit — the one
 * asked for, else the actor's own — with the districts it spans, and the department, category and
 * channel filters. Unknown filters are INDICATOR_FILTER_UNKNOWN; authorization is the policy's.
 */
import type { Channel } from '../../common/cases.js';
import type { StaffActor } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { escapeLike } from '../policies/scope.js';
import { defaultUnitOf, handlerDepartmentFor } from './indicator.policy.js';
import type { Slice } from './query.js';

export interface SliceQuery {
  unitId?: string | undefined;
  departmentId?: string | undefined;
  /** A major (2 digits) or minor (4 digits) category code. */
  category?: string | undefined;
  channel?: Channel | undefined;
}

const unknown = (path: string) => new AppError('INDICATOR_FILTER_UNKNOWN', { fields: [{ path, reason: 'unknown' }] });

export async function loadSlice(db: Db, actor: StaffActor, query: SliceQuery): Promise<Slice> {
  const unitId = query.unitId ?? defaultUnitOf(actor);
  const unit = unitId
    ? await db
        .selectFrom('unit')
        .select(['id', 'code', 'name', 'level', 'path', 'district'])
        .where('id', '=', unitId)
        .executeTakeFirst()
    : undefined;
  if (!unit) throw new AppError('NOT_FOUND');

  let districts = [unit.district];
  if (unit.level === 'city') {
    const rows = await db
      .selectFrom('unit')
      .select('district')
      .distinct()
      .where('level', '=', 'district')
      .where('path', 'like', `${escapeLike(unit.path)}%`)
      .execute();
    districts = [...new Set([unit.district, ...rows.map((r) => r.district)])];
  }

  // A handler without another grant here sees their own department by default.
  const departmentId = query.departmentId ?? handlerDepartmentFor(actor, unit.path);
  let department: Slice['department'] = null;
  if (departmentId) {
    const row = await db
      .selectFrom('department')
      .select(['id', 'code', 'name'])
      .where('id', '=', departmentId)
      .executeTakeFirst();
    if (!row) throw unknown('query.departmentId');
    department = row;
  }

  let category: Slice['category'] = null;
  if (query.category) {
    const code = query.category;
    const rows = await db
      .selectFrom('category')
      .select('id')
      .where(code.length === 2 ? 'majorCode' : 'code', '=', code)
      .execute();
    if (rows.length === 0) throw unknown('query.category');
    category = { code, ids: rows.map((r) => r.id) };
  }

  return { unit, districts, department, category, channel: query.channel ?? null };
}

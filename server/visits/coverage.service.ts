/**
 * Coverage of a unit's subtree on a day (per grid, per committee, in total) and the due list's
 * items as the API shows them; the unit a query names, checked against the actor's scope.
 */
import type { FastifyRequest } from 'fastify';
import type { CoverageView, DueItemView } from '../../common/visits.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope, requireStaff } from '../http/request-context.js';
import { escapeLike } from '../policies/scope.js';
import { coverageByPath, type DueItem, halfYearWindow, rollUp } from './half-year.js';
import { visitPolicy } from './visit.policy.js';

export interface ReadableUnit {
  id: string;
  code: string;
  name: string;
  level: string;
  path: string;
  district: string;
}

/** A unit whose visits the actor may read, or 404 (audited when it exists). */
export async function readableUnit(request: FastifyRequest, id: string, path: string): Promise<ReadableUnit> {
  const actor = requireStaff(request);
  const unit = await request.server.db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'level', 'path', 'district'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path, reason: 'no such unit' }] });
  if (!visitPolicy.read(actor, { unitPath: unit.path }))
    await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district });
  return unit;
}

/** Coverage of the unit's subtree on the day: the unit itself, each committee and each unit grid in it. */
export async function coverageOf(db: Db, unit: ReadableUnit, day: string): Promise<CoverageView> {
  const window = halfYearWindow(day);
  const byPath = await coverageByPath(db, unit.path, day);
  const units = await db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'level', 'path'])
    .where('path', 'like', `${escapeLike(unit.path)}%`)
    .where('level', 'in', ['community', 'grid'])
    .orderBy('code')
    .execute();
  const row = (u: (typeof units)[number]) => ({
    unit: { id: u.id, code: u.code, name: u.name, level: u.level },
    ...rollUp(byPath, u.path),
  });
  return {
    day,
    coveredSince: window.coveredSince,
    unit: { id: unit.id, code: unit.code, name: unit.name, level: unit.level },
    total: rollUp(byPath, unit.path),
    committees: units.filter((u) => u.level === 'community').map(row),
    grids: units.filter((u) => u.level === 'grid').map(row),
  };
}

export function presentDue(i: DueItem): DueItemView {
  return {
    household: { id: i.id, address: i.address, members: i.members },
    unit: { id: i.unitId, code: i.unitCode, name: i.unitName },
    head: i.headId && i.headName ? { id: i.headId, name: i.headName } : null,
    lastVisitedAt: i.last ? i.last.toISOString() : null,
    dueOn: i.dueOn,
    overdue: i.overdue,
  };
}

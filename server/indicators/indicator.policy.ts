/**
 * Who may read which indicators. Scope is territorial: any staff grant covering the unit lets its
 * holder read the unit's indicators and rank its children and departments — except a handler's
 * grant, which covers only their own department's indicators in that territory (no rankings).
 */
import type { Role } from '../../common/roles.js';
import { ROLES } from '../../common/roles.js';
import type { StaffActor } from '../accounts/actor.js';
import { inScope, pathCovered } from '../policies/predicates.js';

const TERRITORIAL_ROLES: Role[] = ROLES.filter((r) => r !== 'handler');

export interface IndicatorTarget {
  unitPath: string;
  departmentId: string | null;
}

const territorial = inScope<IndicatorTarget>((t) => t.unitPath, ...TERRITORIAL_ROLES);

/** A handler's own department, inside the territory of their grant. */
const ownDepartment = (actor: StaffActor, t: IndicatorTarget) =>
  t.departmentId !== null &&
  actor.grants.some((g) => g.role === 'handler' && g.departmentId === t.departmentId && pathCovered(g, t.unitPath));

export const indicatorPolicy = {
  panel: (actor: StaffActor, t: IndicatorTarget) => territorial(actor, t) || ownDepartment(actor, t),
  ranking: (actor: StaffActor, t: IndicatorTarget) => territorial(actor, t),
};

/** The unit a query without one is about: the actor's first territorial grant, else their first grant. */
export function defaultUnitOf(actor: StaffActor): string | undefined {
  return (actor.grants.find((g) => TERRITORIAL_ROLES.includes(g.role)) ?? actor.grants[0])?.unitId;
}

/** For a handler with no territorial grant over the path: their department (the only one they may read). */
export function handlerDepartmentFor(actor: StaffActor, path: string): string | undefined {
  if (territorial(actor, { unitPath: path, departmentId: null })) return undefined;
  return (
    actor.grants.find((g) => g.role === 'handler' && g.departmentId && pathCovered(g, path))?.departmentId ?? undefined
  );
}

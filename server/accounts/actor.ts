/**
 * Who is acting: a staff member with their grants (role + unit subtree + department), or a resident.
 * Loaded once per request from the session; policies and SQL scoping read it.
 */
import type { DepartmentRef, UnitRef } from '../../common/api.js';
import type { Role } from '../../common/roles.js';
import type { Db } from '../db/database.js';

export interface Grant {
  id: string;
  role: Role;
  unitId: string;
  /** Path of codes ending in '.', so `path.startsWith(grant.unitPath)` means "inside this subtree". */
  unitPath: string;
  district: string;
  departmentId: string | null;
  unit: UnitRef;
  department: DepartmentRef | null;
}

export interface StaffActor {
  kind: 'staff';
  id: string;
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  grants: Grant[];
}

export interface ResidentActor {
  kind: 'resident';
  id: string;
  phone: string;
  displayName: string;
}

export type Actor = StaffActor | ResidentActor;

/** The system itself (CLI, seed, jobs): recorded in audit rows as such. */
export const SYSTEM_ACTOR = { kind: 'system', id: null, name: 'system' } as const;

/** Loads a staff member's grants with the units and departments they name. */
export async function loadGrants(db: Db, accountId: string): Promise<Grant[]> {
  const rows = await db
    .selectFrom('accountGrant as g')
    .innerJoin('unit as u', (join) => join.onRef('u.id', '=', 'g.unitId').onRef('u.district', '=', 'g.district'))
    .leftJoin('department as d', 'd.id', 'g.departmentId')
    .select([
      'g.id',
      'g.role',
      'g.unitId',
      'g.unitPath',
      'g.district',
      'g.departmentId',
      'u.code as unitCode',
      'u.name as unitName',
      'u.level as unitLevel',
      'd.code as departmentCode',
      'd.name as departmentName',
    ])
    .where('g.accountId', '=', accountId)
    .orderBy('g.createdAt')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    unitId: r.unitId,
    unitPath: r.unitPath,
    district: r.district,
    departmentId: r.departmentId,
    unit: { id: r.unitId, code: r.unitCode, name: r.unitName, level: r.unitLevel },
    department:
      r.departmentId && r.departmentCode && r.departmentName
        ? { id: r.departmentId, code: r.departmentCode, name: r.departmentName }
        : null,
  }));
}

/** A snapshot of the actor for audit rows: enough to know who it was even after they change. */
export function actorSnapshot(actor: Actor | null): Record<string, unknown> {
  if (!actor) return { kind: 'anonymous' };
  if (actor.kind === 'resident') return { kind: 'resident', id: actor.id, name: actor.displayName };
  return {
    kind: 'staff',
    id: actor.id,
    username: actor.username,
    name: actor.displayName,
    grants: actor.grants.map((g) => ({ role: g.role, unit: g.unit.code, department: g.department?.code ?? null })),
  };
}

/**
 * Who is acting: a staff member with their grants (role + unit subtree + department), or a resident.
 * Loaded once per request from the session; policies and SQL scoping read it.
 */
import type { DepartmentRef, UnitRef } from '../../common/api.js';
import type { Role } from '../../common/roles.js';
import type { Db } from '../db/database.js';
import { runPrepared } from '../db/prepared.js';

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

/**
 * An account's grants with the units and departments they name, oldest first, as one JSON array in
 * the shape of `Grant`, for the account whose id is `accountId` (a column or a `$n` of the statement).
 * Text, so that the session's prepared statement (session.service.ts) reads them in its one round trip.
 */
export const grantsJson = (accountId: string) => `coalesce((
  select json_agg(json_build_object(
    'id', g.id, 'role', g.role, 'unitId', g.unit_id, 'unitPath', g.unit_path, 'district', g.district,
    'departmentId', g.department_id,
    'unit', json_build_object('id', u.id, 'code', u.code, 'name', u.name, 'level', u.level),
    'department', case when d.id is null then null else json_build_object('id', d.id, 'code', d.code, 'name', d.name) end
  ) order by g.created_at, g.id)
  from account_grant g
  join unit u on u.id = g.unit_id and u.district = g.district
  left join department d on d.id = g.department_id
  where g.account_id = ${accountId}), '[]'::json)`;

const GRANTS_SQL = `select ${grantsJson('$1')} as grants`;

/** Loads a staff member's grants with the units and departments they name. */
export async function loadGrants(db: Db, accountId: string): Promise<Grant[]> {
  const [row] = await runPrepared<{ grants: Grant[] }>(db, GRANTS_SQL, [accountId]);
  return row?.grants ?? [];
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

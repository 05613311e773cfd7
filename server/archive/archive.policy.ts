/**
 * Who may see and do what in the resident archive (docs/archive.md has the matrix). Pure: records
 * and the actor's department tag grants are loaded first; SQL scoping is in archive.scope.ts.
 *
 * - Territory: administrators, leaders, committee staff and grid workers read the people and
 *   households of their scope (a grid worker: their grids; committee staff: their community; a
 *   subdistrict grant: the subdistrict). Leaders read masked only and change nothing.
 * - Departments: a handler reads, inside their grant's unit subtree, the people and households that
 *   carry a currently valid tag of a type an administrator granted to their department — and of
 *   those tags only the granted ones, and only the fields a department needs (DEPARTMENT_FIELDS).
 * - Unmasking (ID number and phones in clear) needs a stated purpose and one of UNMASK_ROLES in scope.
 * - Dispatchers and supervisors have no access: the closed loop does not need the archive.
 */
import { type MaskedField, PERSON_READ_FIELDS } from '../../common/archive.js';
import type { Role } from '../../common/roles.js';
import type { Actor, StaffActor } from '../accounts/actor.js';
import { hasRole, inScope, isInstallationAdmin, isStaff, scopePaths } from '../policies/predicates.js';

/** Read every field (masked) and every tag of records in scope. */
export const READ_ROLES: readonly Role[] = ['admin', 'leader', 'committee_staff', 'grid_worker'];
/** Create and change people, households, buildings, dwellings, venues, tags and matter records in scope. */
export const WRITE_ROLES: readonly Role[] = ['admin', 'committee_staff', 'grid_worker'];
/** See ID numbers and phones in clear, with a stated purpose. */
export const UNMASK_ROLES: readonly Role[] = ['admin', 'committee_staff', 'grid_worker'];
/** Export people in bulk (with a purpose; watermarked). */
export const EXPORT_ROLES: readonly Role[] = ['admin', 'committee_staff'];
/** Produce a person's access history (the data-protection duty of the administrator). */
export const HISTORY_ROLES: readonly Role[] = ['admin'];

/** What a department sees of a person: no notes, work, political status, relations or matter records. */
export const DEPARTMENT_FIELDS = [
  'name',
  'gender',
  'birthDate',
  'idNumber',
  'phones',
  'residency',
  'address',
  'tags',
  'household',
] as const;

/** One department's window on the archive: its handler grant's subtree and the tag types granted to it. */
export interface DepartmentView {
  departmentId: string;
  unitPath: string;
  tagTypeIds: readonly string[];
}

/** The actor's reach in the archive, loaded once per request (archive.scope.ts loadArchiveAccess). */
export interface ArchiveAccess {
  actor: StaffActor;
  /** Unit paths read territorially. */
  readPaths: string[];
  departmentViews: DepartmentView[];
}

/** A person or household as the policy needs it: where it is, and the tag types it carries now. */
export interface ArchiveRecordForPolicy {
  unitPath: string;
  /** Types of currently valid tags on the record (for a person, also their household's). */
  activeTagTypeIds: readonly string[];
}

/** Builds the access from the actor and their departments' granted tag types. Pure. */
export function archiveAccessOf(
  actor: StaffActor,
  grantedTypes: ReadonlyMap<string, readonly string[]>,
): ArchiveAccess {
  const departmentViews = actor.grants.flatMap((g) =>
    g.role === 'handler' && g.departmentId
      ? [{ departmentId: g.departmentId, unitPath: g.unitPath, tagTypeIds: grantedTypes.get(g.departmentId) ?? [] }]
      : [],
  );
  return {
    actor,
    readPaths: scopePaths(actor, ...READ_ROLES),
    departmentViews: departmentViews.filter((v) => v.tagTypeIds.length > 0),
  };
}

const covered = (paths: readonly string[], path: string) => paths.some((p) => path.startsWith(p));

/** Does a territorial grant cover the record (all fields, all tags)? */
export const readsTerritorially = (access: ArchiveAccess, r: ArchiveRecordForPolicy) =>
  covered(access.readPaths, r.unitPath);

/** The department views through which the record is visible. */
export const departmentViewsOf = (access: ArchiveAccess, r: ArchiveRecordForPolicy) =>
  access.departmentViews.filter(
    (v) => r.unitPath.startsWith(v.unitPath) && v.tagTypeIds.some((t) => r.activeTagTypeIds.includes(t)),
  );

export const canReadRecord = (access: ArchiveAccess, r: ArchiveRecordForPolicy): boolean =>
  readsTerritorially(access, r) || departmentViewsOf(access, r).length > 0;

/**
 * The tag types whose tags the actor sees on the record: null for all (a territorial reader), else
 * those granted to the departments through which they see it.
 */
export function visibleTagTypes(access: ArchiveAccess, r: ArchiveRecordForPolicy): Set<string> | null {
  if (readsTerritorially(access, r)) return null;
  return new Set(departmentViewsOf(access, r).flatMap((v) => v.tagTypeIds));
}

const inScopeOf = (roles: readonly Role[]) => inScope<ArchiveRecordForPolicy>((r) => r.unitPath, ...roles);

export const archivePolicy = {
  write: inScopeOf(WRITE_ROLES),
  unmask: inScopeOf(UNMASK_ROLES),
  readHistory: inScopeOf(HISTORY_ROLES),
  /** May the actor export somewhere (the web shows the button)? */
  exportSome: (actor: Actor | null) => hasRole(...EXPORT_ROLES)(actor, null),
  /** May the actor file or change records somewhere (the web shows the forms)? */
  writeSome: (actor: Actor | null) => hasRole(...WRITE_ROLES)(actor, null),
  /** May the actor unmask somewhere (the web shows the action)? */
  unmaskSome: (actor: Actor | null) => hasRole(...UNMASK_ROLES)(actor, null),
  readSome: (actor: Actor | null) => hasRole(...READ_ROLES, 'handler')(actor, null),
  /** Tag types and matter forms are shared by the installation. */
  manageTypes: (actor: Actor | null) => isInstallationAdmin(actor),
  /** Grant a department a tag type: an administrator whose scope covers the territory it serves. */
  grantTags: (actor: Actor | null, department: { servesPath: string }) =>
    isStaff(actor) && actor.grants.some((g) => g.role === 'admin' && department.servesPath.startsWith(g.unitPath)),
};

/** Paths under which the actor may export. */
export const exportPaths = (actor: Actor | null) => scopePaths(actor, ...EXPORT_ROLES);
/** Paths under which the actor may unmask. */
export const unmaskPathsOf = (actor: Actor | null) => scopePaths(actor, ...UNMASK_ROLES);

/** The fields a read showed, for the read audit. */
export function fieldsShown(full: boolean, unmasked: readonly MaskedField[] = []): string[] {
  const base: readonly string[] = full ? PERSON_READ_FIELDS : DEPARTMENT_FIELDS;
  return base.map((f) => ((unmasked as readonly string[]).includes(f) ? `${f}:clear` : f));
}

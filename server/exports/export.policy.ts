/**
 * Who may take what out of the system in bulk. Exports are scoped exactly like the case list (SQL
 * scoping, case.repository.ts caseScope); these predicates decide the rest:
 * - reporters' contacts leave unmasked only for rows in the scope of a role that calls reporters
 *   back (the workflow's `callback` is the dispatcher's), and only with a stated purpose;
 * - the monthly assessment is a ranking, so it follows the indicators' ranking policy.
 */
import { ROLES, type Role } from '../../common/roles.js';
import type { Actor } from '../accounts/actor.js';
import { isStaff, scopePaths } from '../policies/predicates.js';

/** Roles that may see reporters' names and phones unmasked in an export: they call reporters back (回访). */
export const UNMASK_ROLES: readonly Role[] = ['dispatcher'];

/** Minimum length of the stated purpose of an unmasked export. */
export const PURPOSE_MIN = 4;
export const PURPOSE_MAX = 200;

/** The unit paths under which the actor may unmask reporters' contacts (empty: nowhere). */
export function unmaskPaths(actor: Actor | null): string[] {
  return scopePaths(actor, ...UNMASK_ROLES);
}

/** May the actor ask for an unmasked export at all (the web shows the purpose field)? */
export const mayUnmask = (actor: Actor | null): boolean => unmaskPaths(actor).length > 0;

/** Is this row's reporter shown unmasked, given the paths from unmaskPaths? */
export const unmaskedFor = (paths: readonly string[], unitPath: string): boolean =>
  paths.some((p) => unitPath.startsWith(p));

/** The roles the indicators' ranking policy takes (every territorial role: not a handler's grant). */
const ASSESSING_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'handler');

/**
 * May the actor open the monthly assessment (a ranking of the units or departments in their scope)?
 * A territorial grant above a unit grid: a unit grid has no units below it to rank.
 */
export const mayReadAssessment = (actor: Actor | null): boolean =>
  isStaff(actor) && actor.grants.some((g) => ASSESSING_ROLES.includes(g.role) && g.unit.level !== 'grid');

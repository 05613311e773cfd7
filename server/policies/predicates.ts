/**
 * Named predicates from which every policy is composed (DESIGN rule 5). Pure functions over data
 * already loaded; default deny: a predicate that cannot decide answers false.
 */
import type { Role } from '../../common/roles.js';
import type { Actor, Grant, StaffActor } from '../accounts/actor.js';

export type Predicate<R> = (actor: Actor | null, record: R) => boolean;

/** True when the path lies in the grant's subtree (the grant's own unit included). */
export const pathCovered = (grant: Grant, path: string) => path.startsWith(grant.unitPath);

/** True when the path lies strictly below the grant's unit. */
export const pathStrictlyBelow = (grant: Grant, path: string) =>
  path.length > grant.unitPath.length && path.startsWith(grant.unitPath);

export const isStaff = (actor: Actor | null): actor is StaffActor => actor?.kind === 'staff';

/** The actor holds one of the roles anywhere. */
export const hasRole =
  <R>(...roles: Role[]): Predicate<R> =>
  (actor) =>
    isStaff(actor) && actor.grants.some((g) => roles.includes(g.role));

/** The actor holds one of the roles (any role when none named) with a scope covering the record's path. */
export const inScope =
  <R>(pathOf: (record: R) => string, ...roles: Role[]): Predicate<R> =>
  (actor, record) =>
    isStaff(actor) &&
    actor.grants.some((g) => (roles.length === 0 || roles.includes(g.role)) && pathCovered(g, pathOf(record)));

/** Like inScope, but the record must be strictly below the grant's unit (not the scope root itself). */
export const belowScope =
  <R>(pathOf: (record: R) => string, ...roles: Role[]): Predicate<R> =>
  (actor, record) =>
    isStaff(actor) &&
    actor.grants.some((g) => (roles.length === 0 || roles.includes(g.role)) && pathStrictlyBelow(g, pathOf(record)));

/**
 * The actor holds one of the roles with a scope that meets the record's subtree: covering it, or
 * lying inside it (a subdistrict dispatcher "reaches into" the district's shared settings).
 */
export const reachesInto =
  <R>(pathOf: (record: R) => string, ...roles: Role[]): Predicate<R> =>
  (actor, record) =>
    isStaff(actor) &&
    actor.grants.some(
      (g) =>
        (roles.length === 0 || roles.includes(g.role)) &&
        (pathCovered(g, pathOf(record)) || g.unitPath.startsWith(pathOf(record))),
    );

export const and =
  <R>(...predicates: Predicate<R>[]): Predicate<R> =>
  (actor, record) =>
    predicates.every((p) => p(actor, record));

export const or =
  <R>(...predicates: Predicate<R>[]): Predicate<R> =>
  (actor, record) =>
    predicates.some((p) => p(actor, record));

/** Unit paths of the actor's grants with the given roles (any role when none named), for SQL scoping. */
export function scopePaths(actor: Actor | null, ...roles: Role[]): string[] {
  if (!isStaff(actor)) return [];
  const paths = actor.grants.filter((g) => roles.length === 0 || roles.includes(g.role)).map((g) => g.unitPath);
  // Drop paths already covered by a shorter one so the SQL stays small.
  return [...new Set(paths)].filter((p, _, all) => !all.some((q) => q !== p && p.startsWith(q)));
}

/**
 * Administrators of the whole installation's shared settings (working calendar, loop policy): an
 * admin grant at district level or above.
 */
export const isInstallationAdmin = (actor: Actor | null): actor is StaffActor =>
  isStaff(actor) &&
  actor.grants.some((g) => g.role === 'admin' && (g.unit.level === 'city' || g.unit.level === 'district'));

/**
 * Departments (条) are reference data every staff member may read; an administrator manages those
 * serving a territory within their scope.
 */
import type { Actor } from '../accounts/actor.js';
import { inScope, isStaff, type Predicate } from '../policies/predicates.js';

export interface DepartmentForPolicy {
  servesPath: string;
}

export const departmentPolicy = {
  read: ((actor) => isStaff(actor) && actor.grants.length > 0) as Predicate<DepartmentForPolicy>,
  update: inScope<DepartmentForPolicy>((d) => d.servesPath, 'admin'),
};

export const departmentAbilities = (actor: Actor | null, d: DepartmentForPolicy) => ({
  update: departmentPolicy.update(actor, d),
});

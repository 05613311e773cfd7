/**
 * What the signed-in person may do anywhere in their scope (menus), composed from the predicates.
 * Per-record abilities come from each module's policy.
 */
import type { SessionAbilities } from '../../common/api.js';
import { hasRole, isStaff } from '../policies/predicates.js';
import type { Actor } from './actor.js';

const staff = (actor: Actor | null) => isStaff(actor) && actor.grants.length > 0;
const admin = hasRole<unknown>('admin');

export function sessionAbilities(actor: Actor | null): SessionAbilities {
  return {
    readTerritory: staff(actor),
    manageTerritory: admin(actor, null),
    readDepartments: staff(actor),
    manageDepartments: admin(actor, null),
    readAccounts: admin(actor, null),
    manageAccounts: admin(actor, null),
    readAudit: admin(actor, null),
  };
}

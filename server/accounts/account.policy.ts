/**
 * Staff accounts are managed by administrators, within their scope: an administrator sees an
 * account with any grant in their scope, changes one only when all its grants are in their scope,
 * and grants only roles over units in their scope (never beyond their own).
 */
import type { Role } from '../../common/roles.js';
import { inScope, isStaff, type Predicate } from '../policies/predicates.js';
import type { Actor } from './actor.js';

export interface AccountForPolicy {
  id: string;
  grantPaths: string[];
}

const adminOver = inScope<string>((path) => path, 'admin');

export const accountPolicy = {
  read: ((actor, account) => account.grantPaths.some((p) => adminOver(actor, p))) as Predicate<AccountForPolicy>,
  update: ((actor, account) =>
    account.grantPaths.length > 0 &&
    account.grantPaths.every((p) => adminOver(actor, p))) as Predicate<AccountForPolicy>,
  /** Granting a role over a unit: the actor must administer that unit. */
  grant: ((actor, target) => isStaff(actor) && adminOver(actor, target.unitPath)) as Predicate<{
    unitPath: string;
    role: Role;
  }>,
};

export function accountAbilities(actor: Actor | null, account: AccountForPolicy) {
  const update = accountPolicy.update(actor, account);
  return { update, grant: accountPolicy.read(actor, account), resetPassword: update };
}

/**
 * Who may do what with the catalogue. Categories and their limits are shared by the whole
 * installation, so only its administrators (an admin grant at district level or above) change them;
 * every staff member reads them, and admins also see the disabled ones. Dispatch rules are
 * territorial: an administrator manages those on units in their scope, and staff read the rules that
 * govern their territory (at, below or above their scope).
 */
import type { Actor } from '../../accounts/actor.js';
import { hasRole, inScope, isInstallationAdmin, isStaff, type Predicate } from '../../policies/predicates.js';

export interface RuleForPolicy {
  unitPath: string;
}

export const cataloguePolicy = {
  read: (actor: Actor | null) => isStaff(actor) && actor.grants.length > 0,
  readDisabled: (actor: Actor | null) => hasRole('admin')(actor, null),
  manage: (actor: Actor | null) => isInstallationAdmin(actor),
  /** May add or delete a rule somewhere (the web shows the rules page). */
  manageSomeRules: (actor: Actor | null) => hasRole('admin')(actor, null),
};

export const dispatchRulePolicy = {
  read: ((actor, rule) =>
    isStaff(actor) &&
    actor.grants.some(
      (g) => rule.unitPath.startsWith(g.unitPath) || g.unitPath.startsWith(rule.unitPath),
    )) as Predicate<RuleForPolicy>,
  manage: inScope<RuleForPolicy>((rule) => rule.unitPath, 'admin'),
};

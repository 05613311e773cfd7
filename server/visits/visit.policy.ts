/**
 * Who may do what with household visits (走访). Visits belong to the territorial file of a
 * household, so they follow the archive's territorial readers (archive.policy.ts READ_ROLES:
 * administrators, leaders, committee staff and grid workers of the unit's subtree); a department
 * that sees a household through a tag grant sees none of its visits. Those who visit — committee
 * staff and grid workers — record visits and act on the needs they find. Pure: rows are loaded first.
 */
import type { Role } from '../../common/roles.js';
import type { NeedStatus } from '../../common/visits.js';
import type { Actor } from '../accounts/actor.js';
import { READ_ROLES } from '../archive/archive.policy.js';
import { hasRole, inScope, scopePaths } from '../policies/predicates.js';

/** Record visits, refer needs to cases and mark them resolved. */
export const VISIT_ROLES: readonly Role[] = ['committee_staff', 'grid_worker'];

/** Anything placed in a unit: a household, a visit, a need. */
export interface Placed {
  unitPath: string;
}

export const visitPolicy = {
  /** Read visits, due lists and coverage of the unit. */
  read: inScope<Placed>((r) => r.unitPath, ...READ_ROLES),
  /** Record a visit of a household of the unit. */
  record: inScope<Placed>((r) => r.unitPath, ...VISIT_ROLES),
  /** Refer a need to a case, or mark it resolved. */
  handleNeed: inScope<Placed>((r) => r.unitPath, ...VISIT_ROLES),
  /** Some unit's visits may be read (the web shows the visit list and coverage). */
  readSome: (actor: Actor | null) => hasRole(...READ_ROLES)(actor, null),
  /** Some household may be visited (the web shows visit recording). */
  recordSome: (actor: Actor | null) => hasRole(...VISIT_ROLES)(actor, null),
};

/** Unit paths under which the actor reads visits (SQL scoping). */
export const visitReadPaths = (actor: Actor | null) => scopePaths(actor, ...READ_ROLES);

/** What the actor may do with a need now (the web shows buttons from this). */
export function needAbilities(actor: Actor | null, need: Placed & { status: NeedStatus }) {
  const open = need.status === 'open' && visitPolicy.handleNeed(actor, need);
  return { refer: open, resolve: open };
}

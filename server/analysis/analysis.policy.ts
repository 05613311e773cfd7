/**
 * Who may read the monthly community analysis (社区月度分析). The route reads a committee through the
 * visits' `readableUnit` (the archive's territorial readers, READ_ROLES, of the committee's subtree)
 * and answers only for a committee; so the page is for a reader whose grant reaches a committee: one
 * at community level or above. A grid worker's grant covers grids below a committee, never the
 * committee itself.
 */
import { LEVEL_DEPTH } from '../../common/territory.js';
import type { Actor } from '../accounts/actor.js';
import { READ_ROLES } from '../archive/archive.policy.js';
import { isStaff } from '../policies/predicates.js';

/** May the actor read some committee's monthly analysis (the web shows the page)? */
export const mayReadMonthlyAnalysis = (actor: Actor | null): boolean =>
  isStaff(actor) &&
  actor.grants.some((g) => READ_ROLES.includes(g.role) && LEVEL_DEPTH[g.unit.level] <= LEVEL_DEPTH.community);

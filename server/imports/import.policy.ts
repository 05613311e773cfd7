/**
 * Who uses imports, for a kind whose routes name the roles: a mapping belongs to a district and
 * serves whoever of those roles reaches into it; a run belongs to its scope (the starter's scope
 * in the district) and is seen by those whose scope covers it. Runs are listed in SQL by the same
 * rule (pathInScope over the actor's paths).
 */
import type { Role } from '../../common/roles.js';
import type { Actor } from '../accounts/actor.js';
import { hasRole, inScope, isStaff, reachesInto } from '../policies/predicates.js';

export function importPolicy(...roles: Role[]) {
  return {
    /** The import pages: one of the roles anywhere. */
    useSome: hasRole<unknown>(...roles),
    mapping: reachesInto<{ unitPath: string }>((m) => m.unitPath, ...roles),
    run: inScope<{ scopePath: string }>((r) => r.scopePath, ...roles),
    /**
     * Where the actor's imports into a district may land: the district itself when a grant covers
     * it, else the broadest of their units inside it; undefined when they reach no part of it.
     */
    scopeIn(actor: Actor | null, districtPath: string): string | undefined {
      if (!isStaff(actor)) return undefined;
      const paths = actor.grants
        .filter((g) => roles.includes(g.role))
        .flatMap((g) =>
          districtPath.startsWith(g.unitPath)
            ? [districtPath]
            : g.unitPath.startsWith(districtPath)
              ? [g.unitPath]
              : [],
        );
      return paths.sort((a, b) => a.length - b.length)[0];
    },
  };
}

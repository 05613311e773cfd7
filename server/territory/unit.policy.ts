/**
 * Who may do what with a unit. Reading needs any grant covering the unit; changing a unit needs an
 * administrator above it (an administrator does not redraw the root of their own scope); adding
 * children or importing under a unit needs an administrator covering it.
 */
import type { UnitAbilities } from '../../common/api.js';
import type { UnitLevel } from '../../common/territory.js';
import type { Actor } from '../accounts/actor.js';
import { and, belowScope, inScope, type Predicate } from '../policies/predicates.js';

export interface UnitForPolicy {
  path: string;
  level: UnitLevel;
}

const pathOf = (u: UnitForPolicy) => u.path;
const notUnitGrid: Predicate<UnitForPolicy> = (_actor, unit) => unit.level !== 'grid';

export const unitPolicy = {
  read: inScope(pathOf),
  update: belowScope(pathOf, 'admin'),
  createChild: and(inScope(pathOf, 'admin'), notUnitGrid),
  import: and(inScope(pathOf, 'admin'), notUnitGrid),
} satisfies Record<string, Predicate<UnitForPolicy>>;

export function unitAbilities(actor: Actor | null, unit: UnitForPolicy): UnitAbilities {
  return {
    update: unitPolicy.update(actor, unit),
    createChild: unitPolicy.createChild(actor, unit),
    import: unitPolicy.import(actor, unit),
  };
}

import type { GrantView, SessionView } from '../../common/api.js';
import { sessionAbilities } from './abilities.js';
import type { Grant, StaffActor } from './actor.js';

export const presentGrant = (g: Grant): GrantView => ({
  id: g.id,
  role: g.role,
  unit: g.unit,
  department: g.department,
});

export function presentSession(actor: StaffActor, csrfToken: string, expiresAt: Date): SessionView {
  return {
    account: {
      id: actor.id,
      username: actor.username,
      displayName: actor.displayName,
      kind: 'staff',
      mustChangePassword: actor.mustChangePassword,
      grants: actor.grants.map(presentGrant),
    },
    csrfToken,
    abilities: sessionAbilities(actor),
    expiresAt: expiresAt.toISOString(),
  };
}

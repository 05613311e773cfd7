/**
 * Who administers webhooks: administrators, for the units in their scope (as for machine keys).
 * A subscription sends its subtree's case events out of the installation, so nobody else sees one.
 */
import { hasRole, inScope } from '../policies/predicates.js';

export const webhookPolicy = {
  /** The webhooks page: an administrator anywhere. */
  manageSome: hasRole<unknown>('admin'),
  /** One subscription (or a new one on a unit): an administrator whose scope covers its unit. */
  manage: inScope<{ unitPath: string }>((w) => w.unitPath, 'admin'),
};

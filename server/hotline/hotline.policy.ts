/**
 * Who works with 12345 orders: dispatchers (受理员, who take the hotline's orders in) and
 * administrators. Mappings belong to a district and serve whoever of them reaches into it; an
 * import run belongs to its starter's scope; the status export covers the cases in their scope.
 */
import { importPolicy } from '../imports/import.policy.js';

export const HOTLINE_ROLES = ['dispatcher', 'admin'] as const;

export const hotlinePolicy = importPolicy(...HOTLINE_ROLES);

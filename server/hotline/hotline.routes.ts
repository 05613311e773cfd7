/**
 * 12345 work orders for dispatchers and administrators, on the import engine's routes
 * (server/imports/import.routes.ts) at /api/hotline: the fields and the district's codes, mappings,
 * previews, runs with their progress, summary and report.
 */
import { importRoutes } from '../imports/import.routes.js';
import { HOTLINE_ROLES } from './hotline.policy.js';
import { hotlineImport } from './hotline-import.js';

export const hotlineRoutes = importRoutes({
  prefix: '/api/hotline',
  kind: hotlineImport,
  roles: HOTLINE_ROLES,
  tags: ['hotline'],
  what: { zh: '工单', en: 'work orders' },
  describe: {
    mapping:
      'Every required field (orderNumber, category, description) needs a column, and a place (address, or lng ' +
      'and lat). Value tables translate their category, unit and urgency texts to our codes (GET /api/hotline/fields ' +
      'lists them); our own codes are accepted as they are. `isDefault` makes it the mapping pushed orders use.',
    imports:
      'Idempotent by order number: the same content again is unchanged, changed content updates, never a second case.',
  },
  reportName: 'hotline-import',
});

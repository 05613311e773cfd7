/**
 * The resident archive's HTTP surface (/api/archive/…), registered as one plugin: people and
 * search, households, buildings, dwellings and venues, tags, matter forms, the export, and departmental imports.
 */
import type { FastifyInstance } from 'fastify';
import { archiveExportRoutes } from './archive-export.routes.js';
import { householdRoutes } from './household.routes.js';
import { archiveImportRoutes } from './imports/archive-import.routes.js';
import { matterRoutes } from './matter.routes.js';
import { personRoutes } from './person.routes.js';
import { placeRoutes } from './place.routes.js';
import { tagRoutes } from './tag.routes.js';

export async function archiveRoutes(app: FastifyInstance): Promise<void> {
  await personRoutes(app);
  await householdRoutes(app);
  await placeRoutes(app);
  await tagRoutes(app);
  await matterRoutes(app);
  await archiveExportRoutes(app);
  await archiveImportRoutes(app);
}

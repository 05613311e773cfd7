/**
 * Who imports departmental data into the resident archive: administrators, within their scope (a run
 * lands only in its starter's part of the district). Mappings belong to a district, as every kind's.
 */
import type { Role } from '../../../common/roles.js';
import { importPolicy } from '../../imports/import.policy.js';

export const ARCHIVE_IMPORT_ROLES: readonly Role[] = ['admin'];

export const archiveImportPolicy = importPolicy(...ARCHIVE_IMPORT_ROLES);

/**
 * Departmental imports into the resident archive for administrators, on the import engine's routes:
 * people at /api/archive/import/people, households at /api/archive/import/households, venues at
 * /api/archive/import/venues (fields and
 * codes, mappings, previews, runs with progress, the summary of what changed, rejected rows and
 * conflicts).
 */
import type { FastifyInstance } from 'fastify';
import { importRoutes } from '../../imports/import.routes.js';
import { ARCHIVE_IMPORT_ROLES } from './archive-import.policy.js';
import { householdsImport } from './household-import.js';
import { peopleImport } from './person-import.js';
import { venuesImport } from './venue-import.js';

const RULE =
  'Rows are matched in the district (people by ID number, households by normalised address, venues by unified ' +
  'social credit code); each names its ' +
  'source department and the day its data was true (asOf). A field changes only when the row is newer than the ' +
  'data on file; a department disagreeing with another (or with a value entered by hand) is a conflict in the ' +
  'report (`show=conflicts`), never a silent choice. The same file again changes nothing. A record listed twice ' +
  'in a file: IMPORT_DUPLICATE_KEY.';

export async function archiveImportRoutes(app: FastifyInstance): Promise<void> {
  await app.register(
    importRoutes({
      prefix: '/api/archive/import/people',
      kind: peopleImport,
      roles: ARCHIVE_IMPORT_ROLES,
      tags: ['archive'],
      what: { zh: '人员', en: 'people' },
      describe: {
        mapping:
          'Required: idNumber, name, sourceDepartment, asOf. `unit` (a community or grid code) files a person not yet ' +
          'on file; `tag` with tagGrade/tagFrom/tagTo gives the department’s tag (低保, disability with its grade …).',
        imports: RULE,
      },
      reportName: 'archive-people-import',
    }),
  );
  await app.register(
    importRoutes({
      prefix: '/api/archive/import/households',
      kind: householdsImport,
      roles: ARCHIVE_IMPORT_ROLES,
      tags: ['archive'],
      what: { zh: '户', en: 'households' },
      describe: {
        mapping:
          'Required: address, members (“ID number relation” pairs separated by ; — 户主, 配偶, 子, 女 … or GB/T 4761 ' +
          'codes; exactly one head; the people on file), sourceDepartment, asOf.',
        imports: RULE,
      },
      reportName: 'archive-households-import',
    }),
  );
  await app.register(
    importRoutes({
      prefix: '/api/archive/import/venues',
      kind: venuesImport,
      roles: ARCHIVE_IMPORT_ROLES,
      tags: ['archive'],
      what: { zh: '场所', en: 'venues' },
      describe: {
        mapping:
          'Required: creditCode (统一社会信用代码, GB 32100 check character), name, sourceDepartment, asOf. `unit` (a ' +
          'community or grid code) files a venue not yet on file; kind and riskLevel take our codes.',
        imports: RULE,
      },
      reportName: 'archive-venues-import',
    }),
  );
}

/**
 * Starting an import: the file is judged first (format by content, encoding, a header with the
 * columns the mapping needs) so that a file that cannot work is refused at once with a coded
 * error; then the run is stored with the file itself and a copy of the mapping, audited and
 * enqueued in one transaction. The rows are read by the job (import-runner.ts).
 */
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { MappingRow } from '../import.repository.js';
import { detectFormat, readHead } from '../import-file.js';
import { enqueueImportRun } from '../import-jobs.js';
import type { ImportKind } from '../import-kind.js';
import { missingColumns, toStored } from '../import-mapping.js';
import type { RunnerDeps } from '../import-runner.js';

export interface StartImportProps {
  kind: ImportKind;
  mapping: MappingRow;
  /** Where the run's records may land (the starter's scope in the mapping's district). */
  scopePath: string;
  file: { name: string; bytes: Buffer };
  createdBy: string;
}

/** The file's format and header; IMPORT_COLUMNS_MISSING when a required field's column is not in it. */
export async function judgeFile(kind: ImportKind, mapping: MappingRow, bytes: Buffer) {
  const format = detectFormat(bytes);
  const head = await readHead(bytes, format, 10);
  const missing = missingColumns(mapping.rules, head.header);
  const required = new Set(kind.fields.filter((f) => f.required).map((f) => mapping.rules.columns[f.key]));
  const lacking = missing.filter((column) => required.has(column));
  // An empty JSON array names no columns: it is an import of nothing, like a header-only sheet.
  if (lacking.length && !(format === 'json' && head.header.length === 0)) {
    throw new AppError('IMPORT_COLUMNS_MISSING', {
      fields: lacking.map((column) => ({ path: 'body.file', reason: `no column “${column}”` })),
    });
  }
  return { format, ...head, missing };
}

/** Stores, audits and enqueues the run; answers its id and, without a job queue, what to call after commit. */
export async function startImport(
  db: Db,
  who: AuditContext,
  jobs: JobQueue | null,
  props: StartImportProps,
): Promise<{ id: string; after: ((deps: RunnerDeps) => void) | null }> {
  const { format } = await judgeFile(props.kind, props.mapping, props.file.bytes);
  const id = uuidv7();
  const sha256 = createHash('sha256').update(props.file.bytes).digest('hex');
  const after = await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('importRun')
      .values({
        district: props.mapping.district,
        id,
        kind: props.kind.kind,
        mappingId: props.mapping.id,
        mappingName: props.mapping.name,
        mapping: JSON.stringify(toStored(props.mapping.rules)),
        scopePath: props.scopePath,
        status: 'queued',
        fileName: props.file.name,
        fileFormat: format,
        file: props.file.bytes,
        fileBytes: props.file.bytes.length,
        fileSha256: sha256,
        createdBy: props.createdBy,
      })
      .execute();
    await writeAudit(
      trx,
      who,
      {
        action: 'import.started',
        data: {
          kind: props.kind.kind,
          mapping: props.mapping.name,
          file: props.file.name,
          format,
          bytes: props.file.bytes.length,
          sha256,
        },
      },
      { type: 'import_run', id, district: props.mapping.district },
    );
    return enqueueImportRun(trx, jobs, id);
  });
  return { id, after };
}

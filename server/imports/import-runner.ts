/**
 * Runs an import in the background: counts the file's rows (the progress bar's total), then reads
 * them again through the run's mapping and hands each to its kind, a few side by side (rows of one
 * record in file order). A row that does not map, or that the kind refuses (an AppError), is
 * rejected with its reason; it never stops the rows after it. The report rows and the counts are
 * written a batch at a time, so progress can be read while the run goes on, and a run taken up
 * again (a retried job) resumes after the last batch written: rows are idempotent in their kinds,
 * so one done twice only counts as unchanged.
 *
 * One process runs a given run at a time (an advisory lock held on a connection of its own).
 */
import { sql } from 'kysely';
import { ERRORS, type ErrorCode } from '../../common/errors.js';
import { MAX_IMPORT_ROWS } from '../../common/imports.js';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import { writeAudit } from '../audit/audit.writer.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import type { GridLocator } from '../territory/placement.js';
import { findRun, type RunRow, runFile } from './import.repository.js';
import type { RowConflict, StoredCells } from './import.tables.js';
import { readTable, type SourceRow } from './import-file.js';
import type { ImportKind, ImportRunInfo, RowContext } from './import-kind.js';
import { IMPORT_KINDS } from './import-kinds.js';
import { fromStored, mapRow, type PreparedMapping, prepareMapping, storedCells } from './import-mapping.js';
import { cellText } from './import-values.js';

export interface RunnerDeps {
  db: Db;
  locator: GridLocator;
  log: { error: (obj: unknown, msg: string) => void };
}

interface RowOutcome {
  rowNumber: number;
  recordKey: string | null;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  recordId: string | null;
  errorCode: ErrorCode | null;
  field: string | null;
  messageZh: string | null;
  messageEn: string | null;
  raw: StoredCells | null;
  fields: string[];
  kept: string[];
  conflicts: RowConflict[];
}

/** Rows per written batch: how often progress moves. */
const BATCH = 50;
/** Rows written side by side. */
const SIDE_BY_SIDE = 4;

function rejected(row: SourceRow, key: string | null, code: ErrorCode, field: string | null, zh: string, en: string) {
  return {
    rowNumber: row.number,
    recordKey: key,
    outcome: 'rejected' as const,
    recordId: null,
    errorCode: code,
    field,
    messageZh: zh,
    messageEn: en,
    raw: storedCells(row),
    fields: [],
    kept: [],
    conflicts: [],
  };
}

/** The row's record key (an order number) as written, if it has one. */
function keyOf(mapping: PreparedMapping, row: SourceRow): string | null {
  const column = mapping.columns.get(mapping.kind.keyField);
  const cell = row.cells.find(([name]) => name === column)?.[1] ?? null;
  return cellText(cell).slice(0, 200) || null;
}

/** The key rows of one record share: as written, or as the kind normalises it when it must be unique. */
function recordKeyOf(mapping: PreparedMapping, row: SourceRow): string | null {
  const key = keyOf(mapping, row);
  return key && mapping.kind.uniqueKey ? mapping.kind.uniqueKey(key) || key : key;
}

/**
 * Claims the row's key for the run (kinds whose records appear once per file); answers the number of
 * the earlier row that holds it, or null when it is this row's (a resumed run finds its own claims).
 */
async function earlierRowWithKey(db: Db, run: ImportRunInfo, key: string, rowNumber: number): Promise<number | null> {
  await db
    .insertInto('importKey')
    .values({ district: run.district, runId: run.id, key, rowNumber })
    .onConflict((oc) => oc.columns(['district', 'runId', 'key']).doNothing())
    .execute();
  const holder = await db
    .selectFrom('importKey')
    .select('rowNumber')
    .where('district', '=', run.district)
    .where('runId', '=', run.id)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return holder.rowNumber === rowNumber ? null : holder.rowNumber;
}

/** One row: mapped, then written by its kind; every failure becomes the row's rejection. */
async function runRow(
  deps: RunnerDeps,
  ctx: RowContext,
  mapping: PreparedMapping,
  row: SourceRow,
): Promise<RowOutcome> {
  const kind = mapping.kind;
  const { record, problems } = mapRow(mapping, row);
  const key = keyOf(mapping, row);
  const unique = kind.uniqueKey && recordKeyOf(mapping, row);
  const earlier = unique ? await earlierRowWithKey(deps.db, ctx.run, unique, row.number) : null;
  if (earlier !== null) {
    const entry = ERRORS.IMPORT_DUPLICATE_KEY;
    return rejected(
      row,
      key,
      'IMPORT_DUPLICATE_KEY',
      kind.keyField,
      `${entry.zh}（与第 ${earlier} 行相同）`,
      `${entry.en} (same as row ${earlier})`,
    );
  }
  const [first] = problems;
  if (first) {
    const zh = problems.map((p) => p.zh).join('；');
    const en = problems.map((p) => p.en).join('; ');
    return rejected(row, key, first.code, first.field, zh, en);
  }
  try {
    const result = await kind.write({ ...ctx, rowNumber: row.number }, record, storedCells(row));
    return {
      outcome: result.outcome,
      recordId: result.recordId,
      fields: result.fields ?? [],
      kept: result.kept ?? [],
      conflicts: result.conflicts ?? [],
      rowNumber: row.number,
      recordKey: key,
      errorCode: null,
      field: null,
      messageZh: null,
      messageEn: null,
      raw: null,
    };
  } catch (error) {
    if (error instanceof AppError) {
      const problem = error.fields?.[0];
      const field = problem?.path.replace(/^body\./, '') ?? null;
      const entry = ERRORS[error.code];
      const detail = problem ? `（${field}：${problem.reason}）` : '';
      return rejected(
        row,
        key,
        error.code,
        field,
        `${entry.zh}${detail}`,
        `${entry.en}${problem ? ` (${field}: ${problem.reason})` : ''}`,
      );
    }
    deps.log.error({ err: error, run: ctx.run.id, row: row.number }, 'import row failed');
    const entry = ERRORS.IMPORT_ROW_FAILED;
    return rejected(row, key, 'IMPORT_ROW_FAILED', null, entry.zh, entry.en);
  }
}

/**
 * A few rows at once (each in its own transactions, so the database works on several), answered in
 * file order. Rows of one record run one after another in file order, so the last one wins as it
 * would one row at a time.
 */
function rowsSideBySide(deps: RunnerDeps, ctx: RowContext, mapping: PreparedMapping, rows: SourceRow[]) {
  const chains = new Map<string, Promise<RowOutcome>>();
  return Promise.all(
    rows.map((row) => {
      const key = recordKeyOf(mapping, row) ?? `#${row.number}`;
      const outcome = (chains.get(key) ?? Promise.resolve()).then(() => runRow(deps, ctx, mapping, row));
      chains.set(key, outcome);
      return outcome;
    }),
  );
}

/** Writes a batch's report rows and moves the run's progress and counts, in one transaction. */
async function flush(db: Db, run: RunRow, processed: number, batch: RowOutcome[]): Promise<void> {
  if (batch.length === 0) return;
  const count = (outcome: RowOutcome['outcome']) => batch.filter((r) => r.outcome === outcome).length;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('importRow')
      .values(
        batch.map((r) => ({
          ...r,
          district: run.district,
          runId: run.id,
          raw: r.raw && JSON.stringify(r.raw),
          conflicts: JSON.stringify(r.conflicts),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['district', 'runId', 'rowNumber']).doUpdateSet((eb) => ({
          outcome: eb.ref('excluded.outcome'),
          recordId: eb.ref('excluded.recordId'),
          errorCode: eb.ref('excluded.errorCode'),
          field: eb.ref('excluded.field'),
          messageZh: eb.ref('excluded.messageZh'),
          messageEn: eb.ref('excluded.messageEn'),
          raw: eb.ref('excluded.raw'),
          fields: eb.ref('excluded.fields'),
          kept: eb.ref('excluded.kept'),
          conflicts: eb.ref('excluded.conflicts'),
        })),
      )
      .execute();
    await trx
      .updateTable('importRun')
      .set((eb) => ({
        processedRows: processed,
        createdCount: eb('createdCount', '+', count('created')),
        updatedCount: eb('updatedCount', '+', count('updated')),
        unchangedCount: eb('unchangedCount', '+', count('unchanged')),
        rejectedCount: eb('rejectedCount', '+', count('rejected')),
        conflictCount: eb('conflictCount', '+', batch.filter((r) => r.conflicts.length > 0).length),
        updatedAt: new Date(),
      }))
      .where('district', '=', run.district)
      .where('id', '=', run.id)
      .execute();
  });
  batch.length = 0;
}

/** Ends a run (done or failed) with its audit row. */
async function finish(db: Db, run: RunRow, status: 'done' | 'failed', errorCode: ErrorCode | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable('importRun')
      .set({ status, errorCode, finishedAt: new Date(), updatedAt: new Date() })
      .where('district', '=', run.district)
      .where('id', '=', run.id)
      .returning(['totalRows', 'createdCount', 'updatedCount', 'unchangedCount', 'rejectedCount'])
      .executeTakeFirstOrThrow();
    await writeAudit(
      trx,
      { actor: SYSTEM_ACTOR },
      {
        action: 'import.finished',
        data: {
          kind: run.kind,
          status,
          total: ended.totalRows ?? 0,
          created: ended.createdCount,
          updated: ended.updatedCount,
          unchanged: ended.unchangedCount,
          rejected: ended.rejectedCount,
          error: errorCode,
        },
      },
      { type: 'import_run', id: run.id, district: run.district },
    );
  });
}

/** Counts the data rows (the total) and marks the run running; a coded error when the file is unusable. */
async function count(db: Db, run: RunRow, bytes: Buffer): Promise<void> {
  let total = 0;
  for await (const item of readTable(bytes, run.fileFormat)) {
    if (item.row) total += 1;
    if (total > MAX_IMPORT_ROWS) throw new AppError('IMPORT_TOO_MANY_ROWS');
  }
  await db
    .updateTable('importRun')
    .set({ totalRows: total, status: 'running', startedAt: new Date(), updatedAt: new Date() })
    .where('district', '=', run.district)
    .where('id', '=', run.id)
    .execute();
}

async function runRows(deps: RunnerDeps, run: RunRow, kind: ImportKind): Promise<void> {
  const { db } = deps;
  const bytes = await runFile(db, run);
  if (run.totalRows === null) await count(db, run, bytes);
  const mapping = prepareMapping(kind, fromStored(run.mapping), await kind.codes(db, run.district));
  const ctx: RowContext = {
    db,
    locator: deps.locator,
    rowNumber: 0,
    run: {
      id: run.id,
      district: run.district,
      scopePath: run.scopePath,
      createdBy: run.createdBy,
      createdByName: run.createdByName,
    },
  };
  const batch: RowOutcome[] = [];
  let group: SourceRow[] = [];
  let index = 0;
  let done = run.processedRows;
  const runGroup = async () => {
    batch.push(...(await rowsSideBySide(deps, ctx, mapping, group)));
    done += group.length;
    group = [];
    if (batch.length >= BATCH) await flush(db, run, done, batch);
  };
  try {
    for await (const item of readTable(bytes, run.fileFormat)) {
      if (!item.row) continue;
      index += 1;
      if (index <= run.processedRows) continue;
      group.push(item.row);
      if (group.length >= SIDE_BY_SIDE) await runGroup();
    }
    if (group.length) await runGroup();
  } finally {
    // What was done is recorded even when the file breaks off halfway.
    await flush(db, run, done, batch);
  }
}

/**
 * Processes one run (the job's body). Returns when the run is done or failed, or at once when
 * another process holds it or it has already ended.
 */
export async function processImportRun(deps: RunnerDeps, runId: string): Promise<void> {
  await deps.db.connection().execute(async (connection) => {
    const lock = `import-run:${runId}`;
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(hashtext(${lock})) as locked`.execute(
      connection,
    );
    if (!rows[0]?.locked) return;
    try {
      const run = await findRun(deps.db, runId);
      if (!run || run.status === 'done' || run.status === 'failed') return;
      const kind = IMPORT_KINDS[run.kind];
      try {
        if (!kind) throw new Error(`no import kind ${run.kind}`);
        await runRows(deps, run, kind);
        await finish(deps.db, run, 'done', null);
      } catch (error) {
        if (!(error instanceof AppError)) deps.log.error({ err: error, run: runId }, 'import run failed');
        await finish(deps.db, run, 'failed', error instanceof AppError ? error.code : 'IMPORT_RUN_FAILED');
      }
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${lock}))`.execute(connection);
    }
  });
}

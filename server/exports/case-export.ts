/**
 * Case exports: the case list's own query (case.repository.ts filteredCases: same scope, same
 * filters, same order) read through a server-side cursor and written as it is read.
 *
 * One REPEATABLE READ, read-only transaction holds the export: its first statement counts the rows
 * (the total the client is told up front, and the audit row's count), the cursor then reads the
 * same snapshot `BATCH` rows at a time, so the file has exactly the rows counted however the cases
 * change meanwhile. The transaction (one pooled connection) lives as long as the download.
 */
import type { Writable } from 'node:stream';
import { CompiledQuery, sql } from 'kysely';
import type { StaffActor } from '../accounts/actor.js';
import { toShanghaiIso } from '../calendar/civil.js';
import { presentCase } from '../cases/case.presenter.js';
import { type CaseFilters, type CaseRow, filteredCases } from '../cases/case.repository.js';
import type { Db, Trx } from '../db/database.js';
import { pathInScope } from '../policies/scope.js';
import { CASE_COLUMNS, columnHeader, type ExportCase } from './case-columns.js';
import { unmaskedFor, unmaskPaths } from './export.policy.js';
import { csvWriter, type TableColumn, xlsxWriter } from './table-writer.js';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Rows per FETCH: large enough to keep round trips few, small enough to keep memory flat. */
export const BATCH = 1000;

export interface CaseExportOptions {
  actor: StaffActor;
  filters: CaseFilters;
  format: ExportFormat;
  /** Unmask reporters' contacts where the actor's dispatcher scope covers the case (checked by the route). */
  unmask: boolean;
  now?: Date;
  batch?: number;
}

export interface OpenedExport {
  total: number;
  /** Rows whose reporter goes out unmasked. */
  unmaskedRows: number;
  /** Writes the file into `out` (ending it); resolves when the last byte is handed over. */
  write(out: Writable): Promise<void>;
  /** Ends the transaction without writing. */
  cancel(): Promise<void>;
}

const TABLE_COLUMNS: TableColumn[] = CASE_COLUMNS.map((c) => ({
  header: columnHeader(c),
  type: c.type,
  width: c.width,
}));

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

type Names = { units: Map<string, { code: string; name: string }>; departments: Map<string, string> };

/** Unit and department names of a batch, fetched once per id for the whole export. */
async function lookUpNames(trx: Trx, rows: readonly CaseRow[], names: Names): Promise<void> {
  const units = [...new Set(rows.map((r) => r.unitId).filter((id) => !names.units.has(id)))];
  const departments = [
    ...new Set(rows.flatMap((r) => (r.departmentId && !names.departments.has(r.departmentId) ? [r.departmentId] : []))),
  ];
  const [unitRows, departmentRows] = await Promise.all([
    units.length ? trx.selectFrom('unit').select(['id', 'code', 'name']).where('id', 'in', units).execute() : [],
    departments.length
      ? trx.selectFrom('department').select(['id', 'name']).where('id', 'in', departments).execute()
      : [],
  ]);
  for (const u of unitRows) names.units.set(u.id, { code: u.code, name: u.name });
  for (const d of departmentRows) names.departments.set(d.id, d.name);
}

/**
 * Counts the export and keeps its snapshot open; the caller writes the audit row, then calls
 * `write` (or `cancel`). Errors before the count reject here; later ones reject `write`.
 */
export async function openCaseExport(db: Db, options: CaseExportOptions): Promise<OpenedExport> {
  const { actor, filters, format } = options;
  const now = options.now ?? new Date();
  const batch = options.batch ?? BATCH;
  const paths = options.unmask ? unmaskPaths(actor) : [];
  const counted = deferred<{ total: number; unmaskedRows: number }>();
  const output = deferred<Writable | null>();

  const finished = db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const query = filteredCases(trx, actor, filters);
      const counts = await query
        .clearSelect()
        .clearOrderBy()
        .select((eb) => [
          sql<number>`count(*)::int`.as('total'),
          sql<number>`(count(*) filter (where ${pathInScope(eb, 'cases.unitPath', paths)}))::int`.as('unmasked'),
        ])
        .executeTakeFirstOrThrow();
      counted.resolve({ total: counts.total, unmaskedRows: counts.unmasked });

      const out = await output.promise;
      if (!out) return;
      const compiled = query.compile();
      await trx.executeQuery(
        CompiledQuery.raw(`declare case_export no scroll cursor for ${compiled.sql}`, [...compiled.parameters]),
      );
      const writer =
        format === 'csv' ? csvWriter(out, TABLE_COLUMNS) : xlsxWriter(out, TABLE_COLUMNS, { sheet: '案件 Cases' });
      const names: Names = { units: new Map(), departments: new Map() };
      const fetch = sql<Omit<CaseRow, 'pendingKind'>>`fetch forward ${sql.lit(batch)} from case_export`;
      for (;;) {
        const { rows } = await fetch.execute(trx);
        if (rows.length === 0) break;
        const cases = rows.map((r) => ({ ...r, pendingKind: r.pendingRequest?.kind ?? null }));
        await lookUpNames(trx, cases, names);
        await writer.rows(
          cases.map((row) => {
            const view = presentCase(actor, row, now);
            const c: ExportCase = {
              view,
              row,
              unit: names.units.get(row.unitId),
              department: row.departmentId ? names.departments.get(row.departmentId) : undefined,
              reporter: unmaskedFor(paths, row.unitPath)
                ? { name: row.reporterName, phone: row.reporterPhone }
                : { name: view.reporter.name, phone: view.reporter.phone },
            };
            return CASE_COLUMNS.map((column) => column.value(c));
          }),
        );
        if (rows.length < batch) break;
      }
      await writer.end();
    });
  // Before the count, a failure is the caller's to answer; the promise is awaited by write/cancel.
  finished.catch((error) => counted.reject(error));
  const counts = await counted.promise;
  return {
    ...counts,
    write(out) {
      output.resolve(out);
      return finished;
    },
    cancel() {
      output.resolve(null);
      return finished;
    },
  };
}

/** The file's name: cases-<Beijing yyyymmdd-hhmm>.<format>. */
export function exportFileName(prefix: string, format: ExportFormat, now = new Date()): string {
  const stamp = toShanghaiIso(now).slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `${prefix}-${stamp}.${format}`;
}

/**
 * Reading mappings, runs and report rows. Lists are scoped in SQL: mappings of the districts the
 * actor's paths reach into, runs whose scope lies under the actor's paths.
 */
import { type SqlBool, sql } from 'kysely';
import type { ImportOutcome } from '../../common/imports.js';
import type { Db, Trx } from '../db/database.js';
import { pathInScope } from '../policies/scope.js';
import type { MappingSnapshot } from './import.tables.js';
import { fromStored, type MappingRules } from './import-mapping.js';

export interface MappingRow {
  district: string;
  id: string;
  kind: string;
  name: string;
  unitPath: string;
  isDefault: boolean;
  rules: MappingRules;
  createdAt: Date;
  updatedAt: Date;
}

const MAPPING_COLUMNS = [
  'district',
  'id',
  'kind',
  'name',
  'unitPath',
  'isDefault',
  'columns',
  'valueMap',
  'createdAt',
  'updatedAt',
] as const;

function mappingRow(row: {
  columns: MappingSnapshot['columns'];
  valueMap: MappingSnapshot['values'];
  [key: string]: unknown;
}): MappingRow {
  const { columns, valueMap, ...rest } = row;
  return { ...(rest as Omit<MappingRow, 'rules'>), rules: fromStored({ columns, values: valueMap }) };
}

export async function findMapping(db: Db | Trx, id: string): Promise<MappingRow | undefined> {
  const row = await db.selectFrom('importMapping').select(MAPPING_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && mappingRow(row);
}

/** The district's default mapping of a kind (machine pushes read their values through it). */
export async function findDefaultMapping(db: Db, district: string, kind: string): Promise<MappingRow | undefined> {
  const row = await db
    .selectFrom('importMapping')
    .select(MAPPING_COLUMNS)
    .where('district', '=', district)
    .where('kind', '=', kind)
    .where('isDefault', '=', true)
    .executeTakeFirst();
  return row && mappingRow(row);
}

/** Mappings of a kind in the districts the paths reach into (covering them or lying inside them). */
export async function listMappings(db: Db, kind: string, paths: readonly string[]): Promise<MappingRow[]> {
  if (paths.length === 0) return [];
  const rows = await db
    .selectFrom('importMapping')
    .select(MAPPING_COLUMNS)
    .where('kind', '=', kind)
    .where((eb) =>
      eb.or([
        pathInScope(eb, 'importMapping.unitPath', paths),
        ...paths.map((p) => sql<SqlBool>`starts_with(${p}, import_mapping.unit_path)`),
      ]),
    )
    .orderBy('district')
    .orderBy('name')
    .execute();
  return rows.map(mappingRow);
}

export interface RunRow {
  district: string;
  id: string;
  kind: string;
  mappingId: string;
  mappingName: string;
  mapping: MappingSnapshot;
  scopePath: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  fileName: string;
  fileFormat: 'xlsx' | 'csv' | 'json';
  fileBytes: number;
  totalRows: number | null;
  processedRows: number;
  createdCount: number;
  updatedCount: number;
  unchangedCount: number;
  rejectedCount: number;
  conflictCount: number;
  errorCode: string | null;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

function selectRuns(db: Db | Trx) {
  return db
    .selectFrom('importRun as r')
    .leftJoin('account as a', 'a.id', 'r.createdBy')
    .select([
      'r.district',
      'r.id',
      'r.kind',
      'r.mappingId',
      'r.mappingName',
      'r.mapping',
      'r.scopePath',
      'r.status',
      'r.fileName',
      'r.fileFormat',
      'r.fileBytes',
      'r.totalRows',
      'r.processedRows',
      'r.createdCount',
      'r.updatedCount',
      'r.unchangedCount',
      'r.rejectedCount',
      'r.conflictCount',
      'r.errorCode',
      'r.createdBy',
      sql<string>`coalesce(a.display_name, a.username, '')`.as('createdByName'),
      'r.createdAt',
      'r.startedAt',
      'r.finishedAt',
    ]);
}

export async function findRun(db: Db | Trx, id: string): Promise<RunRow | undefined> {
  return selectRuns(db).where('r.id', '=', id).executeTakeFirst();
}

/** The newest runs of a kind whose scope lies under the paths. */
export async function listRuns(db: Db, kind: string, paths: readonly string[], limit = 50): Promise<RunRow[]> {
  return selectRuns(db)
    .where('r.kind', '=', kind)
    .where((eb) => pathInScope(eb, 'r.scopePath', paths))
    .orderBy('r.createdAt', 'desc')
    .limit(limit)
    .execute();
}

/** The file as it was uploaded. */
export async function runFile(db: Db, run: { district: string; id: string }): Promise<Buffer> {
  const row = await db
    .selectFrom('importRun')
    .select('file')
    .where('district', '=', run.district)
    .where('id', '=', run.id)
    .executeTakeFirstOrThrow();
  return row.file;
}

const ROW_COLUMNS = [
  'rowNumber',
  'recordKey',
  'outcome',
  'recordId',
  'errorCode',
  'field',
  'messageZh',
  'messageEn',
  'raw',
  'fields',
  'kept',
  'conflicts',
] as const;

/**
 * A page of a run's report rows of some outcomes (or, for `conflicts`, the rows that found sources
 * disagreeing), in file order, and how many there are in all.
 */
export async function listReportRows(
  db: Db,
  run: { district: string; id: string },
  outcomes: readonly ImportOutcome[] | 'conflicts',
  page: { offset: number; limit: number },
) {
  const rows = db.selectFrom('importRow').where('district', '=', run.district).where('runId', '=', run.id);
  const base =
    outcomes === 'conflicts'
      ? rows.where(sql<SqlBool>`conflicts <> '[]'::jsonb`)
      : rows.where('outcome', 'in', outcomes);
  const [items, total] = await Promise.all([
    base.select(ROW_COLUMNS).orderBy('rowNumber').offset(page.offset).limit(page.limit).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export type ReportRow = Awaited<ReturnType<typeof listReportRows>>['items'][number];

/** What a run changed: how many rows changed or kept each field, and its rejections by code. */
export async function runSummary(db: Db, run: { district: string; id: string }) {
  const tally = (column: 'fields' | 'kept') =>
    sql<{ field: string; rows: number }>`
      select f as field, count(*)::int as rows from import_row, unnest(${sql.ref(column)}) as f
      where district = ${run.district} and run_id = ${run.id} group by f order by rows desc, f`.execute(db);
  const [changed, kept, rejected] = await Promise.all([
    tally('fields'),
    tally('kept'),
    db
      .selectFrom('importRow')
      .select(['errorCode', (eb) => eb.fn.countAll<string>().as('n')])
      .where('district', '=', run.district)
      .where('runId', '=', run.id)
      .where('outcome', '=', 'rejected')
      .groupBy('errorCode')
      .orderBy('errorCode')
      .execute(),
  ]);
  return {
    changedFields: changed.rows,
    keptFields: kept.rows,
    rejectedByCode: rejected.map((r) => ({ code: r.errorCode ?? 'IMPORT_ROW_FAILED', rows: Number(r.n) })),
  };
}

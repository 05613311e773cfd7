import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { LEVEL_DEPTH } from '../../../common/territory.js';
import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { ImportProblem, ImportRow, ProgressFn } from '../import/import-row.js';
import { byDepth, type PlannedUnit, validateImport } from '../import/validate-import.js';
import { bumpTerritoryVersion, TERRITORY_LOCK } from '../placement.js';

export interface ImportUnitsProps {
  rows: ImportRow[];
  /** Problems found while reading the file; any of them stops the import. */
  readProblems?: ImportProblem[];
  source: string;
  allowUpdate: boolean;
  parentAllowed?: (parentPath: string) => boolean;
  progress?: ProgressFn;
}

export interface ImportSummary {
  created: number;
  updated: number;
  units: { id: string; code: string; created: boolean }[];
}

const BATCH = 500;

/**
 * Validates every row, then writes all of them in one transaction — or nothing, with every problem
 * listed (IMPORT_INVALID). Creating one unit through the API goes through here too.
 */
export async function importUnits(db: Db, audit: AuditContext, props: ImportUnitsProps): Promise<ImportSummary> {
  return db.transaction().execute(async (trx) => {
    // Serialise territory writes: the overlap and parent checks must see a stable set of units.
    await sql`select pg_advisory_xact_lock(${TERRITORY_LOCK})`.execute(trx);
    const { planned, problems } = await validateImport(trx, props.rows, props);
    const all = [...(props.readProblems ?? []), ...problems];
    if (all.length > 0)
      throw new AppError('IMPORT_INVALID', { details: { problems: all.slice(0, 1_000), problemCount: all.length } });
    const summary = await writePlanned(trx, planned, props.progress);
    await writeAudit(trx, audit, {
      action: 'units.imported',
      data: { source: props.source.slice(0, 200), created: summary.created, updated: summary.updated },
    });
    await bumpTerritoryVersion(trx);
    return summary;
  });
}

async function writePlanned(trx: Trx, planned: PlannedUnit[], progress?: ProgressFn): Promise<ImportSummary> {
  const sorted = [...planned].sort(byDepth);
  const pathOf = new Map<string, { id: string; path: string }>();
  const parentCodes = [...new Set(sorted.map((u) => u.parentCode).filter((c): c is string => c !== null))];
  for (let i = 0; i < parentCodes.length; i += 5_000) {
    const rows = await trx
      .selectFrom('unit')
      .select(['id', 'code', 'path'])
      .where('code', 'in', parentCodes.slice(i, i + 5_000))
      .execute();
    for (const r of rows) pathOf.set(r.code, { id: r.id, path: r.path });
  }
  const summary: ImportSummary = { created: 0, updated: 0, units: [] };
  const now = new Date();
  const inserts = [];
  for (const u of sorted) {
    const parent = u.parentCode ? pathOf.get(u.parentCode) : undefined;
    const id = u.existingId ?? uuidv7();
    const path = `${parent?.path ?? ''}${u.code}.`;
    pathOf.set(u.code, { id, path });
    summary.units.push({ id, code: u.code, created: !u.existingId });
    const geometryColumns = {
      geometry: u.geometry ? JSON.stringify(u.geometry) : null,
      minLng: u.bbox?.[0] ?? null,
      minLat: u.bbox?.[1] ?? null,
      maxLng: u.bbox?.[2] ?? null,
      maxLat: u.bbox?.[3] ?? null,
    };
    if (u.existingId) {
      summary.updated += 1;
      await trx
        .updateTable('unit')
        .set({ name: u.name, kind: u.kind, ...geometryColumns, updatedAt: now })
        .where('id', '=', u.existingId)
        .where('district', '=', u.district)
        .execute();
    } else {
      summary.created += 1;
      inserts.push({
        id,
        district: u.district,
        code: u.code,
        name: u.name,
        level: u.level,
        kind: u.kind,
        parentId: parent?.id ?? null,
        path,
        depth: LEVEL_DEPTH[u.level],
        ...geometryColumns,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  for (let i = 0; i < inserts.length; i += BATCH) {
    await trx
      .insertInto('unit')
      .values(inserts.slice(i, i + BATCH))
      .execute();
    progress?.('write', Math.min(i + BATCH, inserts.length), inserts.length);
  }
  return summary;
}

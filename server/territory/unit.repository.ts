/**
 * Reading units. Every list is limited by SQL scoping (pathInScope); single loads are checked by
 * the policy after loading.
 */
import { sql } from 'kysely';
import type { UnitLevel } from '../../common/territory.js';
import type { Db, Trx } from '../db/database.js';
import { pathInScope } from '../policies/scope.js';

export const unitColumns = [
  'unit.id',
  'unit.district',
  'unit.code',
  'unit.name',
  'unit.level',
  'unit.kind',
  'unit.parentId',
  'unit.path',
  'unit.depth',
  'unit.createdAt',
  'unit.updatedAt',
] as const;

export type UnitRow = Awaited<ReturnType<typeof findUnitById>> & {};

const childCount = () =>
  sql<number>`(select count(*)::int from unit child where child.parent_id = unit.id)`.as('childCount');

export async function findUnitById(db: Db | Trx, id: string) {
  return db
    .selectFrom('unit')
    .select([...unitColumns, sql<boolean>`unit.geometry is not null`.as('hasGeometry'), childCount()])
    .where('unit.id', '=', id)
    .executeTakeFirst();
}

export async function findUnitGeometry(db: Db | Trx, id: string) {
  const row = await db.selectFrom('unit').select('geometry').where('id', '=', id).executeTakeFirst();
  return row?.geometry ?? null;
}

/** The units named by the paths' last codes (for breadcrumbs). */
export async function findAncestors(db: Db | Trx, path: string) {
  const codes = path.split('.').filter(Boolean).slice(0, -1);
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('unit').select(['id', 'code', 'name', 'level']).where('code', 'in', codes).execute();
  return codes.flatMap((c) => rows.filter((r) => r.code === c));
}

export interface UnitListQuery {
  parentId?: string | undefined;
  level?: UnitLevel | undefined;
  q?: string | undefined;
  limit: number;
}

/** Units in scope: children of a parent, a text search, or (neither given) the scope roots themselves. */
export async function listUnits(db: Db, scope: readonly string[], query: UnitListQuery) {
  let select = db
    .selectFrom('unit')
    .select([...unitColumns, sql<boolean>`unit.geometry is not null`.as('hasGeometry'), childCount()])
    .where((eb) => pathInScope(eb, 'unit.path', scope))
    .orderBy('unit.code')
    .limit(query.limit);
  if (query.parentId) select = select.where('unit.parentId', '=', query.parentId);
  if (query.level) select = select.where('unit.level', '=', query.level);
  if (query.q) {
    const q = query.q;
    select = select.where((eb) =>
      /^\d+$/.test(q) ? eb('unit.code', 'like', `${q}%`) : eb('unit.name', 'like', `%${q.replace(/[\\%_]/g, '\\$&')}%`),
    );
  }
  if (!query.parentId && !query.q && !query.level) select = select.where('unit.path', 'in', [...scope]);
  return select.execute();
}

/** Polygons of the units of one level below a unit, as rows for a FeatureCollection. */
export async function listGeometriesUnder(db: Db, path: string, level: UnitLevel, limit: number) {
  return db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'level', 'parentId', 'geometry'])
    .where('path', 'like', `${path}%`)
    .where('level', '=', level)
    .where('geometry', 'is not', null)
    .orderBy('code')
    .limit(limit)
    .execute();
}

/**
 * Reading visits: one visit with its household, visitor and unit; pages of visits in scope; the
 * needs and photos of a set of visits; the people of households (for the read audit).
 */
import { sql } from 'kysely';
import type { Db, Trx } from '../db/database.js';
import { pathInScope } from '../policies/scope.js';

function visitQuery(db: Db | Trx) {
  return db
    .selectFrom('visit as v')
    .innerJoin('household as h', (j) => j.onRef('h.district', '=', 'v.district').onRef('h.id', '=', 'v.householdId'))
    .innerJoin('unit as u', 'u.id', 'v.unitId')
    .innerJoin('account as a', 'a.id', 'v.visitorId')
    .select([
      'v.district',
      'v.id',
      'v.householdId',
      'v.unitId',
      'v.unitPath',
      'v.visitedAt',
      'v.night',
      'v.findings',
      'v.synthetic',
      'v.createdAt',
      'h.address',
      'h.dissolvedAt',
      'u.code as unitCode',
      'u.name as unitName',
      'v.visitorId',
      'a.displayName as visitorName',
    ]);
}

export type VisitRow = Awaited<ReturnType<ReturnType<typeof visitQuery>['executeTakeFirstOrThrow']>>;

export async function findVisit(db: Db | Trx, id: string): Promise<VisitRow | undefined> {
  return visitQuery(db).where('v.id', '=', id).executeTakeFirst();
}

export interface VisitFilters {
  householdId?: string | undefined;
  /** A unit's subtree (already checked to be in scope). */
  unitPath?: string | undefined;
  visitorId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset: visits strictly before this instant. */
  before?: Date | undefined;
  limit: number;
}

/** Visits under the scope's paths, newest first. */
export async function listVisits(db: Db, paths: readonly string[], f: VisitFilters): Promise<VisitRow[]> {
  return visitQuery(db)
    .where((eb) => pathInScope(eb, 'v.unitPath', paths))
    .$if(Boolean(f.unitPath), (q) => q.where((eb) => pathInScope(eb, 'v.unitPath', [f.unitPath ?? ''])))
    .$if(Boolean(f.householdId), (q) => q.where('v.householdId', '=', f.householdId ?? ''))
    .$if(Boolean(f.visitorId), (q) => q.where('v.visitorId', '=', f.visitorId ?? ''))
    .$if(Boolean(f.from), (q) => q.where('v.visitedAt', '>=', f.from ?? new Date(0)))
    .$if(Boolean(f.to), (q) => q.where('v.visitedAt', '<', f.to ?? new Date(0)))
    .$if(Boolean(f.before), (q) => q.where('v.visitedAt', '<', f.before ?? new Date(0)))
    .orderBy('v.visitedAt', 'desc')
    .orderBy('v.id', 'desc')
    .limit(f.limit)
    .execute();
}

function needQuery(db: Db | Trx) {
  return db
    .selectFrom('visitNeed as n')
    .leftJoin('cases as c', (j) => j.onRef('c.district', '=', 'n.caseDistrict').onRef('c.id', '=', 'n.caseId'))
    .leftJoin('account as r', 'r.id', 'n.resolvedBy')
    .select([
      'n.district',
      'n.id',
      'n.visitId',
      'n.householdId',
      'n.unitPath',
      'n.kind',
      'n.description',
      'n.status',
      'n.caseId',
      'c.number as caseNumber',
      'c.state as caseState',
      'n.referredAt',
      'n.resolution',
      'n.resolvedBy',
      'r.displayName as resolvedByName',
      'n.resolvedAt',
      'n.version',
      'n.createdAt',
    ]);
}

export type NeedRow = Awaited<ReturnType<ReturnType<typeof needQuery>['executeTakeFirstOrThrow']>>;

/** The needs of some visits of one district, in the order they were written. */
export async function needsOf(db: Db | Trx, district: string, visitIds: readonly string[]): Promise<NeedRow[]> {
  if (visitIds.length === 0) return [];
  return needQuery(db)
    .where('n.district', '=', district)
    .where('n.visitId', 'in', visitIds)
    .orderBy('n.createdAt')
    .orderBy('n.id')
    .execute();
}

export async function findNeed(db: Db | Trx, district: string, visitId: string, needId: string) {
  return needQuery(db)
    .where('n.district', '=', district)
    .where('n.visitId', '=', visitId)
    .where('n.id', '=', needId)
    .executeTakeFirst();
}

export async function photosOf(db: Db | Trx, district: string, visitIds: readonly string[]) {
  if (visitIds.length === 0) return [];
  return db
    .selectFrom('visitPhoto')
    .select(['visitId', 'key'])
    .where('district', '=', district)
    .where('visitId', 'in', visitIds)
    .orderBy('createdAt')
    .orderBy('key')
    .execute();
}

/** Is the key a photo of the visit? */
export async function visitShows(db: Db, district: string, visitId: string, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('visitPhoto')
    .select('key')
    .where('district', '=', district)
    .where('visitId', '=', visitId)
    .where('key', '=', key)
    .executeTakeFirst();
  return Boolean(row);
}

/** The people of some households (of any districts), for the read audit: whom a read showed. */
export async function peopleOfHouseholds(
  db: Db | Trx,
  households: readonly { district: string; id: string }[],
): Promise<string[]> {
  if (households.length === 0) return [];
  const pairs = sql.join(households.map((h) => sql`(${h.district}, ${h.id}::uuid)`));
  const { rows } = await sql<{ personId: string }>`
    select person_id from household_member
    where (district, household_id) in (${pairs})`.execute(db);
  return [...new Set(rows.map((r) => r.personId))];
}

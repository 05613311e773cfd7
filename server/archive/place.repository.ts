/**
 * Buildings (楼栋), dwellings (房) and venues (场所): loading one through the actor's scope, and the
 * scoped lists. They are territorial records read by the archive's territorial roles; a venue is
 * also read by the handlers of departments serving its territory (inspections).
 */
import type { FastifyRequest } from 'fastify';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { BuildingKind, RiskLevel, VenueKind } from '../../common/archive.js';
import type { Actor } from '../accounts/actor.js';
import type { Db, Trx } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope, requireStaff } from '../http/request-context.js';
import { inScope, isStaff, scopePaths } from '../policies/predicates.js';
import { escapeLike, pathInScope } from '../policies/scope.js';
import { archivePolicy, READ_ROLES } from './archive.policy.js';
import { normalizeSearchText, searchGrams } from './name-keys.js';

export type PlaceKind = 'building' | 'dwelling' | 'venue';

export interface PlaceRef {
  id: string;
  district: string;
  unitPath: string;
  /** The dwelling's building. */
  buildingId?: string | undefined;
  version: number;
}

/** Read a building or dwelling: a territorial reader in scope. A venue: also a handler in scope. */
export const placePolicy = {
  read: (actor: Actor | null, kind: PlaceKind, r: { unitPath: string }) =>
    inScope<{ unitPath: string }>(
      (x) => x.unitPath,
      ...READ_ROLES,
      ...(kind === 'venue' ? (['handler'] as const) : []),
    )(actor, r),
  write: (actor: Actor | null, r: { unitPath: string }) => archivePolicy.write(actor, { ...r, activeTagTypeIds: [] }),
};

/** Unit paths under which the actor lists places of the kind. */
export const placePaths = (actor: Actor | null, kind: PlaceKind) =>
  isStaff(actor) ? scopePaths(actor, ...READ_ROLES, ...(kind === 'venue' ? (['handler'] as const) : [])) : [];

async function findPlace(db: Db | Trx, kind: PlaceKind, id: string): Promise<PlaceRef | undefined> {
  if (kind === 'dwelling')
    return db
      .selectFrom('dwelling')
      .select(['id', 'district', 'unitPath', 'buildingId', 'version'])
      .where('id', '=', id)
      .executeTakeFirst();
  return db.selectFrom(kind).select(['id', 'district', 'unitPath', 'version']).where('id', '=', id).executeTakeFirst();
}

/** A building, dwelling or venue the actor may read (or write): 404 audited outside, 403 audited when read-only. */
export async function loadPlace(
  request: FastifyRequest,
  kind: PlaceKind,
  id: string,
  need: 'read' | 'write' = 'read',
): Promise<PlaceRef> {
  const actor = requireStaff(request);
  const place = await findPlace(request.server.db, kind, id);
  if (!place) throw new AppError('NOT_FOUND');
  const subject = { type: kind, id, district: place.district };
  if (!placePolicy.read(actor, kind, place)) await denyOutOfScope(request, subject);
  if (need === 'write' && !placePolicy.write(actor, place)) await denyOutOfScope(request, subject, 'forbidden');
  return place;
}

export async function buildingDetail(db: Db | Trx, district: string, id: string) {
  const building = await db
    .selectFrom('building as b')
    .innerJoin('unit as u', (j) => j.onRef('u.district', '=', 'b.district').onRef('u.id', '=', 'b.unitId'))
    .selectAll('b')
    .select(['u.code as unitCode', 'u.name as unitName'])
    .where('b.district', '=', district)
    .where('b.id', '=', id)
    .executeTakeFirstOrThrow();
  const dwellings = await db
    .selectFrom('dwelling')
    .selectAll()
    .where('district', '=', district)
    .where('buildingId', '=', id)
    .orderBy('entrance')
    .orderBy('room')
    .execute();
  return { building, dwellings };
}

export type BuildingDetail = Awaited<ReturnType<typeof buildingDetail>>;

const gramsWhere = (column: string, text: string, raw: string): Expression<SqlBool> => {
  const normalized = normalizeSearchText(text);
  return sql<SqlBool>`(${sql.ref(column)} @> ${sql.val(searchGrams(normalized))}::text[] and archive_normalize(${sql.ref(raw)}) like ${`%${escapeLike(normalized)}%`})`;
};

export interface BuildingFilters {
  q?: string | undefined;
  unitPath?: string | undefined;
  kind?: BuildingKind | undefined;
}

export interface VenueFilters {
  q?: string | undefined;
  unitPath?: string | undefined;
  kind?: VenueKind | undefined;
  riskLevel?: RiskLevel | undefined;
}

/** Buildings in the actor's scope, by name or address (a substring, in any language). */
export async function listBuildings(
  db: Db | Trx,
  actor: Actor,
  filters: BuildingFilters,
  page: { page: number; pageSize: number },
) {
  let query = db
    .selectFrom('building as b')
    .innerJoin('unit as u', (j) => j.onRef('u.district', '=', 'b.district').onRef('u.id', '=', 'b.unitId'))
    .where((eb) => pathInScope(eb, 'b.unitPath', placePaths(actor, 'building')));
  if (filters.unitPath) query = query.where('b.unitPath', 'like', `${escapeLike(filters.unitPath)}%`);
  if (filters.kind) query = query.where('b.kind', '=', filters.kind);
  if (filters.q) {
    const like = `%${escapeLike(filters.q)}%`;
    query = query.where((eb) => eb.or([eb('b.name', 'like', like), eb('b.address', 'like', like)]));
  }
  const [items, count] = await Promise.all([
    query
      .selectAll('b')
      .select(['u.code as unitCode', 'u.name as unitName'])
      .select(
        sql<number>`(select count(*)::int from dwelling w where w.district = b.district and w.building_id = b.id)`.as(
          'dwellingCount',
        ),
      )
      .orderBy('b.name')
      .orderBy('b.id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function findVenue(db: Db | Trx, district: string, id: string) {
  return db
    .selectFrom('venue as v')
    .innerJoin('unit as u', (j) => j.onRef('u.district', '=', 'v.district').onRef('u.id', '=', 'v.unitId'))
    .selectAll('v')
    .select(['u.code as unitCode', 'u.name as unitName'])
    .where('v.district', '=', district)
    .where('v.id', '=', id)
    .executeTakeFirstOrThrow();
}

export type VenueRow = Awaited<ReturnType<typeof findVenue>>;

/** Venues in the actor's scope, by name (any part), kind and risk level. */
export async function listVenues(
  db: Db | Trx,
  actor: Actor,
  filters: VenueFilters,
  page: { page: number; pageSize: number },
) {
  let query = db
    .selectFrom('venue as v')
    .innerJoin('unit as u', (j) => j.onRef('u.district', '=', 'v.district').onRef('u.id', '=', 'v.unitId'))
    .where((eb) => pathInScope(eb, 'v.unitPath', placePaths(actor, 'venue')));
  if (filters.unitPath) query = query.where('v.unitPath', 'like', `${escapeLike(filters.unitPath)}%`);
  if (filters.kind) query = query.where('v.kind', '=', filters.kind);
  if (filters.riskLevel) query = query.where('v.riskLevel', '=', filters.riskLevel);
  if (filters.q) {
    const q = filters.q;
    query = query.where(() => gramsWhere('v.nameGrams', q, 'v.name'));
  }
  const [items, count] = await Promise.all([
    query
      .selectAll('v')
      .select(['u.code as unitCode', 'u.name as unitName'])
      .orderBy('v.name')
      .orderBy('v.id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

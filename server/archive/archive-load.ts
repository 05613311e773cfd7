/**
 * The load-and-authorize steps the archive's routes share: a record is loaded, the actor's access
 * decides, and a record the actor may not read answers 404 (audited, so existence does not leak);
 * one they may read but not change answers 403 (audited too).
 */
import type { FastifyRequest } from 'fastify';
import { beijingToday } from '../../common/id-number.js';
import type { StaffActor } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope, requireStaff } from '../http/request-context.js';
import { type ArchiveAccess, type ArchiveRecordForPolicy, archivePolicy, canReadRecord } from './archive.policy.js';
import { activeTagTypesOfHousehold, activeTagTypesOfPerson, loadArchiveAccess } from './archive.scope.js';
import type { PlacedUnit } from './commands/archive-context.js';
import { findHousehold, type HouseholdRow } from './household.repository.js';
import { findPerson, type PersonRow } from './person.repository.js';

/** What the route needs beyond reading: `write`, `unmask`, `history` (reading is always needed). */
export type Need = 'read' | 'write' | 'unmask' | 'history';

const allows = (need: Need, actor: StaffActor, record: ArchiveRecordForPolicy) =>
  need === 'read' ||
  (need === 'write' && archivePolicy.write(actor, record)) ||
  (need === 'unmask' && archivePolicy.unmask(actor, record)) ||
  (need === 'history' && archivePolicy.readHistory(actor, record));

export interface Loaded<T> {
  actor: StaffActor;
  access: ArchiveAccess;
  record: ArchiveRecordForPolicy;
  row: T;
  today: string;
}

async function authorize<T extends { id: string; district: string; unitPath: string }>(
  request: FastifyRequest,
  type: 'person' | 'household',
  row: T | undefined,
  activeTagTypeIds: (row: T, today: string) => Promise<string[]>,
  need: Need,
): Promise<Loaded<T>> {
  const actor = requireStaff(request);
  if (!row) throw new AppError('NOT_FOUND');
  const db = request.server.db;
  const today = beijingToday();
  const access = await loadArchiveAccess(db, actor);
  const record = { unitPath: row.unitPath, activeTagTypeIds: await activeTagTypeIds(row, today) };
  const subject = { type, id: row.id, district: row.district };
  if (!canReadRecord(access, record)) await denyOutOfScope(request, subject);
  if (!allows(need, actor, record)) await denyOutOfScope(request, subject, 'forbidden');
  return { actor, access, record, row, today };
}

/** A person the actor may read (and, with `need`, write, unmask or see the history of). */
export async function loadPerson(request: FastifyRequest, id: string, need: Need = 'read'): Promise<Loaded<PersonRow>> {
  const db = request.server.db;
  return authorize(
    request,
    'person',
    await findPerson(db, id),
    (p, today) => activeTagTypesOfPerson(db, p.district, p.id, today),
    need,
  );
}

/** A household the actor may read (or write). */
export async function loadHousehold(
  request: FastifyRequest,
  id: string,
  need: Need = 'read',
): Promise<Loaded<HouseholdRow>> {
  const db = request.server.db;
  return authorize(
    request,
    'household',
    await findHousehold(db, id),
    (h, today) => activeTagTypesOfHousehold(db, h.district, h.id, today),
    need,
  );
}

/**
 * The community or grid a record is placed in, checked to be in the actor's write scope (a unit
 * outside answers 404, audited; a unit of another level 422).
 */
export async function placementUnit(request: FastifyRequest, db: Db, unitId: string, path = 'body.unitId') {
  const actor = requireStaff(request);
  const unit = await db
    .selectFrom('unit')
    .select(['id', 'path', 'district', 'level', 'code', 'name'])
    .where('id', '=', unitId)
    .executeTakeFirst();
  if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path, reason: 'no such unit' }] });
  if (!archivePolicy.write(actor, { unitPath: unit.path, activeTagTypeIds: [] }))
    await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district });
  if (unit.level !== 'community' && unit.level !== 'grid')
    throw new AppError('ARCHIVE_UNIT_INVALID', { fields: [{ path, reason: `a ${unit.level}` }] });
  const placed: PlacedUnit = { id: unit.id, path: unit.path, district: unit.district };
  return placed;
}

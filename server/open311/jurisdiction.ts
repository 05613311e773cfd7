/**
 * Open311 jurisdictions: one deployment serves several districts, so every call names one by its
 * 6-digit district code (`jurisdiction_id=310104`), the sharding key of its rows. A jurisdiction is
 * a district-level unit; its subtree is where its requests live.
 */
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import type { MachineKeyRow } from '../intake/machine-keys.js';
import { escapeLike } from '../policies/scope.js';
import { type Extent, subtreeExtent } from '../territory/subtree.js';

export interface Jurisdiction {
  /** The district code: the jurisdiction_id. */
  id: string;
  unitId: string;
  path: string;
  name: string;
  box: Extent | null;
}

/** The jurisdiction a call names; 400 when it names none (empty counts as none), 404 when unknown. */
export async function requireJurisdiction(db: Db, id: string | undefined): Promise<Jurisdiction> {
  const wanted = id?.trim();
  if (!wanted) {
    throw new AppError('OPEN311_JURISDICTION_REQUIRED', {
      fields: [{ path: 'jurisdiction_id', reason: 'required' }],
    });
  }
  const unit = /^\d{6}$/.test(wanted)
    ? await db
        .selectFrom('unit')
        .select(['id', 'district', 'path', 'name'])
        .where('district', '=', wanted)
        .where('level', '=', 'district')
        .executeTakeFirst()
    : undefined;
  if (!unit)
    throw new AppError('OPEN311_JURISDICTION_UNKNOWN', { fields: [{ path: 'jurisdiction_id', reason: wanted }] });
  // The extent of everything drawn below the district (a district row itself often has no boundary).
  return {
    id: unit.district,
    unitId: unit.id,
    path: unit.path,
    name: unit.name,
    box: await subtreeExtent(db, unit.path),
  };
}

/** May this key report into the jurisdiction? Its unit must be the district or above it. */
export const keyServes = (key: MachineKeyRow, jurisdiction: Jurisdiction) =>
  key.channel === 'open311' && !key.revokedAt && jurisdiction.path.startsWith(key.unitPath);

/** The jurisdiction ids (district codes) a key may use: the districts in its unit's subtree. */
export async function jurisdictionsOf(db: Db, key: Pick<MachineKeyRow, 'unitPath'>): Promise<string[]> {
  const rows = await db
    .selectFrom('unit')
    .select('district')
    .where('level', '=', 'district')
    .where('path', 'like', `${escapeLike(key.unitPath)}%`)
    .orderBy('district')
    .execute();
  return rows.map((r) => r.district);
}

/**
 * Which boundaries to draw under a unit: the first level down that has geometry (the units one can
 * click into), and — for a subdistrict or below — the unit grids as a finer layer beneath them.
 */
import type { UnitDetailView, UnitFeatureCollection } from '@common/api';
import { LEVEL_DEPTH, UNIT_LEVELS, type UnitLevel } from '@common/territory';
import { getUnitFeatures } from '@/api/territory';

export interface BoundaryLayer {
  level: UnitLevel;
  collection: UnitFeatureCollection;
}

export interface ChildBoundaries {
  /** The nearest level below with geometry; its units are clickable. */
  primary: BoundaryLayer | null;
  /** Unit grids under a subdistrict or community, drawn as thin lines (null when primary is the grids). */
  grids: BoundaryLayer | null;
}

/** Levels strictly below `level`, nearest first. */
export function levelsBelow(level: UnitLevel): UnitLevel[] {
  return UNIT_LEVELS.filter((candidate) => LEVEL_DEPTH[candidate] > LEVEL_DEPTH[level]);
}

export async function loadChildBoundaries(unit: UnitDetailView, signal?: AbortSignal): Promise<ChildBoundaries> {
  if (unit.childCount === 0) return { primary: null, grids: null };
  let primary: BoundaryLayer | null = null;
  // Levels may be skipped (a community without responsibility grids): probe downwards.
  for (const level of levelsBelow(unit.level)) {
    const collection = await getUnitFeatures(unit.id, level, signal);
    if (collection.features.length > 0) {
      primary = { level, collection };
      break;
    }
  }
  let grids: BoundaryLayer | null = null;
  if (primary && primary.level !== 'grid' && LEVEL_DEPTH[unit.level] >= LEVEL_DEPTH.subdistrict) {
    const collection = await getUnitFeatures(unit.id, 'grid', signal);
    if (collection.features.length > 0) grids = { level: 'grid', collection };
  }
  return { primary, grids };
}

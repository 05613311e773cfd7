/**
 * Where a subtree of units lies: the box around everything drawn in it (a district's own row often
 * has no boundary), and whether a point falls in it — in one of its unit grids, or between grids
 * inside that box. Open311 jurisdictions and hotline orders check their points with it.
 */
import type { Db } from '../db/database.js';
import { escapeLike } from '../policies/scope.js';
import type { GridLocator } from './placement.js';

export interface Extent {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

/** The box around the subtree's drawn units; null when none is drawn. */
export async function subtreeExtent(db: Db, path: string): Promise<Extent | null> {
  const extent = await db
    .selectFrom('unit')
    .select((eb) => [
      eb.fn.min('minLng').as('minLng'),
      eb.fn.min('minLat').as('minLat'),
      eb.fn.max('maxLng').as('maxLng'),
      eb.fn.max('maxLat').as('maxLat'),
    ])
    .where('path', 'like', `${escapeLike(path)}%`)
    .executeTakeFirst();
  const { minLng, minLat, maxLng, maxLat } = extent ?? {};
  return typeof minLng === 'number' &&
    typeof minLat === 'number' &&
    typeof maxLng === 'number' &&
    typeof maxLat === 'number'
    ? { minLng, minLat, maxLng, maxLat }
    : null;
}

/** Is the point in the subtree: in one of its grids, or outside every grid but inside its extent? */
export async function pointInSubtree(
  locator: GridLocator,
  subtree: { path: string; box: Extent | null },
  at: { lng: number; lat: number },
): Promise<boolean> {
  const grid = await locator.locate(at.lng, at.lat);
  if (grid) return grid.path.startsWith(subtree.path);
  const box = subtree.box;
  return Boolean(box && at.lng >= box.minLng && at.lng <= box.maxLng && at.lat >= box.minLat && at.lat <= box.maxLat);
}

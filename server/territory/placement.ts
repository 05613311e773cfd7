/**
 * Places a point in its unit grid (and so in every ancestor) with an in-process spatial index.
 * The index is rebuilt when the territory changes: every territory write bumps a version in the
 * `setting` table in its transaction, and a lookup checks that version at most once a second.
 */
import { sql } from 'kysely';
import type { UnitGeometry } from '../../common/territory.js';
import type { Db, Trx } from '../db/database.js';
import { SpatialIndex } from './geo/spatial-index.js';

/** Advisory lock held by every territory write, so checks of parents and overlaps see a stable set. */
export const TERRITORY_LOCK = 7_301_001;
const VERSION_KEY = 'territory.version';

export interface PlacedGrid {
  id: string;
  code: string;
  name: string;
  path: string;
  district: string;
  geometry: UnitGeometry;
}

export async function bumpTerritoryVersion(trx: Trx): Promise<void> {
  await sql`
    insert into setting (key, value) values (${VERSION_KEY}, '1'::jsonb)
    on conflict (key) do update set value = to_jsonb(setting.value::text::bigint + 1), updated_at = now()`.execute(trx);
}

async function readVersion(db: Db): Promise<string> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', VERSION_KEY).executeTakeFirst();
  return JSON.stringify(row?.value ?? 0);
}

/** One per process (per database): holds the index and rebuilds it when the version moves. */
export class GridLocator {
  private index: SpatialIndex<PlacedGrid> | undefined;
  private version: string | undefined;
  private checkedAt = 0;
  private building: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly recheckMs = 1_000,
  ) {}

  /** The unit grid containing the point, or undefined when it lies outside every grid. */
  async locate(lng: number, lat: number): Promise<PlacedGrid | undefined> {
    await this.fresh();
    return this.index?.locate(lng, lat);
  }

  /** Number of grids in the current index. */
  async size(): Promise<number> {
    await this.fresh();
    return this.index?.size ?? 0;
  }

  private async fresh(): Promise<void> {
    if (this.index && Date.now() - this.checkedAt < this.recheckMs) return;
    this.building ??= this.refresh().finally(() => {
      this.building = undefined;
    });
    await this.building;
  }

  private async refresh(): Promise<void> {
    const version = await readVersion(this.db);
    this.checkedAt = Date.now();
    if (this.index && version === this.version) return;
    const rows = await this.db
      .selectFrom('unit')
      .select(['id', 'code', 'name', 'path', 'district', 'geometry'])
      .where('level', '=', 'grid')
      .where('geometry', 'is not', null)
      .execute();
    const grids = rows.flatMap((r) => (r.geometry ? [{ ...r, geometry: r.geometry }] : []));
    this.index = SpatialIndex.build(grids);
    this.version = version;
  }
}

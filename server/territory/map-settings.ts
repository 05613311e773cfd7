/**
 * The base map: none by default (the grid polygons are the map, and nothing is fetched from
 * outside). An administrator may add a raster tile service; most licensed in mainland China draw in
 * GCJ-02, so the setting says which datum its tiles use and the web shifts polygons and pins to
 * match (common/gcj02.ts). Everyone reads it: the residents' pages draw the same map.
 */
import { z } from 'zod';
import type { Db } from '../db/database.js';

export const MAP_SETTINGS_KEY = 'map.baseLayer';

export const ZMapSettings = z.strictObject({
  /** An XYZ raster template with {z}, {x} and {y} (and optionally {s}); null: no base map. */
  tileUrl: z
    .string()
    .trim()
    .max(500)
    .regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL')
    .refine((url) => ['{z}', '{x}', '{y}'].every((p) => url.includes(p)), 'must contain {z}, {x} and {y}')
    .nullable(),
  /** The datum the tiles are drawn in. */
  coordinateSystem: z.enum(['wgs84', 'gcj02']),
  /** Shown in the map's corner, as the provider's terms ask. */
  attribution: z.string().trim().max(200),
  maxZoom: z.number().int().min(1).max(22),
});
export type MapSettings = z.infer<typeof ZMapSettings>;

export const DEFAULT_MAP_SETTINGS: MapSettings = {
  tileUrl: null,
  coordinateSystem: 'wgs84',
  attribution: '',
  maxZoom: 18,
};

export async function readMapSettings(db: Db): Promise<MapSettings> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', MAP_SETTINGS_KEY).executeTakeFirst();
  const parsed = ZMapSettings.safeParse({ ...DEFAULT_MAP_SETTINGS, ...(row?.value as object | undefined) });
  return parsed.success ? parsed.data : DEFAULT_MAP_SETTINGS;
}

/**
 * The optional base map under the grid polygons (GET /api/public/map-settings): a raster tile layer
 * added below everything else, and — when its tiles are drawn in GCJ-02 — the shift every map must
 * apply to what it draws (WGS84 → GCJ-02) and to a pin it reads back (GCJ-02 → WGS84).
 */
import { gcj02ToWgs84, type LngLat, shiftGeometry, wgs84ToGcj02 } from '@common/gcj02';
import type { Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import { api } from '@/api/client';

export interface MapSettings {
  tileUrl: string | null;
  coordinateSystem: 'wgs84' | 'gcj02';
  attribution: string;
  maxZoom: number;
}

const NONE: MapSettings = { tileUrl: null, coordinateSystem: 'wgs84', attribution: '', maxZoom: 18 };
let loading: Promise<MapSettings> | undefined;

/** The setting, fetched once per page load; without it (offline, an old server) there is no base map. */
export function loadMapSettings(): Promise<MapSettings> {
  loading ??= api.get<MapSettings>('/api/public/map-settings').catch(() => NONE);
  return loading;
}

/** Positions as the map draws them, and back. */
export interface Datum {
  toMap(p: LngLat): LngLat;
  fromMap(p: LngLat): LngLat;
  geometry<G extends { type: string; coordinates: unknown }>(g: G): G;
}

const SAME: Datum = { toMap: (p) => p, fromMap: (p) => p, geometry: (g) => g };
const GCJ02: Datum = {
  toMap: wgs84ToGcj02,
  fromMap: gcj02ToWgs84,
  geometry: (g) => shiftGeometry(g, wgs84ToGcj02),
};

/** A feature collection as the map draws it (the same object when no shift is needed). */
export function inDatum<C extends { features: { geometry: { type: string; coordinates: unknown } }[] }>(
  datum: Datum | null,
  collection: C,
): C {
  if (!datum || datum === SAME) return collection;
  return { ...collection, features: collection.features.map((f) => ({ ...f, geometry: datum.geometry(f.geometry) })) };
}

export const datumOf = (settings: MapSettings): Datum =>
  settings.tileUrl && settings.coordinateSystem === 'gcj02' ? GCJ02 : SAME;

/** Adds the tile layer over the background and under every other layer (call on the map's `load`). */
export function addBaseLayer(map: MapLibreMap, settings: MapSettings): void {
  if (!settings.tileUrl || map.getSource('base-map')) return;
  const subdomains = ['1', '2', '3', '4'];
  const tiles = settings.tileUrl.includes('{s}')
    ? subdomains.map((s) => (settings.tileUrl as string).replace('{s}', s))
    : [settings.tileUrl];
  map.addSource('base-map', {
    type: 'raster',
    tiles,
    tileSize: 256,
    maxzoom: settings.maxZoom,
    attribution: settings.attribution,
  });
  // Just above the plain background, below everything drawn on it.
  const layers = map.getStyle().layers;
  const above = layers[layers.findIndex((l) => l.type === 'background') + 1]?.id;
  map.addLayer({ id: 'base-map', type: 'raster', source: 'base-map' }, above);
}

type MapLibre = typeof import('./maplibre').default;

/** The map's own background: the grid polygons are the map when there is no base layer. */
const blankStyle = (background: string): StyleSpecification => ({
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': background } }],
});

/**
 * A map as every Gridloop screen draws one: MapLibre loaded on demand, no rotation or tilt, zoom
 * buttons, the base layer and its attribution when one is set. Resolves once the style has loaded,
 * with the datum to draw in; `center` is WGS84.
 */
export async function openGridMap(
  element: HTMLElement,
  view: { center: LngLat; zoom: number },
  /** The background under the grids where no base map is set (the wall display's is dark). */
  background = '#eef2f6',
): Promise<{ maplibre: MapLibre; map: MapLibreMap; datum: Datum }> {
  const [maplibre, settings] = await Promise.all([import('./maplibre').then((m) => m.default), loadMapSettings()]);
  const datum = datumOf(settings);
  const map = new maplibre.Map({
    container: element,
    style: blankStyle(background),
    center: datum.toMap(view.center),
    zoom: view.zoom,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    maxPitch: 0,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibre.NavigationControl({ showCompass: false }), 'top-right');
  if (settings.tileUrl && settings.attribution) {
    map.addControl(new maplibre.AttributionControl({ compact: true }), 'bottom-right');
  }
  await new Promise<void>((resolve) => map.once('load', () => resolve()));
  addBaseLayer(map, settings);
  return { maplibre, map, datum };
}

/**
 * A GeoJSON FeatureCollection (or a single Feature) → import rows. Properties are read under their
 * English names or the Chinese column names people use (编码, 名称, 层级, 类型, 上级编码).
 */
import type { ImportProblem, ImportRow } from './import-row.js';

const pick = (props: Record<string, unknown>, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = props[name];
    if (value !== undefined && value !== null && String(value).trim() !== '') return String(value).trim();
  }
  return undefined;
};

/** Reads properties of one feature or spreadsheet row into an ImportRow. */
export function rowFromProperties(ref: string, props: Record<string, unknown>, geometry: unknown): ImportRow {
  return {
    ref,
    code: pick(props, 'code', '编码', '区划代码', '网格编码') ?? '',
    name: pick(props, 'name', '名称', '网格名称') ?? '',
    level: pick(props, 'level', '层级'),
    kind: pick(props, 'kind', '类型'),
    parentCode: pick(props, 'parentCode', 'parent', '上级编码', '上级代码'),
    geometry,
  };
}

export function parseGeoJson(input: unknown): { rows: ImportRow[]; problems: ImportProblem[] } {
  const bad = (en: string, zh: string): { rows: ImportRow[]; problems: ImportProblem[] } => ({
    rows: [],
    problems: [{ ref: 'file', code: null, field: 'type', problem: 'not_geojson', zh, en }],
  });
  if (!input || typeof input !== 'object') return bad('not a GeoJSON object', '不是 GeoJSON 对象');
  const obj = input as { type?: unknown; features?: unknown };
  const features = obj.type === 'Feature' ? [obj] : obj.type === 'FeatureCollection' ? obj.features : undefined;
  if (!Array.isArray(features))
    return bad('expected a FeatureCollection or a Feature', '应为 FeatureCollection 或 Feature');
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  features.forEach((feature: unknown, index) => {
    const ref = `feature ${index + 1}`;
    const f = feature as { type?: unknown; properties?: unknown; geometry?: unknown } | null;
    if (!f || typeof f !== 'object' || f.type !== 'Feature') {
      problems.push({
        ref,
        code: null,
        field: 'type',
        problem: 'not_feature',
        zh: '不是 Feature',
        en: 'not a Feature',
      });
      return;
    }
    const props = f.properties && typeof f.properties === 'object' ? (f.properties as Record<string, unknown>) : {};
    rows.push(rowFromProperties(ref, props, f.geometry ?? undefined));
  });
  return { rows, problems };
}

/**
 * Territory (块): the levels of a unit, from city down to the unit grid, and the kinds a level may have.
 * Shared by the server and the web; the glossary names these.
 */
export const UNIT_LEVELS = ['city', 'district', 'subdistrict', 'community', 'responsibility_grid', 'grid'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** Depth of each level in the tree (city = 0). */
export const LEVEL_DEPTH: Record<UnitLevel, number> = {
  city: 0,
  district: 1,
  subdistrict: 2,
  community: 3,
  responsibility_grid: 4,
  grid: 5,
};

/**
 * A subdistrict may be a town (镇); a community may be a village committee (村委会).
 * Other levels have the single kind `standard`.
 */
export const UNIT_KINDS = ['standard', 'town', 'residential', 'village'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const LEVEL_LABELS: Record<UnitLevel, { zh: string; en: string }> = {
  city: { zh: '市', en: 'City' },
  district: { zh: '区', en: 'District' },
  subdistrict: { zh: '街道/镇', en: 'Subdistrict / town' },
  community: { zh: '居委会/村委会', en: 'Community' },
  responsibility_grid: { zh: '责任网格', en: 'Responsibility grid' },
  grid: { zh: '单元网格', en: 'Unit grid' },
};

/** Department kinds (条). */
export const DEPARTMENT_KINDS = [
  'urban_enforcement',
  'housing',
  'greening_sanitation',
  'market_regulation',
  'police_station',
  'environment',
  'emergency',
  'civil_affairs',
  'grid_centre',
  'transport',
  'water',
  'utilities',
  'other',
] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, { zh: string; en: string }> = {
  urban_enforcement: { zh: '城管执法', en: 'Urban enforcement' },
  housing: { zh: '房管', en: 'Housing' },
  greening_sanitation: { zh: '绿化市容', en: 'Greening and sanitation' },
  market_regulation: { zh: '市场监管', en: 'Market regulation' },
  police_station: { zh: '派出所', en: 'Police station' },
  environment: { zh: '生态环境', en: 'Environment' },
  emergency: { zh: '应急管理', en: 'Emergency management' },
  civil_affairs: { zh: '民政', en: 'Civil affairs' },
  grid_centre: { zh: '网格化综合管理中心', en: 'Grid management centre' },
  transport: { zh: '交通', en: 'Transport' },
  water: { zh: '水务', en: 'Water' },
  utilities: { zh: '公用事业', en: 'Utilities' },
  other: { zh: '其他', en: 'Other' },
};

export const DEPARTMENT_LEVELS = ['district', 'subdistrict'] as const;
export type DepartmentLevel = (typeof DEPARTMENT_LEVELS)[number];

/** GeoJSON geometry that a unit may carry (WGS84 longitude/latitude). */
export type Position = [number, number];
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export type UnitGeometry = PolygonGeometry | MultiPolygonGeometry;

/**
 * Shapes of the public, resident-facing read API (no sign-in): the category catalogue a resident
 * picks from and the unit-grid polygons their map is drawn with. Public fields only.
 */
import type { CategoryQuestion } from './catalogue.js';
import type { UnitGeometry } from './territory.js';

export interface Bilingual {
  zh: string;
  en: string;
}

/** A major category (大类): two digits. */
export interface PublicMajorCategory {
  code: string;
  kind: 'component' | 'event';
  name: Bilingual;
}

/** A minor category (小类) a resident may report under: four digits, the first two its major. */
export interface PublicCategory {
  code: string;
  major: string;
  kind: 'component' | 'event';
  name: Bilingual;
  /** Words residents use for it (search). */
  keywords: string[];
  /** What to know before reporting (e.g. where an emergency goes instead), or null. */
  serviceNotice: Bilingual | null;
  /** Extra questions (补充问题) asked when reporting under it, in order; answered as `answers[code]`. */
  questions: CategoryQuestion[];
}

export interface PublicCatalogue {
  majors: PublicMajorCategory[];
  items: PublicCategory[];
}

/** Unit grids (单元网格) as GeoJSON: the map the resident pins a place on. */
export interface PublicGridCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    id: string;
    geometry: UnitGeometry;
    properties: { id: string; code: string; name: string };
  }[];
  /** True when more grids matched than one answer carries (narrow with `bbox`). */
  truncated: boolean;
}

import type { UnitDetailView, UnitFeatureCollection, UnitRef, UnitView } from '../../common/api.js';
import type { UnitGeometry, UnitKind, UnitLevel } from '../../common/territory.js';
import type { Actor } from '../accounts/actor.js';
import { unitAbilities } from './unit.policy.js';

interface UnitRowLike {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  district: string;
  parentId: string | null;
  path: string;
  childCount: string | number;
  hasGeometry: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function presentUnit(actor: Actor | null, row: UnitRowLike): UnitView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    level: row.level,
    kind: row.kind,
    district: row.district,
    parentId: row.parentId,
    path: row.path,
    childCount: Number(row.childCount),
    hasGeometry: row.hasGeometry,
    abilities: unitAbilities(actor, row),
  };
}

export function presentUnitDetail(
  actor: Actor | null,
  row: UnitRowLike,
  ancestors: UnitRef[],
  geometry: UnitGeometry | null,
): UnitDetailView {
  return {
    ...presentUnit(actor, row),
    ancestors,
    geometry,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentFeatures(
  rows: {
    id: string;
    code: string;
    name: string;
    level: UnitLevel;
    parentId: string | null;
    geometry: UnitGeometry | null;
  }[],
): UnitFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: rows.flatMap((r) =>
      r.geometry
        ? [
            {
              type: 'Feature' as const,
              id: r.id,
              geometry: r.geometry,
              properties: { id: r.id, code: r.code, name: r.name, level: r.level, parentId: r.parentId },
            },
          ]
        : [],
    ),
  };
}

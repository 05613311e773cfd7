/**
 * Synthetic buildings (楼栋) and dwellings (房) for one grid: lanes (弄) on the committee's streets,
 * each with a few buildings (号) — six-storey walk-ups of the old housing estates (老公房) and newer
 * high-rises with units (单元) — whose rooms (室) are numbered floor by floor (302 is the second
 * flat on the third floor). Buildings stand at points inside the grid's polygon.
 */
import type { Position } from '../../../common/territory.js';
import type { Rng } from '../random.js';

export type BuildingKind = 'walk_up' | 'high_rise';

export interface BuildingPlan {
  kind: BuildingKind;
  /** "梧桐路128弄5号" */
  address: string;
  /** "5号楼" */
  name: string;
  floors: number;
  /** Entrances (单元) of a high-rise; a walk-up's address is already one entrance. */
  units: number;
  roomsPerFloor: number;
  builtYear: number;
  lng: number;
  lat: number;
}

export interface DwellingPlan {
  /** Index of its building in the grid's list. */
  building: number;
  /** "2单元" or null. */
  unit: string | null;
  /** "302" */
  room: string;
  floor: number;
  areaM2: number;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * A point inside a lattice cell (ring SW, SE, NE, NW, SW), by bilinear interpolation with a margin:
 * the demo's cells are convex quadrilaterals, so every such point lies inside.
 */
export function pointInCell(rng: Rng, ring: readonly Position[]): [number, number] {
  const [sw, se, ne, nw] = ring as [Position, Position, Position, Position];
  const u = rng.float(0.1, 0.9);
  const v = rng.float(0.1, 0.9);
  const lng = (1 - u) * (1 - v) * sw[0] + u * (1 - v) * se[0] + u * v * ne[0] + (1 - u) * v * nw[0];
  const lat = (1 - u) * (1 - v) * sw[1] + u * (1 - v) * se[1] + u * v * ne[1] + (1 - u) * v * nw[1];
  return [round6(lng), round6(lat)];
}

/**
 * Buildings on the grid's lanes until they hold at least `dwellings` flats (a few more, so some
 * stand empty). `lanes` says which lane numbers are taken on each road, across the subdistrict.
 */
export function planBuildings(
  rng: Rng,
  ring: readonly Position[],
  roads: readonly string[],
  dwellings: number,
  lanes: Map<string, Set<number>>,
): { buildings: BuildingPlan[]; dwellings: DwellingPlan[] } {
  const buildings: BuildingPlan[] = [];
  const flats: DwellingPlan[] = [];
  while (flats.length < dwellings) {
    const road = rng.pick(roads);
    const taken = lanes.get(road) ?? new Set<number>();
    lanes.set(road, taken);
    let lane = rng.int(1, 999);
    while (taken.has(lane)) lane = rng.int(1, 999);
    taken.add(lane);
    // An estate of one era: old walk-ups (1950s–1990s) or a newer high-rise compound.
    // Few flats still wanted: a lane of walk-ups, not a tower standing almost empty.
    const kind: BuildingKind = rng.chance(0.6) || dwellings - flats.length < 120 ? 'walk_up' : 'high_rise';
    const builtYear = kind === 'walk_up' ? rng.int(1956, 1998) : rng.int(1995, 2018);
    const count = kind === 'walk_up' ? rng.int(3, 8) : rng.int(2, 4);
    for (let n = 1; n <= count && flats.length < dwellings; n++) {
      const floors = kind === 'walk_up' ? rng.int(5, 7) : rng.int(11, 26);
      const units = kind === 'walk_up' ? 1 : rng.int(1, 2);
      const roomsPerFloor = kind === 'walk_up' ? rng.int(2, 4) : rng.int(2, 4);
      const [lng, lat] = pointInCell(rng, ring);
      const index = buildings.length;
      buildings.push({
        kind,
        address: `${road}${lane}弄${n}号`,
        name: `${n}号楼`,
        floors,
        units,
        roomsPerFloor,
        builtYear,
        lng,
        lat,
      });
      const small = kind === 'walk_up';
      for (let u = 1; u <= units; u++) {
        for (let floor = 1; floor <= floors; floor++) {
          for (let r = 1; r <= roomsPerFloor; r++) {
            flats.push({
              building: index,
              unit: units > 1 ? `${u}单元` : null,
              room: `${floor}${String(r).padStart(2, '0')}`,
              floor,
              areaM2: small ? rng.int(32, 78) : rng.int(58, 145),
            });
          }
        }
      }
    }
  }
  return { buildings, dwellings: flats };
}

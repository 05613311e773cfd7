/**
 * Repeat problems (高发点位): the same category at the same place recurring — by default 3 or more
 * cases within 100 m in 30 days — so that a campaign (专项整治) or a consultation can take the place
 * on instead of closing one case after another.
 *
 * How places are found, in two statements whatever the number of cases:
 * 1. The cases of the window in the reader's scope are counted per category and per square cell of
 *    `radius` metres (an equal-area projection of longitude × cos(latitude); rejected and merged
 *    cases are not occurrences).
 * 2. Greedily, the cell whose 3 × 3 neighbourhood holds the most cases of one category becomes a
 *    hotspot with all of them; its cells are taken; repeat while a neighbourhood still holds
 *    `min` cases. A hotspot is thus at most 3 cells (3 × radius) across: a place, never a
 *    whole district chained together along a street.
 * Then the cases of the chosen cells are read (newest first) for the list.
 * Cases without a location cannot be placed and are left out.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { CaseState } from '../../common/cases.js';
import type { Actor } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { escapeLike } from '../policies/scope.js';
import { caseScope } from './case.repository.js';
import { OPEN_STATES } from './duplicates.js';

/** Metres per degree of latitude (and of longitude at the equator), near enough for cells. */
const METRES_PER_DEGREE = 111_320;
/** Occurrences that are not: a report turned away, a duplicate of another. */
const NOT_OCCURRENCES: CaseState[] = ['rejected', 'merged'];
/** Most hotspots listed, and most cases listed per hotspot (its count is always whole). */
export const MAX_HOTSPOTS = 100;
export const CASES_PER_HOTSPOT = 20;

export interface HotspotQuery {
  /** Limit to this unit's subtree (already checked to be in scope). */
  unitPath?: string | undefined;
  /** Category ids (a major's or one minor's). */
  categoryIds?: string[] | undefined;
  days: number;
  min: number;
  radius: number;
}

export interface Hotspot {
  category: { code: string; name: { zh: string; en: string } };
  centre: { lng: number; lat: number };
  count: number;
  open: number;
  firstAt: string;
  lastAt: string;
  /** Where most of its cases are placed. */
  unit: { id: string; name: string };
  /** The newest case's address, if it has one. */
  address: string | null;
  cases: { id: string; number: string; state: CaseState; title: string; createdAt: string }[];
}

interface Cell {
  categoryId: string;
  x: number;
  y: number;
  n: number;
}

const cellKey = (categoryId: string, x: number, y: number) => `${categoryId}:${x}:${y}`;

/** The greedy choice of step 2: each hotspot as the cells it takes and how many cases they hold. */
export function chooseHotspots(cells: readonly Cell[], min: number, max = MAX_HOTSPOTS): Cell[][] {
  const byKey = new Map(cells.map((c) => [cellKey(c.categoryId, c.x, c.y), c]));
  const taken = new Set<string>();
  const neighbourhood = (c: Cell) => {
    const found: Cell[] = [];
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        const key = cellKey(c.categoryId, c.x + dx, c.y + dy);
        const cell = byKey.get(key);
        if (cell && !taken.has(key)) found.push(cell);
      }
    return found;
  };
  const total = (group: Cell[]) => group.reduce((s, c) => s + c.n, 0);
  const chosen: Cell[][] = [];
  // Candidates by their neighbourhood's count; a count only falls as cells are taken, so a stale
  // entry is recomputed and pushed back rather than trusted.
  let queue = cells.map((c) => ({ cell: c, n: total(neighbourhood(c)) })).filter((e) => e.n >= min);
  while (queue.length && chosen.length < max) {
    queue.sort((a, b) => b.n - a.n || a.cell.x - b.cell.x || a.cell.y - b.cell.y);
    const best = queue.shift();
    if (!best) break;
    const group = neighbourhood(best.cell);
    const n = total(group);
    if (n < min) continue;
    if (n < best.n) {
      queue.push({ cell: best.cell, n });
      continue;
    }
    for (const c of group) taken.add(cellKey(c.categoryId, c.x, c.y));
    chosen.push(group);
    queue = queue.filter((e) => !taken.has(cellKey(e.cell.categoryId, e.cell.x, e.cell.y)));
  }
  return chosen;
}

/** The cell coordinates of a case row, in SQL (the same expression groups and selects). */
const cellX = (radius: number) => sql<number>`floor(lng * cos(radians(lat)) * ${METRES_PER_DEGREE / radius})::int`;
const cellY = (radius: number) => sql<number>`floor(lat * ${METRES_PER_DEGREE / radius})::int`;

export async function findHotspots(db: Db, actor: Actor, query: HotspotQuery, now = new Date()): Promise<Hotspot[]> {
  const since = new Date(now.getTime() - query.days * 86_400_000);
  const window = (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [
      caseScope(actor)(eb),
      eb('cases.createdAt', '>=', since),
      eb('cases.createdAt', '<=', now),
      eb('cases.state', 'not in', NOT_OCCURRENCES),
      eb('cases.lng', 'is not', null),
      eb('cases.lat', 'is not', null),
    ];
    if (query.unitPath) parts.push(eb('cases.unitPath', 'like', `${escapeLike(query.unitPath)}%`));
    if (query.categoryIds?.length) parts.push(eb('cases.categoryId', 'in', query.categoryIds));
    return eb.and(parts);
  };

  const cells = await db
    .selectFrom('cases')
    .where(window)
    .select((eb) => [
      'cases.categoryId as categoryId',
      cellX(query.radius).as('x'),
      cellY(query.radius).as('y'),
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(['cases.categoryId', sql`2`, sql`3`])
    .execute();
  const groups = chooseHotspots(
    cells.map((c) => ({ ...c, n: Number(c.n) })),
    query.min,
  );
  if (!groups.length) return [];

  const wanted = groups.flat();
  const rows = await db
    .selectFrom('cases')
    .innerJoin('category', 'category.id', 'cases.categoryId')
    .innerJoin('unit', 'unit.id', 'cases.unitId')
    .where(window)
    .where(
      sql<SqlBool>`(cases.category_id, ${cellX(query.radius)}, ${cellY(query.radius)}) in (${sql.join(
        wanted.map((c) => sql`(${c.categoryId}::uuid, ${c.x}::int, ${c.y}::int)`),
      )})`,
    )
    .select([
      'cases.id',
      'cases.number',
      'cases.state',
      'cases.title',
      'cases.address',
      'cases.createdAt',
      'cases.lng',
      'cases.lat',
      'cases.unitId',
      'unit.name as unitName',
      'cases.categoryId',
      'category.code as categoryCode',
      'category.nameZh',
      'category.nameEn',
      cellX(query.radius).as('x'),
      cellY(query.radius).as('y'),
    ])
    .orderBy('cases.createdAt', 'desc')
    .execute();

  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => {
    for (const c of g) groupOf.set(cellKey(c.categoryId, c.x, c.y), i);
  });
  const members = groups.map(() => [] as typeof rows);
  for (const row of rows) members[groupOf.get(cellKey(row.categoryId, row.x, row.y)) ?? -1]?.push(row);

  const open = new Set<string>(OPEN_STATES);
  const hotspots = members
    .filter((m) => m.length >= query.min)
    .map((m): Hotspot => {
      const newest = m[0] as (typeof rows)[number];
      const units = new Map<string, { id: string; name: string; n: number }>();
      for (const r of m) {
        const u = units.get(r.unitId) ?? { id: r.unitId, name: r.unitName, n: 0 };
        u.n += 1;
        units.set(r.unitId, u);
      }
      const unit = [...units.values()].sort((a, b) => b.n - a.n)[0] as { id: string; name: string };
      return {
        category: { code: newest.categoryCode, name: { zh: newest.nameZh, en: newest.nameEn } },
        centre: {
          lng: round6(m.reduce((s, r) => s + (r.lng ?? 0), 0) / m.length),
          lat: round6(m.reduce((s, r) => s + (r.lat ?? 0), 0) / m.length),
        },
        count: m.length,
        open: m.filter((r) => open.has(r.state)).length,
        firstAt: (m.at(-1) as (typeof rows)[number]).createdAt.toISOString(),
        lastAt: newest.createdAt.toISOString(),
        unit: { id: unit.id, name: unit.name },
        address: m.find((r) => r.address)?.address ?? null,
        cases: m.slice(0, CASES_PER_HOTSPOT).map((r) => ({
          id: r.id,
          number: r.number,
          state: r.state as CaseState,
          title: r.title,
          createdAt: r.createdAt.toISOString(),
        })),
      };
    });
  return hotspots.sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

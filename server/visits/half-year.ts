/**
 * The half-year rule in SQL (common/visits.ts says it in dates): on a day D a household is covered
 * when its latest visit up to D fell on or after `coveredSince(D)`; otherwise it is overdue, and
 * "never visited" when it has no visit at all. Only households living there on D count: filed by
 * then (`created_at`) and not dissolved by then.
 *
 * Two questions, one definition:
 * - the due list: households in scope, never visited first, then by oldest latest visit;
 * - coverage: per grid and per committee, covered households / all households.
 * Both read each household's latest visit with one backward probe of `visit_household_idx`.
 */
import { sql } from 'kysely';
import { beijingDay, beijingDayStart, coverageRate, coveredSince, dueOn } from '../../common/visits.js';
import type { Db } from '../db/database.js';
import { pathsLike } from '../policies/scope.js';

const DAY_MS = 86_400_000;
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The instants that bound day D's question: visits from `since` count, anything from `until` on has not happened yet. */
export function halfYearWindow(day: string) {
  const first = coveredSince(day);
  return { day, coveredSince: first, since: beijingDayStart(first), until: beijingDayStart(nextDay(day)) };
}

/** Households living in the subtree(s) on the day, each with its latest visit up to that day. */
function householdsOn(paths: readonly string[], until: Date) {
  return sql`
    select h.district, h.id, h.unit_id, h.unit_path, h.address, lv.last
    from household h
    left join lateral (
      select max(v.visited_at) as last from visit v
      where v.district = h.district and v.household_id = h.id and v.visited_at < ${until}
    ) lv on true
    where ${pathsLike(sql.ref('h.unit_path'), paths)}
      and h.created_at < ${until} and (h.dissolved_at is null or h.dissolved_at >= ${until})`;
}

export interface DueRow {
  district: string;
  id: string;
  unitId: string;
  unitPath: string;
  unitCode: string;
  unitName: string;
  address: string;
  last: Date | null;
  headId: string | null;
  headName: string | null;
  members: number;
}

export interface DueItem extends DueRow {
  /** The last day the latest visit keeps the household covered; null when never visited. */
  dueOn: string | null;
  overdue: boolean;
}

/**
 * A visit list ordered by due: households never visited first, then the longest unvisited; `overdue`
 * keeps only those not covered on the day. `paths` is the scope (already narrowed to a unit).
 */
export async function dueList(
  db: Db,
  paths: readonly string[],
  options: { day: string; overdueOnly: boolean; limit: number; offset: number },
): Promise<{ items: DueItem[]; total: number; window: ReturnType<typeof halfYearWindow> }> {
  const window = halfYearWindow(options.day);
  const overdue = options.overdueOnly ? sql`where y.last is null or y.last < ${window.since}` : sql``;
  const base = sql`(select * from (${householdsOn(paths, window.until)}) y ${overdue}) x`;
  const [page, count] = await Promise.all([
    sql<DueRow>`
      select x.district, x.id, x.unit_id, x.unit_path, u.code as unit_code, u.name as unit_name, x.address, x.last,
        head.id as head_id, head.name as head_name,
        (select count(*)::int from household_member m where m.district = x.district and m.household_id = x.id) as members
      from ${base}
      join unit u on u.id = x.unit_id
      left join household_member hm on hm.district = x.district and hm.household_id = x.id and hm.relation = 'head'
      left join person head on head.district = hm.district and head.id = hm.person_id
      order by x.last asc nulls first, x.unit_path, x.address, x.id
      limit ${options.limit} offset ${options.offset}`.execute(db),
    sql<{ n: number }>`select count(*)::int as n from ${base}`.execute(db),
  ]);
  return {
    items: page.rows.map((r) => {
      const due = r.last ? dueOn(beijingDay(r.last)) : null;
      return { ...r, dueOn: due, overdue: due === null || due < options.day };
    }),
    total: count.rows[0]?.n ?? 0,
    window,
  };
}

export interface CoverageFigures {
  /** Households living there on the day. */
  households: number;
  /** Of which visited within the half year (on or after coveredSince). */
  covered: number;
  /** Not covered: households − covered. */
  overdue: number;
  /** Of the overdue, those never visited at all. */
  neverVisited: number;
  /** covered / households (0 with no households). */
  rate: number;
}

/** Coverage counted per unit path of the households (grids, or a community for households filed there). */
export async function coverageByPath(
  db: Db,
  rootPath: string,
  day: string,
): Promise<Map<string, Omit<CoverageFigures, 'rate' | 'overdue'>>> {
  const window = halfYearWindow(day);
  const { rows } = await sql<{ unitPath: string; households: number; covered: number; neverVisited: number }>`
    select x.unit_path, count(*)::int as households,
      count(*) filter (where x.last >= ${window.since})::int as covered,
      count(*) filter (where x.last is null)::int as never_visited
    from (${householdsOn([rootPath], window.until)}) x
    group by x.unit_path`.execute(db);
  return new Map(rows.map((r) => [r.unitPath, r]));
}

/** Sums the per-path counts of every path under `path` into figures. */
export function rollUp(
  byPath: ReadonlyMap<string, Omit<CoverageFigures, 'rate' | 'overdue'>>,
  path: string,
): CoverageFigures {
  let households = 0;
  let covered = 0;
  let neverVisited = 0;
  for (const [p, c] of byPath) {
    if (!p.startsWith(path)) continue;
    households += c.households;
    covered += c.covered;
    neverVisited += c.neverVisited;
  }
  return { households, covered, overdue: households - covered, neverVisited, rate: coverageRate(covered, households) };
}

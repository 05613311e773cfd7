/**
 * A year of case history for the demo subdistrict, made by RUNNING THE WORKFLOW: every case is
 * reported and moved on by the real commands, as the real accounts (scoped as their sessions would
 * be), at the instants a replayed clock gives them, with the deadline sweep running as that clock
 * passes. Nothing is written as a final state, so the event logs, counters, clocks, audit rows and
 * notifications are what production would have produced.
 *
 * Deterministic for a seed and an end instant: the same case numbers, categories, places, steps and
 * states (tracking codes and ids are random, as in production).
 *
 * The parts: `history/world.ts` reads what exists, `history/rhythm.ts` says when, `history/texts.ts`
 * says it in Chinese, `history/planner.ts` plans each case's life, `history/runner.ts` replays it.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Urgency } from '../../common/cases.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { suggestDepartment } from '../cases/dispatch-rules.js';
import type { Db } from '../db/database.js';
import { storePhotoPool } from '../media/demo-photos.js';
import { recordUploads } from '../media/photo.repository.js';
import type { GridLocator } from '../territory/placement.js';
import { DEMO_SEED, DEMO_SUBDISTRICT_CODE } from './demo-data.js';
import { type CasePlan, type Draft, type OpenState, planCase } from './history/planner.js';
import { categoryPickers, monthOf, reportSlots, sweepInstants } from './history/rhythm.js';
import { emptyStats, type RunStats, runPlans } from './history/runner.js';
import { randomPlace } from './history/texts.js';
import {
  type CategoryInfo,
  type DepartmentInfo,
  type GridInfo,
  type HistoryWorld,
  loadWorld,
} from './history/world.js';
import { createRng, type Rng, WeightedPicker } from './random.js';

export interface DemoHistoryOptions {
  seed?: number;
  /** How many cases to report (default 6,000). */
  cases?: number;
  /** The demo's "now": the history ends here (default: the moment of the call). */
  end?: Date;
  /** Length of the history in days (default 365). */
  days?: number;
  /** Connections replaying steps side by side (default 4; the pool needs two more). */
  concurrency?: number;
  subdistrictCode?: string;
  log?: (line: string) => void;
  /** Where the demo photos are stored (the server's media directory); a temporary one when absent. */
  mediaDir?: string | undefined;
}

export interface DemoHistoryResult extends RunStats {
  cases: number;
  ms: number;
  /** Of which planning (before the first command). */
  planMs: number;
  byState: Record<string, number>;
  byChannel: Record<string, number>;
}

export const DEMO_HISTORY_CASES = 6_000;
const DAY_MS = 86_400_000;

/**
 * How long before "now" a case kept open in a state was reported: in working hours (so a Monday
 * morning "now" does not ask for Sunday's reports to have been registered), natural days for
 * `reported`. Long enough for the case to reach the state (such cases move briskly), and around the
 * state's time limit (1 working hour to dispatch, 3 working days to handle, 1 to verify by
 * default), so that "now" finds green, yellow and red lights.
 */
const STALL_AGES: Record<OpenState, [number, number]> = {
  reported: [0.02, 2.5],
  registered: [0.2, 4],
  dispatched: [0.5, 30],
  handling: [1.5, 40],
  deferred: [6, 300],
  handled: [2, 14],
};

export async function seedDemoHistory(
  db: Db,
  locator: GridLocator,
  options: DemoHistoryOptions = {},
): Promise<DemoHistoryResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const cases = options.cases ?? DEMO_HISTORY_CASES;
  const end = options.end ?? new Date();
  const days = options.days ?? 365;
  const start = new Date(end.getTime() - days * DAY_MS);
  const world = await loadWorld(db, options.subdistrictCode ?? DEMO_SUBDISTRICT_CODE);
  if (cases <= 0 || world.categories.length === 0 || world.grids.length === 0) {
    log('demo history: no categories or grids yet, nothing to replay / 尚无案件类别或网格，跳过历史案件');
    return { ...emptyStats(), cases: 0, ms: Date.now() - started, planMs: 0, byState: {}, byChannel: {} };
  }

  log(`demo history: planning ${cases} cases over ${days} days … / 正在生成 ${cases} 件历史案件 …`);
  const rng = createRng(options.seed ?? DEMO_SEED).fork('history');
  const slots = reportSlots(rng.fork('slots'), world.calendar, start, end, cases);
  const stallAt = chooseStalls(rng.fork('stalls'), world.calendar, slots, end, cases);
  const pickers = categoryPickers(rng.fork('categories'), world.categories);
  const gridWeights = rng.fork('grids');
  const grids = new WeightedPicker(world.grids.map((g) => [g, gridWeights.float(0.5, 1.8)] as const));
  const department = await departmentChooser(db, world);

  const plans: CasePlan[] = [];
  for (const [index, slot] of slots.entries()) {
    const r = rng.fork(`case ${index}`);
    let channel = slot.channel;
    const dupOf =
      ['resident', 'hotline', 'board'].includes(channel) && r.chance(0.05) ? recentCase(r, plans, slot.at) : undefined;
    let category: CategoryInfo;
    if (dupOf) category = dupOf.category;
    else if (channel === 'sensor' && pickers.sensor) category = pickers.sensor.pick(r);
    else {
      if (channel === 'sensor') channel = 'hotline';
      category = pickers.forMonth(monthOf(slot.at)).pick(r);
    }
    const hazardous = ['fire', 'water', 'manhole'].includes(category.topic.name);
    const urgency: Urgency =
      dupOf?.urgency ?? (hazardous && r.chance(0.08) ? 'emergency' : r.chance(0.08) ? 'urgent' : 'normal');
    const outside = !dupOf && (channel === 'hotline' || channel === 'patrol') && r.chance(0.006);
    const grid = outside ? undefined : (dupOf?.grid ?? grids.pick(r));
    const [lng, lat] = grid ? await pointIn(r, locator, grid, dupOf) : pointOutside(r, world.subdistrict.bbox);
    const near = grid ?? nearest(world.grids, lng, lat);
    const draft: Draft = {
      index,
      at: slot.at,
      channel,
      category,
      urgency,
      grid,
      near,
      lng,
      lat,
      place: randomPlace(r, near.committeeShort, near.roads),
      dupOf,
      stallAt: stallAt.get(index),
    };
    plans.push(await planCase({ world, department }, draft, r));
  }

  const planned = Date.now() - started;
  const instants = sweepInstants(world.calendar, start, end);
  // Steps may attach only their actor's uploads: the photo pool counts as every staff member's.
  const pool = await storePhotoPool(options.mediaDir ?? join(tmpdir(), 'gridloop-demo-media'));
  const staff = await db.selectFrom('account').select('id').execute();
  for (const a of staff) await recordUploads(db, { kind: 'staff', accountId: a.id, ipHash: '' }, pool, start);
  const stats = await runPlans(db, world, plans, instants, end, {
    photoKeys: pool.map((p) => p.key),
    concurrency: Math.max(1, options.concurrency ?? 4),
    progress: (reported, at) =>
      log(
        `demo history: ${reported}/${cases} reported, replayed to ${at.toISOString().slice(0, 10)} (${Math.round((Date.now() - started) / 1000)} s)`,
      ),
  });
  // People have kept up with their inboxes: what reached them more than three days ago has been read.
  await sql`update notification set read_at = created_at + interval '1 hour'
    where read_at is null and created_at < ${new Date(end.getTime() - 3 * DAY_MS)}`.execute(db);
  const count = async (column: 'state' | 'channel') => {
    const { rows } = await sql<{ key: string; n: number }>`
      select ${sql.ref(column)} as key, count(*)::int as n from cases
      where unit_path like ${`${world.subdistrict.path}%`} group by 1 order by 1`.execute(db);
    return Object.fromEntries(rows.map((row) => [row.key, row.n]));
  };
  const result = {
    ...stats,
    cases: stats.reports,
    ms: Date.now() - started,
    byState: await count('state'),
    byChannel: await count('channel'),
    planMs: planned,
  };
  log(
    `demo history: ${result.cases} cases, ${stats.transitions} steps, ${stats.sweeps} sweeps in ${Math.round(result.ms / 1000)} s` +
      ` — ${Object.entries(result.byState)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
  );
  if (stats.failures.length) {
    log(`demo history: ${stats.failures.length} steps failed, first: ${JSON.stringify(stats.failures[0])}`);
  }
  return result;
}

/** A few dozen cases (a few in a small history) kept open in each open state, reported recently. */
function chooseStalls(
  rng: Rng,
  calendar: WorkingCalendar,
  slots: readonly { at: Date; channel: string }[],
  end: Date,
  cases: number,
) {
  const target = Math.max(2, Math.round(cases * 0.005));
  const chosen = new Map<number, OpenState>();
  const recent = slots.flatMap((s, i) =>
    end.getTime() - s.at.getTime() < 120 * DAY_MS && s.channel !== 'sensor' ? [i] : [],
  );
  const workingHours = new Map<number, number>();
  const ageOf = (i: number, state: OpenState) => {
    const at = (slots[i] as { at: Date }).at;
    if (state === 'reported') return (end.getTime() - at.getTime()) / DAY_MS;
    if (!workingHours.has(i)) workingHours.set(i, calendar.workingMinutesBetween(at, end) / 60);
    return workingHours.get(i) as number;
  };
  // The narrow windows first; a window too thin (a long holiday before "now") is widened.
  for (const state of ['registered', 'dispatched', 'handled', 'handling', 'deferred', 'reported'] as const) {
    const [youngest, oldest] = STALL_AGES[state];
    let candidates: number[] = [];
    for (let widen = 1; widen <= 8 && candidates.length < target; widen *= 2) {
      candidates = recent.filter((i) => {
        const age = ageOf(i, state);
        return age >= youngest && age <= oldest * widen && !chosen.has(i);
      });
    }
    for (const i of rng.sample(candidates, target)) chosen.set(i, state);
  }
  return chosen;
}

/** An earlier case (last three days) a new report may duplicate. */
function recentCase(rng: Rng, plans: readonly CasePlan[], at: Date): CasePlan | undefined {
  const recent: CasePlan[] = [];
  for (let i = plans.length - 1; i >= 0 && recent.length < 40; i--) {
    const p = plans[i] as CasePlan;
    if (at.getTime() - p.report.at.getTime() > 3 * DAY_MS) break;
    if (p.mergeable && p.grid) recent.push(p);
  }
  return recent.length ? rng.pick(recent) : undefined;
}

/** A point inside the grid (as the locator sees it); a duplicate's lies a few metres from its original. */
async function pointIn(rng: Rng, locator: GridLocator, grid: GridInfo, near?: CasePlan): Promise<[number, number]> {
  const [west, south, east, north] = grid.bbox;
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
  for (let tries = 0; tries < 40; tries++) {
    // Rounded before the check: a point on a boundary must not cross it when rounded.
    const lng = round6(near ? near.lng + rng.float(-0.0002, 0.0002) : rng.float(west, east));
    const lat = round6(near ? near.lat + rng.float(-0.0002, 0.0002) : rng.float(south, north));
    const found = await locator.locate(lng, lat);
    if (found?.id === grid.id) return [lng, lat];
  }
  return near ? [near.lng, near.lat] : [(west + east) / 2, (south + north) / 2];
}

/** The grid whose box centre lies closest to a point. */
function nearest(grids: readonly GridInfo[], lng: number, lat: number): GridInfo {
  const distance = ({ bbox: [w, s, e, n] }: GridInfo) => ((w + e) / 2 - lng) ** 2 + ((s + n) / 2 - lat) ** 2;
  return grids.reduce((best, g) => (distance(g) < distance(best) ? g : best));
}

/** A point a little beyond the subdistrict's boundary (outside every grid). */
function pointOutside(rng: Rng, [west, south, east, north]: [number, number, number, number]): [number, number] {
  const off = rng.float(0.0008, 0.003);
  const along = (a: number, b: number) => rng.float(a, b);
  const side = rng.int(0, 3);
  const point: [number, number] =
    side === 0
      ? [west - off, along(south, north)]
      : side === 1
        ? [east + off, along(south, north)]
        : side === 2
          ? [along(west, east), south - off]
          : [along(west, east), north + off];
  return [Math.round(point[0] * 1e6) / 1e6, Math.round(point[1] * 1e6) / 1e6];
}

/**
 * The department a dispatcher picks: the dispatch rule (`suggestDepartment`, the real one), else a
 * department of the category's kind (the subdistrict's own first), else a general one. Asked once
 * per category and most specific rule unit, not per case.
 */
async function departmentChooser(
  db: Db,
  world: HistoryWorld,
): Promise<(category: CategoryInfo, path: string) => Promise<DepartmentInfo | undefined>> {
  const rules = await db.selectFrom('dispatchRule').select(['categoryId', 'unitPath']).execute();
  const rulePaths = new Map<string, string[]>();
  for (const rule of rules) rulePaths.set(rule.categoryId, [...(rulePaths.get(rule.categoryId) ?? []), rule.unitPath]);
  const memo = new Map<string, DepartmentInfo | undefined>();
  const byKind = (kind: string | null) => {
    const matching = world.departments.filter((d) => d.kind === kind);
    return matching.find((d) => d.level === 'subdistrict') ?? matching[0];
  };
  return async (category, path) => {
    const rulePath = (rulePaths.get(category.id) ?? [])
      .filter((p) => path.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    const key = `${category.id}|${rulePath ?? ''}`;
    if (!memo.has(key)) {
      const suggested = rulePath ? await suggestDepartment(db, category.id, path) : null;
      memo.set(
        key,
        world.departments.find((d) => d.id === suggested) ??
          byKind(category.departmentKind) ??
          byKind('other') ??
          world.departments[0],
      );
    }
    return memo.get(key);
  };
}

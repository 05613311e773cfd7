/**
 * Replays planned cases through the real commands (`reportCase`, `transitionCase`) in time order,
 * with `now` set to each step's instant, and runs the real deadline sweep as the replayed clock
 * passes the instants where a light falls due — so lights, overdue marks and automatic supervision
 * orders come about exactly as they do in production.
 *
 * Speed without bypassing anything: each command keeps its own transaction; what is saved is
 * waiting. What depends on what:
 * - a case's steps follow one another, after its report (a merge also after its target's);
 * - reports take case numbers from a per-day serial, so they run in order, on a connection of
 *   their own — up to half a day ahead of the replay, since a sweep never lights a case reported
 *   after its instant (every threshold lies after the report) and a report depends on no other case;
 * - a sweep must see every step up to its instant and none after it — but only for the cases it
 *   lights, which the database names before it runs; steps of other cases go on beside it.
 * The replayed clock stops only where a light may be due (lights.ts); between stops, the steps of
 * different cases run on a few connections at once. The connections skip the wait for the WAL
 * flush at commit (synchronous_commit off): a crash during the seed can lose its last moments,
 * never leave anything half-written.
 */
import { sql } from 'kysely';
import { transitionOf } from '../../../common/workflow.js';
import type { CaseActor } from '../../cases/case.policy.js';
import { reportCase } from '../../cases/commands/report-case.js';
import { transitionCase } from '../../cases/commands/transition-case.js';
import { sweepDeadlines } from '../../cases/deadline-sweep.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { GridLocator } from '../../territory/placement.js';
import { Lights } from './lights.js';
import type { CasePlan, PlannedStep } from './planner.js';
import type { HistoryWorld } from './world.js';

export interface RunOptions {
  /** Connections replaying steps at once (two more replay the reports and the sweeps). */
  concurrency: number;
  /** Called about every tenth of the reports with a progress line. */
  progress?: ((reported: number, at: Date) => void) | undefined;
  /** Keys of stored demo photos, recorded as every staff member's uploads; steps' photos are drawn from them. */
  photoKeys: readonly string[];
}

export interface RunFailure {
  index: number;
  action: string;
  /** Who tried (username, resident, system …). */
  by: string;
  code: string;
  message: string;
}

export interface RunStats {
  reports: number;
  transitions: number;
  sweeps: number;
  warned: number;
  overdue: number;
  supervised: number;
  /** Steps retried after the sweep's supervision order moved a case's version. */
  retried: number;
  /** Times the model of the clocks missed a light and was read back whole from the database. */
  reloads: number;
  failures: RunFailure[];
  /** Milliseconds spent replaying steps (the sweeps run beside them), checking and sweeping. */
  timings: { steps: number; checks: number; sweeps: number };
}

export const emptyStats = (): RunStats => ({
  reports: 0,
  transitions: 0,
  sweeps: 0,
  warned: 0,
  overdue: 0,
  supervised: 0,
  retried: 0,
  reloads: 0,
  failures: [],
  timings: { steps: 0, checks: 0, sweeps: 0 },
});

/** How far the reports may run ahead of the replayed clock. */
const REPORTS_AHEAD_MS = 12 * 3_600_000;

/** The cases a sweep at `at` would light, by the sweep's own conditions (yellow or red). */
async function dueCases(lane: Db, at: Date, share: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from cases
    where due_at is not null and paused_at is null and overdue_at is null
      and (due_at < ${at}
           or (warned_at is null and ${at} >= stage_started_at + (due_at - stage_started_at) * ${share}::float8))`.execute(
    lane,
  );
  return rows.map((r) => r.id);
}

/** A step that moves a running clock's due time (not a fresh start): it waits for a running sweep. */
const movesBack = (s: PlannedStep) => {
  const clock = transitionOf(s.props.action).clock;
  return clock.resume === true || clock.extend === true;
};

/** Runs `fn` with `n` connections of the pool held for its whole duration. */
async function withConnections<T>(db: Db, n: number, fn: (lanes: Db[]) => Promise<T>, held: Db[] = []): Promise<T> {
  if (held.length === n) return fn(held);
  return db.connection().execute((lane) => withConnections(db, n, fn, [...held, lane]));
}

/** Runs tasks on the lanes, each lane taking the next task when it is free. */
async function onLanes<T>(lanes: Db[], tasks: T[], run: (lane: Db, task: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      while (next < tasks.length) {
        const task = tasks[next++] as T;
        await run(lane, task);
      }
    }),
  );
}

/**
 * Replays `plans` (steps after `end` are left out: they have not happened yet), stopping at those
 * of `instants` (ascending, the last being `end`) where a light falls due, and sweeping there.
 */
export async function runPlans(
  db: Db,
  world: HistoryWorld,
  plans: readonly CasePlan[],
  instants: readonly Date[],
  end: Date,
  options: RunOptions,
): Promise<RunStats> {
  const stats = emptyStats();
  const ids: (string | undefined)[] = [];
  const indexOf = new Map<string, number>();
  const versions: number[] = [];
  const dead = new Set<number>();
  const fail = (index: number, action: string, actor: CaseActor, error: unknown) => {
    dead.add(index);
    const code = error instanceof AppError ? error.code : 'ERROR';
    const by = actor?.kind === 'staff' ? actor.username : (actor?.kind ?? 'anonymous');
    const message = String((error as Error)?.message ?? error);
    stats.failures.push({ index, action, by, code, message });
  };

  const reports = plans
    .filter((p) => p.report.at <= end)
    .sort((a, b) => +a.report.at - +b.report.at || a.index - b.index);
  const steps = plans
    .flatMap((p) => p.steps.filter((s) => s.at <= end).map((step, n) => ({ index: p.index, n, step })))
    .sort((a, b) => +a.step.at - +b.step.at || a.index - b.index || a.n - b.n);
  const tick = Math.max(1, Math.floor(reports.length / 10));

  return withConnections(db, options.concurrency + 2, async ([reportLane, sweepLane, ...lanes]) => {
    const all = [reportLane, sweepLane, ...lanes] as Db[];
    for (const lane of all) await sql`set synchronous_commit = off`.execute(lane);
    try {
      return await replayAll(reportLane as Db, sweepLane as Db, lanes);
    } finally {
      for (const lane of all) await sql`reset synchronous_commit`.execute(lane).catch(() => {});
    }
  });

  async function replayAll(reportLane: Db, sweepLane: Db, lanes: Db[]): Promise<RunStats> {
    const locator = new GridLocator(reportLane);

    const report = async (plan: CasePlan) => {
      try {
        const r = await reportCase(
          { db: reportLane, locator, actor: plan.report.actor, now: plan.report.at },
          plan.report.props,
        );
        ids[plan.index] = r.id;
        indexOf.set(r.id, plan.index);
        versions[plan.index] = 1;
        stats.reports += 1;
        if (stats.reports % tick === 0) options.progress?.(stats.reports, plan.report.at);
      } catch (error) {
        fail(plan.index, `report (${plan.report.props.channel})`, plan.report.actor, error);
      }
    };

    const step = async (lane: Db, index: number, s: PlannedStep) => {
      const id = ids[index];
      if (!id || dead.has(index)) return;
      const mergedIntoId = s.mergeInto === undefined ? undefined : ids[s.mergeInto];
      if (s.mergeInto !== undefined && !mergedIntoId) return fail(index, s.props.action, s.actor, 'no merge target');
      const actor = s.actor?.kind === 'tracking' ? { ...s.actor, caseId: id } : s.actor;
      // The planner names photos per case and step; real uploads stand in for them, chosen the same way each run.
      const photos = s.props.photos?.map((p, i) => ({
        ...p,
        key: options.photoKeys[(index * 7 + i) % options.photoKeys.length] ?? p.key,
      }));
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await transitionCase(
            { db: lane, locator, actor, now: s.at },
            { ...s.props, photos, caseId: id, version: versions[index] ?? 1, mergedIntoId },
          );
          versions[index] = r.version;
          stats.transitions += 1;
          return;
        } catch (error) {
          // Someone else moved the version (should not happen: the sweep's are read back): go on.
          // (Deadlocks between lanes are retried inside transitionCase.)
          if (error instanceof AppError && error.code === 'CASE_VERSION_CONFLICT' && attempt < 2) {
            const row = await lane.selectFrom('cases').select('version').where('id', '=', id).executeTakeFirst();
            versions[index] = row?.version ?? versions[index] ?? 1;
            stats.retried += 1;
            continue;
          }
          return fail(index, s.props.action, s.actor, error);
        }
      }
    };

    // Reports, in order on their own connection.
    let chain = Promise.resolve();
    let scheduled = 0;
    const reported = new Map<number, Promise<void>>();
    const reportUntil = (until: number) => {
      for (; scheduled < reports.length && (reports[scheduled] as CasePlan).report.at.getTime() <= until; scheduled++) {
        const plan = reports[scheduled] as CasePlan;
        chain = chain.then(() => report(plan));
        reported.set(plan.index, chain);
      }
    };

    // Sweeps run one after another on their own connection, beside the replay; a case's steps wait
    // for the last sweep that lights it. `look` reads the clocks at a stop, when the step lanes idle.
    let sweeping: Promise<void> = Promise.resolve();
    const sweptBy = new Map<number, Promise<void>>();
    const look = lanes[0] as Db;
    const sweep = async (at: Date) => {
      const clock = performance.now();
      const swept = await sweepDeadlines(sweepLane, { now: at });
      stats.sweeps += 1;
      stats.warned += swept.warned;
      stats.overdue += swept.overdue;
      stats.supervised += swept.supervised;
      if (swept.supervised) {
        // Its supervision orders moved those cases' versions: read them before their next steps.
        const rows = await sweepLane
          .selectFrom('cases')
          .select(['id', 'version'])
          .where('dueAt', 'is not', null)
          .where('pausedAt', 'is', null)
          .where('overdueAt', '=', at)
          .execute();
        for (const row of rows) {
          const index = indexOf.get(row.id);
          if (index !== undefined) versions[index] = row.version;
        }
      }
      stats.timings.sweeps += performance.now() - clock;
    };

    /** One stretch of the replay: each case's steps in order, different cases side by side. */
    const replay = async (windowSteps: { index: number; step: PlannedStep }[]) => {
      const byCase = new Map<number, PlannedStep[]>();
      for (const { index, step: s } of windowSteps) {
        const list = byCase.get(index);
        if (list) list.push(s);
        else byCase.set(index, [s]);
      }
      const running = sweeping;
      await onLanes(lanes, [...byCase], async (lane, [index, list]) => {
        await reported.get(index);
        await sweptBy.get(index);
        // A resumed or extended clock keeps its old start, so it could fall under a running sweep.
        if (list.some(movesBack)) await running;
        for (const s of list) {
          if (s.mergeInto !== undefined) {
            // The merge's follower row takes a key-share lock on the target, which a sweep lighting the
            // target would skip (FOR UPDATE SKIP LOCKED) and light a sweep later: wait for its sweep too.
            await reported.get(s.mergeInto);
            await sweptBy.get(s.mergeInto);
          }
          await step(lane, index, s);
        }
      });
    };

    const lights = new Lights(world, new Map(plans.map((p) => [p.index, p])));
    /** Reads clocks back from the database: of some cases, or of all. */
    const reload = async (cases: number[] | 'all') => {
      const wanted = cases === 'all' ? undefined : cases.flatMap((i) => (ids[i] ? [ids[i] as string] : []));
      if (wanted?.length === 0) return lights.load([], cases);
      let query = look
        .selectFrom('cases')
        .select(['id', 'stageStartedAt', 'dueAt', 'warnedAt', 'overdueAt', 'pausedAt'])
        .where('dueAt', 'is not', null);
      if (wanted) query = query.where('id', 'in', wanted);
      const rows = await query.execute();
      lights.load(
        rows.flatMap((row) => {
          const index = indexOf.get(row.id);
          return index === undefined ? [] : [{ ...row, index }];
        }),
        cases,
      );
    };

    let r = 0;
    let k = 0;
    let lastDay = Number.NaN;
    let windowSteps: { index: number; step: PlannedStep }[] = [];
    for (const [n, instant] of instants.entries()) {
      for (; r < reports.length && (reports[r] as CasePlan).report.at <= instant; r++) {
        const plan = reports[r] as CasePlan;
        lights.step(plan.index, 'report', plan.report.at);
      }
      for (; k < steps.length && (steps[k] as (typeof steps)[number]).step.at <= instant; k++) {
        const item = steps[k] as (typeof steps)[number];
        windowSteps.push(item);
        lights.step(item.index, item.step.props.action, item.step.at);
      }
      // Stop the replayed clock where a light may be due, where the model lost a clock, and once a
      // day (to be safe); elsewhere keep going, so that more steps run side by side.
      const day = Math.floor(instant.getTime() / 86_400_000);
      const last = n === instants.length - 1;
      if (!last && lights.next() > instant.getTime() && day === lastDay && lights.lost.size === 0) continue;
      lastDay = day;

      let clock = performance.now();
      const failed = stats.failures.length;
      reportUntil(instant.getTime() + REPORTS_AHEAD_MS);
      await replay(windowSteps);
      windowSteps = [];
      // Before looking at the clocks, everything reported up to now is in.
      if (r > 0) await reported.get((reports[r - 1] as CasePlan).index);
      stats.timings.steps += performance.now() - clock;

      clock = performance.now();
      // A refused step leaves its case's clock where the model did not expect it. (A lost clock's
      // step waited for the running sweeps, so none of them still touches it.)
      for (const f of stats.failures.slice(failed)) lights.lost.add(f.index);
      if (lights.lost.size) await reload([...lights.lost]);
      const expected = lights.next() <= instant.getTime();
      // The cases to light, from the database: exact, or with cases a running sweep is still
      // lighting (they then wait for both sweeps, which is harmless).
      let lit = await dueCases(look, instant, world.settings.warnShare);
      if (lit.length && !expected) {
        // Unexpected: let the running sweeps finish and ask again; still there, the model missed it.
        await sweeping;
        lit = await dueCases(look, instant, world.settings.warnShare);
        if (lit.length) {
          stats.reloads += 1;
          await reload('all');
        }
      }
      stats.timings.checks += performance.now() - clock;
      if (lit.length === 0) continue;
      lights.swept(instant);
      const at = instant;
      const swept = sweeping.then(() => sweep(at));
      sweeping = swept;
      for (const id of lit) {
        const index = indexOf.get(id);
        if (index !== undefined) sweptBy.set(index, swept);
      }
    }
    await sweeping;
    await chain;
    return stats;
  }
}

/**
 * What the sweep benchmark checks after every sweep of its series (and what `--scale small` in CI is
 * for): the sweep's own counts, then the database — exactly run k's crossed cases changed light (a
 * yellow one yellow, a red one red and, if it went straight to red, yellow at the same moment), each
 * red one supervised once (one `supervise` event, its counter, one audit row), each told once per
 * person concerned (one dispatcher, handler or grid worker for the light; the subdistrict's
 * supervisor too for red), one light row each, and nothing else in the tables moved.
 */
import { sql } from 'kysely';
import type { SweepResult } from '../server/cases/deadline-sweep.js';
import type { Db } from '../server/db/database.js';
import { runAt, type SweepPlan } from './sweep-data.js';

export interface Snapshot {
  warned: number;
  overdue: number;
  versions: number;
  notices: number;
  events: number;
  audits: number;
  lights: number;
}

export async function snapshot(db: Db): Promise<Snapshot> {
  const { rows } = await sql<Snapshot>`
    select (select count(*) from cases where warned_at is not null)::int as warned,
      (select count(*) from cases where overdue_at is not null)::int as overdue,
      (select coalesce(sum(version), 0) from cases)::bigint::float8 as versions,
      (select count(*) from notification)::int as notices, (select count(*) from case_event)::int as events,
      (select count(*) from audit_log)::int as audits, (select count(*) from case_light)::int as lights`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('no snapshot');
  return row;
}

function expect(what: string, expected: unknown, actual: unknown): void {
  if (JSON.stringify(expected) !== JSON.stringify(actual))
    throw new Error(
      `sweep bench check failed: ${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
}

/** Checks sweep k (0: the idle sweep at t0) against its crossed set; returns what was checked. */
export async function checkRun(
  db: Db,
  plan: SweepPlan,
  k: number,
  before: Snapshot,
  result: SweepResult,
): Promise<string> {
  const at = runAt(plan, k);
  const { rows: sets } = await sql<{ yellow: number; red: number; straight: number }>`
    select count(*) filter (where kind = 'yellow')::int as yellow, count(*) filter (where kind = 'red')::int as red,
      count(*) filter (where straight)::int as straight
    from bench_sweep_case where run = ${k}`.execute(db);
  const { yellow: y, red: r, straight: s } = sets[0] ?? { yellow: 0, red: 0, straight: 0 };
  expect(`sweep ${k}: its counts`, { warned: y, overdue: r, supervised: r }, result);

  const after = await snapshot(db);
  const delta = Object.fromEntries(
    Object.entries(after).map(([key, value]) => [key, value - before[key as keyof Snapshot]]),
  );
  const notices = y + 2 * r + r; // yellow: 1 person; red: responsible + supervisor; supervision order: responsible
  expect(
    `sweep ${k}: rows added or changed`,
    { warned: y + s, overdue: r, versions: r, notices, events: r, audits: r, lights: y + r },
    delta,
  );

  const { rows: cases } = await sql<{ changed: number; yellow: number; red: number }>`
    select count(*)::int as changed,
      count(*) filter (where p.kind = 'yellow' and p.run = ${k} and c.overdue_at is null)::int as yellow,
      count(*) filter (where p.kind = 'red' and p.run = ${k} and c.overdue_at = ${at}
        and (c.warned_at = ${at}) = p.straight and (c.counters ->> 'supervised')::int = 1)::int as red
    from cases c left join bench_sweep_case p on p.district = c.district and p.id = c.id
    where c.warned_at = ${at} or c.overdue_at = ${at}`.execute(db);
  expect(`sweep ${k}: the cases that changed light`, { changed: y + r, yellow: y, red: r }, cases[0]);

  const { rows: told } = await sql<{ kind: string; rows: number; cases: number; ours: number }>`
    select n.kind, count(*)::int as rows, count(distinct n.case_id)::int as cases,
      count(*) filter (where p.run = ${k} and p.kind = case n.kind when 'warning' then 'yellow' else 'red' end)::int as ours
    from notification n left join bench_sweep_case p on p.id = n.case_id
    where n.created_at = ${at} group by n.kind order by n.kind`.execute(db);
  const expected = [
    ...(r ? [{ kind: 'overdue', rows: 2 * r, cases: r, ours: 2 * r }] : []),
    ...(r ? [{ kind: 'supervise', rows: r, cases: r, ours: r }] : []),
    ...(y ? [{ kind: 'warning', rows: y, cases: y, ours: y }] : []),
  ];
  expect(`sweep ${k}: notices by kind`, expected, told);

  const { rows: events } = await sql<{ rows: number; cases: number; ours: number }>`
    select count(*)::int as rows, count(distinct e.case_id)::int as cases,
      count(*) filter (where e.action = 'supervise' and e.actor_relation = 'system' and p.run = ${k}
        and p.kind = 'red')::int as ours
    from case_event e left join bench_sweep_case p on p.id = e.case_id where e.created_at = ${at}`.execute(db);
  expect(`sweep ${k}: supervision orders`, { rows: r, cases: r, ours: r }, events[0]);
  return k === 0
    ? 'a sweep at the armed moment changes nothing'
    : `sweep ${k}: exactly ${y} yellow + ${r} red (${s} straight) changed, ${notices} notices, ${r} supervision orders, nothing else`;
}

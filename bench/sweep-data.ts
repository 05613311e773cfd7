/**
 * The deadline sweep benchmark's data: open cases from the indicator benchmark's generator
 * (bench/indicators-cases.ts: cases reported in the last days before `t0`, so most are still open),
 * one dispatcher, supervisor and grid worker per subdistrict and one handler per department (so every
 * light tells a known number of people), and clocks armed for a series of sweeps one minute apart:
 *
 * - run k's crossed cases: `yellow` ones whose warning moment (start + share × limit) falls in
 *   (t0 + (k − 1) min, t0 + k min] and whose due time lies later; `red` ones whose due time falls in
 *   that minute, warned long before — and one in five `straight` to red (warning moment and due time
 *   both in that minute);
 * - the rest, which no sweep of the series may touch: clocks whose warning moment lies after the
 *   series (70 %), already yellow (12 %), already red (8 %), paused past due (4 %), no clock (6 %).
 *
 * `bench_sweep_case` keeps each crossed case's run and kind, for the checks.
 */
import { sql } from 'kysely';
import type { Db } from '../server/db/database.js';
import { writeChunk } from './indicators-cases.js';
import type { City } from './indicators-city.js';

/** The series: one sweep a minute. */
export const STEP_MS = 60_000;

export interface SweepPlan {
  t0: Date;
  runs: number;
  yellow: number;
  red: number;
}

/** The time of run k (1-based): t0 + k minutes. */
export const runAt = (plan: SweepPlan, k: number) => new Date(plan.t0.getTime() + k * STEP_MS);

/**
 * Writes cases reported in the two days before `t0`, a chunk of at most 250,000 at a time, until
 * `open` of them are open at `t0` (most are: a stage of the generator's lifecycles takes longer);
 * returns how many cases were written in all.
 */
export async function writeOpenCases(
  db: Db,
  city: City,
  t0: Date,
  open: number,
  progress: (done: number) => void,
): Promise<number> {
  const { rows } = await sql<{ lo: number }>`
    select min(n)::int as lo from bench_slot where day > (select max(day) from bench_slot) - 2`.execute(db);
  const lo = rows[0]?.lo ?? 0;
  let written = 0;
  let found = 0;
  let share = 0.8;
  while (found < open) {
    const count = Math.min(250_000, Math.ceil((open - found) / share) + 50);
    // Serials from `written` on; reporting times in the last days' slots.
    await writeChunk(db, city, { first: written, count, lo, hi: city.slots }, t0);
    written += count;
    found = await countOpen(db);
    share = Math.max(found / written, 0.05);
    progress(Math.min(found, open));
  }
  return written;
}

const OPEN_STATES = sql`('closed', 'rejected', 'merged')`;

export async function countOpen(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from cases where state not in ${OPEN_STATES}`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Staff for the notices, written straight into the tables (one password hash that nobody signs in
 * with: hashing hundreds of passwords with argon2 would take a minute).
 */
export async function writeStaff(db: Db): Promise<void> {
  await sql`
    insert into account (id, username, display_name, password_hash)
    select gen_random_uuid(), 'bench-' || r.role || '-' || u.code, u.name || r.role, '!'
    from unit u cross join unnest(array['dispatcher', 'supervisor', 'grid_worker']) r(role)
    where u.level = 'subdistrict'`.execute(db);
  await sql`
    insert into account_grant (id, account_id, role, unit_id, unit_path, district)
    select gen_random_uuid(), a.id, r.role, u.id, u.path, u.district
    from unit u cross join unnest(array['dispatcher', 'supervisor', 'grid_worker']) r(role)
    join account a on a.username = 'bench-' || r.role || '-' || u.code
    where u.level = 'subdistrict'`.execute(db);
  await sql`
    insert into account (id, username, display_name, password_hash)
    select gen_random_uuid(), 'bench-handler-' || d.code, d.name || '办理人', '!' from department d`.execute(db);
  await sql`
    insert into account_grant (id, account_id, role, unit_id, unit_path, district, department_id)
    select gen_random_uuid(), a.id, 'handler', d.serves_unit_id, d.serves_path, d.district, d.id
    from department d join account a on a.username = 'bench-handler-' || d.code`.execute(db);
}

/**
 * Sets every open case's clock for the series (one UPDATE) and records the crossed cases. Crossed
 * cases are drawn from those whose stage started over two hours before `t0` (so a yellow one's due
 * time lies past its minute) and whose responsible person exists: a dispatcher for reported and
 * registered cases, a department's handler for dispatched and handling ones, a grid worker for
 * handled ones.
 */
export async function armClocks(db: Db, plan: SweepPlan, share: number): Promise<void> {
  const t0 = sql`${plan.t0}::timestamptz`;
  const end = sql`(${t0} + ${plan.runs * 60} * interval '1 second')`;
  const crossed = plan.runs * (plan.yellow + plan.red);
  await sql`drop table if exists bench_sweep_case`.execute(db);
  await sql`
    create unlogged table bench_sweep_case as
    with o as (
      select district, id, coalesce(stage_started_at, created_at) as s,
        stage_started_at < ${t0} - interval '2 hours' and (state in ('reported', 'registered', 'handled')
          or (state in ('dispatched', 'handling') and department_id is not null)) as eligible
      from cases where state not in ${OPEN_STATES}
    ), ranked as (
      select o.*, case when eligible then row_number() over (partition by eligible order by random()) end as r
      from o
    )
    select district, id, s, random() as u, random() as v,
      case when r <= ${plan.runs * plan.yellow} then 'yellow' when r <= ${crossed} then 'red' end as kind,
      case when r <= ${plan.runs * plan.yellow} then 1 + (r - 1) / ${plan.yellow}
        when r <= ${crossed} then 1 + (r - 1 - ${plan.runs * plan.yellow}) / ${plan.red} end as run,
      r > ${plan.runs * plan.yellow} and r <= ${crossed} and r % 5 = 0 as straight
    from ranked`.execute(db);
  await sql`alter table bench_sweep_case add primary key (district, id)`.execute(db);
  // Per class: w the warning moment, d the due time (d = s + (w − s) / share when only w is chosen).
  const k = sql`${share}::float8`;
  const second = (expression: string) => sql.raw(`(${expression}) * interval '1 second'`);
  await sql`
    with classed as (
      select district, id, s, v, run, straight,
        coalesce(kind, case when u < 0.70 then 'later' when u < 0.82 then 'warned' when u < 0.90 then 'overdue'
          when u < 0.94 then 'paused' else 'none' end) as class
      from bench_sweep_case
    ), chosen as (
      select classed.*,
        case class
          when 'yellow' then ${t0} + ${second('(run - 1) * 60 + (1 - v) * 60')}
          when 'later' then ${end} + interval '1 minute' + v * interval '7 days'
        end as w,
        case class
          when 'red' then ${t0} + ${second('(run - 1) * 60 + 30 + (1 - v) * 29')}
          when 'warned' then ${end} + interval '1 minute' + v * interval '3 days'
          when 'overdue' then s + (${t0} - s) * 0.5
          when 'paused' then s + (${t0} - s) * 0.5
        end as d
      from classed
    ), clock as (
      select district, id, class, straight,
        case when straight then d - interval '20 seconds' else s end as s,
        coalesce(d, s + (w - s) / ${k}) as d
      from chosen
    )
    update cases c set
      stage_started_at = clock.s,
      due_at = clock.d,
      warned_at = case
        when clock.class = 'red' and not clock.straight then clock.s + (clock.d - clock.s) * ${k}
        when clock.class = 'overdue' then clock.s + (clock.d - clock.s) * ${k}
        when clock.class = 'warned' then clock.s + (${t0} - clock.s) * 0.9 end,
      overdue_at = case when clock.class = 'overdue' then clock.d + (${t0} - clock.d) * 0.5 end,
      paused_at = case when clock.class = 'paused' then clock.s + (${t0} - clock.s) * 0.25 end
    from clock where c.district = clock.district and c.id = clock.id`.execute(db);
  await sql`delete from bench_sweep_case where kind is null`.execute(db);
  await sql`vacuum analyze cases`.execute(db);
}

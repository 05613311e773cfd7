/**
 * Cases of realistic shape for the indicator benchmark, a chunk of days at a time (one INSERT …
 * SELECT over generate_series each), and their daily rollup.
 *
 * Shape: reports spread over the year by the city's day slots (weekday / weekend / holiday rhythm,
 * summer peak) and over the day (most in office hours); skewed over grids (a grid is drawn as
 * ⌊u² · grids⌋ of the shuffled grids, so a few are busy) and over ~110 categories; six channels
 * (patrol 40 %, hotline 25 %, resident 15 %, sensor 8 %, survey 7 %, board 5 %). Lifecycles: 3 %
 * rejected; patrol reports of categories a grid worker may handle are mostly handled on the spot;
 * the rest registered (mostly within the hour), dispatched to the district's department of the
 * category's kind, handled (about four in five within the category's limit, 5 % with an extension
 * of 48 h, 4 % reworked once), verified and closed; 70 % of public reporters called back. Events
 * later than the generation's `now` have not happened: those cases are open.
 *
 * The rollup: a case's timeline becomes the events the workflow would have appended, and each event
 * is counted as the `indicator_day` trigger (migration 0009) counts it — its +08:00 day, the case's
 * grid, category and channel, the department after the step (none before dispatch), the same
 * counters; a callback on the row of the closure it rates — summed in one aggregate INSERT … SELECT
 * per chunk that adds to existing rows as the trigger's upsert does. (Replaying 10 M cases through
 * the trigger, event by event, would take hours.) The bench checks the result against counts taken
 * straight from the case rows (see checkSample in indicators.ts).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Db } from '../server/db/database.js';
import { FLOW_COUNTS } from '../server/indicators/definitions.js';
import { snake } from '../server/indicators/sources.js';
import type { City } from './indicators-city.js';

const NIL = '00000000-0000-0000-0000-000000000000';
const COLUMNS = FLOW_COUNTS.map(snake);
const MINUTES = new Set(['registration_working_minutes', 'handling_working_minutes']);

/** The closure's counters (verify_pass, self_handle): `to_state = 'closed'` in the trigger. */
const CLOSURE = {
  closed: '1',
  closed_solved: '1',
  closed_on_time: 'closed_on_time::int',
  closed_first_time: '(not reworked)::int',
  callback_due: 'public::int',
  solved_grid: "(solved_level = 'grid')::int",
  solved_subdistrict: "(solved_level = 'subdistrict')::int",
  solved_district: "(solved_level = 'district')::int",
};

/** The events of a timeline, as the trigger counts them; `department`: after the step. */
const EVENTS: { at: string; day?: string; department: boolean; counts: Record<string, string> }[] = [
  { at: 'reported_at', department: false, counts: { reported: '1' } },
  {
    at: 'registered_at',
    department: false,
    counts: {
      registered: '1',
      registered_on_time: '(reg_minutes <= 60)::int',
      registration_working_minutes: 'reg_minutes',
    },
  },
  { at: 'rejected_at', department: false, counts: { rejected: '1' } },
  { at: 'self_at', department: false, counts: { self_handled: '1', ...CLOSURE } },
  { at: 'dispatched_at', department: true, counts: { dispatched: '1' } },
  { at: 'extended_at', department: true, counts: { extended: '1' } },
  {
    at: 'handled_at',
    department: true,
    counts: {
      handled: '1',
      handled_on_time: 'handled_on_time::int',
      handled_overdue: '(not handled_on_time)::int',
      handling_working_minutes: 'handling_minutes',
    },
  },
  { at: 'failed_at', department: true, counts: { verified: '1', reworked: '1' } },
  { at: 'passed_at', department: true, counts: { verified: '1', ...CLOSURE } },
  {
    at: 'callback_at',
    day: 'closed_at',
    department: true,
    counts: {
      callbacks: '1',
      callback_responded: 'public::int',
      callback_satisfied: "(satisfaction = 'satisfied')::int",
      callback_basically_satisfied: "(satisfaction = 'basically_satisfied')::int",
      callback_dissatisfied: "(satisfaction = 'dissatisfied')::int",
      callback_solved: "(satisfaction <> 'dissatisfied')::int",
    },
  },
];
for (const e of EVENTS)
  for (const c of Object.keys(e.counts)) if (!COLUMNS.includes(c)) throw new Error(`no rollup column ${c}`);

const wall = (ts: string) => `((${ts} at time zone 'UTC') + interval '8 hours')`;

/** One chunk's timelines: cases `first` … `first + count − 1` in slots [lo, hi). */
function planStatement(city: City, chunk: { first: number; count: number; lo: number; hi: number }) {
  return sql`
    create temp table bench_plan as
    with r as (
      select ${chunk.first}::bigint + i as i, random() as u_grid, random() as u_slot, random() as u_min,
        random() as u_cat, random() as u_ch, random() as u_out, random() as u_reg, random() as u_dis,
        random() as u_hdl, random() as u_ext, random() as u_cb, random() as u_sat
      from generate_series(0, ${chunk.count - 1}::int) i
    ), b as (
      select r.*, g.district, g.unit_id, g.unit_path, g.lng, g.lat, c.category_id, c.name_zh, c.self_handle,
        c.handle_hours, d.id as department_id,
        (s.day + (case when u_min < 0.7 then 480 + u_min / 0.7 * 600 when u_min < 0.9 then 1080 + (u_min - 0.7) / 0.2 * 240
          else (u_min - 0.9) / 0.1 * 1440 end) * interval '1 minute') at time zone 'UTC' - interval '8 hours' as reported_at,
        case when u_ch < 0.40 then 'patrol' when u_ch < 0.65 then 'hotline' when u_ch < 0.80 then 'resident'
          when u_ch < 0.88 then 'sensor' when u_ch < 0.95 then 'survey' else 'board' end as channel
      from r
      join bench_grid g on g.n = floor(power(u_grid, 2) * ${city.grids})::int
      join bench_slot s on s.n = ${chunk.lo}::int + floor(u_slot * ${chunk.hi - chunk.lo})::int
      join bench_category c on c.n = floor(power(u_cat, 1.8) * ${city.categories})::int
      left join department d on d.district = g.district and d.kind = c.department_kind
    ), k as (
      select b.*,
        case when u_out < 0.03 then 'reject' when channel = 'patrol' and self_handle and u_out < 0.45 then 'self'
          else 'dispatch' end as path,
        channel in ('hotline', 'resident', 'board') as public,
        round(5 + power(u_reg, 6) * 150)::int as reg_minutes,
        u_ext < 0.05 as extended, u_ext >= 0.05 and u_ext < 0.09 as reworked
      from b
    ), t as (
      select k.*,
        case when path = 'reject' then reported_at + interval '20 minutes' end as rejected_at,
        case when path = 'self' then reported_at + interval '30 minutes' end as self_at,
        case when path = 'dispatch' then reported_at + reg_minutes * interval '1 minute' end as registered_at,
        case when path = 'dispatch' then reported_at + (reg_minutes + 5 + u_dis * 25) * interval '1 minute' end as dispatched_at
      from k
    ), h as (
      select t.*,
        dispatched_at + handle_hours * interval '1 hour' as due_base,
        dispatched_at + (handle_hours + case when extended then 48 else 0 end) * interval '1 hour' as due,
        case when extended then dispatched_at + handle_hours * 0.05 * interval '1 hour' end as extended_at,
        dispatched_at + handle_hours * (0.1 + 1.3 * power(u_hdl, 1.5)) * interval '1 hour' as handled_at
      from t
    ), f as (
      select h.*,
        case when reworked then handled_at + interval '3 hours' end as failed_at,
        handled_at + case when reworked then interval '27 hours' else interval '0' end as final_at
      from h
    )
    select i, district, unit_id, unit_path, lng + (u_min - 0.5) * 0.002 as lng, lat + (u_cat - 0.5) * 0.002 as lat,
      category_id, name_zh, channel, public, path, department_id, reported_at, rejected_at, self_at, registered_at,
      reg_minutes, dispatched_at, extended, extended_at, due_base, due, handled_at, handled_at <= due as handled_on_time,
      round(extract(epoch from handled_at - dispatched_at) / 60 * 450 / 1440)::int as handling_minutes,
      reworked, failed_at, final_at, final_at + interval '3 hours' as passed_at,
      coalesce(final_at + interval '3 hours', self_at) as closed_at,
      coalesce(final_at <= due, path = 'self') as closed_on_time,
      case when path = 'self' then 'grid' when i % 10 < 3 then 'district' else 'subdistrict' end as solved_level,
      case when public and u_cb < 0.7 then final_at + interval '23 hours' end as callback_at,
      case when u_sat < 0.75 then 'satisfied' when u_sat < 0.9 then 'basically_satisfied' else 'dissatisfied' end as satisfaction
    from f
    order by reported_at`;
}

/** The case rows of the plan as they stand at `now`. */
function casesStatement(now: Date) {
  const N = sql`${now}::timestamptz`;
  const happened = (column: string) => sql`(${sql.ref(column)} <= ${N})`;
  const state = sql`case path
    when 'reject' then case when ${happened('rejected_at')} then 'rejected' else 'reported' end
    when 'self' then case when ${happened('self_at')} then 'closed' else 'reported' end
    else case when ${happened('passed_at')} then 'closed' when ${happened('final_at')} then 'handled'
      when ${happened('failed_at')} then 'handling' when ${happened('handled_at')} then 'handled'
      when ${happened('dispatched_at')} then 'handling' when ${happened('registered_at')} then 'registered'
      else 'reported' end end`;
  const closed = happened('closed_at');
  return sql`
    insert into cases (district, id, number, tracking_code, state, channel, category_id, urgency, title, description,
      address, lng, lat, unit_id, unit_path, reporter_kind, reporter_name, reporter_phone, department_id, stage,
      stage_started_at, due_at, close_reason, solved_level, closed_at, satisfaction, callback_solved, counters,
      created_at, updated_at, handle_due_at, closed_on_time)
    select district,
      -- UUIDv7 of the report time, as the application makes them.
      encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
        substring(int8send(floor(extract(epoch from reported_at) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid,
      district || '-' || to_char(${sql.raw(wall('reported_at'))}, 'YYYYMMDD') || '-' || lpad(i::text, 8, '0'),
      'UB' || lpad(i::text, 8, '0'), s.state, channel, category_id, 'normal', name_zh,
      name_zh || '：' || (array['现场需要处理', '市民反映多次', '影响通行', '存在安全隐患', '影响市容'])[1 + i % 5],
      '示范路 ' || (1 + i % 999) || ' 号', lng, lat, unit_id, unit_path,
      case channel when 'hotline' then 'caller' when 'resident' then 'anonymous' when 'board' then 'anonymous'
        when 'sensor' then 'machine' else 'staff' end,
      case when channel = 'hotline' then '市民' end,
      case when channel in ('hotline', 'resident') then '139' || lpad((i % 100000000)::text, 8, '0') end,
      case when ${happened('dispatched_at')} then department_id end,
      case s.state when 'reported' then 'register' when 'registered' then 'dispatch' when 'handling' then 'handle'
        when 'handled' then 'verify' end,
      case s.state when 'reported' then reported_at when 'registered' then registered_at
        when 'handling' then coalesce(case when ${happened('failed_at')} then failed_at end, dispatched_at)
        when 'handled' then case when ${happened('final_at')} then final_at else handled_at end end,
      case when s.state = 'handling' then case when ${happened('extended_at')} then due else due_base end end,
      case when ${closed} then 'solved' end, case when ${closed} then solved_level end,
      case when ${closed} then closed_at end,
      case when ${happened('callback_at')} then satisfaction end,
      case when ${happened('callback_at')} then satisfaction <> 'dissatisfied' end,
      jsonb_strip_nulls(jsonb_build_object(
        'registered', case when ${happened('registered_at')} then 1 end,
        'dispatched', case when ${happened('dispatched_at')} then 1 end,
        'selfHandled', case when ${happened('self_at')} then 1 end,
        'handled', case when ${happened('handled_at')} or ${happened('self_at')} then 1 end,
        'extended', case when ${happened('extended_at')} then 1 end,
        'reworked', case when ${happened('failed_at')} then 1 end)),
      reported_at,
      greatest(reported_at, ${sql.join(
        [
          'rejected_at',
          'self_at',
          'registered_at',
          'dispatched_at',
          'extended_at',
          'handled_at',
          'failed_at',
          'final_at',
        ]
          .concat(['passed_at', 'callback_at'])
          .map((c) => sql`case when ${happened(c)} then ${sql.ref(c)} end`),
      )}),
      case when ${happened('dispatched_at')} then case when ${happened('extended_at')} then due else due_base end end,
      case when ${closed} then closed_on_time end
    from bench_plan, lateral (select ${state} as state) s
    order by reported_at`;
}

/** The plan's events summed into `indicator_day`, adding to rows already there. */
function rollupStatement(now: Date) {
  const rows = EVENTS.map((e) => {
    const values = COLUMNS.map((c) => `(${e.counts[c] ?? '0'})::${MINUTES.has(c) ? 'bigint' : 'int'}`);
    const department = e.department ? 'department_id' : `'${NIL}'::uuid`;
    return `(${e.at}, ${e.day ?? e.at}, ${department}, ${values.join(', ')})`;
  });
  const key = 'district, day, unit_id, unit_path, category_id, department_key, channel';
  return sql`
    insert into indicator_day (${sql.raw(key)}, ${sql.raw(COLUMNS.join(', '))})
    select p.district, ${sql.raw(wall('e.day_at'))}::date, p.unit_id, p.unit_path, p.category_id, e.department_key,
      p.channel, ${sql.raw(COLUMNS.map((c) => `sum(e.${c})`).join(', '))}
    from bench_plan p cross join lateral (values ${sql.raw(rows.join(',\n      '))})
      as e(at, day_at, department_key, ${sql.raw(COLUMNS.join(', '))})
    where e.at <= ${now}::timestamptz
    group by 1, 2, 3, 4, 5, 6, 7
    on conflict (${sql.raw(key)}) do update set
      ${sql.raw(COLUMNS.map((c) => `${c} = indicator_day.${c} + excluded.${c}`).join(', '))}`;
}

export interface Chunk {
  first: number;
  count: number;
  lo: number;
  hi: number;
}

/** Splits `count` cases starting at serial `first` into chunks of about `size`, each a run of slots. */
export function chunksOf(city: City, first: number, count: number, size = 250_000): Chunk[] {
  const k = Math.max(1, Math.ceil(count / size));
  const chunks: Chunk[] = [];
  let done = 0;
  for (let j = 0; j < k; j += 1) {
    const lo = Math.floor((j * city.slots) / k);
    const hi = Math.floor(((j + 1) * city.slots) / k);
    const upto = j === k - 1 ? count : Math.round((count * hi) / city.slots);
    chunks.push({ first: first + done, count: upto - done, lo, hi });
    done = upto;
  }
  return chunks.filter((c) => c.count > 0);
}

/**
 * Writes one chunk: its timelines (a temporary table on one connection), cases, rollup rows.
 * Returns the seconds each step took.
 */
export async function writeChunk(db: Db, city: City, chunk: Chunk, now: Date): Promise<Record<string, number>> {
  return db.connection().execute(async (conn) => {
    const seconds: Record<string, number> = {};
    const step = async (name: string, statement: { execute(c: typeof conn): Promise<unknown> }) => {
      const started = performance.now();
      await statement.execute(conn);
      seconds[name] = (performance.now() - started) / 1000;
    };
    // A bulk loader's session: the rollup's aggregate and sorts in memory.
    await sql`set work_mem = '256MB'`.execute(conn);
    await sql`drop table if exists bench_plan`.execute(conn);
    await step('plan', planStatement(city, chunk));
    await step('cases', casesStatement(now));
    await step('rollup', rollupStatement(now));
    await sql`drop table bench_plan`.execute(conn);
    await sql`reset work_mem`.execute(conn);
    return seconds;
  });
}

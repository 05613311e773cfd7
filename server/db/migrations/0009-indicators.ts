import { type Kysely, sql } from 'kysely';

/**
 * Indicators (GLOSSARY "Indicators"): a daily rollup of the case event log, kept exact by a trigger
 * on `case_event` in the step's own transaction, so every path through the commands (and the demo
 * history replayed through them) feeds it without the application doing anything.
 *
 * Row key: the district, the +08:00 day of the event, the case's unit (its grid) and path, its
 * category, its department after the step (nil uuid when none; for a return, the department that
 * returned it) and its channel. Callback counters go to the row of the closure they rate, so a
 * period's three 12345 rates describe that period's closures (see server/indicators/definitions.ts).
 *
 * Cases also get the two columns the closure indicators (应结案数, 按期结案数) count from:
 * `handle_due_at`, the handling deadline set at dispatch and moved by extensions and deferrals (not
 * by a rework, not cleared when the stage stops), and `closed_on_time`, decided at closing.
 */

/** Counter columns, in the order of the upsert. Integers; the working-minute sums are bigint. */
const COUNTERS = [
  'reported',
  'registered',
  'registered_on_time',
  'rejected',
  'dispatched',
  'returned',
  'handled',
  'handled_on_time',
  'handled_overdue',
  'self_handled',
  'verified',
  'reworked',
  'closed',
  'closed_solved',
  'closed_on_time',
  'closed_first_time',
  'extended',
  'deferred',
  'escalated',
  'reopened',
  'merged',
  'supervised',
  'callback_due',
  'callback_responded',
  'callbacks',
  'callback_satisfied',
  'callback_basically_satisfied',
  'callback_dissatisfied',
  'callback_solved',
  'solved_grid',
  'solved_community',
  'solved_subdistrict',
  'solved_district',
  'solved_city',
];
const MINUTES = ['registration_working_minutes', 'handling_working_minutes'];
const COLUMNS = [...COUNTERS, ...MINUTES];

/** Actions that move no counter: the trigger leaves at once. */
const SILENT = [
  'acknowledge',
  'add_co_handler',
  'note',
  'request_extension',
  'deny_extension',
  'request_deferral',
  'deny_deferral',
  'resume',
];

const NIL = '00000000-0000-0000-0000-000000000000';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cases add column handle_due_at timestamptz, add column closed_on_time boolean`.execute(db);
  await sql`create index cases_handle_due_idx on cases (district, handle_due_at) where handle_due_at is not null`.execute(
    db,
  );

  await sql
    .raw(`
    create table indicator_day (
      district char(6) not null,
      day date not null,
      unit_id uuid not null,
      unit_path text not null,
      category_id uuid not null,
      department_key uuid not null,
      channel text not null,
      ${COUNTERS.map((c) => `${c} integer not null default 0`).join(',\n      ')},
      ${MINUTES.map((c) => `${c} bigint not null default 0`).join(',\n      ')},
      primary key (district, day, unit_id, unit_path, category_id, department_key, channel)
    )`)
    .execute(db);
  // Scope × period: a day range of one district, the unit subtree as a left-anchored LIKE.
  await sql`create index indicator_day_scope_idx on indicator_day (district, day, unit_path text_pattern_ops)`.execute(
    db,
  );

  const declare = COLUMNS.map((c) => `v_${c} bigint := 0;`).join('\n  ');
  const upsert = `
    insert into indicator_day (district, day, unit_id, unit_path, category_id, department_key, channel, ${COLUMNS.join(', ')})
    values (new.district, k_day, c.unit_id, c.unit_path, c.category_id, k_department, c.channel, ${COLUMNS.map((c) => `v_${c}`).join(', ')})
    on conflict (district, day, unit_id, unit_path, category_id, department_key, channel) do update set
      ${COLUMNS.map((c) => `${c} = indicator_day.${c} + excluded.${c}`).join(',\n      ')};`;

  await sql
    .raw(`
create function indicator_day_count() returns trigger language plpgsql as $fn$
declare
  c record;
  prev record;
  k_day date := ((new.created_at at time zone 'UTC') + interval '8 hours')::date;
  k_department uuid;
  stop_stage text := new.data #>> '{stopped,stage}';
  stop_on_time boolean := coalesce((new.data #>> '{stopped,onTime}')::boolean, false);
  stop_minutes bigint := coalesce(round((new.data #>> '{stopped,workingMinutes}')::numeric), 0);
  first_of_dispatch boolean := false;
  public_reporter boolean;
  ${declare}
begin
  if new.action in (${SILENT.map((a) => `'${a}'`).join(', ')}) then
    return null;
  end if;
  -- The case row as the step left it (commands update it before appending the event).
  select unit_id, unit_path, category_id, department_id, channel, reporter_kind, close_reason,
         solved_level, closed_at, closed_on_time, counters
    into c from cases where district = new.district and id = new.case_id;
  if not found then
    return null;
  end if;
  k_department := coalesce(c.department_id, '${NIL}'::uuid);
  public_reporter := c.reporter_kind in ('resident', 'caller', 'anonymous');

  -- A handling report and a failed verification count once per dispatch (the first since the
  -- latest dispatch or reassignment), so rates over dispatches stay within 100 %.
  if new.action in ('submit_handling', 'verify_fail', 'return') then
    select e.action, e.data into prev from case_event e
      where e.district = new.district and e.case_id = new.case_id and e.seq < new.seq
        and e.action in ('dispatch', 'reassign', 'verify_fail')
      order by e.seq desc limit 1;
    if found then
      first_of_dispatch := prev.action in ('dispatch', 'reassign');
    end if;
  end if;

  case new.action
    when 'report' then
      v_reported := 1;
    when 'register', 'self_register' then
      v_registered := 1;
      if stop_stage = 'register' then
        v_registered_on_time := stop_on_time::int;
        v_registration_working_minutes := stop_minutes;
      end if;
    when 'reject' then
      v_rejected := 1;
    when 'self_handle' then
      v_self_handled := 1;
    when 'dispatch', 'reassign' then
      v_dispatched := 1;
    when 'return' then
      v_returned := 1;
      -- The department after a return is none: count it for the department that sent it back.
      if first_of_dispatch then
        k_department := coalesce((prev.data ->> 'departmentId')::uuid, k_department);
      end if;
    when 'submit_handling' then
      if first_of_dispatch then
        v_handled := 1;
        v_handled_on_time := stop_on_time::int;
        v_handled_overdue := (not stop_on_time)::int;
        v_handling_working_minutes := stop_minutes;
      end if;
    when 'verify_pass' then
      v_verified := 1;
    when 'verify_fail' then
      v_verified := 1;
      v_reworked := first_of_dispatch::int;
    when 'approve_extension' then
      v_extended := 1;
    when 'approve_deferral' then
      v_deferred := 1;
    when 'escalate' then
      v_escalated := 1;
    when 'reopen' then
      v_reopened := 1;
    when 'merge' then
      v_merged := 1;
    when 'supervise' then
      v_supervised := 1;
    when 'callback' then
      -- Counted with the closure it rates (the row of the closing day).
      if c.closed_at is not null then
        k_day := ((c.closed_at at time zone 'UTC') + interval '8 hours')::date;
      end if;
      v_callbacks := 1;
      v_callback_responded := public_reporter::int;
      v_callback_satisfied := ((new.data ->> 'satisfaction' = 'satisfied') is true)::int;
      v_callback_basically_satisfied := ((new.data ->> 'satisfaction' = 'basically_satisfied') is true)::int;
      v_callback_dissatisfied := ((new.data ->> 'satisfaction' = 'dissatisfied') is true)::int;
      v_callback_solved := ((new.data ->> 'solved')::boolean is true)::int;
    else
      null;
  end case;

  if new.to_state = 'closed' and new.from_state is distinct from 'closed' then
    v_closed := 1;
    v_closed_solved := ((c.close_reason = 'solved') is true)::int;
    v_closed_on_time := coalesce(c.closed_on_time, false)::int;
    v_closed_first_time := (coalesce((c.counters ->> 'returned')::int, 0) + coalesce((c.counters ->> 'reworked')::int, 0)
      + coalesce((c.counters ->> 'reopened')::int, 0) = 0)::int;
    v_callback_due := public_reporter::int;
    if c.close_reason = 'solved' then
      v_solved_grid := ((c.solved_level = 'grid') is true)::int;
      v_solved_community := ((c.solved_level = 'community') is true)::int;
      v_solved_subdistrict := ((c.solved_level = 'subdistrict') is true)::int;
      v_solved_district := ((c.solved_level = 'district') is true)::int;
      v_solved_city := ((c.solved_level = 'city') is true)::int;
    end if;
  end if;
  ${upsert}
  return null;
end
$fn$`)
    .execute(db);
  await sql`
    create trigger case_event_indicators after insert on case_event
    for each row execute function indicator_day_count()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists case_event_indicators on case_event`.execute(db);
  await sql`drop function if exists indicator_day_count()`.execute(db);
  await sql`drop table if exists indicator_day`.execute(db);
  await sql`drop index if exists cases_handle_due_idx`.execute(db);
  await sql`alter table cases drop column if exists handle_due_at, drop column if exists closed_on_time`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Monthly rollups for indicators at city scale (issue "fast at scale"). `indicator_day` keys a row by
 * day, grid, category, department and channel: with ~10 M cases a year nearly every case has rows of
 * its own, so a month of a city is millions of rows to sum. Two small tables answer the common
 * question — a unit subtree down to communities over whole months, no department / category /
 * channel filter — from one row per community and month (a city of 4,000 communities: 4,000 rows a
 * month, whatever the number of cases):
 *
 * - `indicator_month`: the sums of `indicator_day` per (district, month, rollup path). Kept exact by
 *   statement-level triggers on `indicator_day` (inserts add, updates add the difference, deletes
 *   subtract), so it is by construction the monthly sum of the daily rollup, however that is written
 *   (the case event trigger one row at a time, or a bulk load in one statement).
 * - `indicator_due_month`: the closure cohort (应结案数, server/indicators/closing-deadline.ts) per
 *   (district, month of `handle_due_at`, rollup path, month of closing, ever deferred), counted from
 *   `cases` by triggers on `cases`. A case closed before its deadline's month is filed under that
 *   month itself (`closed_month` = the later of the two; `infinity` while open): a period holding
 *   the deadline's month and ending at a month's end then counts it closed exactly when
 *   `closed_month` is not after the period's last month.
 *
 * The rollup path is the unit path cut after its community (a 12-digit code not ending in 000, see
 * server/territory/geo/unit-code.ts), or the whole path when it holds none (a case placed at a
 * subdistrict or above). Months are +08:00 months, as the daily rollup's days are. The rows are
 * updated all the time and never in their key: fillfactor 70 keeps updates on their page (HOT), so a
 * month's rows stay together. Both tables are filled from the existing rows here. Also a partial
 * index for the panel's snapshot count of overdue cases being handled.
 */

/** Counter columns of `indicator_day` (0009-indicators.ts), copied: migrations are frozen. */
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

const MONTH_KEY = 'district, month, unit_path';
const DUE_KEY = 'district, month, unit_path, closed_month, deferred';

/** The +08:00 month (its first day) of a timestamptz expression. */
const monthOf = (ts: string) => `date_trunc('month', (${ts} at time zone 'UTC') + interval '8 hours')::date`;

/** Rows of `source` (daily rows, each column multiplied by `sign`) summed into `indicator_month`. */
const addDays = (source: string, sign: string) => `
    select district, date_trunc('month', day)::date as month, indicator_rollup_path(unit_path) as unit_path,
      ${COLUMNS.map((c) => `${sign} * ${c} as ${c}`).join(', ')}
    from ${source}`;

const upsertMonths = (rows: string) => `
  insert into indicator_month (${MONTH_KEY}, ${COLUMNS.join(', ')})
  select ${MONTH_KEY}, ${COLUMNS.map((c) => `sum(${c})`).join(', ')}
  from (${rows}) r
  group by ${MONTH_KEY}
  having ${COLUMNS.map((c) => `sum(${c}) <> 0`).join(' or ')}
  on conflict (${MONTH_KEY}) do update set
    ${COLUMNS.map((c) => `${c} = indicator_month.${c} + excluded.${c}`).join(',\n    ')}`;

/** The cohort key and counts of case rows of `source`, times `sign`; cases without a deadline have none. */
const dueRows = (source: string, sign: string) => `
    select district, ${monthOf('handle_due_at')} as month, indicator_rollup_path(unit_path) as unit_path,
      case when closed_at is null then 'infinity'::date
        else greatest(${monthOf('closed_at')}, ${monthOf('handle_due_at')}) end as closed_month,
      coalesce((counters ->> 'deferred')::int, 0) > 0 as deferred,
      ${sign} as cases,
      ${sign} * (closed_at is not null and closed_on_time is true)::int as closed_on_time
    from ${source} where handle_due_at is not null`;

const upsertDue = (rows: string) => `
  insert into indicator_due_month (${DUE_KEY}, cases, closed_on_time)
  select ${DUE_KEY}, sum(cases), sum(closed_on_time)
  from (${rows}) r
  group by ${DUE_KEY}
  having sum(cases) <> 0 or sum(closed_on_time) <> 0
  on conflict (${DUE_KEY}) do update set
    cases = indicator_due_month.cases + excluded.cases,
    closed_on_time = indicator_due_month.closed_on_time + excluded.closed_on_time`;

export async function up(db: Kysely<any>): Promise<void> {
  // The first 12-digit segment not ending in 000 is the community (a 15-digit grid code never matches:
  // its 13th character is a digit, not a dot); a path holds one at most.
  await sql`
    create function indicator_rollup_path(path text) returns text language sql immutable parallel safe as $$
      select coalesce(substring(path from '^((?:[0-9]+[.])*?[0-9]{9}(?:00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})[.])'), path)
    $$`.execute(db);
  await sql
    .raw(`
    create table indicator_month (
      district char(6) not null,
      month date not null,
      unit_path text not null,
      ${COUNTERS.map((c) => `${c} integer not null default 0`).join(',\n      ')},
      ${MINUTES.map((c) => `${c} bigint not null default 0`).join(',\n      ')},
      primary key (${MONTH_KEY})
    ) with (fillfactor = 70)`)
    .execute(db);
  await sql`create index indicator_month_scope_idx on indicator_month (district, month, unit_path text_pattern_ops)`.execute(
    db,
  );
  await sql`
    create table indicator_due_month (
      district char(6) not null,
      month date not null,
      unit_path text not null,
      closed_month date not null,
      deferred boolean not null,
      cases integer not null default 0,
      closed_on_time integer not null default 0,
      primary key (${sql.raw(DUE_KEY)})
    ) with (fillfactor = 70)`.execute(db);
  await sql`create index indicator_due_month_scope_idx on indicator_due_month (district, month, unit_path text_pattern_ops)`.execute(
    db,
  );

  // Daily rollup → monthly: one aggregate per statement over its transition tables.
  await sql
    .raw(`
create function indicator_month_count() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then
    ${upsertMonths(addDays('new_rows', '1'))};
  elsif tg_op = 'UPDATE' then
    ${upsertMonths(`${addDays('new_rows', '1')} union all ${addDays('old_rows', '-1')}`)};
  else
    ${upsertMonths(addDays('old_rows', '-1'))};
  end if;
  return null;
end
$fn$`)
    .execute(db);
  await sql`create trigger indicator_day_months_insert after insert on indicator_day
    referencing new table as new_rows for each statement execute function indicator_month_count()`.execute(db);
  await sql`create trigger indicator_day_months_update after update on indicator_day
    referencing old table as old_rows new table as new_rows for each statement execute function indicator_month_count()`.execute(
    db,
  );
  await sql`create trigger indicator_day_months_delete after delete on indicator_day
    referencing old table as old_rows for each statement execute function indicator_month_count()`.execute(db);

  // Cases → closure cohort: inserts per statement (bulk loads), changes per row and only when a
  // column of the cohort's key or counts moved (most steps move none of them).
  await sql
    .raw(`
create function indicator_due_insert() returns trigger language plpgsql as $fn$
begin
  ${upsertDue(dueRows('new_rows', '1'))};
  return null;
end
$fn$`)
    .execute(db);
  await sql
    .raw(`
create function indicator_due_change() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'UPDATE' then
    ${upsertDue(`${dueRows('(select new.*) n', '1')} union all ${dueRows('(select old.*) o', '-1')}`)};
  else
    ${upsertDue(dueRows('(select old.*) o', '-1'))};
  end if;
  return null;
end
$fn$`)
    .execute(db);
  await sql`create trigger cases_due_months_insert after insert on cases
    referencing new table as new_rows for each statement execute function indicator_due_insert()`.execute(db);
  await sql`create trigger cases_due_months_update after update on cases for each row
    when (old.handle_due_at is distinct from new.handle_due_at or old.closed_at is distinct from new.closed_at
      or old.closed_on_time is distinct from new.closed_on_time or old.unit_path is distinct from new.unit_path
      or old.district is distinct from new.district
      or (old.counters ->> 'deferred') is distinct from (new.counters ->> 'deferred'))
    execute function indicator_due_change()`.execute(db);
  await sql`create trigger cases_due_months_delete after delete on cases for each row
    execute function indicator_due_change()`.execute(db);

  // What is already there.
  await sql.raw(upsertMonths(addDays('indicator_day', '1'))).execute(db);
  await sql.raw(upsertDue(dueRows('cases', '1'))).execute(db);

  // Overdue cases being handled, in a subtree (the panel's snapshot count): only running handle stages.
  await sql`create index cases_handle_running_idx on cases (unit_path text_pattern_ops, due_at)
    where stage = 'handle' and paused_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists cases_handle_running_idx`.execute(db);
  for (const trigger of ['cases_due_months_insert', 'cases_due_months_update', 'cases_due_months_delete'])
    await sql`drop trigger if exists ${sql.raw(trigger)} on cases`.execute(db);
  for (const trigger of ['indicator_day_months_insert', 'indicator_day_months_update', 'indicator_day_months_delete'])
    await sql`drop trigger if exists ${sql.raw(trigger)} on indicator_day`.execute(db);
  await sql`drop function if exists indicator_due_insert()`.execute(db);
  await sql`drop function if exists indicator_due_change()`.execute(db);
  await sql`drop function if exists indicator_month_count()`.execute(db);
  await sql`drop table if exists indicator_due_month`.execute(db);
  await sql`drop table if exists indicator_month`.execute(db);
  await sql`drop function if exists indicator_rollup_path(text)`.execute(db);
}

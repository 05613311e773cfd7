import { type Kysely, sql } from 'kysely';

/**
 * The deadline sweep (server/cases/deadline-sweep.ts) as two index ranges over only the clocks that
 * just crossed a threshold, whatever the number of open cases.
 *
 * Before: one index over every running clock (`cases_due_idx`). The red selection read every case
 * already red on every sweep; the yellow one could not be a range at all — its moment, start + share ×
 * limit, was computed per row — so it read every clock not yet yellow (at 1 M open cases the planner
 * preferred a sequential scan of the table: 1.1 s a batch for yellow, 1.5 s for red).
 *
 * Now:
 * - `warn_at`, the moment a running stage turns yellow, is a column kept by a trigger whenever the clock
 *   is set or moved (start or due time written), with the share read from the `cases.warnShare` setting
 *   (0.75 when unset: DEFAULT_CASE_SETTINGS); changing the setting rewrites it for the clocks not yet lit
 *   (writeCaseSettings). Rows already here get it below.
 * - red: running clocks not yet red, by due time: `due_at < now` is exactly those that crossed.
 * - yellow: running clocks neither yellow nor red, by `warn_at`: `warn_at <= now` is exactly those.
 * Both carry the row's key, so a selection reads the index and visits only the rows it will lock.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cases add column warn_at timestamptz`.execute(db);
  await sql`
    create function cases_warn_at() returns trigger language plpgsql as $$
    begin
      if new.due_at is null or new.stage_started_at is null then
        new.warn_at := null;
      else
        new.warn_at := new.stage_started_at + (new.due_at - new.stage_started_at) * coalesce(
          (select (value #>> '{}')::float8 from setting where key = 'cases.warnShare'), 0.75);
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger cases_warn_at before insert or update of due_at, stage_started_at on cases
    for each row execute function cases_warn_at()`.execute(db);
  await sql`
    update cases set warn_at = stage_started_at + (due_at - stage_started_at) * coalesce(
      (select (value #>> '{}')::float8 from setting where key = 'cases.warnShare'), 0.75)
    where due_at is not null and stage_started_at is not null`.execute(db);

  await sql`create index cases_turning_red_idx on cases (due_at) include (district, id)
    where due_at is not null and paused_at is null and overdue_at is null`.execute(db);
  await sql`create index cases_turning_yellow_idx on cases (warn_at) include (due_at, district, id)
    where due_at is not null and paused_at is null and warned_at is null and overdue_at is null`.execute(db);
  await sql`drop index if exists cases_due_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists cases_due_idx on cases (due_at) where due_at is not null and paused_at is null`.execute(
    db,
  );
  await sql`drop index if exists cases_turning_yellow_idx`.execute(db);
  await sql`drop index if exists cases_turning_red_idx`.execute(db);
  await sql`drop trigger if exists cases_warn_at on cases`.execute(db);
  await sql`drop function if exists cases_warn_at()`.execute(db);
  await sql`alter table cases drop column if exists warn_at`.execute(db);
}

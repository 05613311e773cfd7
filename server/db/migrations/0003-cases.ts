import { type Kysely, sql } from 'kysely';

/**
 * The closed loop: categories with time limits, dispatch rules, cases and their event log.
 * `cases` is territorial (district in the primary key); categories, limits and rules are reference data.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table category (
      id uuid primary key,
      code varchar(4) not null unique check (code ~ '^[0-9]{4}$'),
      major_code varchar(2) not null,
      kind text not null check (kind in ('component', 'event')),
      name_zh text not null,
      name_en text not null,
      department_kind text,
      self_register boolean not null default false,
      self_handle boolean not null default false,
      duplicate_radius_m integer not null default 50,
      duplicate_window_days integer not null default 7,
      service_notice_zh text,
      service_notice_en text,
      keywords text[] not null default '{}',
      disabled boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  // A limit with no category is the default for every category.
  await sql`
    create table time_limit (
      id uuid primary key,
      category_id uuid references category (id) on delete cascade,
      urgency text not null check (urgency in ('normal', 'urgent', 'emergency')),
      stage text not null check (stage in ('register', 'dispatch', 'handle', 'verify')),
      amount numeric not null check (amount > 0),
      unit text not null check (unit in ('natural_minutes', 'natural_hours', 'working_hours', 'working_days'))
    )`.execute(db);
  await sql`create unique index time_limit_unique_idx on time_limit (coalesce(category_id, '00000000-0000-0000-0000-000000000000'::uuid), urgency, stage)`.execute(
    db,
  );

  // Category × territory → department; the most specific unit (longest path) wins.
  await sql`
    create table dispatch_rule (
      id uuid primary key,
      category_id uuid not null references category (id) on delete cascade,
      unit_id uuid not null,
      unit_path text not null,
      district char(6) not null,
      department_id uuid not null references department (id),
      created_at timestamptz not null default now(),
      unique (category_id, unit_id)
    )`.execute(db);
  await sql`create index dispatch_rule_path_idx on dispatch_rule (category_id, unit_path text_pattern_ops)`.execute(db);

  await sql`
    create table case_serial (
      district char(6) not null,
      day date not null,
      last integer not null,
      primary key (district, day)
    )`.execute(db);

  await sql`
    create table cases (
      district char(6) not null,
      id uuid not null,
      number text not null,
      tracking_code text not null,
      state text not null,
      channel text not null,
      category_id uuid not null references category (id),
      urgency text not null default 'normal',
      title text not null,
      description text not null,
      address text,
      lng double precision,
      lat double precision,
      unit_id uuid not null,
      unit_path text not null,
      outside_grid boolean not null default false,
      reporter_kind text not null check (reporter_kind in ('resident', 'staff', 'anonymous', 'caller', 'machine')),
      reporter_resident_id uuid,
      reporter_account_id uuid,
      reporter_name text,
      reporter_phone text,
      external_id text,
      department_id uuid references department (id),
      co_department_ids uuid[] not null default '{}',
      handler_account_id uuid,
      level text not null default 'subdistrict',
      stage text,
      stage_started_at timestamptz,
      due_at timestamptz,
      warned_at timestamptz,
      overdue_at timestamptz,
      paused_at timestamptz,
      pending_request jsonb,
      close_reason text,
      solved_level text,
      closed_at timestamptz,
      merged_into_id uuid,
      satisfaction text,
      callback_solved boolean,
      counters jsonb not null default '{}'::jsonb,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      unique (district, number)
    )`.execute(db);
  await sql`create index cases_id_idx on cases (id)`.execute(db);
  await sql`create unique index cases_tracking_idx on cases (tracking_code, district)`.execute(db);
  await sql`create unique index cases_external_idx on cases (channel, external_id, district) where external_id is not null`.execute(
    db,
  );
  await sql`create index cases_scope_idx on cases (unit_path text_pattern_ops, state)`.execute(db);
  await sql`create index cases_department_idx on cases (department_id, state)`.execute(db);
  await sql`create index cases_due_idx on cases (due_at) where due_at is not null and paused_at is null`.execute(db);
  await sql`create index cases_created_idx on cases (district, created_at)`.execute(db);

  // Every transition appends one event; (case, seq) has no gaps and no doubles.
  await sql`
    create table case_event (
      district char(6) not null,
      case_id uuid not null,
      seq integer not null,
      action text not null,
      from_state text,
      to_state text not null,
      actor jsonb not null,
      actor_relation text,
      reason text,
      data jsonb not null default '{}'::jsonb,
      public boolean not null default false,
      created_at timestamptz not null default now(),
      primary key (district, case_id, seq)
    )`.execute(db);
  await sql`create index case_event_action_idx on case_event (district, action, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['case_event', 'cases', 'case_serial', 'dispatch_rule', 'time_limit', 'category']) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
}

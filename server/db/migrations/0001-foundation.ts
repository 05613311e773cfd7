import { type Kysely, sql } from 'kysely';

/**
 * Foundation: territory (units), departments, staff accounts with scoped grants, residents, sessions,
 * settings and the append-only, hash-chained audit log.
 * Frozen once landed: later changes go in new migrations.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  // Units carry their district (sharding key, DESIGN rule 9) and their path of codes ending in '.',
  // so a scope check is one left-anchored LIKE served by a text_pattern_ops index (rule 6).
  await sql`
    create table unit (
      district char(6) not null,
      id uuid not null,
      code varchar(15) not null,
      name text not null,
      level text not null check (level in ('city','district','subdistrict','community','responsibility_grid','grid')),
      kind text not null default 'standard' check (kind in ('standard','town','residential','village')),
      parent_id uuid,
      path text not null,
      depth smallint not null,
      geometry jsonb,
      min_lng double precision,
      min_lat double precision,
      max_lng double precision,
      max_lat double precision,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      unique (district, code)
    )`.execute(db);
  await sql`create index unit_id_idx on unit (id)`.execute(db);
  await sql`create unique index unit_code_idx on unit (code, district)`.execute(db);
  await sql`create index unit_path_idx on unit (path text_pattern_ops)`.execute(db);
  await sql`create index unit_parent_idx on unit (parent_id)`.execute(db);
  await sql`create index unit_level_idx on unit (level, district)`.execute(db);
  await sql`create index unit_name_trgm_idx on unit using gin (name gin_trgm_ops)`.execute(db);

  // Departments (条) are a small global reference table; the territory they serve is by path.
  await sql`
    create table department (
      id uuid primary key,
      code text not null unique,
      name text not null,
      kind text not null,
      level text not null check (level in ('district','subdistrict')),
      serves_unit_id uuid not null,
      serves_path text not null,
      district char(6) not null,
      deployed_to_unit_id uuid,
      disabled boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index department_serves_path_idx on department (serves_path text_pattern_ops)`.execute(db);

  await sql`
    create table account (
      id uuid primary key,
      username text not null,
      display_name text not null,
      phone text,
      password_hash text not null,
      disabled boolean not null default false,
      must_change_password boolean not null default false,
      failed_sign_ins integer not null default 0,
      locked_until timestamptz,
      password_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index account_username_idx on account (lower(username))`.execute(db);

  await sql`
    create table account_grant (
      id uuid primary key,
      account_id uuid not null references account (id) on delete cascade,
      role text not null check (role in ('admin','leader','supervisor','dispatcher','handler','committee_staff','grid_worker')),
      unit_id uuid not null,
      unit_path text not null,
      district char(6) not null,
      department_id uuid references department (id),
      granted_by uuid references account (id),
      created_at timestamptz not null default now(),
      check ((role = 'handler') = (department_id is not null))
    )`.execute(db);
  await sql`create unique index account_grant_unique_idx on account_grant (account_id, role, unit_id, coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(
    db,
  );
  await sql`create index account_grant_path_idx on account_grant (unit_path text_pattern_ops)`.execute(db);

  // Residents are a separate kind of account (phone-based) and never hold staff grants.
  await sql`
    create table resident (
      id uuid primary key,
      phone text not null unique,
      display_name text not null,
      password_hash text not null,
      disabled boolean not null default false,
      failed_sign_ins integer not null default 0,
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  // Sessions are stored by the SHA-256 of their token, so a stolen table does not yield live cookies.
  await sql`
    create table session (
      id text primary key,
      kind text not null check (kind in ('staff','resident')),
      account_id uuid references account (id) on delete cascade,
      resident_id uuid references resident (id) on delete cascade,
      csrf_token text not null,
      ip text,
      user_agent text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      check ((kind = 'staff') = (account_id is not null) and (kind = 'resident') = (resident_id is not null))
    )`.execute(db);
  await sql`create index session_account_idx on session (account_id)`.execute(db);
  await sql`create index session_expires_idx on session (expires_at)`.execute(db);

  await sql`
    create table setting (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    )`.execute(db);

  // The audit log: rows are appended in business transactions with seq/hash empty; a sealing job
  // later gives each row its place in the chain (seq) and its hash. Nothing may change a sealed row
  // or delete any row: the trigger refuses, and the chain shows it if the trigger was bypassed.
  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default clock_timestamp(),
      district char(6),
      actor jsonb not null,
      action text not null,
      subject_type text,
      subject_id text,
      data jsonb not null,
      request_id text,
      ip text,
      seq bigint unique,
      prev_hash text,
      hash text
    )`.execute(db);
  await sql`create index audit_log_unsealed_idx on audit_log (id) where seq is null`.execute(db);
  await sql`create index audit_log_subject_idx on audit_log (subject_type, subject_id)`.execute(db);
  await sql`create index audit_log_action_idx on audit_log (action, occurred_at)`.execute(db);
  await sql`
    create function audit_log_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.hash is null
         and new.id = old.id and new.occurred_at = old.occurred_at
         and new.district is not distinct from old.district and new.actor = old.actor
         and new.action = old.action and new.subject_type is not distinct from old.subject_type
         and new.subject_id is not distinct from old.subject_id and new.data = old.data
         and new.request_id is not distinct from old.request_id and new.ip is not distinct from old.ip then
        return new;
      end if;
      raise exception 'audit_log is append-only' using errcode = 'P0001';
    end $$`.execute(db);
  await sql`create trigger audit_log_guard before update or delete on audit_log for each row execute function audit_log_guard()`.execute(
    db,
  );
  await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_guard()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'setting',
    'session',
    'resident',
    'account_grant',
    'account',
    'department',
    'unit',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists audit_log_guard()`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Imports and the 12345 hotline's work orders (工单).
 *
 * The import engine's tables are generic (a `kind` names what is imported): a saved mapping per
 * district (their column → our field, their value → our code), and an import run with the file as
 * it was uploaded (what was submitted is never lost), its progress and counts, and one report row
 * per data row (its outcome; a rejected row keeps its cells, the reason and the field).
 *
 * A hotline order is kept by its number, unique in its district, beside the case it became: every
 * version received (mapped fields and the raw row, by import or push) and the hash of the mapped
 * fields, so a re-import of the same content writes nothing. Pushes are answered once per machine
 * key and Idempotency-Key: a retry gets the stored answer. Machine keys gain the channel `hotline`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table import_mapping (
      district char(6) not null,
      id uuid not null,
      kind text not null,
      name text not null,
      unit_path text not null,
      columns jsonb not null,
      value_map jsonb not null,
      is_default boolean not null default false,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      unique (district, kind, name)
    )`.execute(db);
  // The district's default mapping of a kind: what machine pushes translate their values through.
  await sql`create unique index import_mapping_default_idx on import_mapping (district, kind) where is_default`.execute(
    db,
  );

  await sql`
    create table import_run (
      district char(6) not null,
      id uuid not null,
      kind text not null,
      mapping_id uuid not null,
      mapping_name text not null,
      mapping jsonb not null,
      scope_path text not null,
      status text not null check (status in ('queued', 'running', 'done', 'failed')),
      file_name text not null,
      file_format text not null check (file_format in ('xlsx', 'csv', 'json')),
      file bytea not null,
      file_bytes integer not null,
      file_sha256 text not null,
      total_rows integer,
      processed_rows integer not null default 0,
      created_count integer not null default 0,
      updated_count integer not null default 0,
      unchanged_count integer not null default 0,
      rejected_count integer not null default 0,
      error_code text,
      created_by uuid not null,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (district, id)
    )`.execute(db);
  await sql`create index import_run_id_idx on import_run (id)`.execute(db);
  await sql`create index import_run_scope_idx on import_run (kind, scope_path text_pattern_ops, created_at)`.execute(
    db,
  );

  await sql`
    create table import_row (
      district char(6) not null,
      run_id uuid not null,
      row_number integer not null,
      record_key text,
      outcome text not null check (outcome in ('created', 'updated', 'unchanged', 'rejected')),
      record_id uuid,
      error_code text,
      field text,
      message_zh text,
      message_en text,
      raw jsonb,
      primary key (district, run_id, row_number)
    )`.execute(db);
  await sql`create index import_row_rejected_idx on import_row (district, run_id, row_number) where outcome = 'rejected'`.execute(
    db,
  );

  await sql`
    create table hotline_order (
      district char(6) not null,
      order_number text not null,
      case_id uuid not null,
      version integer not null,
      content_hash text not null,
      called_at timestamptz,
      deadline_at timestamptz,
      first_source text not null check (first_source in ('import', 'push')),
      last_source text not null check (last_source in ('import', 'push')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, order_number)
    )`.execute(db);
  await sql`create index hotline_order_case_idx on hotline_order (district, case_id)`.execute(db);

  await sql`
    create table hotline_order_version (
      district char(6) not null,
      order_number text not null,
      version integer not null,
      content_hash text not null,
      fields jsonb not null,
      raw jsonb not null,
      source text not null check (source in ('import', 'push')),
      run_id uuid,
      machine_key_id uuid,
      received_at timestamptz not null default now(),
      primary key (district, order_number, version)
    )`.execute(db);

  await sql`
    create table hotline_push (
      machine_key_id uuid not null references machine_key (id),
      idempotency_key text not null,
      request_hash text not null,
      district char(6) not null,
      order_number text not null,
      status smallint not null,
      answer jsonb not null,
      created_at timestamptz not null default now(),
      primary key (machine_key_id, idempotency_key)
    )`.execute(db);

  await sql`alter table machine_key drop constraint if exists machine_key_channel_check`.execute(db);
  await sql`alter table machine_key add constraint machine_key_channel_check check (channel in ('sensor', 'open311', 'hotline'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['hotline_push', 'hotline_order_version', 'hotline_order', 'import_row', 'import_run']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`drop table if exists import_mapping`.execute(db);
  await sql`delete from machine_key where channel = 'hotline'`.execute(db);
  await sql`alter table machine_key drop constraint if exists machine_key_channel_check`.execute(db);
  await sql`alter table machine_key add constraint machine_key_channel_check check (channel in ('sensor', 'open311'))`.execute(
    db,
  );
}

import { type Kysely, sql } from 'kysely';

/**
 * Machine keys and alarms (物联感知): one key per device group, bound to the unit it may report into
 * and a channel. Only a SHA-256 of the key is kept; its first characters find the row. Each alarm a
 * machine sends is kept with the machine's idempotency key (a retry answers from here, never writes
 * twice), its device, and the case it opened or joined.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table machine_key (
      id uuid primary key,
      district char(6) not null,
      name text not null,
      channel text not null check (channel in ('sensor')),
      unit_id uuid not null,
      unit_path text not null,
      key_prefix text not null unique,
      key_hash text not null,
      created_by uuid,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      last_used_at timestamptz
    )`.execute(db);
  await sql`create index machine_key_path_idx on machine_key (unit_path text_pattern_ops)`.execute(db);
  await sql`
    create table alarm (
      id uuid primary key,
      machine_key_id uuid not null references machine_key (id),
      idempotency_key text not null,
      device_id text not null,
      category_code text not null,
      lng double precision not null,
      lat double precision not null,
      occurred_at timestamptz not null,
      received_at timestamptz not null default now(),
      district char(6) not null,
      case_id uuid not null,
      attached boolean not null,
      unique (machine_key_id, idempotency_key)
    )`.execute(db);
  await sql`create index alarm_case_idx on alarm (district, case_id)`.execute(db);
  await sql`create index alarm_device_idx on alarm (machine_key_id, device_id, category_code)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists alarm`.execute(db);
  await sql`drop table if exists machine_key`.execute(db);
}

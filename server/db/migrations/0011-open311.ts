import { type Kysely, sql } from 'kysely';

/**
 * Open311 GeoReport v2: machine keys of the channel `open311` (bound to a district's root unit, the
 * jurisdiction), each category's extra questions (the service definition's attributes), and what an
 * Open311 request carries beyond the case: the answers, the media URL, the address id and the
 * sender's contact fields (personal data: kept for staff, never served back).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table machine_key drop constraint if exists machine_key_channel_check`.execute(db);
  await sql`alter table machine_key add constraint machine_key_channel_check check (channel in ('sensor', 'open311'))`.execute(
    db,
  );
  await sql`alter table category add column questions jsonb not null default '[]'::jsonb`.execute(db);
  await sql`
    create table open311_request (
      district char(6) not null,
      case_id uuid not null,
      machine_key_id uuid not null references machine_key (id),
      attributes jsonb not null default '{}'::jsonb,
      media_url text,
      address_id text,
      email text,
      device_id text,
      account_id text,
      created_at timestamptz not null default now(),
      primary key (district, case_id)
    )`.execute(db);
  await sql`create index open311_request_key_idx on open311_request (machine_key_id, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists open311_request`.execute(db);
  await sql`alter table category drop column if exists questions`.execute(db);
  await sql`delete from machine_key where channel = 'open311'`.execute(db);
  await sql`alter table machine_key drop constraint if exists machine_key_channel_check`.execute(db);
  await sql`alter table machine_key add constraint machine_key_channel_check check (channel in ('sensor'))`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Webhooks (回调订阅): subscriptions of a unit's subtree to case event types, and one delivery per
 * subscription and event, sent after commit by the webhook worker.
 *
 * Where events come from: the case event log, and a log of the deadline sweep's lights
 * (`case_light`, written by a trigger when `warned_at` or `overdue_at` is first set — the sweep
 * writes no case events). Both carry the id of the transaction that wrote the row (`xid`, a 64-bit
 * xid8 that never wraps). The dispatcher reads rows only below the oldest transaction still
 * running (`pg_snapshot_xmin`), so a row can never commit behind its cursor: a cursor on time or on
 * a sequence would skip a slow transaction's rows, which take their stamp before they commit.
 * Rows written before this migration have no xid and are never sent.
 *
 * The secret is kept as it is: the HMAC needs it. It is shown once (creation, rotation) and never
 * returned again; the previous one still signs for a day after a rotation.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A volatile default on ADD COLUMN would rewrite the whole log; added separately it applies to new rows only.
  await sql`alter table case_event add column xid xid8`.execute(db);
  await sql`alter table case_event alter column xid set default pg_current_xact_id()`.execute(db);
  await sql`create index case_event_xid_idx on case_event (xid, district, case_id, seq) where xid is not null`.execute(
    db,
  );

  await sql`
    create table case_light (
      district char(6) not null,
      case_id uuid not null,
      seq integer not null,
      light text not null check (light in ('yellow', 'red')),
      stage text,
      at timestamptz not null,
      xid xid8 not null default pg_current_xact_id(),
      primary key (district, case_id, seq)
    )`.execute(db);
  await sql`create index case_light_xid_idx on case_light (xid, district, case_id, seq)`.execute(db);
  // The row lock of the UPDATE orders concurrent marks of one case, so max(seq) + 1 cannot collide.
  await sql`
    create function case_light_log() returns trigger language plpgsql as $$
    begin
      if new.overdue_at is not null and old.overdue_at is null then
        insert into case_light (district, case_id, seq, light, stage, at)
        select new.district, new.id, coalesce(max(seq), 0) + 1, 'red', new.stage, new.overdue_at
        from case_light where district = new.district and case_id = new.id;
      elsif new.warned_at is not null and old.warned_at is null then
        insert into case_light (district, case_id, seq, light, stage, at)
        select new.district, new.id, coalesce(max(seq), 0) + 1, 'yellow', new.stage, new.warned_at
        from case_light where district = new.district and case_id = new.id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger case_light_log after update of warned_at, overdue_at on cases
    for each row execute function case_light_log()`.execute(db);

  await sql`
    create table webhook (
      district char(6) not null,
      id uuid not null,
      unit_id uuid not null,
      unit_path text not null,
      url text not null,
      event_types text[] not null check (cardinality(event_types) > 0),
      secret text not null,
      previous_secret text,
      previous_secret_expires_at timestamptz,
      secret_rotated_at timestamptz,
      description text not null default '',
      enabled boolean not null default true,
      consecutive_failures integer not null default 0,
      failing_since timestamptz,
      disabled_reason text check (disabled_reason in ('manual', 'failures')),
      disabled_at timestamptz,
      created_by uuid,
      created_xid xid8 not null default pg_current_xact_id(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id)
    )`.execute(db);
  await sql`create index webhook_path_idx on webhook (unit_path text_pattern_ops)`.execute(db);
  await sql`create index webhook_id_idx on webhook (id)`.execute(db);

  await sql`
    create table webhook_delivery (
      district char(6) not null,
      id uuid not null,
      webhook_id uuid not null,
      event_key text not null,
      event_id uuid not null,
      event_type text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed', 'gave_up')),
      attempts integer not null default 0,
      replays integer not null default 0,
      next_attempt_at timestamptz,
      last_attempt_at timestamptz,
      last_response_status integer,
      last_error text,
      duration_ms integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      unique (district, webhook_id, event_key),
      foreign key (district, webhook_id) references webhook (district, id) on delete cascade
    )`.execute(db);
  await sql`create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where status in ('pending', 'failed')`.execute(
    db,
  );
  await sql`create index webhook_delivery_list_idx on webhook_delivery (webhook_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index webhook_delivery_id_idx on webhook_delivery (id)`.execute(db);

  // How far the dispatcher has read each source: the last row's (xid, district, case_id, seq).
  await sql`
    create table webhook_cursor (
      source text primary key check (source in ('case_event', 'case_light')),
      xid xid8 not null default '0',
      district char(6) not null default '',
      case_id uuid not null default '00000000-0000-0000-0000-000000000000',
      seq integer not null default 0,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into webhook_cursor (source) values ('case_event'), ('case_light')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists webhook_cursor`.execute(db);
  await sql`drop table if exists webhook_delivery`.execute(db);
  await sql`drop table if exists webhook`.execute(db);
  await sql`drop trigger if exists case_light_log on cases`.execute(db);
  await sql`drop function if exists case_light_log()`.execute(db);
  await sql`drop table if exists case_light`.execute(db);
  await sql`drop index if exists case_event_xid_idx`.execute(db);
  await sql`alter table case_event drop column if exists xid`.execute(db);
}

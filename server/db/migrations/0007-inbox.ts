import { type Kysely, sql } from 'kysely';

/**
 * The unit of the running stage's time limit, so a case's remaining time is shown in working or
 * natural time as its limit counts it.
 *
 * The in-app inbox: one row per person told about something (a case step, a yellow or red light).
 * Written in the same transaction as what it reports, so nothing acknowledged goes untold; other
 * channels (SMS, WeCom, webhooks) will deliver from these rows through jobs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cases add column stage_unit text`.execute(db);
  await sql`
    create table notification (
      id uuid primary key,
      recipient_kind text not null check (recipient_kind in ('account', 'resident')),
      recipient_id uuid not null,
      kind text not null,
      district char(6),
      case_id uuid,
      seq integer,
      data jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      read_at timestamptz
    )`.execute(db);
  await sql`create index notification_recipient_idx on notification (recipient_id, created_at desc)`.execute(db);
  await sql`create index notification_unread_idx on notification (recipient_id) where read_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists notification`.execute(db);
  await sql`alter table cases drop column if exists stage_unit`.execute(db);
}

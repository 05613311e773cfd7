import { type Kysely, sql } from 'kysely';

/**
 * Idempotent reports (issue 9): a staff or resident report sent with an `Idempotency-Key` keeps the
 * key beside the case it made, per sender (`owner`: an account, a resident, an anonymous sender's
 * keyed address hash, a machine key), with a SHA-256 of the request, written in the report's own
 * transaction. A retry with the same key answers that case; the same key with another request is
 * refused. Alarms keep the hash of their request too, so a sensor's reused key is refused alike
 * (rows from before this migration have none and are not compared).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table report_request (
      owner text not null,
      idempotency_key text not null,
      request_hash text not null,
      district char(6) not null,
      case_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (owner, idempotency_key)
    )`.execute(db);
  await sql`create index report_request_case_idx on report_request (district, case_id)`.execute(db);
  await sql`alter table alarm add column request_hash text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table alarm drop column if exists request_hash`.execute(db);
  await sql`drop table if exists report_request`.execute(db);
}

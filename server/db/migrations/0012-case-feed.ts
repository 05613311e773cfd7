import { type Kysely, sql } from 'kysely';

/**
 * The wall display's live feed (GET /api/cases/feed) reads the newest case events in scope: an index
 * on the event's time lets it walk the log backwards and stop after the few it shows, instead of
 * sorting every event ever written. `(case_id, seq)` follow so the feed's order is the index's own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index case_event_recent_idx on case_event (created_at, case_id, seq)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists case_event_recent_idx`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * A name search that costs what the reader's scope holds, not what the city holds.
 *
 * Before: a person's name grams had a GIN index of their own, and the scope (a range of unit paths)
 * filtered what it found. A full name's character pairs match everyone in the city who shares them —
 * a few hundred people at 25 M — each fetched from the heap and then dropped by the path: a
 * committee's search took p95 90 ms and a subdistrict's 132 ms at 25 M people (docs/benchmarks.md).
 *
 * Now the same GIN index also holds each person's place as keys: `u:` and every prefix of the unit
 * path that ends a level (`u:310105.`, `u:310105.001.`, …). A search asks for the grams of its text
 * plus the key of a scope's path, so the index intersects the name's postings with the scope's and
 * the heap is read only for the people who are both. A key is at least three characters long, a gram
 * at most two: they never collide. The query must repeat the indexed expression exactly
 * (`personNameKeys` in server/archive/person.repository.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function archive_path_keys(path text) returns text[] language sql immutable parallel safe as $$
      select coalesce(array_agg('u:' || substr(path, 1, i) order by i), '{}')
      from generate_series(1, length(path)) as i where substr(path, i, 1) = '.'
    $$`.execute(db);
  // Enough memory that the index of a large archive builds in one pass.
  await sql`set local maintenance_work_mem = '256MB'`.execute(db);
  await sql`create index person_name_scope_idx on person using gin ((name_grams || archive_path_keys(unit_path)))`.execute(
    db,
  );
  await sql`drop index person_name_grams_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists person_name_grams_idx on person using gin (name_grams)`.execute(db);
  await sql`drop index if exists person_name_scope_idx`.execute(db);
  await sql`drop function if exists archive_path_keys(text)`.execute(db);
}

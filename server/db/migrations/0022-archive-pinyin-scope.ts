import { type Kysely, sql } from 'kysely';

/**
 * A pinyin search that reads the reader's scope, not the city (as 0021 did for Chinese names).
 *
 * Before: `name_initials` and `name_pinyin` had city-wide indexes of their own. At 25 M people the
 * initials `zxd` begin tens of thousands of names in the city: a subdistrict's search (its page,
 * sorted, and its count) took 1.1–7.1 s and a committee's 71–333 ms.
 *
 * Now each key is indexed after the unit path: (unit_path, name_initials) and (unit_path,
 * name_pinyin). A search `unit_path like 'scope%' and (name_initials like 'zs%' or name_pinyin like
 * 'zs%')` is two ranges of the scope's entries, the pinyin checked inside the index, and the heap
 * read only for the people who match. Every archive search is scoped (archive.scope.ts), so nothing
 * needs the city-wide ones.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`set local maintenance_work_mem = '256MB'`.execute(db);
  await sql`create index person_scope_initials_idx on person (unit_path text_pattern_ops, name_initials text_pattern_ops)`.execute(
    db,
  );
  await sql`create index person_scope_pinyin_idx on person (unit_path text_pattern_ops, name_pinyin text_pattern_ops)`.execute(
    db,
  );
  await sql`drop index person_initials_idx`.execute(db);
  await sql`drop index person_pinyin_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists person_initials_idx on person (name_initials text_pattern_ops)`.execute(db);
  await sql`create index if not exists person_pinyin_idx on person (name_pinyin text_pattern_ops)`.execute(db);
  await sql`drop index if exists person_scope_initials_idx`.execute(db);
  await sql`drop index if exists person_scope_pinyin_idx`.execute(db);
}

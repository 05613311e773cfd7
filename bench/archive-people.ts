/**
 * The archive benchmark's people, written straight into `person` by INSERT … SELECT over
 * generate_series, a million rows a statement, with what the archive keeps for finding them:
 *
 * - names from the demo's generator (server/seed/archive/names.ts: surnames by frequency, given names
 *   by the fashion of the birth decade), a pool of 100,000 drawn once in JavaScript with their pinyin
 *   and initials from personNameKeys — the archive's own keys — and picked per person in SQL by a
 *   hash of the person's number, men from the men's names and women from the women's;
 * - ID numbers that pass GB 11643: the person's district as the region, a birth date, a sequence
 *   whose parity is the gender, and the check character computed in SQL (ISO 7064 MOD 11-2). Person g
 *   is born on day g mod 32,000 after 1930-01-01 with sequence ⌊g / 32,000⌋, so numbers are unique up
 *   to 32 M people;
 * - the name and address grams, by the table's own generated columns (archive_grams).
 *
 * People are spread over the city's unit grids (bench_grid, in a shuffled order) round the clock, so a
 * committee's people are scattered through the table as filing over years scatters them. The table's
 * secondary indexes are dropped before a batch and built again after it (faster than keeping them up
 * row by row), then the table is analysed.
 */
import { sql } from 'kysely';
import type { Gender } from '../common/archive.js';
import { personNameKeys } from '../server/archive/name-keys.js';
import type { Db } from '../server/db/database.js';
import { personName } from '../server/seed/archive/names.js';
import { createRng } from '../server/seed/random.js';

/** Names in the pool, per gender. */
const NAMES_PER_GENDER = 50_000;
/** People per statement. */
const BATCH = 1_000_000;
/** Birth days cycle over this many days from 1930-01-01 (to 2017). */
const DAYS = 32_000;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The check character of a 17-digit SQL text expression (ISO 7064 MOD 11-2), as SQL. */
function checkCharacter(first17: string): string {
  const sum = WEIGHTS.map((w, i) => `substr(${first17}, ${i + 1}, 1)::int * ${w}`).join(' + ');
  return `substr('10X98765432', ((${sum}) % 11) + 1, 1)`;
}

/** The name pool: `bench_name (gender, n, name, pinyin, initials)`. */
export async function makeNamePool(db: Db): Promise<void> {
  const rng = createRng('archive-bench-names');
  const rows: { gender: Gender; n: number; name: string; pinyin: string; initials: string }[] = [];
  for (const gender of ['male', 'female'] as const)
    for (let n = 0; n < NAMES_PER_GENDER; n += 1) {
      const name = personName(rng, gender, 1930 + rng.int(0, 87));
      const keys = personNameKeys(name);
      rows.push({ gender, n, name, pinyin: keys.pinyin, initials: keys.initials });
    }
  await sql`create unlogged table bench_name (gender text, n int, name text, pinyin text, initials text,
    primary key (gender, n))`.execute(db);
  await sql`insert into bench_name select * from unnest(${rows.map((r) => r.gender)}::text[], ${rows.map((r) => r.n)}::int[],
    ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.pinyin)}::text[], ${rows.map((r) => r.initials)}::text[])`.execute(
    db,
  );
}

/** The person table's indexes other than its primary key, as their definitions. */
async function secondaryIndexes(db: Db): Promise<{ name: string; definition: string }[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename = 'person' and indexname <> 'person_pkey'`.execute(db);
  return rows;
}

/**
 * Writes people `from` … `to − 1` (numbers of the city-wide sequence), then rebuilds the indexes and
 * analyses; `progress` hears after each statement. Returns the seconds spent writing and indexing.
 */
export async function writePeople(
  db: Db,
  grids: number,
  from: number,
  to: number,
  now: Date,
  progress: (done: number) => void,
): Promise<{ write: number; index: number }> {
  const indexes = await secondaryIndexes(db);
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  const started = performance.now();
  const first17 = `(g.district || to_char(g.birth, 'YYYYMMDD') || lpad(g.seq::text, 3, '0'))`;
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(to, start + BATCH);
    await sql`
      insert into person (district, id, unit_id, unit_path, name, name_pinyin, name_initials, gender, birth_date,
        id_number, phones, residency, address, synthetic, created_at, updated_at)
      select g.district, gen_random_uuid(), g.unit_id, g.unit_path, nm.name, nm.pinyin, nm.initials, g.gender, g.birth,
        ${sql.raw(first17)} || ${sql.raw(checkCharacter(first17))},
        array['139' || lpad((g.k % 100000000)::text, 8, '0')], case when g.k % 5 = 0 then 'floating' else 'registered' end,
        '幸福路' || (g.k % 997 + 1) || '弄' || (g.k % 31 + 1) || '号', true, ${now}, ${now}
      from (
        select k, b.district, b.unit_id, b.unit_path,
          date '1930-01-01' + (k % ${DAYS})::int as birth, (k / ${DAYS})::int as seq,
          case when (k / ${DAYS}) % 2 = 1 then 'male' else 'female' end as gender
        from generate_series(${start}::bigint, ${end - 1}::bigint) k
        join bench_grid b on b.n = (k % ${grids})::int
      ) g
      join bench_name nm on nm.gender = g.gender and nm.n = (hashint8(g.k) & 2147483647) % ${NAMES_PER_GENDER}`.execute(
      db,
    );
    progress(end - from);
  }
  const written = performance.now();
  await sql`set maintenance_work_mem = '1GB'`.execute(db);
  for (const index of indexes) await sql.raw(index.definition).execute(db);
  await sql`vacuum analyze person`.execute(db);
  return { write: (written - started) / 1000, index: (performance.now() - written) / 1000 };
}

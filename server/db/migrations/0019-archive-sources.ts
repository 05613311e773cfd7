import { type Kysely, sql } from 'kysely';

/**
 * Departmental imports into the resident archive (server/archive/imports): where each value of a
 * person, household or venue came from, so that older data never silently replaces newer and disagreeing sources are reported.
 *
 * - `archive_source`: per record, field and source, the value the source last gave and the date it
 *   was true ("as of"). A source is a department (its id) or `archive` (entered by hand in the
 *   archive). A field's date is the newest `as_of` over its sources; an import changes the field only
 *   when its own date is newer (server/archive/imports/provenance.ts).
 * - `import_key`: a kind whose records must appear once per file (a person by ID number, a household
 *   by address) claims each row's key here; a second row with the key is rejected as a duplicate.
 *   The claim names its row, so a run taken up again after a crash re-claims its own rows.
 * - The engine's report grows what a departmental import tells: per row the fields it changed, the
 *   fields it kept because the archive's data is newer, and the conflicts found (run: their count).
 * - Households are matched by normalised address (archive_normalize: no white space, full-width as
 *   ASCII, lower-case): an index makes that one probe per row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table archive_source (
      district char(6) not null,
      subject text not null check (subject in ('person', 'household', 'venue')),
      subject_id uuid not null,
      field text not null check (length(field) between 1 and 80),
      source text not null,
      as_of date not null,
      value text,
      import_run_id uuid,
      updated_at timestamptz not null default now(),
      primary key (district, subject, subject_id, field, source)
    )`.execute(db);

  await sql`
    create table import_key (
      district char(6) not null,
      run_id uuid not null,
      key text not null,
      row_number integer not null,
      primary key (district, run_id, key),
      foreign key (district, run_id) references import_run (district, id) on delete cascade
    )`.execute(db);

  await sql`alter table import_run add column conflict_count integer not null default 0`.execute(db);
  await sql`
    alter table import_row
      add column fields text[] not null default '{}',
      add column kept text[] not null default '{}',
      add column conflicts jsonb not null default '[]'::jsonb`.execute(db);
  await sql`create index import_row_conflicts_idx on import_row (district, run_id, row_number)
    where conflicts <> '[]'::jsonb`.execute(db);

  await sql`create index household_address_norm_idx on household (district, archive_normalize(address))
    where dissolved_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists household_address_norm_idx`.execute(db);
  await sql`drop index if exists import_row_conflicts_idx`.execute(db);
  await sql`alter table import_row drop column if exists conflicts, drop column if exists kept,
    drop column if exists fields`.execute(db);
  await sql`alter table import_run drop column if exists conflict_count`.execute(db);
  await sql`drop table if exists import_key`.execute(db);
  await sql`drop table if exists archive_source`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Household visits (走访): who visited which household when, what they found, the needs they
 * recorded (each may become a case, keeping the link) and the photos they took.
 *
 * A visit carries the household's grid (`unit_id`, `unit_path`) as it was on the day, so scoping is
 * a range on the path like every territorial row, and a household moved to another grid keeps its
 * past visits where they happened. The half-year rule asks, per household, for its latest visit:
 * `visit_household_idx` answers it with one backward index probe per household; coverage of a
 * subtree over a period reads `visit_path_idx`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table visit (
      district char(6) not null,
      id uuid not null,
      household_id uuid not null,
      unit_id uuid not null,
      unit_path text not null,
      visitor_id uuid not null references account (id),
      visited_at timestamptz not null,
      night boolean not null default false,
      findings text not null default '',
      synthetic boolean not null default false,
      created_at timestamptz not null default now(),
      primary key (district, id),
      foreign key (district, household_id) references household (district, id) on delete cascade
    )`.execute(db);
  await sql`create index visit_household_idx on visit (district, household_id, visited_at desc)`.execute(db);
  await sql`create index visit_path_idx on visit (unit_path text_pattern_ops, visited_at)`.execute(db);
  await sql`create index visit_visitor_idx on visit (visitor_id, visited_at desc)`.execute(db);
  await sql`create index visit_id_idx on visit (id)`.execute(db);

  // A need found on a visit; one case at most carries it on (and a case carries one need).
  await sql`
    create table visit_need (
      district char(6) not null,
      id uuid not null,
      visit_id uuid not null,
      household_id uuid not null,
      unit_path text not null,
      kind text not null check (kind in ('elderly_care', 'health', 'disability', 'assistance', 'employment',
        'housing', 'safety', 'environment', 'dispute', 'policy', 'other')),
      description text not null,
      status text not null default 'open' check (status in ('open', 'referred', 'resolved')),
      case_district char(6),
      case_id uuid,
      referred_by uuid references account (id),
      referred_at timestamptz,
      resolution text,
      resolved_by uuid references account (id),
      resolved_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      foreign key (district, visit_id) references visit (district, id) on delete cascade,
      foreign key (case_district, case_id) references cases (district, id),
      check ((status = 'referred') = (case_id is not null)),
      check ((status = 'resolved') = (resolved_at is not null))
    )`.execute(db);
  await sql`create index visit_need_visit_idx on visit_need (district, visit_id)`.execute(db);
  await sql`create index visit_need_path_idx on visit_need (unit_path text_pattern_ops, created_at)`.execute(db);
  await sql`create unique index visit_need_case_idx on visit_need (case_district, case_id) where case_id is not null`.execute(
    db,
  );

  // Photos of a visit, by media key (server/media stores the files; `photo` rows say who uploaded them).
  await sql`
    create table visit_photo (
      district char(6) not null,
      visit_id uuid not null,
      key text not null check (key ~ '^[a-f0-9]{64}$'),
      created_at timestamptz not null default now(),
      primary key (district, visit_id, key),
      foreign key (district, visit_id) references visit (district, id) on delete cascade
    )`.execute(db);
  // Serving a file asks which visits show its key.
  await sql`create index visit_photo_key_idx on visit_photo (key)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists visit_photo`.execute(db);
  await sql`drop table if exists visit_need`.execute(db);
  await sql`drop table if exists visit`.execute(db);
}

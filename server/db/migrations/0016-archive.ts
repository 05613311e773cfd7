import { type Kysely, sql } from 'kysely';

/**
 * The resident archive (民情档案): people, households and their members, buildings and dwellings,
 * venues, tag types with department grants, tags on people and households, matter forms (一事一表)
 * and a household's file of attachments.
 *
 * Every territorial table carries `district` in its keys (DESIGN rule 9) and the `unit_path` of
 * the grid (or community) it belongs to, so that scoping is a range on a text_pattern_ops index.
 *
 * Finding people:
 * - ID numbers (GB 11643) are stored normalized (18 characters, upper-case X); the unique index
 *   `(id_number, district)` makes an exact lookup one index probe, with or without the district,
 *   and refuses a second person with the same number in a district.
 * - The cluster runs with locale C, where pg_trgm sees no trigrams in Chinese text, so names and
 *   addresses carry their own grams (every character and every pair of adjacent characters,
 *   computed by `archive_grams`, an immutable function behind a generated column): a substring
 *   query asks for the grams of its text with `@>` on a GIN index and rechecks with LIKE.
 * - Pinyin (full and initials) is computed by the application at write time (pinyin-pro knows
 *   surnames' readings); the columns are NOT NULL so no writer can forget them.
 *
 * A household has exactly one head: a partial unique index refuses a second, and a deferred
 * constraint trigger refuses, at commit, a living household without one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Lower-case, no white space, full-width digits and letters as ASCII: the text the grams are cut from.
  await sql`
    create function archive_normalize(t text) returns text language sql immutable parallel safe as $$
      select lower(translate(regexp_replace(coalesce(t, ''), '\\s+', '', 'g'),
        '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ',
        '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'))
    $$`.execute(db);
  await sql`
    create function archive_grams(t text) returns text[] language sql immutable parallel safe as $$
      with s as (select archive_normalize(t) as v)
      select coalesce(array_agg(distinct g), '{}') from (
        select substr(s.v, i, 1) as g from s, generate_series(1, length(s.v)) as i
        union all
        select substr(s.v, i, 2) from s, generate_series(1, length(s.v) - 1) as i
      ) grams
    $$`.execute(db);

  // Tag types are reference data shared by the installation; a grant lets one department see
  // the people and households carrying tags of one type (tag by tag).
  await sql`
    create table tag_type (
      id uuid primary key,
      code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
      name_zh text not null,
      name_en text not null,
      applies_to text not null check (applies_to in ('person', 'household', 'both')),
      graded boolean not null default false,
      built_in boolean not null default false,
      disabled boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    insert into tag_type (id, code, name_zh, name_en, applies_to, graded, built_in) values
      (gen_random_uuid(), 'elderly_alone', '独居老人', 'Elderly living alone', 'person', false, true),
      (gen_random_uuid(), 'disability', '残疾人', 'Disability', 'person', true, true),
      (gen_random_uuid(), 'minimum_income', '低保', 'Minimum income (dibao)', 'both', false, true),
      (gen_random_uuid(), 'low_income', '低收入', 'Low income', 'both', false, true),
      (gen_random_uuid(), 'preferential_care', '优抚对象', 'Preferential care', 'person', false, true),
      (gen_random_uuid(), 'child_in_difficulty', '困境儿童', 'Child in difficulty', 'person', false, true)`.execute(db);
  await sql`
    create table tag_grant (
      tag_type_id uuid not null references tag_type (id) on delete cascade,
      department_id uuid not null references department (id) on delete cascade,
      granted_by uuid,
      created_at timestamptz not null default now(),
      primary key (tag_type_id, department_id)
    )`.execute(db);
  await sql`create index tag_grant_department_idx on tag_grant (department_id)`.execute(db);

  // Buildings stand in a grid; geometry is GeoJSON (a Point or a Polygon, WGS84) like unit.geometry,
  // with a representative point for maps and placement.
  await sql`
    create table building (
      district char(6) not null,
      id uuid not null,
      unit_id uuid not null,
      unit_path text not null,
      name text not null,
      address text not null,
      kind text not null default 'residential' check (kind in ('residential', 'commercial', 'mixed', 'public', 'other')),
      geometry jsonb,
      lng double precision,
      lat double precision,
      floors smallint check (floors > 0),
      entrances smallint check (entrances > 0),
      synthetic boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      check ((lng is null) = (lat is null))
    )`.execute(db);
  await sql`create index building_path_idx on building (unit_path text_pattern_ops)`.execute(db);
  await sql`create index building_id_idx on building (id)`.execute(db);

  // A dwelling (房) is one room of a building: entrance (单元) and room number.
  await sql`
    create table dwelling (
      district char(6) not null,
      id uuid not null,
      building_id uuid not null,
      unit_path text not null,
      entrance text not null default '',
      room text not null,
      floor smallint,
      area_m2 numeric(8, 2) check (area_m2 > 0),
      owner_person_id uuid,
      owner_name text,
      owner_phone text,
      tenant_person_id uuid,
      tenant_name text,
      tenant_phone text,
      occupancy text not null default 'unknown' check (occupancy in ('owner_occupied', 'rented', 'lent', 'vacant', 'unknown')),
      group_rental boolean not null default false,
      synthetic boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      unique (district, building_id, entrance, room),
      foreign key (district, building_id) references building (district, id) on delete cascade
    )`.execute(db);
  await sql`create index dwelling_path_idx on dwelling (unit_path text_pattern_ops)`.execute(db);
  await sql`create index dwelling_group_rental_idx on dwelling (district, unit_path) where group_rental`.execute(db);

  await sql`
    create table household (
      district char(6) not null,
      id uuid not null,
      unit_id uuid not null,
      unit_path text not null,
      number text,
      address text not null,
      address_grams text[] generated always as (archive_grams(address)) stored,
      building_id uuid,
      dwelling_id uuid,
      notes text not null default '',
      dissolved_at timestamptz,
      synthetic boolean not null default false,
      version integer not null default 1,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      foreign key (district, building_id) references building (district, id),
      foreign key (district, dwelling_id) references dwelling (district, id)
    )`.execute(db);
  await sql`create index household_id_idx on household (id)`.execute(db);
  await sql`create index household_path_idx on household (unit_path text_pattern_ops)`.execute(db);
  await sql`create index household_address_grams_idx on household using gin (address_grams)`.execute(db);
  await sql`create index household_dwelling_idx on household (district, dwelling_id) where dwelling_id is not null`.execute(
    db,
  );

  await sql`
    create table person (
      district char(6) not null,
      id uuid not null,
      unit_id uuid not null,
      unit_path text not null,
      name text not null check (length(name) between 1 and 64),
      name_pinyin text not null,
      name_initials text not null,
      name_grams text[] generated always as (archive_grams(name)) stored,
      gender text not null check (gender in ('male', 'female')),
      birth_date date not null,
      id_number varchar(18) check (id_number ~ '^[0-9]{17}[0-9X]$'),
      phones text[] not null default '{}',
      ethnicity text,
      residency text not null default 'registered' check (residency in ('registered', 'floating')),
      political_status text check (political_status in ('party_member', 'probationary_member', 'league_member', 'democratic_party', 'masses')),
      political_status_shown boolean not null default false,
      work text not null default '',
      notes text not null default '',
      address text not null default '',
      address_grams text[] generated always as (archive_grams(address)) stored,
      status text not null default 'active' check (status in ('active', 'moved_out', 'deceased')),
      status_changed_at timestamptz,
      synthetic boolean not null default false,
      version integer not null default 1,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id)
    )`.execute(db);
  // Exact lookup by ID number: one probe, the district optional; unique within a district.
  await sql`create unique index person_id_number_idx on person (id_number, district) where id_number is not null`.execute(
    db,
  );
  await sql`create index person_id_idx on person (id)`.execute(db);
  await sql`create index person_path_idx on person (unit_path text_pattern_ops)`.execute(db);
  await sql`create index person_name_grams_idx on person using gin (name_grams)`.execute(db);
  await sql`create index person_address_grams_idx on person using gin (address_grams)`.execute(db);
  await sql`create index person_initials_idx on person (name_initials text_pattern_ops)`.execute(db);
  await sql`create index person_pinyin_idx on person (name_pinyin text_pattern_ops)`.execute(db);

  // Relations between people, one row per direction (the inverse is written with it).
  await sql`
    create table person_relation (
      district char(6) not null,
      person_id uuid not null,
      related_id uuid not null,
      relation text not null check (relation in ('spouse', 'parent', 'child', 'sibling', 'grandparent', 'grandchild', 'guardian', 'ward', 'other')),
      created_at timestamptz not null default now(),
      primary key (district, person_id, related_id),
      check (person_id <> related_id),
      foreign key (district, person_id) references person (district, id) on delete cascade,
      foreign key (district, related_id) references person (district, id) on delete cascade
    )`.execute(db);

  // A person belongs to at most one household; exactly one member of a living household is its head.
  await sql`
    create table household_member (
      district char(6) not null,
      household_id uuid not null,
      person_id uuid not null,
      relation text not null check (relation in ('head', 'spouse', 'child', 'child_in_law', 'parent', 'parent_in_law', 'grandparent', 'grandchild', 'sibling', 'other_relative', 'non_relative')),
      joined_on date,
      created_at timestamptz not null default now(),
      primary key (district, household_id, person_id),
      unique (district, person_id),
      foreign key (district, household_id) references household (district, id) on delete cascade,
      foreign key (district, person_id) references person (district, id) on delete cascade
    )`.execute(db);
  await sql`create unique index household_member_head_idx on household_member (district, household_id) where relation = 'head'`.execute(
    db,
  );
  // One check, two triggers (a PL/pgSQL body may only name the columns of its own table's rows).
  await sql`
    create function household_head_assert(d char(6), h uuid) returns void language plpgsql as $$
    begin
      if exists (select 1 from household where district = d and id = h and dissolved_at is null)
         and (select count(*) from household_member where district = d and household_id = h and relation = 'head') <> 1 then
        raise exception 'household % has no head', h using errcode = '23514', constraint = 'household_one_head';
      end if;
    end $$`.execute(db);
  await sql`
    create function household_head_check() returns trigger language plpgsql as $$
    begin
      perform household_head_assert(new.district, new.id);
      return null;
    end $$`.execute(db);
  await sql`
    create function household_member_head_check() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        perform household_head_assert(old.district, old.household_id);
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        perform household_head_assert(new.district, new.household_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger household_one_head after insert or update on household
    deferrable initially deferred for each row execute function household_head_check()`.execute(db);
  await sql`
    create constraint trigger household_member_one_head after insert or update or delete on household_member
    deferrable initially deferred for each row execute function household_member_head_check()`.execute(db);

  await sql`
    create table venue (
      district char(6) not null,
      id uuid not null,
      unit_id uuid not null,
      unit_path text not null,
      building_id uuid,
      name text not null,
      name_grams text[] generated always as (archive_grams(name)) stored,
      kind text not null check (kind in ('shop', 'restaurant', 'school', 'kindergarten', 'clinic', 'workshop', 'warehouse', 'hotel', 'elderly_care', 'entertainment', 'other')),
      address text not null,
      lng double precision,
      lat double precision,
      licences jsonb not null default '[]'::jsonb,
      contacts jsonb not null default '[]'::jsonb,
      risk_level text not null default 'low' check (risk_level in ('low', 'medium', 'high')),
      notes text not null default '',
      closed_at timestamptz,
      synthetic boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      check ((lng is null) = (lat is null)),
      foreign key (district, building_id) references building (district, id)
    )`.execute(db);
  await sql`create index venue_path_idx on venue (unit_path text_pattern_ops, kind)`.execute(db);
  await sql`create index venue_id_idx on venue (id)`.execute(db);
  await sql`create index venue_name_grams_idx on venue using gin (name_grams)`.execute(db);

  // Tags: a tag type on a person or a household for a period, from a source, with evidence.
  for (const subject of ['person', 'household'] as const) {
    const table = sql.raw(`${subject}_tag`);
    const column = sql.raw(`${subject}_id`);
    await sql`
      create table ${table} (
        district char(6) not null,
        id uuid not null,
        ${column} uuid not null,
        tag_type_id uuid not null references tag_type (id),
        grade smallint check (grade between 1 and 4),
        source_department_id uuid references department (id),
        valid_from date not null,
        valid_to date,
        evidence text not null default '',
        evidence_keys text[] not null default '{}',
        created_by uuid,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (district, id),
        check (valid_to is null or valid_to >= valid_from),
        foreign key (district, ${column}) references ${sql.raw(subject)} (district, id) on delete cascade
      )`.execute(db);
    await sql`create index ${sql.raw(`${subject}_tag_subject_idx`)} on ${table} (district, ${column})`.execute(db);
    await sql`create index ${sql.raw(`${subject}_tag_type_idx`)} on ${table} (tag_type_id, district, ${column})`.execute(
      db,
    );
  }

  // 一事一表: a form template (fields as data) and the filled records attached to a person or household.
  await sql`
    create table matter_form (
      id uuid primary key,
      code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
      name_zh text not null,
      name_en text not null,
      applies_to text not null check (applies_to in ('person', 'household', 'both')),
      fields jsonb not null,
      version integer not null default 1,
      disabled boolean not null default false,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table matter_record (
      district char(6) not null,
      id uuid not null,
      form_id uuid not null references matter_form (id),
      form_version integer not null,
      person_id uuid,
      household_id uuid,
      unit_path text not null,
      answers jsonb not null,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      check ((person_id is null) <> (household_id is null)),
      foreign key (district, person_id) references person (district, id) on delete cascade,
      foreign key (district, household_id) references household (district, id) on delete cascade
    )`.execute(db);
  await sql`create index matter_record_person_idx on matter_record (district, person_id) where person_id is not null`.execute(
    db,
  );
  await sql`create index matter_record_household_idx on matter_record (district, household_id) where household_id is not null`.execute(
    db,
  );

  // 一户一档: the household's file. Files are images in the media store (server/media), by photo row.
  await sql`
    create table household_attachment (
      district char(6) not null,
      id uuid not null,
      household_id uuid not null,
      photo_id uuid not null references photo (id),
      key text not null check (key ~ '^[a-f0-9]{64}$'),
      title text not null,
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (district, id),
      unique (district, household_id, photo_id),
      foreign key (district, household_id) references household (district, id) on delete cascade
    )`.execute(db);
  await sql`create index household_attachment_key_idx on household_attachment (key)`.execute(db);

  // A person's access history reads the audit rows naming them: every archive event lists the
  // people it touched in data.people, and this index answers "which rows name this person".
  await sql`
    create index audit_log_archive_people_idx on audit_log using gin ((data -> 'people') jsonb_path_ops)
    where action like 'archive.%'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists audit_log_archive_people_idx`.execute(db);
  for (const table of [
    'household_attachment',
    'matter_record',
    'matter_form',
    'household_tag',
    'person_tag',
    'venue',
    'household_member',
    'person_relation',
    'person',
    'household',
    'dwelling',
    'building',
    'tag_grant',
    'tag_type',
  ]) {
    await sql`drop table if exists ${sql.raw(table)} cascade`.execute(db);
  }
  await sql`drop function if exists household_head_check()`.execute(db);
  await sql`drop function if exists household_member_head_check()`.execute(db);
  await sql`drop function if exists household_head_assert(char, uuid)`.execute(db);
  await sql`drop function if exists archive_grams(text)`.execute(db);
  await sql`drop function if exists archive_normalize(text)`.execute(db);
}

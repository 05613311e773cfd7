import { type Kysely, sql } from 'kysely';

/**
 * Photos. The files live in a content-addressed store on disk (key = SHA-256 of the original);
 * these tables record who uploaded what and which case (and which step of it) shows it.
 *
 * `photo` has one row per upload, not per key: the same picture sent twice by two people is two
 * rows with the same key, so "who uploaded it, and when" can be answered for each of them. It is
 * not territorial (a photo is uploaded before any case exists); `case_photo` is, and carries the
 * case's district in its keys.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table photo (
      id uuid primary key,
      key text not null check (key ~ '^[a-f0-9]{64}$'),
      uploader_kind text not null check (uploader_kind in ('staff', 'resident', 'anonymous', 'system')),
      account_id uuid,
      resident_id uuid,
      ip_hash text,
      format text not null check (format in ('jpeg', 'png', 'webp')),
      width integer not null check (width > 0),
      height integer not null check (height > 0),
      bytes integer not null check (bytes > 0),
      had_gps boolean not null default false,
      gps_lng double precision,
      gps_lat double precision,
      filename text,
      declared_mismatch boolean not null default false,
      created_at timestamptz not null default now(),
      check ((uploader_kind = 'staff') = (account_id is not null)),
      check ((uploader_kind = 'resident') = (resident_id is not null)),
      check ((uploader_kind = 'anonymous') = (ip_hash is not null)),
      check ((gps_lng is null) = (gps_lat is null))
    )`.execute(db);
  await sql`create index photo_key_idx on photo (key, created_at)`.execute(db);

  // The report's own photos have no event (seq null, role 'report'); a step's photos name its event.
  await sql`
    create table case_photo (
      district char(6) not null,
      id uuid not null,
      case_id uuid not null,
      key text not null check (key ~ '^[a-f0-9]{64}$'),
      role text not null check (role in ('report', 'before', 'after', 'evidence')),
      seq integer,
      added_by_kind text not null check (added_by_kind in ('staff', 'resident', 'anonymous', 'system')),
      added_by_id uuid,
      created_at timestamptz not null default now(),
      primary key (district, id),
      foreign key (district, case_id) references cases (district, id) on delete cascade,
      foreign key (district, case_id, seq) references case_event (district, case_id, seq) on delete cascade,
      check ((role = 'report') = (seq is null))
    )`.execute(db);
  await sql`create unique index case_photo_unique_idx on case_photo (district, case_id, coalesce(seq, 0), key, role)`.execute(
    db,
  );
  // Serving a file asks which cases show its key.
  await sql`create index case_photo_key_idx on case_photo (key)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists case_photo`.execute(db);
  await sql`drop table if exists photo`.execute(db);
}

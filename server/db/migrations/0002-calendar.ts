import { type Kysely, sql } from 'kysely';

/**
 * Calendar overrides: days an administrator declares working or non-working, on top of the
 * statutory calendar (chinese-days), e.g. a year's official schedule once the State Council
 * publishes it, or a local holiday. Working hours live in `setting` ('calendar.workingHours').
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table calendar_day (
      day date primary key,
      kind text not null check (kind in ('workday', 'holiday')),
      note text not null default '',
      created_by uuid,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists calendar_day`.execute(db);
}

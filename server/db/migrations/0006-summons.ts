import { type Kysely, sql } from 'kysely';

/**
 * Summons (约请) and joint meetings (联席会议). Both are territorial (district in every key) and
 * scoped by the path of the issuing or convening unit. A summons names departments; each answers
 * once, before a reply time counted in working time; the sweep marks the late ones.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table summons (
      district char(6) not null,
      id uuid not null,
      unit_id uuid not null,
      unit_path text not null,
      issued_by uuid not null,
      case_district char(6),
      case_id uuid,
      place text not null,
      lng double precision,
      lat double precision,
      subject text not null,
      description text not null default '',
      requested_at timestamptz not null,
      reply_amount numeric not null check (reply_amount > 0),
      reply_unit text not null check (reply_unit in ('working_hours', 'working_days')),
      sent_at timestamptz not null,
      reply_due_at timestamptz not null,
      state text not null check (state in ('sent', 'answered', 'closed', 'cancelled')),
      outcome text,
      ended_at timestamptz,
      ended_by uuid,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id),
      check ((case_id is null) = (case_district is null)),
      check ((state in ('closed', 'cancelled')) = (ended_at is not null))
    )`.execute(db);
  await sql`create index summons_id_idx on summons (id)`.execute(db);
  await sql`create index summons_scope_idx on summons (unit_path text_pattern_ops, state)`.execute(db);
  await sql`create index summons_case_idx on summons (case_id) where case_id is not null`.execute(db);
  await sql`create index summons_due_idx on summons (reply_due_at) where state = 'sent'`.execute(db);

  await sql`
    create table summons_department (
      district char(6) not null,
      summons_id uuid not null,
      department_id uuid not null references department (id),
      reply text check (reply in ('accepted', 'declined')),
      arrival_at timestamptz,
      decline_reason text,
      replied_by uuid,
      replied_at timestamptz,
      warned_at timestamptz,
      overdue_at timestamptz,
      primary key (district, summons_id, department_id),
      foreign key (district, summons_id) references summons (district, id) on delete cascade,
      check ((reply is null) = (replied_at is null)),
      check (reply is distinct from 'accepted' or arrival_at is not null),
      check (reply is distinct from 'declined' or decline_reason is not null)
    )`.execute(db);
  await sql`create index summons_department_idx on summons_department (department_id, summons_id)`.execute(db);
  await sql`create index summons_department_waiting_idx on summons_department (district, summons_id) where reply is null and overdue_at is null`.execute(
    db,
  );

  await sql`
    create table joint_meeting (
      district char(6) not null,
      id uuid not null,
      unit_id uuid not null,
      unit_path text not null,
      convened_by uuid not null,
      held_at timestamptz not null,
      place text not null,
      subject text not null,
      minutes text not null default '',
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (district, id)
    )`.execute(db);
  await sql`create index joint_meeting_id_idx on joint_meeting (id)`.execute(db);
  await sql`create index joint_meeting_scope_idx on joint_meeting (unit_path text_pattern_ops, held_at)`.execute(db);

  await sql`
    create table joint_meeting_attendee (
      district char(6) not null,
      meeting_id uuid not null,
      seq smallint not null,
      kind text not null check (kind in ('account', 'department', 'person')),
      account_id uuid,
      department_id uuid references department (id),
      name text,
      affiliation text,
      primary key (district, meeting_id, seq),
      foreign key (district, meeting_id) references joint_meeting (district, id) on delete cascade,
      check ((kind = 'account') = (account_id is not null)),
      check ((kind = 'department') = (department_id is not null)),
      check ((kind = 'person') = (name is not null))
    )`.execute(db);
  await sql`create unique index joint_meeting_attendee_account_idx on joint_meeting_attendee (district, meeting_id, account_id) where account_id is not null`.execute(
    db,
  );
  await sql`create unique index joint_meeting_attendee_department_idx on joint_meeting_attendee (district, meeting_id, department_id) where department_id is not null`.execute(
    db,
  );
  await sql`create index joint_meeting_attendee_department_lookup_idx on joint_meeting_attendee (department_id) where department_id is not null`.execute(
    db,
  );
  await sql`create index joint_meeting_attendee_account_lookup_idx on joint_meeting_attendee (account_id) where account_id is not null`.execute(
    db,
  );

  await sql`
    create table joint_meeting_case (
      district char(6) not null,
      meeting_id uuid not null,
      case_district char(6) not null,
      case_id uuid not null,
      linked_by uuid,
      linked_at timestamptz not null default now(),
      primary key (district, meeting_id, case_id),
      foreign key (district, meeting_id) references joint_meeting (district, id) on delete cascade
    )`.execute(db);
  await sql`create index joint_meeting_case_case_idx on joint_meeting_case (case_id)`.execute(db);

  // A decision has exactly one owner: a department (条) or a named staff member.
  await sql`
    create table joint_meeting_decision (
      district char(6) not null,
      id uuid not null,
      meeting_id uuid not null,
      text text not null,
      owner_department_id uuid references department (id),
      owner_account_id uuid,
      due_on date not null,
      done_at timestamptz,
      done_by uuid,
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (district, id),
      foreign key (district, meeting_id) references joint_meeting (district, id) on delete cascade,
      check ((owner_department_id is null) <> (owner_account_id is null)),
      check ((done_at is null) = (done_by is null))
    )`.execute(db);
  await sql`create index joint_meeting_decision_meeting_idx on joint_meeting_decision (district, meeting_id, created_at)`.execute(
    db,
  );
  await sql`create index joint_meeting_decision_open_idx on joint_meeting_decision (owner_department_id, due_on) where done_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'joint_meeting_decision',
    'joint_meeting_case',
    'joint_meeting_attendee',
    'joint_meeting',
    'summons_department',
    'summons',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
}

/**
 * Loading joint meetings: one with its attendees, cases and decisions; scoped lists (the convening
 * unit's subtree, or meetings the actor or their department attended or owns a decision of).
 */
import { type SqlBool, sql } from 'kysely';
import type { Actor } from '../accounts/actor.js';
import { toShanghaiIso } from '../calendar/civil.js';
import type { Db, Trx } from '../db/database.js';
import { isStaff } from '../policies/predicates.js';
import { pathInScope } from '../policies/scope.js';
import { handlerDepartments, type MeetingForPolicy, territorialPaths } from './summons.policy.js';

/** The calendar day of an instant in Asia/Shanghai, 'yyyy-mm-dd' (decisions fall due by day). */
export const shanghaiDay = (at: Date) => toShanghaiIso(at).slice(0, 10);

function selectMeetings(db: Db | Trx, today: string) {
  return db
    .selectFrom('jointMeeting as m')
    .innerJoin('unit as u', (join) => join.onRef('u.district', '=', 'm.district').onRef('u.id', '=', 'm.unitId'))
    .leftJoin('account as a', 'a.id', 'm.convenedBy')
    .select([
      'm.district',
      'm.id',
      'm.unitId',
      'm.unitPath',
      'm.convenedBy',
      'm.heldAt',
      'm.place',
      'm.subject',
      'm.minutes',
      'm.version',
      'm.createdAt',
      'm.updatedAt',
      'u.code as unitCode',
      'u.name as unitName',
      'u.level as unitLevel',
      'a.displayName as convenerName',
      sql<number>`(select count(*)::int from joint_meeting_decision d where d.district = m.district and d.meeting_id = m.id)`.as(
        'decisionsTotal',
      ),
      sql<number>`(select count(*)::int from joint_meeting_decision d where d.district = m.district and d.meeting_id = m.id and d.done_at is null)`.as(
        'decisionsOpen',
      ),
      sql<number>`(select count(*)::int from joint_meeting_decision d where d.district = m.district and d.meeting_id = m.id and d.done_at is null and d.due_on < ${today}::date)`.as(
        'decisionsOverdue',
      ),
    ]);
}

export type MeetingHead = Awaited<ReturnType<ReturnType<typeof selectMeetings>['executeTakeFirstOrThrow']>>;

async function detailsOf(db: Db | Trx, district: string, id: string) {
  const [attendees, cases, decisions] = await Promise.all([
    db
      .selectFrom('jointMeetingAttendee as t')
      .leftJoin('account as a', 'a.id', 't.accountId')
      .leftJoin('department as d', 'd.id', 't.departmentId')
      .select([
        't.seq',
        't.kind',
        't.accountId',
        't.departmentId',
        't.name',
        't.affiliation',
        'a.displayName as accountName',
        'd.code as departmentCode',
        'd.name as departmentName',
      ])
      .where('t.district', '=', district)
      .where('t.meetingId', '=', id)
      .orderBy('t.seq')
      .execute(),
    db
      .selectFrom('jointMeetingCase as mc')
      .innerJoin('cases as c', (join) =>
        join.onRef('c.district', '=', 'mc.caseDistrict').onRef('c.id', '=', 'mc.caseId'),
      )
      .select(['mc.caseId', 'c.number'])
      .where('mc.district', '=', district)
      .where('mc.meetingId', '=', id)
      .orderBy('mc.linkedAt')
      .execute(),
    db
      .selectFrom('jointMeetingDecision as x')
      .leftJoin('department as d', 'd.id', 'x.ownerDepartmentId')
      .leftJoin('account as a', 'a.id', 'x.ownerAccountId')
      .select([
        'x.id',
        'x.text',
        'x.ownerDepartmentId',
        'x.ownerAccountId',
        'x.dueOn',
        'x.doneAt',
        'd.code as departmentCode',
        'd.name as departmentName',
        'a.displayName as accountName',
      ])
      .where('x.district', '=', district)
      .where('x.meetingId', '=', id)
      .orderBy('x.createdAt')
      .orderBy('x.id')
      .execute(),
  ]);
  return { attendees, cases, decisions };
}

export type MeetingRow = MeetingHead & Awaited<ReturnType<typeof detailsOf>>;
export type DecisionRow = MeetingRow['decisions'][number];

/** One meeting by id with everything its page shows. */
export async function findMeeting(db: Db | Trx, id: string, now = new Date()): Promise<MeetingRow | undefined> {
  const head = await selectMeetings(db, shanghaiDay(now)).where('m.id', '=', id).executeTakeFirst();
  return head ? { ...head, ...(await detailsOf(db, head.district, head.id)) } : undefined;
}

/** What the meeting policy needs, from a loaded meeting. */
export function meetingForPolicy(m: MeetingRow): MeetingForPolicy {
  const ids = (values: (string | null)[]) => values.filter((v): v is string => v !== null);
  return {
    unitPath: m.unitPath,
    attendeeAccountIds: ids(m.attendees.map((a) => a.accountId)),
    attendeeDepartmentIds: ids(m.attendees.map((a) => a.departmentId)),
    ownerAccountIds: ids(m.decisions.map((d) => d.ownerAccountId)),
    ownerDepartmentIds: ids(m.decisions.map((d) => d.ownerDepartmentId)),
  };
}

export interface MeetingListQuery {
  overdue?: boolean | undefined;
  limit: number;
  before?: string | undefined;
}

/** Meetings the actor may read, latest first. */
export async function listMeetings(db: Db, actor: Actor | null, query: MeetingListQuery, now = new Date()) {
  if (!isStaff(actor)) return [];
  const today = shanghaiDay(now);
  const departments = handlerDepartments(actor);
  const involved = sql<SqlBool>`(
    exists (select 1 from joint_meeting_attendee t where t.district = m.district and t.meeting_id = m.id
      and (t.account_id = ${actor.id} or t.department_id = any(${sql.val(departments)}::uuid[])))
    or exists (select 1 from joint_meeting_decision d where d.district = m.district and d.meeting_id = m.id
      and (d.owner_account_id = ${actor.id} or d.owner_department_id = any(${sql.val(departments)}::uuid[]))))`;
  let select = selectMeetings(db, today)
    .where((eb) => eb.or([pathInScope(eb, 'm.unitPath', territorialPaths(actor)), involved]))
    .orderBy('m.heldAt', 'desc')
    .orderBy('m.id', 'desc')
    .limit(query.limit);
  if (query.overdue)
    select = select.where(
      sql<SqlBool>`exists (select 1 from joint_meeting_decision d where d.district = m.district and d.meeting_id = m.id
        and d.done_at is null and d.due_on < ${today}::date)`,
    );
  if (query.before) select = select.where('m.heldAt', '<', new Date(query.before));
  return select.execute();
}

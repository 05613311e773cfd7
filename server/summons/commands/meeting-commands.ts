/**
 * Joint meetings (联席会议): convene one (attendees and cases discussed), change its record, link a
 * case, add a decision with its owner and due date, mark a decision done. Each is one transaction
 * with its audit row. Routes load and authorize first (cases readable, unit in scope); the commands
 * re-check what can change under them.
 */
import { v7 as uuidv7 } from 'uuid';
import { CONVENING_LEVELS } from '../../../common/summons.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { parseDay } from '../../calendar/civil.js';
import type { Trx } from '../../db/database.js';
import { AppError, type FieldProblem } from '../../http/app-error.js';
import { canIssueFor, mayCompleteDecision } from '../summons.policy.js';
import { auditOf, type SummonsContext } from './issue-summons.js';

export type AttendeeInput =
  | { kind: 'account'; accountId: string }
  | { kind: 'department'; departmentId: string }
  | { kind: 'person'; name: string; affiliation?: string | undefined };

export interface CaseRef {
  id: string;
  district: string;
  number: string;
}

export interface CreateMeetingProps {
  unit: { id: string; path: string; district: string; level: string };
  heldAt: Date;
  place: string;
  subject: string;
  minutes?: string | undefined;
  attendees: AttendeeInput[];
  cases: CaseRef[];
}

/** Accounts and departments named must exist and be enabled; each named once. */
async function checkParticipants(trx: Trx, named: { path: string; accountId?: string; departmentId?: string }[]) {
  const accountIds = named.flatMap((n) => (n.accountId ? [n.accountId] : []));
  const departmentIds = named.flatMap((n) => (n.departmentId ? [n.departmentId] : []));
  const [accounts, departments] = await Promise.all([
    accountIds.length
      ? trx.selectFrom('account').select('id').where('id', 'in', accountIds).where('disabled', '=', false).execute()
      : [],
    departmentIds.length
      ? trx
          .selectFrom('department')
          .select('id')
          .where('id', 'in', departmentIds)
          .where('disabled', '=', false)
          .execute()
      : [],
  ]);
  const problems: FieldProblem[] = [];
  for (const n of named) {
    if (n.accountId && !accounts.some((a) => a.id === n.accountId))
      problems.push({ path: n.path, reason: 'unknown account' });
    if (n.departmentId && !departments.some((d) => d.id === n.departmentId))
      problems.push({ path: n.path, reason: 'unknown department' });
  }
  if (problems.length) throw new AppError('MEETING_PARTICIPANT_UNKNOWN', { fields: problems });
}

const key = (a: AttendeeInput) =>
  a.kind === 'account' ? `a:${a.accountId}` : a.kind === 'department' ? `d:${a.departmentId}` : `p:${a.name}`;

export async function createMeeting(ctx: SummonsContext, props: CreateMeetingProps): Promise<string> {
  const now = ctx.now ?? new Date();
  if (!(CONVENING_LEVELS as readonly string[]).includes(props.unit.level))
    throw new AppError('SUMMONS_UNIT_INVALID', {
      fields: [{ path: 'body.unitId', reason: 'a district, subdistrict or committee' }],
    });
  if (!canIssueFor(ctx.actor, props.unit.path)) throw new AppError('FORBIDDEN');
  const keys = props.attendees.map(key);
  const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (twice >= 0)
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: `body.attendees.${twice}`, reason: 'named twice' }] });
  const cases = [...new Map(props.cases.map((c) => [c.id, c])).values()];
  const id = uuidv7();
  const district = props.unit.district;
  return ctx.db.transaction().execute(async (trx) => {
    await checkParticipants(
      trx,
      props.attendees.map((a, i) => ({
        path: `body.attendees.${i}`,
        ...(a.kind === 'account' ? { accountId: a.accountId } : {}),
        ...(a.kind === 'department' ? { departmentId: a.departmentId } : {}),
      })),
    );
    await trx
      .insertInto('jointMeeting')
      .values({
        district,
        id,
        unitId: props.unit.id,
        unitPath: props.unit.path,
        convenedBy: ctx.actor.id,
        heldAt: props.heldAt,
        place: props.place,
        subject: props.subject,
        minutes: props.minutes ?? '',
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await trx
      .insertInto('jointMeetingAttendee')
      .values(
        props.attendees.map((a, seq) => ({
          district,
          meetingId: id,
          seq,
          kind: a.kind,
          accountId: a.kind === 'account' ? a.accountId : null,
          departmentId: a.kind === 'department' ? a.departmentId : null,
          name: a.kind === 'person' ? a.name : null,
          affiliation: a.kind === 'person' ? (a.affiliation ?? null) : null,
        })),
      )
      .execute();
    if (cases.length)
      await trx
        .insertInto('jointMeetingCase')
        .values(
          cases.map((c) => ({
            district,
            meetingId: id,
            caseDistrict: c.district,
            caseId: c.id,
            linkedBy: ctx.actor.id,
            linkedAt: now,
          })),
        )
        .execute();
    await writeAudit(
      trx,
      auditOf(ctx),
      {
        action: 'meeting.created',
        data: { subject: props.subject, attendees: props.attendees.length, cases: cases.map((c) => c.number) },
      },
      { type: 'joint_meeting', id, district },
    );
    return id;
  });
}

/** Locks the meeting for a change by the convening side. */
async function lockMeeting(trx: Trx, ctx: SummonsContext, meetingId: string) {
  const m = await trx
    .selectFrom('jointMeeting')
    .select(['district', 'id', 'unitPath', 'version'])
    .where('id', '=', meetingId)
    .forUpdate()
    .executeTakeFirst();
  if (!m) throw new AppError('NOT_FOUND');
  if (!canIssueFor(ctx.actor, m.unitPath)) throw new AppError('FORBIDDEN');
  return m;
}

export interface UpdateMeetingProps {
  meetingId: string;
  version: number;
  changes: {
    heldAt?: Date | undefined;
    place?: string | undefined;
    subject?: string | undefined;
    minutes?: string | undefined;
  };
}

/** Changes the record (minutes, time, place, subject) with the version the actor saw. */
export async function updateMeeting(ctx: SummonsContext, props: UpdateMeetingProps): Promise<void> {
  const now = ctx.now ?? new Date();
  const changes = Object.fromEntries(Object.entries(props.changes).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length === 0)
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body', reason: 'nothing to change' }] });
  await ctx.db.transaction().execute(async (trx) => {
    const m = await lockMeeting(trx, ctx, props.meetingId);
    if (m.version !== props.version)
      throw new AppError('MEETING_VERSION_CONFLICT', { details: { version: m.version } });
    await trx
      .updateTable('jointMeeting')
      .set({ ...changes, version: m.version + 1, updatedAt: now })
      .where('district', '=', m.district)
      .where('id', '=', m.id)
      .execute();
    await writeAudit(
      trx,
      auditOf(ctx),
      { action: 'meeting.updated', data: { changes: Object.keys(changes) } },
      { type: 'joint_meeting', id: m.id, district: m.district },
    );
  });
}

/** Links a case discussed; linking it again changes nothing (and writes nothing). */
export async function linkMeetingCase(ctx: SummonsContext, props: { meetingId: string; case: CaseRef }) {
  const now = ctx.now ?? new Date();
  return ctx.db.transaction().execute(async (trx) => {
    const m = await lockMeeting(trx, ctx, props.meetingId);
    const inserted = await trx
      .insertInto('jointMeetingCase')
      .values({
        district: m.district,
        meetingId: m.id,
        caseDistrict: props.case.district,
        caseId: props.case.id,
        linkedBy: ctx.actor.id,
        linkedAt: now,
      })
      .onConflict((oc) => oc.columns(['district', 'meetingId', 'caseId']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await trx
      .updateTable('jointMeeting')
      .set({ version: m.version + 1, updatedAt: now })
      .where('district', '=', m.district)
      .where('id', '=', m.id)
      .execute();
    await writeAudit(
      trx,
      auditOf(ctx),
      { action: 'meeting.case_linked', data: { case: props.case.number } },
      { type: 'joint_meeting', id: m.id, district: m.district },
    );
    return true;
  });
}

export interface AddDecisionProps {
  meetingId: string;
  text: string;
  owner: { departmentId: string } | { accountId: string };
  dueOn: string;
}

/** A decision (议定事项) with exactly one owner — a department or a staff member — and a due date. */
export async function addDecision(ctx: SummonsContext, props: AddDecisionProps): Promise<string> {
  const now = ctx.now ?? new Date();
  if (parseDay(props.dueOn) === null)
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body.dueOn', reason: 'a real date yyyy-mm-dd' }] });
  const owner =
    'departmentId' in props.owner
      ? { path: 'body.owner.departmentId', departmentId: props.owner.departmentId }
      : { path: 'body.owner.accountId', accountId: props.owner.accountId };
  const id = uuidv7();
  await ctx.db.transaction().execute(async (trx) => {
    const m = await lockMeeting(trx, ctx, props.meetingId);
    await checkParticipants(trx, [owner]);
    await trx
      .insertInto('jointMeetingDecision')
      .values({
        district: m.district,
        id,
        meetingId: m.id,
        text: props.text,
        ownerDepartmentId: owner.departmentId ?? null,
        ownerAccountId: owner.accountId ?? null,
        dueOn: props.dueOn,
        createdBy: ctx.actor.id,
        createdAt: now,
      })
      .execute();
    await trx
      .updateTable('jointMeeting')
      .set({ version: m.version + 1, updatedAt: now })
      .where('district', '=', m.district)
      .where('id', '=', m.id)
      .execute();
    await writeAudit(
      trx,
      auditOf(ctx),
      {
        action: 'meeting.decision_added',
        data: { decision: id, owner: owner.departmentId ? 'department' : 'account', dueOn: props.dueOn },
      },
      { type: 'joint_meeting', id: m.id, district: m.district },
    );
  });
  return id;
}

/** Marks a decision done, once: by the convening side or the decision's owner. */
export async function markDecisionDone(ctx: SummonsContext, props: { meetingId: string; decisionId: string }) {
  const now = ctx.now ?? new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom('jointMeetingDecision as x')
      .innerJoin('jointMeeting as m', (join) =>
        join.onRef('m.district', '=', 'x.district').onRef('m.id', '=', 'x.meetingId'),
      )
      .select(['x.district', 'x.id', 'x.ownerAccountId', 'x.ownerDepartmentId', 'x.doneAt', 'm.unitPath'])
      .where('x.id', '=', props.decisionId)
      .where('x.meetingId', '=', props.meetingId)
      .forUpdate('x')
      .executeTakeFirst();
    if (!d) throw new AppError('NOT_FOUND');
    if (!mayCompleteDecision(ctx.actor, { unitPath: d.unitPath }, d)) throw new AppError('FORBIDDEN');
    if (d.doneAt) throw new AppError('MEETING_DECISION_DONE');
    await trx
      .updateTable('jointMeetingDecision')
      .set({ doneAt: now, doneBy: ctx.actor.id })
      .where('district', '=', d.district)
      .where('id', '=', d.id)
      .execute();
    await writeAudit(
      trx,
      auditOf(ctx),
      { action: 'meeting.decision_done', data: { decision: d.id } },
      { type: 'joint_meeting', id: props.meetingId, district: d.district },
    );
  });
}

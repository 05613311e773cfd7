/**
 * Joint meetings as the API shows them: a summary for lists, the whole record (attendees, cases,
 * decisions with owners and due dates) for the page, with what the actor may do.
 */
import type { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { type MeetingHead, type MeetingRow, meetingForPolicy, shanghaiDay } from './meeting.repository.js';
import type { ZMeetingSummary, ZMeetingView } from './meeting.schema.js';
import { canManageMeeting, canMarkDecisionDone } from './summons.policy.js';

export function presentMeetingSummary(m: MeetingHead): z.infer<typeof ZMeetingSummary> {
  return {
    id: m.id,
    unit: { id: m.unitId, code: m.unitCode, name: m.unitName, level: m.unitLevel },
    convenedBy: { id: m.convenedBy, name: m.convenerName },
    heldAt: m.heldAt.toISOString(),
    place: m.place,
    subject: m.subject,
    decisionCounts: { total: m.decisionsTotal, open: m.decisionsOpen, overdue: m.decisionsOverdue },
    version: m.version,
  };
}

export function presentMeeting(actor: Actor | null, m: MeetingRow, now = new Date()): z.infer<typeof ZMeetingView> {
  const today = shanghaiDay(now);
  const manage = canManageMeeting(actor, meetingForPolicy(m));
  return {
    ...presentMeetingSummary(m),
    minutes: m.minutes,
    attendees: m.attendees.map((a) => ({
      kind: a.kind,
      account: a.accountId ? { id: a.accountId, name: a.accountName } : null,
      department:
        a.departmentId && a.departmentCode && a.departmentName
          ? { id: a.departmentId, code: a.departmentCode, name: a.departmentName }
          : null,
      name: a.name,
      affiliation: a.affiliation,
    })),
    cases: m.cases.map((c) => ({ id: c.caseId, number: c.number })),
    decisions: m.decisions.map((d) => ({
      id: d.id,
      text: d.text,
      owner: {
        department:
          d.ownerDepartmentId && d.departmentCode && d.departmentName
            ? { id: d.ownerDepartmentId, code: d.departmentCode, name: d.departmentName }
            : null,
        account: d.ownerAccountId ? { id: d.ownerAccountId, name: d.accountName } : null,
      },
      dueOn: d.dueOn,
      doneAt: d.doneAt?.toISOString() ?? null,
      overdue: d.doneAt === null && d.dueOn < today,
      abilities: { markDone: canMarkDecisionDone(actor, m, d) },
    })),
    createdAt: new Date(m.createdAt).toISOString(),
    updatedAt: new Date(m.updatedAt).toISOString(),
    abilities: { update: manage, linkCase: manage, addDecision: manage },
  };
}

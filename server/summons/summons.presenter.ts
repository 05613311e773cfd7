/**
 * Summonses as the API shows them, with each department's reply and light and what the actor may
 * do. Staff names are shown (colleagues acting in their office), nothing of residents is held here.
 */
import type { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { summonsAbilities } from './summons.policy.js';
import type { SummonsDepartmentRow, SummonsRow } from './summons.repository.js';
import type { ZSummonsDepartmentView, ZSummonsView } from './summons.schema.js';

type Light = 'none' | 'green' | 'yellow' | 'red';
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function lightOf(s: SummonsRow, d: SummonsDepartmentRow, now: Date): Light {
  if (d.reply !== null || s.state === 'closed' || s.state === 'cancelled') return 'none';
  if (d.overdueAt || s.replyDueAt < now) return 'red';
  if (d.warnedAt) return 'yellow';
  return 'green';
}

const RANK: Record<Light, number> = { none: 0, green: 1, yellow: 2, red: 3 };

function presentDepartment(s: SummonsRow, d: SummonsDepartmentRow, now: Date): z.infer<typeof ZSummonsDepartmentView> {
  return {
    department: { id: d.departmentId, code: d.departmentCode, name: d.departmentName },
    reply: d.reply,
    arrivalAt: iso(d.arrivalAt),
    declineReason: d.declineReason,
    repliedBy: d.repliedBy ? { id: d.repliedBy, name: d.replierName } : null,
    repliedAt: iso(d.repliedAt),
    late: d.repliedAt !== null && d.repliedAt > s.replyDueAt,
    warnedAt: iso(d.warnedAt),
    overdueAt: iso(d.overdueAt),
    light: lightOf(s, d, now),
  };
}

export function presentSummons(
  actor: Actor | null,
  s: SummonsRow,
  now: Date,
  calendar: WorkingCalendar,
): z.infer<typeof ZSummonsView> {
  const departments = s.departments.map((d) => presentDepartment(s, d, now));
  const light = departments.reduce<Light>((worst, d) => (RANK[d.light] > RANK[worst] ? d.light : worst), 'none');
  const r = light === 'none' ? null : calendar.remaining(now, s.replyDueAt, s.replyUnit);
  return {
    id: s.id,
    unit: { id: s.unitId, code: s.unitCode, name: s.unitName, level: s.unitLevel },
    issuedBy: { id: s.issuedBy, name: s.issuerName },
    case: s.caseId && s.caseNumber ? { id: s.caseId, number: s.caseNumber } : null,
    subject: s.subject,
    description: s.description,
    place: s.place,
    location: s.lng !== null && s.lat !== null ? { lng: s.lng, lat: s.lat } : null,
    requestedAt: s.requestedAt.toISOString(),
    replyLimit: { amount: s.replyAmount, unit: s.replyUnit },
    sentAt: s.sentAt.toISOString(),
    replyDueAt: s.replyDueAt.toISOString(),
    state: s.state,
    light,
    remaining: r ? { overdue: r.overdue, minutes: r.totalMinutes, basis: r.basis, text: { zh: r.zh, en: r.en } } : null,
    outcome: s.outcome,
    endedAt: iso(s.endedAt),
    departments,
    version: s.version,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    abilities: summonsAbilities(actor, s),
  };
}

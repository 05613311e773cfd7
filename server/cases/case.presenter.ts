/**
 * Cases as the API shows them. Personal data is masked: the reporter's name keeps its first
 * character, the phone its first three and last four digits (DESIGN rule 10).
 */
import type { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { presentStaffPhoto } from '../media/photo.presenter.js';
import type { CasePhoto } from '../media/photo.repository.js';
import { caseAbilities } from './case.policy.js';
import type { CaseRow, listEvents } from './case.repository.js';
import type { ZCaseEventView, ZCaseView } from './case.schema.js';

export const maskName = (name: string | null) =>
  name ? `${[...name][0]}${'*'.repeat(Math.max(1, [...name].length - 1))}` : null;
export const maskPhone = (phone: string | null) =>
  phone && phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone ? '****' : null;

/** Traffic light of the running stage: yellow from `warnedAt`, red from `overdueAt` (set by the sweep) or past due. */
export function light(
  c: Pick<CaseRow, 'stage' | 'pausedAt' | 'overdueAt' | 'dueAt' | 'warnedAt'>,
  now: Date,
): z.infer<typeof ZCaseView>['clock']['light'] {
  if (!c.stage) return 'none';
  if (c.pausedAt) return 'paused';
  if (c.overdueAt || (c.dueAt && c.dueAt < now)) return 'red';
  if (c.warnedAt) return 'yellow';
  return 'green';
}

/**
 * The running stage's time in the unit its limit counts (working or natural time): elapsed since
 * it started and remaining until due; a deferred case's clock stands at its pause.
 */
function clockTimes(c: CaseRow, now: Date, calendar: WorkingCalendar | undefined) {
  if (!calendar || !c.stage || !c.stageStartedAt || !c.dueAt) return { elapsed: null, remaining: null };
  const unit = c.stageUnit ?? 'natural_minutes';
  const at = c.pausedAt ?? now;
  const working = unit === 'working_hours' || unit === 'working_days';
  const elapsedMinutes = working
    ? calendar.workingMinutesBetween(c.stageStartedAt, at)
    : Math.max(0, Math.round((at.getTime() - c.stageStartedAt.getTime()) / 60_000));
  const r = calendar.remaining(at, c.dueAt, unit);
  return {
    elapsed: { minutes: elapsedMinutes, basis: r.basis },
    remaining: { overdue: r.overdue, minutes: r.totalMinutes, basis: r.basis, text: { zh: r.zh, en: r.en } },
  };
}

export function presentCase(
  actor: Actor | null,
  c: CaseRow,
  now = new Date(),
  calendar?: WorkingCalendar,
): z.infer<typeof ZCaseView> {
  const staff = actor?.kind === 'staff';
  return {
    id: c.id,
    number: c.number,
    trackingCode: staff || (actor?.kind === 'resident' && actor.id === c.reporterResidentId) ? c.trackingCode : null,
    state: c.state,
    channel: c.channel,
    category: { code: c.categoryCode, name: { zh: c.categoryNameZh, en: c.categoryNameEn } },
    urgency: c.urgency,
    title: c.title,
    description: c.description,
    address: c.address,
    location: c.lng !== null && c.lat !== null ? { lng: c.lng, lat: c.lat } : null,
    unitId: c.unitId,
    outsideGrid: c.outsideGrid,
    reporter: { kind: c.reporterKind, name: maskName(c.reporterName), phone: maskPhone(c.reporterPhone) },
    departmentId: c.departmentId,
    coDepartmentIds: c.coDepartmentIds,
    level: c.level,
    clock: {
      stage: c.stage,
      startedAt: c.stageStartedAt?.toISOString() ?? null,
      dueAt: c.dueAt?.toISOString() ?? null,
      light: light(c, now),
      ...clockTimes(c, now, calendar),
    },
    pendingRequest: c.pendingRequest ? { kind: c.pendingRequest.kind, reason: c.pendingRequest.reason } : null,
    closeReason: c.closeReason,
    solvedLevel: c.solvedLevel,
    satisfaction: c.satisfaction,
    counters: c.counters,
    version: c.version,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
    abilities: caseAbilities(actor, c),
  };
}

/** One step of the timeline with its photos (staff see every variant and the EXIF position). */
export function presentEvent(
  e: Awaited<ReturnType<typeof listEvents>>[number],
  photos: readonly CasePhoto[] = [],
): z.infer<typeof ZCaseEventView> {
  const actor = e.actor as { name?: unknown };
  return {
    seq: e.seq,
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    actor: { name: typeof actor.name === 'string' ? actor.name : null, relation: e.actorRelation },
    reason: e.reason,
    data: e.data,
    at: new Date(e.createdAt).toISOString(),
    photos: photos.map(presentStaffPhoto),
  };
}

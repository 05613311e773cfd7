/**
 * Who may do what with summonses (约请) and joint meetings (联席会议). Two sides:
 * - the issuing (convening) side: committee staff, dispatchers, supervisors and administrators whose
 *   scope covers the issuing unit; they issue, close, cancel, convene and record;
 * - the summoned side: the handlers of a summoned (or attending, or owning) department.
 * Territorial reading follows the cases: any grant covering the unit, except a handler's, whose
 * view is their department's. Pure: rows are loaded first.
 */

import type { Role } from '../../common/roles.js';
import { OPEN_SUMMONS_STATES, type SummonsReply, type SummonsState } from '../../common/summons.js';
import type { Actor } from '../accounts/actor.js';
import { isStaff, pathCovered, scopePaths } from '../policies/predicates.js';

/** Roles that speak for a territory (块) when it summons departments or convenes a meeting. */
export const ISSUING_ROLES: readonly Role[] = ['committee_staff', 'dispatcher', 'supervisor', 'admin'];
/** Roles that read a territory's summonses and meetings (everyone but a department's handler). */
export const TERRITORIAL_ROLES: readonly Role[] = [
  'admin',
  'leader',
  'supervisor',
  'dispatcher',
  'committee_staff',
  'grid_worker',
];

export interface SummonsForPolicy {
  unitPath: string;
  state: SummonsState;
  departments: { departmentId: string; reply: SummonsReply | null }[];
}

export interface MeetingForPolicy {
  unitPath: string;
  attendeeAccountIds: string[];
  attendeeDepartmentIds: string[];
  ownerAccountIds: string[];
  ownerDepartmentIds: string[];
}

export interface DecisionForPolicy {
  ownerAccountId: string | null;
  ownerDepartmentId: string | null;
  doneAt: Date | null;
}

/** The departments the actor handles for (their handler grants). */
export function handlerDepartments(actor: Actor | null): string[] {
  if (!isStaff(actor)) return [];
  return [...new Set(actor.grants.flatMap((g) => (g.role === 'handler' && g.departmentId ? [g.departmentId] : [])))];
}

/** Unit paths the actor reads territorially, for SQL scoping. */
export const territorialPaths = (actor: Actor | null) => scopePaths(actor, ...TERRITORIAL_ROLES);

const covers = (actor: Actor | null, path: string, roles: readonly Role[]): boolean =>
  isStaff(actor) && actor.grants.some((g) => roles.includes(g.role) && pathCovered(g, path));

/** May the actor speak for the unit at `unitPath` (issue, close, cancel, convene, record)? */
export const canIssueFor = (actor: Actor | null, unitPath: string) => covers(actor, unitPath, ISSUING_ROLES);

/** Does any territorial grant of the actor cover the path (so a refusal there is 403, not 404)? */
export const seesTerritory = (actor: Actor | null, unitPath: string) => covers(actor, unitPath, TERRITORIAL_ROLES);

export function canReadSummons(actor: Actor | null, s: SummonsForPolicy): boolean {
  if (seesTerritory(actor, s.unitPath)) return true;
  const mine = handlerDepartments(actor);
  return s.departments.some((d) => mine.includes(d.departmentId));
}

/** May the actor answer for this department? A handler of it, and it was summoned (answered or not: that is 409). */
export function canReplyFor(actor: Actor | null, s: SummonsForPolicy, departmentId: string): boolean {
  return handlerDepartments(actor).includes(departmentId) && s.departments.some((d) => d.departmentId === departmentId);
}

export const canEndSummons = (actor: Actor | null, s: SummonsForPolicy) =>
  OPEN_SUMMONS_STATES.includes(s.state) && canIssueFor(actor, s.unitPath);

/** What the actor may do now; `reply` lists the departments they may still answer for. */
export function summonsAbilities(actor: Actor | null, s: SummonsForPolicy) {
  const open = OPEN_SUMMONS_STATES.includes(s.state);
  return {
    reply: open
      ? s.departments
          .filter((d) => d.reply === null && canReplyFor(actor, s, d.departmentId))
          .map((d) => d.departmentId)
      : [],
    close: canEndSummons(actor, s),
    cancel: canEndSummons(actor, s),
  };
}

export function canReadMeeting(actor: Actor | null, m: MeetingForPolicy): boolean {
  if (!isStaff(actor)) return false;
  if (seesTerritory(actor, m.unitPath)) return true;
  if (m.attendeeAccountIds.includes(actor.id) || m.ownerAccountIds.includes(actor.id)) return true;
  const mine = handlerDepartments(actor);
  return [...m.attendeeDepartmentIds, ...m.ownerDepartmentIds].some((d) => mine.includes(d));
}

/** The convening side records the meeting: minutes, cases, decisions. */
export const canManageMeeting = (actor: Actor | null, m: Pick<MeetingForPolicy, 'unitPath'>) =>
  canIssueFor(actor, m.unitPath);

/** A decision is marked done by the convening side or by its owner (the account, or a handler of the department). */
export function canMarkDecisionDone(actor: Actor | null, m: Pick<MeetingForPolicy, 'unitPath'>, d: DecisionForPolicy) {
  if (d.doneAt || !isStaff(actor)) return false;
  if (canManageMeeting(actor, m)) return true;
  if (d.ownerAccountId === actor.id) return true;
  return d.ownerDepartmentId !== null && handlerDepartments(actor).includes(d.ownerDepartmentId);
}

/** Like canMarkDecisionDone, ignoring whether it is done already (that answer is 409, not 403). */
export const mayCompleteDecision = (actor: Actor | null, m: Pick<MeetingForPolicy, 'unitPath'>, d: DecisionForPolicy) =>
  canMarkDecisionDone(actor, m, { ...d, doneAt: null });

/**
 * Who stands in which relation to a case (common/workflow.ts ACTOR_RELATIONS), and so which
 * transitions of the table they may take. Pure: the case row is loaded first.
 */
import type { CaseState } from '../../common/cases.js';
import type { Role } from '../../common/roles.js';
import { type ActorRelation, actionsFrom, type CaseAction, type Transition } from '../../common/workflow.js';
import { type Actor, actorSnapshot } from '../accounts/actor.js';
import { isStaff, pathCovered } from '../policies/predicates.js';

export interface CaseForPolicy {
  id: string;
  state: CaseState;
  pendingKind: 'extension' | 'deferral' | null;
  categorySelfRegister: boolean;
  categorySelfHandle: boolean;
  closedAt: Date | null;
  unitPath: string;
  departmentId: string | null;
  coDepartmentIds: string[];
  handlerAccountId: string | null;
  reporterResidentId: string | null;
  reporterAccountId: string | null;
  satisfaction: string | null;
  /** The dispute window in days (a policy setting, loaded with the case). */
  disputeDays: number;
}

/**
 * Whoever holds a case's tracking code (查询码): the reporter, also when they reported anonymously.
 * The code is the secret; it stands for nobody else and for no other case.
 */
export interface TrackingActor {
  kind: 'tracking';
  id: null;
  caseId: string;
}

/** The system itself (sensor keys, Open311, the deadline sweep). */
export interface SystemActor {
  kind: 'system';
  id: null;
  name: string;
}

/** Everyone who may act on a case: a signed-in person, a tracking-code holder, the system, or nobody. */
export type CaseActor = Actor | TrackingActor | SystemActor | null;

/** Who acted, as the case's event log records it (the system and tracking-code holders by kind). */
export function caseActorSnapshot(actor: CaseActor): Record<string, unknown> {
  if (actor?.kind === 'system') return { kind: 'system', name: actor.name };
  if (actor?.kind === 'tracking') return { kind: 'anonymous', via: 'tracking_code' };
  return actorSnapshot(actor);
}

/** The actor as the audit log takes it: a tracking-code holder is anonymous there. */
export const auditActorOf = (actor: CaseActor): Actor | SystemActor | null =>
  actor?.kind === 'tracking' ? null : actor;

const ROLE_RELATIONS: [ActorRelation, Role][] = [
  ['dispatcher', 'dispatcher'],
  ['gridWorker', 'grid_worker'],
  ['committeeStaff', 'committee_staff'],
  ['supervisor', 'supervisor'],
];

/** Every relation the actor has to the case. */
export function relationsTo(actor: CaseActor, c: CaseForPolicy): Set<ActorRelation> {
  const relations = new Set<ActorRelation>();
  if (!actor) return relations;
  if (actor.kind === 'tracking') {
    if (actor.caseId === c.id) relations.add('reporter');
    return relations;
  }
  if (actor.kind === 'system') {
    relations.add('system');
    return relations;
  }
  if (actor.kind === 'resident') {
    if (c.reporterResidentId === actor.id) relations.add('reporter');
    return relations;
  }
  if (c.reporterAccountId === actor.id) relations.add('reporter');
  for (const [relation, role] of ROLE_RELATIONS) {
    if (actor.grants.some((g) => g.role === role && pathCovered(g, c.unitPath))) relations.add(relation);
  }
  for (const g of actor.grants) {
    if (g.role !== 'handler' || !g.departmentId) continue;
    if (g.departmentId === c.departmentId) relations.add('handler');
    else if (c.coDepartmentIds.includes(g.departmentId)) relations.add('coHandler');
  }
  return relations;
}

/** May the actor read the case? Anyone with a relation to it, or any staff grant covering its unit. */
export function canReadCase(actor: Actor | null, c: CaseForPolicy): boolean {
  if (!actor) return false;
  if (relationsTo(actor, c).size > 0) return true;
  return isStaff(actor) && actor.grants.some((g) => pathCovered(g, c.unitPath));
}

/**
 * The table's preconditions that depend on the case and the actor only (not on the request body):
 * a pending request to approve, the category's permission, not verifying one's own work, the
 * dispute window. Returns the name of the first unmet one.
 */
export function unmetPrecondition(
  actor: CaseActor,
  c: CaseForPolicy,
  t: Transition,
  now = new Date(),
): string | undefined {
  const r = t.requires;
  if (r.pending && c.pendingKind !== r.pending) return 'pending';
  if (r.categoryAllows === 'selfRegister' && !c.categorySelfRegister) return 'categoryAllows';
  if (r.categoryAllows === 'selfHandle' && !c.categorySelfHandle) return 'categoryAllows';
  if (r.notTheHandler && actor && actor.kind === 'staff' && actor.id === c.handlerAccountId) return 'notTheHandler';
  if (r.notYetRated && c.satisfaction !== null) return 'notYetRated';
  if (r.withinDisputeWindow && c.closedAt && now.getTime() - c.closedAt.getTime() > c.disputeDays * 86_400_000) {
    return 'withinDisputeWindow';
  }
  return undefined;
}

/** The relation under which the actor may take the transition, or undefined. */
export function relationFor(actor: CaseActor, c: CaseForPolicy, t: Transition): ActorRelation | undefined {
  if (!t.from.includes(c.state)) return undefined;
  const relations = relationsTo(actor, c);
  return t.actors.find((a) => relations.has(a));
}

/** The actions the actor may take now (the web shows exactly these buttons). */
export function caseAbilities(actor: CaseActor, c: CaseForPolicy): CaseAction[] {
  return actionsFrom(c.state)
    .filter((t) => t.action !== 'report' && relationFor(actor, c, t) !== undefined && !unmetPrecondition(actor, c, t))
    .map((t) => t.action);
}

/**
 * Who is told about what happens to a case (in-app inbox now; SMS, WeCom and webhooks later deliver
 * from the same rows). One table says, for each step of the workflow, whose turn it now is or who
 * asked for it; the rows are written in the transaction of the step, so a step that committed has
 * told its people. The actor is never told about their own step.
 */
import { sql } from 'kysely';
import type { CaseState, Stage } from '../../common/cases.js';
import type { Role } from '../../common/roles.js';
import type { CaseAction } from '../../common/workflow.js';
import type { Trx } from '../db/database.js';
import { departmentHandlers, type Recipient, writeNotifications } from './notify.js';

/**
 * - `dispatchers`, `supervisors`, `gridWorkers`: holders of that role whose scope covers the case;
 * - `department`: the handlers of the department the case is (now) dispatched to;
 * - `coDepartment`: the handlers of the co-handling department just added;
 * - `handler`: the one handler who acknowledged it (else the department);
 * - `requester`: who asked for the extension or deferral being decided;
 * - `reporters`: the staff member or signed-in resident who reported it, and everyone who follows
 *   it with an account (residents who chose "follow this one instead", merged duplicates' reporters);
 * - `responsible`: whoever the case now waits for, by its state.
 */
export type Audience =
  | 'dispatchers'
  | 'supervisors'
  | 'gridWorkers'
  | 'department'
  | 'coDepartment'
  | 'handler'
  | 'requester'
  | 'reporters'
  | 'responsible';

export const CASE_NOTICES: Partial<Record<CaseAction, readonly Audience[]>> = {
  report: ['dispatchers'],
  self_register: ['dispatchers'],
  register: ['reporters'],
  reject: ['reporters'],
  self_handle: ['reporters'],
  dispatch: ['department', 'reporters'],
  return: ['dispatchers'],
  reassign: ['department'],
  add_co_handler: ['coDepartment'],
  submit_handling: ['gridWorkers', 'reporters'],
  verify_pass: ['handler', 'reporters'],
  verify_fail: ['handler'],
  request_extension: ['supervisors'],
  request_deferral: ['supervisors'],
  approve_extension: ['requester'],
  deny_extension: ['requester'],
  approve_deferral: ['requester', 'reporters'],
  deny_deferral: ['requester'],
  supervise: ['responsible'],
  escalate: ['dispatchers'],
  close: ['reporters'],
  merge: ['reporters'],
  reopen: ['dispatchers'],
  // A callback tells the dispatchers only when the reporter is unhappy or the problem remains.
  callback: ['dispatchers', 'supervisors'],
};

/** The light notices of the deadline sweep: yellow to whoever the case waits for, red to supervisors too. */
export const CLOCK_NOTICES = {
  warning: ['responsible'],
  overdue: ['responsible', 'supervisors'],
} as const satisfies Record<string, readonly Audience[]>;

export interface NoticeCase {
  district: string;
  id: string;
  number: string;
  title: string;
  unitPath: string;
  state: CaseState;
  stage: Stage | null;
  departmentId: string | null;
  handlerAccountId: string | null;
  reporterAccountId: string | null;
  reporterResidentId: string | null;
}

export interface Notice {
  kind: CaseAction | keyof typeof CLOCK_NOTICES;
  /** The case after the step. */
  case: NoticeCase;
  seq?: number | undefined;
  /** The staff account that acted (not told). */
  actorAccountId?: string | null | undefined;
  reason?: string | null | undefined;
  /** Co-handling department just added; requester of the decided request. */
  coDepartmentId?: string | undefined;
  requesterId?: string | undefined;
  satisfaction?: string | undefined;
  solved?: boolean | undefined;
  /** The step's time. */
  at?: Date | undefined;
}

const REASON_CHARS = 140;

async function holders(trx: Trx, role: Role, unitPath: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select distinct g.account_id as id from account_grant g join account a on a.id = g.account_id
    where g.role = ${role} and starts_with(${unitPath}, g.unit_path) and not a.disabled`.execute(trx);
  return rows.map((r) => r.id);
}

async function resolve(trx: Trx, audience: Audience, n: Notice): Promise<Recipient[]> {
  const c = n.case;
  const accounts = (ids: (string | null | undefined)[]) =>
    ids.filter((id): id is string => !!id).map((id) => ({ kind: 'account' as const, id }));
  switch (audience) {
    case 'dispatchers':
      return accounts(await holders(trx, 'dispatcher', c.unitPath));
    case 'supervisors':
      return accounts(await holders(trx, 'supervisor', c.unitPath));
    case 'gridWorkers':
      return accounts(await holders(trx, 'grid_worker', c.unitPath));
    case 'department':
      return accounts(await departmentHandlers(trx, c.departmentId));
    case 'coDepartment':
      return accounts(await departmentHandlers(trx, n.coDepartmentId));
    case 'handler':
      return c.handlerAccountId
        ? accounts([c.handlerAccountId])
        : accounts(await departmentHandlers(trx, c.departmentId));
    case 'requester':
      return accounts([n.requesterId]);
    case 'reporters': {
      const followers = await trx
        .selectFrom('caseFollower')
        .select(['residentId', 'accountId'])
        .where('district', '=', c.district)
        .where('caseId', '=', c.id)
        .execute();
      const residents = [c.reporterResidentId, ...followers.map((f) => f.residentId)]
        .filter((id): id is string => !!id)
        .map((id) => ({ kind: 'resident' as const, id }));
      return [...residents, ...accounts([c.reporterAccountId, ...followers.map((f) => f.accountId)])];
    }
    case 'responsible':
      switch (c.state) {
        case 'reported':
        case 'registered':
          return resolve(trx, 'dispatchers', n);
        case 'dispatched':
          return resolve(trx, 'department', n);
        case 'handling':
        case 'deferred':
          return resolve(trx, 'handler', n);
        case 'handled':
          return resolve(trx, 'gridWorkers', n);
        default:
          return [];
      }
  }
}

/** The audiences of a notice; a satisfied callback that says solved tells nobody. */
export function audiencesOf(n: Notice): readonly Audience[] {
  if (n.kind === 'warning' || n.kind === 'overdue') return CLOCK_NOTICES[n.kind];
  if (n.kind === 'callback' && n.satisfaction !== 'dissatisfied' && n.solved !== false) return [];
  return CASE_NOTICES[n.kind] ?? [];
}

/**
 * Writes the notice's inbox rows in `trx` and wakes open screens (NOTIFY is delivered at commit).
 * Returns how many people were told.
 */
export async function notifyCase(trx: Trx, n: Notice): Promise<number> {
  const recipients: Recipient[] = [];
  for (const audience of audiencesOf(n)) {
    for (const r of await resolve(trx, audience, n)) {
      if (!(r.kind === 'account' && r.id === n.actorAccountId)) recipients.push(r);
    }
  }
  return writeNotifications(trx, recipients, {
    kind: n.kind,
    district: n.case.district,
    caseId: n.case.id,
    seq: n.seq ?? null,
    at: n.at,
    data: {
      number: n.case.number,
      title: n.case.title,
      state: n.case.state,
      stage: n.case.stage,
      ...(n.reason ? { reason: n.reason.slice(0, REASON_CHARS) } : {}),
      ...(n.satisfaction ? { satisfaction: n.satisfaction, solved: n.solved } : {}),
    },
  });
}

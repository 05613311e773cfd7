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
import { type Recipient, writeNotificationBatch } from './notify.js';

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
  // The sending system changed the order (12345): whoever the case waits for reads the change.
  amend: ['responsible'],
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

/** The columns of `cases` a notice needs, for an UPDATE … RETURNING (Kysely camelCases the row into a NoticeCase). */
export const NOTICE_CASE_COLUMNS = sql.raw(
  'district, id, number, title, unit_path, state, stage, department_id, handler_account_id, ' +
    'reporter_account_id, reporter_resident_id',
);

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

const ROLE_OF = { dispatchers: 'dispatcher', supervisors: 'supervisor', gridWorkers: 'grid_worker' } as const;

/** Whom a case waits for in its state (`responsible`). */
function responsibleOf(state: CaseState): Audience | undefined {
  switch (state) {
    case 'reported':
    case 'registered':
      return 'dispatchers';
    case 'dispatched':
      return 'department';
    case 'handling':
    case 'deferred':
      return 'handler';
    case 'handled':
      return 'gridWorkers';
    default:
      return undefined;
  }
}

/** The people a batch of notices may reach, read in at most three statements, whatever the batch's size. */
interface Directory {
  /** Enabled holders of the role by the unit path of their grant. */
  holders: Map<string, string[]>;
  /** Enabled handlers by department. */
  handlers: Map<string, string[]>;
  /** Followers with an account or a resident login, by case. */
  followers: Map<string, { residentId: string | null; accountId: string | null }[]>;
}

/** A unit path's ancestors and itself: `310000000000.310104000000.` → both prefixes ending in a dot. */
function prefixesOf(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) out.push(path.slice(0, i + 1));
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

async function loadDirectory(trx: Trx, notices: Notice[]): Promise<Directory> {
  const roles = new Set<Role>();
  const paths = new Set<string>();
  const departments = new Set<string>();
  const followed = new Map<string, { district: string; id: string }>();
  const need = (audience: Audience | undefined, n: Notice): void => {
    const c = n.case;
    switch (audience) {
      case 'dispatchers':
      case 'supervisors':
      case 'gridWorkers':
        roles.add(ROLE_OF[audience]);
        for (const p of prefixesOf(c.unitPath)) paths.add(p);
        return;
      case 'department':
        if (c.departmentId) departments.add(c.departmentId);
        return;
      case 'coDepartment':
        if (n.coDepartmentId) departments.add(n.coDepartmentId);
        return;
      case 'handler':
        if (!c.handlerAccountId && c.departmentId) departments.add(c.departmentId);
        return;
      case 'reporters':
        followed.set(c.id, { district: c.district, id: c.id });
        return;
      case 'responsible':
        need(responsibleOf(c.state), n);
        return;
      default:
        return;
    }
  };
  for (const n of notices) for (const audience of audiencesOf(n)) need(audience, n);
  const directory: Directory = { holders: new Map(), handlers: new Map(), followers: new Map() };
  if (roles.size > 0) {
    const { rows } = await sql<{ role: string; unitPath: string; id: string }>`
      select distinct g.role, g.unit_path, g.account_id as id from account_grant g join account a on a.id = g.account_id
      where g.role = any(${[...roles]}::text[]) and g.unit_path = any(${[...paths]}::text[]) and not a.disabled`.execute(
      trx,
    );
    for (const r of rows) push(directory.holders, `${r.role} ${r.unitPath}`, r.id);
  }
  if (departments.size > 0) {
    const { rows } = await sql<{ departmentId: string; id: string }>`
      select distinct g.department_id, g.account_id as id from account_grant g join account a on a.id = g.account_id
      where g.role = 'handler' and g.department_id = any(${[...departments]}::uuid[]) and not a.disabled`.execute(trx);
    for (const r of rows) push(directory.handlers, r.departmentId, r.id);
  }
  if (followed.size > 0) {
    const keys = [...followed.values()];
    const { rows } = await sql<{ caseId: string; residentId: string | null; accountId: string | null }>`
      select f.case_id, f.resident_id, f.account_id from case_follower f
      join unnest(${keys.map((k) => k.district)}::char(6)[], ${keys.map((k) => k.id)}::uuid[]) k(district, case_id)
        on f.district = k.district and f.case_id = k.case_id
      order by f.created_at, f.id`.execute(trx);
    for (const r of rows) push(directory.followers, r.caseId, { residentId: r.residentId, accountId: r.accountId });
  }
  return directory;
}

function resolve(dir: Directory, audience: Audience | undefined, n: Notice): Recipient[] {
  const c = n.case;
  const accounts = (ids: (string | null | undefined)[]) =>
    ids.filter((id): id is string => !!id).map((id) => ({ kind: 'account' as const, id }));
  switch (audience) {
    case 'dispatchers':
    case 'supervisors':
    case 'gridWorkers': {
      const role = ROLE_OF[audience];
      return accounts([...new Set(prefixesOf(c.unitPath).flatMap((p) => dir.holders.get(`${role} ${p}`) ?? []))]);
    }
    case 'department':
      return accounts(c.departmentId ? (dir.handlers.get(c.departmentId) ?? []) : []);
    case 'coDepartment':
      return accounts(n.coDepartmentId ? (dir.handlers.get(n.coDepartmentId) ?? []) : []);
    case 'handler':
      return c.handlerAccountId ? accounts([c.handlerAccountId]) : resolve(dir, 'department', n);
    case 'requester':
      return accounts([n.requesterId]);
    case 'reporters': {
      const followers = dir.followers.get(c.id) ?? [];
      const residents = [c.reporterResidentId, ...followers.map((f) => f.residentId)]
        .filter((id): id is string => !!id)
        .map((id) => ({ kind: 'resident' as const, id }));
      return [...residents, ...accounts([c.reporterAccountId, ...followers.map((f) => f.accountId)])];
    }
    case 'responsible':
      return resolve(dir, responsibleOf(c.state), n);
    default:
      return [];
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
export function notifyCase(trx: Trx, n: Notice): Promise<number> {
  return notifyCases(trx, [n]);
}

/** Several notices in one go (the deadline sweep's thousands): the same rows as one by one, in a few statements. */
export async function notifyCases(trx: Trx, notices: Notice[]): Promise<number> {
  if (notices.length === 0) return 0;
  const dir = await loadDirectory(trx, notices);
  return writeNotificationBatch(
    trx,
    notices.map((n) => ({
      recipients: audiencesOf(n)
        .flatMap((audience) => resolve(dir, audience, n))
        .filter((r) => !(r.kind === 'account' && r.id === n.actorAccountId)),
      props: {
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
      },
    })),
  );
}

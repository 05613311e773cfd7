/**
 * Indicators on a small history made BY RUNNING THE WORKFLOW (reportCase / transitionCase with
 * `now` placed on chosen days), every expected value computed by hand below, case by case.
 *
 * Calendar: March–April 2025, working hours 09:00–12:00 and 13:00–17:30 (450 working minutes a
 * day); 4 April 2025 (Qingming) is a holiday. Time limits of both test categories (normal urgency):
 * register 1 working hour, dispatch 1 working hour, handle 3 working days, verify 1 working day.
 *
 * Territory: subdistrict S → communities C1 (grids g0, g1) and C2 (grids g2, g3). Departments D1, D2.
 * Category A allows self-registration and on-the-spot handling; category B does not.
 *
 * The history ("wm" = working minutes; "due" = handle_due_at, the closing deadline):
 *  #1 C1/g0 A patrol. Mon 3 Mar 09:00 report; 09:30 register (30 wm, on time); 09:40 dispatch D1
 *     (due Thu 6 Mar 09:40); 10:00 acknowledge; Tue 4 Mar 10:40 handling report (510 wm, on time);
 *     15:00 verified → closed on time, first time, solved at subdistrict level.
 *  #2 C1/g1 A hotline (a caller). Wed 5 Mar 09:00 report; 10:30 register (90 wm, LATE); 10:45
 *     dispatch D1; 11:00 D1 returns it; 11:10 dispatch D2 (due Mon 10 Mar 11:10); Thu 6 Mar
 *     acknowledge; Tue 11 Mar 10:00 handling report (1730 wm, LATE); 16:00 verified → closed late,
 *     not first time (returned). Wed 12 Mar callback by the dispatcher: dissatisfied, not solved
 *     (counted with the closure of 11 Mar).
 *  #3 C2/g2 B patrol. Mon 10 Mar 09:00 report; 09:20 register (20 wm); 09:30 dispatch D1 (due Thu
 *     13 Mar 09:30); Tue 11 Mar extension of 2 working days approved (due Mon 17 Mar 09:30); Fri 14
 *     Mar 10:00 handling report (1830 wm, on time); 14:00 verification FAILS (rework; the clock
 *     restarts, the closing deadline does not move); Tue 18 Mar 10:00 second handling report (not a
 *     new "handled"); 11:00 verified → closed LATE (handled after 17 Mar 09:30), not first time.
 *  #4 C2/g3 B resident (anonymous, with a phone). Thu 27 Mar 09:00 report; 09:30 register (30 wm);
 *     09:45 dispatch D2 (due Tue 1 Apr 09:45); Fri 28 Mar 10:00 deferral approved (pause);
 *     Wed 2 Apr 09:00 resumed: 1290 wm of pause move the due time to Thu 3 Apr 17:15; Thu 3 Apr
 *     10:00 handling report (2265 wm counting the pause, on time); 14:00 verified → closed on time,
 *     first time. Mon 7 Apr callback by tracking code: satisfied, solved.
 *  #5 C1/g0 A patrol. Wed 12 Mar 10:00 report; 10:10 the grid worker handles it on the spot →
 *     closed (solved in the grid), never dispatched (no closing deadline), on time.
 *  #6 C1/g1 A patrol. Mon 31 Mar 09:00 report; 09:05 registered by the grid worker (5 wm); 09:30
 *     dispatch D1 (due Thu 3 Apr 09:30); Tue 8 Apr 10:00 handling report (2280 wm, LATE: 4 Apr is a
 *     holiday); 11:00 verified → closed late (first time at that moment). Wed 9 Apr 10:00 REOPENED
 *     by the dispatcher; 10:30 dispatched to D1 again (due Mon 14 Apr 10:30); 11:00 acknowledged,
 *     and left there: open, overdue now.
 *  #7 C2/g2 B hotline. Thu 6 Mar 09:00 report; 09:20 rejected.
 *  #8 C2/g3 B patrol. Mon 10 Mar 09:10 report; 09:25 merged into #3.
 *  #9 C1/g0 A hotline. Tue 1 Apr 09:00 report; 09:20 register (20 wm); 09:40 escalated; 10:00
 *     supervision order; Wed 2 Apr 09:00 closed by the dispatcher as not_responsible (never
 *     dispatched; the dispatch stage it stopped was overdue → not on time). No callback.
 * #10 C2/g2 B resident (anonymous). Mon 7 Apr 09:00 report; 09:30 register (30 wm); 09:40 dispatch
 *     D1; 10:00 acknowledge; 11:00 reassigned to D2 (due Thu 10 Apr 11:00); 11:30 acknowledge;
 *     Wed 9 Apr 10:00 handling report (840 wm from the reassignment, on time); 15:00 verified →
 *     closed on time, first time. Thu 10 Apr callback: basically satisfied, solved.
 * #11 C1/g1 A patrol. Mon 24 Mar 09:00 report; 09:10 register (10 wm); 09:20 dispatch D2 (due Thu
 *     27 Mar 09:20); 09:30 acknowledge; never handled: open, overdue now.
 * #12 C1/g0 A patrol, a year earlier. Mon 4 Mar 2024 09:00 report; 09:15 register (15 wm); 09:30
 *     dispatch D1 (due Thu 7 Mar 2024 09:30); Tue 5 Mar 10:00 handling report (480 wm); 14:00
 *     verified → closed on time, first time.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StaffActor } from '../accounts/actor.js';
import { loadGrants } from '../accounts/actor.js';
import { parseInstant } from '../calendar/civil.js';
import type { CaseActor } from '../cases/case.policy.js';
import { type ReportCaseProps, reportCase } from '../cases/commands/report-case.js';
import { type TransitionProps, transitionCase } from '../cases/commands/transition-case.js';
import type { Db } from '../db/database.js';
import { recordUploads } from '../media/photo.repository.js';
import {
  makeAccount,
  makeCategory,
  makeDepartment,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
  unitOf,
} from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { DUE_COUNTS, FLOW_COUNTS, RATE_CODES } from './definitions.js';
import { parsePeriod } from './period.js';
import { dueStatement, flowStatement, groupStatements } from './query.js';
import { loadSlice } from './slice.js';

let db: Db;
let app: FastifyInstance;
let t: Territory;
let catA: { id: string; code: string };
let catB: { id: string; code: string };
let d1: { id: string; code: string };
let d2: { id: string; code: string };
const actors: Record<string, StaffActor> = {};
let leader: Client;
let committee1: Client;
let handler1: Client;
let admin: Client;
const ids: Record<number, string> = {};

const at = (text: string) => {
  const instant = parseInstant(text);
  if (!instant) throw new Error(`bad instant ${text}`);
  return instant;
};

async function staff(name: string, role: Parameters<typeof makeAccount>[2], unit: string, department?: typeof d1) {
  const account = await makeAccount(
    db,
    t,
    role,
    unit,
    department ? { departmentId: department.id, departmentCode: department.code } : {},
  );
  actors[name] = {
    kind: 'staff',
    id: account.id,
    username: account.username,
    displayName: name,
    mustChangePassword: false,
    grants: await loadGrants(db, account.id),
  };
  return account;
}

const actor = (name: string) => actors[name] as StaffActor;

async function report(n: number, by: CaseActor, when: string, grid: number, props: Partial<ReportCaseProps>) {
  const [lng, lat] = t.gridCentres[grid] as [number, number];
  const reporter: ReportCaseProps['reporter'] =
    props.channel === 'hotline'
      ? { kind: 'caller', name: '王女士', phone: '13900000000' }
      : props.channel === 'resident'
        ? { kind: 'anonymous', phone: '13700000000' }
        : { kind: 'staff', accountId: (by as StaffActor).id };
  const r = await reportCase(
    { db, locator: app.locator, actor: by, now: at(when) },
    {
      channel: 'patrol',
      categoryCode: catA.code,
      urgency: 'normal',
      description: `测试案件 ${n}：路面破损`,
      lng,
      lat,
      reporter,
      ...props,
    },
  );
  ids[n] = r.id;
}

/** A photo key of an actor's (recorded as their upload: a step may only attach its actor's photos). */
const keyOf = (a: StaffActor, role: string) => createHash('sha256').update(`${a.id}:${role}`).digest('hex');
const photo = (a: StaffActor) => [{ key: keyOf(a, 'evidence'), role: 'evidence' as const }];
const why = '按规定处理完毕';

async function uploadsOf(a: StaffActor) {
  const uploader = { kind: 'staff' as const, accountId: a.id, ipHash: '0'.repeat(32) };
  const image = {
    format: 'jpeg' as const,
    width: 640,
    height: 480,
    bytes: 1000,
    hadGps: false,
    gps: null,
    filename: null,
    declaredMismatch: false,
  };
  await recordUploads(
    db,
    uploader,
    ['evidence', 'before', 'after'].map((role) => ({ ...image, key: keyOf(a, role) })),
    new Date(),
  );
}

async function step(n: number, by: CaseActor, when: string, action: TransitionProps['action'], extra: object = {}) {
  const id = ids[n] as string;
  const row = await db.selectFrom('cases').select('version').where('id', '=', id).executeTakeFirstOrThrow();
  await transitionCase(
    { db, locator: app.locator, actor: by, now: at(when) },
    { caseId: id, action, version: row.version, ...extra },
  );
}

async function history() {
  const [w1, w2, disp, sup, h1, h2] = ['w1', 'w2', 'disp', 'sup', 'h1', 'h2'].map(actor) as [
    StaffActor,
    StaffActor,
    StaffActor,
    StaffActor,
    StaffActor,
    StaffActor,
  ];
  const handle = (a: StaffActor) => ({ reason: why, photos: photo(a) });
  const verify = (a: StaffActor) => ({ photos: photo(a) });

  // #1
  await report(1, w1, '2025-03-03 09:00', 0, {});
  await step(1, disp, '2025-03-03 09:30', 'register');
  await step(1, disp, '2025-03-03 09:40', 'dispatch', { departmentId: d1.id });
  await step(1, h1, '2025-03-03 10:00', 'acknowledge');
  await step(1, h1, '2025-03-04 10:40', 'submit_handling', handle(h1));
  await step(1, w1, '2025-03-04 15:00', 'verify_pass', verify(w1));
  // #2
  await report(2, disp, '2025-03-05 09:00', 1, { channel: 'hotline' });
  await step(2, disp, '2025-03-05 10:30', 'register');
  await step(2, disp, '2025-03-05 10:45', 'dispatch', { departmentId: d1.id });
  await step(2, h1, '2025-03-05 11:00', 'return', { reason: '不属于本部门职责' });
  await step(2, disp, '2025-03-05 11:10', 'dispatch', { departmentId: d2.id });
  await step(2, h2, '2025-03-06 09:00', 'acknowledge');
  await step(2, h2, '2025-03-11 10:00', 'submit_handling', handle(h2));
  await step(2, w1, '2025-03-11 16:00', 'verify_pass', verify(w1));
  await step(2, disp, '2025-03-12 10:00', 'callback', { satisfaction: 'dissatisfied', solved: false });
  // #7, #3, #8
  await report(7, disp, '2025-03-06 09:00', 2, { channel: 'hotline', categoryCode: catB.code });
  await step(7, disp, '2025-03-06 09:20', 'reject', { rejectReason: 'out_of_remit', reason: '不属于网格管理范围' });
  await report(3, w2, '2025-03-10 09:00', 2, { categoryCode: catB.code });
  await report(8, w2, '2025-03-10 09:10', 3, { categoryCode: catB.code });
  await step(3, disp, '2025-03-10 09:20', 'register');
  await step(8, disp, '2025-03-10 09:25', 'merge', { mergedIntoId: ids[3] });
  await step(3, disp, '2025-03-10 09:30', 'dispatch', { departmentId: d1.id });
  await step(3, h1, '2025-03-10 10:00', 'acknowledge');
  await step(3, h1, '2025-03-11 09:00', 'request_extension', {
    reason: '需要协调施工队',
    amount: { amount: 2, unit: 'working_days' },
  });
  await step(3, sup, '2025-03-11 10:00', 'approve_extension');
  await step(3, h1, '2025-03-14 10:00', 'submit_handling', handle(h1));
  await step(3, w2, '2025-03-14 14:00', 'verify_fail', { ...verify(w2), reason: '现场仍有破损' });
  await step(3, h1, '2025-03-18 10:00', 'submit_handling', handle(h1));
  await step(3, w2, '2025-03-18 11:00', 'verify_pass', verify(w2));
  // #5
  await report(5, w1, '2025-03-12 10:00', 0, {});
  await step(5, w1, '2025-03-12 10:10', 'self_handle', {
    reason: '现场已清理',
    photos: [
      { key: keyOf(w1, 'before'), role: 'before' },
      { key: keyOf(w1, 'after'), role: 'after' },
    ],
  });
  // #11
  await report(11, w1, '2025-03-24 09:00', 1, {});
  await step(11, disp, '2025-03-24 09:10', 'register');
  await step(11, disp, '2025-03-24 09:20', 'dispatch', { departmentId: d2.id });
  await step(11, h2, '2025-03-24 09:30', 'acknowledge');
  // #4
  await report(4, null, '2025-03-27 09:00', 3, { channel: 'resident', categoryCode: catB.code });
  await step(4, disp, '2025-03-27 09:30', 'register');
  await step(4, disp, '2025-03-27 09:45', 'dispatch', { departmentId: d2.id });
  await step(4, h2, '2025-03-27 10:00', 'acknowledge');
  await step(4, h2, '2025-03-28 09:00', 'request_deferral', { reason: '等待业主委员会表决' });
  await step(4, sup, '2025-03-28 10:00', 'approve_deferral');
  await step(4, h2, '2025-04-02 09:00', 'resume');
  await step(4, h2, '2025-04-03 10:00', 'submit_handling', handle(h2));
  await step(4, w2, '2025-04-03 14:00', 'verify_pass', verify(w2));
  await step(4, { kind: 'tracking', id: null, caseId: ids[4] as string }, '2025-04-07 10:00', 'callback', {
    satisfaction: 'satisfied',
    solved: true,
  });
  // #6
  await report(6, w1, '2025-03-31 09:00', 1, {});
  await step(6, w1, '2025-03-31 09:05', 'self_register');
  await step(6, disp, '2025-03-31 09:30', 'dispatch', { departmentId: d1.id });
  await step(6, h1, '2025-03-31 09:40', 'acknowledge');
  await step(6, h1, '2025-04-08 10:00', 'submit_handling', handle(h1));
  await step(6, w1, '2025-04-08 11:00', 'verify_pass', verify(w1));
  await step(6, disp, '2025-04-09 10:00', 'reopen', { reason: '居民反映问题仍存在' });
  await step(6, disp, '2025-04-09 10:30', 'dispatch', { departmentId: d1.id });
  await step(6, h1, '2025-04-09 11:00', 'acknowledge');
  // #9
  await report(9, disp, '2025-04-01 09:00', 0, { channel: 'hotline' });
  await step(9, disp, '2025-04-01 09:20', 'register');
  await step(9, disp, '2025-04-01 09:40', 'escalate', { reason: '涉及区级规划' });
  await step(9, sup, '2025-04-01 10:00', 'supervise', { reason: '请尽快研究' });
  await step(9, disp, '2025-04-02 09:00', 'close', { closeReason: 'not_responsible', reason: '属市级管理事项' });
  // #10
  await report(10, null, '2025-04-07 09:00', 2, { channel: 'resident', categoryCode: catB.code });
  await step(10, disp, '2025-04-07 09:30', 'register');
  await step(10, disp, '2025-04-07 09:40', 'dispatch', { departmentId: d1.id });
  await step(10, h1, '2025-04-07 10:00', 'acknowledge');
  await step(10, disp, '2025-04-07 11:00', 'reassign', { departmentId: d2.id, reason: '应由房管部门处理' });
  await step(10, h2, '2025-04-07 11:30', 'acknowledge');
  await step(10, h2, '2025-04-09 10:00', 'submit_handling', handle(h2));
  await step(10, w2, '2025-04-09 15:00', 'verify_pass', verify(w2));
  await step(10, { kind: 'tracking', id: null, caseId: ids[10] as string }, '2025-04-10 09:00', 'callback', {
    satisfaction: 'basically_satisfied',
    solved: true,
  });
  // #12, a year earlier
  await report(12, w1, '2024-03-04 09:00', 0, {});
  await step(12, disp, '2024-03-04 09:15', 'register');
  await step(12, disp, '2024-03-04 09:30', 'dispatch', { departmentId: d1.id });
  await step(12, h1, '2024-03-04 09:40', 'acknowledge');
  await step(12, h1, '2024-03-05 10:00', 'submit_handling', handle(h1));
  await step(12, w1, '2024-03-05 14:00', 'verify_pass', verify(w1));
}

const ZERO = Object.fromEntries([...FLOW_COUNTS, ...DUE_COUNTS].map((c) => [c, 0]));

/** March 2025, subdistrict S: every count, explained. */
const MARCH: Record<string, number> = {
  ...ZERO,
  reported: 9, // #1 #2 #3 #4 #5 #6 #7 #8 #11 (#9, #10 are April's)
  registered: 6, // #1 #2 #3 #4 #11 by a dispatcher, #6 by the grid worker (#5 on the spot, #7 rejected, #8 merged)
  registeredOnTime: 5, // all but #2 (registered 90 wm after the report, limit 60)
  rejected: 1, // #7
  dispatched: 7, // #1, #2 twice (D1, then D2 after the return), #3, #4, #6 (31 Mar), #11
  returned: 1, // #2 by D1
  handled: 3, // first handling reports: #1, #2, #3 (14 Mar; #3's report of 18 Mar follows a rework)
  handledOnTime: 2, // #1, #3 (within the extended deadline)
  handledOverdue: 1, // #2
  selfHandled: 1, // #5
  verified: 4, // #1 pass, #2 pass, #3 fail and pass
  reworked: 1, // #3
  closed: 4, // #1 (4 Mar), #2 (11 Mar), #3 (18 Mar), #5 (12 Mar)
  closedSolved: 4, // all four solved
  closedOnTime: 2, // #1, #5 (#2 handled late; #3's accepted report came after its deadline)
  closedFirstTime: 2, // #1, #5 (#2 returned, #3 reworked)
  extended: 1, // #3
  deferred: 1, // #4 (28 Mar)
  merged: 1, // #8
  callbackDue: 1, // closures of cases reported by the public: #2 (a caller); the others are patrol reports
  callbackResponded: 1, // #2's callback (12 Mar, counted with the closure of 11 Mar)
  callbacks: 1, // #2
  callbackDissatisfied: 1, // #2
  solvedGrid: 1, // #5
  solvedSubdistrict: 3, // #1 #2 #3 (by departments)
  registrationWorkingMinutes: 185, // 30 + 90 + 20 + 30 + 5 (#6) + 10 (#11)
  handlingWorkingMinutes: 4070, // 510 (#1) + 1730 (#2) + 1830 (#3)
  dueForClosure: 4, // handle deadlines in March: #1 (6 Mar), #2 (10 Mar), #3 (17 Mar), #11 (27 Mar)
  dueClosed: 3, // #1 #2 #3 closed by 31 Mar; #11 open
  dueClosedOnTime: 1, // #1
};

/** April 2025, subdistrict S. */
const APRIL: Record<string, number> = {
  ...ZERO,
  reported: 2, // #9 #10
  registered: 2, // #9 #10 (#6's reopening is not a registration)
  registeredOnTime: 2,
  dispatched: 3, // #6 again (9 Apr), #10 to D1 and reassigned to D2
  handled: 3, // #4 (3 Apr), #6 (8 Apr), #10 (9 Apr)
  handledOnTime: 2, // #4 (due moved by the pause), #10
  handledOverdue: 1, // #6 (due 3 Apr)
  verified: 3, // #4 #6 #10
  closed: 4, // #4 (3 Apr), #9 (2 Apr), #6 (8 Apr), #10 (9 Apr)
  closedSolved: 3, // #4 #6 #10 (#9 not_responsible)
  closedOnTime: 2, // #4 #10 (#6 late, #9's stopped dispatch stage was late)
  closedFirstTime: 4, // none of them had been returned, reworked or reopened when it closed
  escalated: 1, // #9
  reopened: 1, // #6
  supervised: 1, // #9
  callbackDue: 3, // public reporters: #4 (anonymous), #9 (caller), #10 (anonymous)
  callbackResponded: 2, // #4 #10
  callbacks: 2, // #4 #10
  callbackSatisfied: 1, // #4
  callbackBasicallySatisfied: 1, // #10
  callbackSolved: 2, // #4 #10
  solvedSubdistrict: 3, // #4 #6 #10
  registrationWorkingMinutes: 50, // 20 (#9) + 30 (#10)
  handlingWorkingMinutes: 5385, // 2265 (#4, the pause counted) + 2280 (#6) + 840 (#10)
  dueForClosure: 3, // #4 (3 Apr 17:15), #10 (10 Apr 11:00), #6 (14 Apr 10:30, its second dispatch)
  dueClosed: 2, // #4 #10 (#6 reopened, open)
  dueClosedOnTime: 2, // #4 #10
};

/** March 2024: #12 alone. */
const MARCH_2024 = {
  ...ZERO,
  reported: 1,
  registered: 1,
  registeredOnTime: 1,
  dispatched: 1,
  handled: 1,
  handledOnTime: 1,
  verified: 1,
  closed: 1,
  closedSolved: 1,
  closedOnTime: 1,
  closedFirstTime: 1,
  solvedSubdistrict: 1,
  registrationWorkingMinutes: 15,
  handlingWorkingMinutes: 480, // Mon 09:30–17:30 = 420, Tue 09:00–10:00 = 60
  dueForClosure: 1,
  dueClosed: 1,
  dueClosedOnTime: 1,
};

/** Rates of March 2025 (four decimals). */
const MARCH_RATES = {
  closureRate: 0.75, // 3 / 4
  onTimeClosureRate: 0.25, // 1 / 4
  handlingRate: 0.4286, // 3 / 7
  onTimeHandlingRate: 0.2857, // 2 / 7
  reworkRate: 0.3333, // 1 / 3
  extensionRate: 0.1429, // 1 / 7
  accurateDispatchRate: 0.8571, // (7 − 1) / 7
  onTimeRegistrationRate: 0.8333, // 5 / 6
  firstTimeCompletionRate: 0.5, // 2 / 4
  responseRate: 1, // 1 / 1
  resolutionRate: 0, // 0 / 1
  satisfactionRate: 0, // (0 + 0) / 1
};

/** Rates of April 2025. */
const APRIL_RATES = {
  closureRate: 0.6667, // 2 / 3
  onTimeClosureRate: 0.6667, // 2 / 3
  handlingRate: 1, // 3 / 3 (#4 was dispatched in March, #6's second dispatch is not handled yet)
  onTimeHandlingRate: 0.6667, // 2 / 3
  reworkRate: 0, // 0 / 3
  extensionRate: 0, // 0 / 3
  accurateDispatchRate: 1, // (3 − 0) / 3
  onTimeRegistrationRate: 1, // 2 / 2
  firstTimeCompletionRate: 1, // 4 / 4
  responseRate: 0.6667, // 2 / 3 (#9's caller not called back)
  resolutionRate: 1, // 2 / 2
  satisfactionRate: 1, // (1 + 1) / 2
};

/** Rates of March 2024 (no callbacks due: the three rates have no denominator). */
const MARCH_2024_RATES = {
  closureRate: 1,
  onTimeClosureRate: 1,
  handlingRate: 1,
  onTimeHandlingRate: 1,
  reworkRate: 0,
  extensionRate: 0,
  accurateDispatchRate: 1,
  onTimeRegistrationRate: 1,
  firstTimeCompletionRate: 1,
  responseRate: null,
  resolutionRate: null,
  satisfactionRate: null,
};

interface Compared {
  value: number | null;
  previous: number | null;
  lastYear: number | null;
  vsPrevious: number | null;
  vsLastYear: number | null;
  numerator?: number;
  denominator?: number;
}
interface PanelBody {
  scope: { unit: { code: string }; department: { id: string } | null };
  period: { kind: string; from: string; to: string; previous: { from: string; to: string }; lastYear: object };
  counts: Record<string, Compared>;
  rates: Record<string, Compared>;
  averages: Record<string, Compared>;
}

const pick = (record: Record<string, Compared>, field: keyof Compared) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v[field]]));

async function getPanel(client: Client, query: string): Promise<PanelBody> {
  const res = await client.request('GET', `/api/indicators?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as PanelBody;
}

const unitId = (code: string) => unitOf(t, code).id;

interface TrendBody {
  kind: string;
  items: {
    from: string;
    to: string;
    counts: Record<string, number>;
    rates: Record<string, number | null>;
    score: number | null;
  }[];
}

interface BreakdownBody {
  items: {
    key: string;
    unit: { code: string } | null;
    category: { code: string; name: { zh: string } } | null;
    channel: string | null;
    counts: Record<string, number>;
    rates: Record<string, number | null>;
  }[];
}

describe('indicators', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    catA = await makeCategory(db, { selfRegister: true, selfHandle: true });
    catB = await makeCategory(db);
    for (const category of [catA, catB]) {
      for (const [stage, amount, unit] of [
        ['register', 1, 'working_hours'],
        ['dispatch', 1, 'working_hours'],
        ['handle', 3, 'working_days'],
        ['verify', 1, 'working_days'],
      ] as const) {
        await db
          .insertInto('timeLimit')
          .values({ id: uuidv7(), categoryId: category.id, urgency: 'normal', stage, amount, unit })
          .execute();
      }
    }
    d1 = await makeDepartment(db, t);
    d2 = await makeDepartment(db, t);
    await staff('w1', 'grid_worker', t.communities[0]);
    await staff('w2', 'grid_worker', t.communities[1]);
    await staff('disp', 'dispatcher', t.subdistrict);
    await staff('sup', 'supervisor', t.subdistrict);
    await staff('h1', 'handler', t.subdistrict, d1);
    await staff('h2', 'handler', t.subdistrict, d2);
    for (const name of ['w1', 'w2', 'h1', 'h2']) await uploadsOf(actor(name));
    const sign = async (role: Parameters<typeof makeAccount>[2], unit: string, department?: typeof d1) =>
      signIn(app, (await staff(`${role}-${unit}`, role, unit, department)).username, TEST_PASSWORD);
    leader = await sign('leader', t.subdistrict);
    committee1 = await sign('dispatcher', t.communities[0]);
    handler1 = await sign('handler', t.subdistrict, d1);
    admin = await sign('admin', t.district);
    await history();
  }, 120_000);

  it('counts March 2025 exactly as computed by hand, with 同比 against March 2024 and 环比 against an empty February', async () => {
    const body = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&period=month&date=2025-03-15`);
    expect(body.period).toMatchObject({
      kind: 'month',
      from: '2025-03-01',
      to: '2025-03-31',
      previous: { from: '2025-02-01', to: '2025-02-28' },
      lastYear: { from: '2024-03-01', to: '2024-03-31' },
    });
    // overdueUnhandled is a snapshot of now: #6 (due 14 Apr 2025) and #11 (due 27 Mar 2025).
    expect(pick(body.counts, 'value')).toEqual({ ...MARCH, overdueUnhandled: 2 });
    expect(pick(body.counts, 'lastYear')).toEqual({ ...MARCH_2024, overdueUnhandled: null });
    expect(pick(body.counts, 'previous')).toEqual({ ...ZERO, overdueUnhandled: null });
    expect(pick(body.rates, 'value')).toEqual(MARCH_RATES);
    expect(pick(body.rates, 'lastYear')).toEqual(MARCH_2024_RATES);
    expect(Object.values(pick(body.rates, 'previous')).every((v) => v === null)).toBe(true);
    expect(body.rates.handlingRate).toMatchObject({ numerator: 3, denominator: 7 });
    expect(body.rates.satisfactionRate).toMatchObject({ numerator: 0, denominator: 1 });
    // 185 / 6 / 60 = 0.514 h; 4070 / 3 / 60 = 22.611 h. A year earlier: 15 / 60, 480 / 60.
    expect(pick(body.averages, 'value')).toEqual({ avgRegistrationHours: 0.51, avgHandlingHours: 22.61 });
    expect(pick(body.averages, 'lastYear')).toEqual({ avgRegistrationHours: 0.25, avgHandlingHours: 8 });
    // 同比: counts and averages change relatively, rates by their difference; no 环比 from zero.
    expect(body.counts.reported).toMatchObject({ vsLastYear: 8, vsPrevious: null }); // (9 − 1) / 1
    expect(body.rates.closureRate).toMatchObject({ vsLastYear: -0.25, vsPrevious: null }); // 0.75 − 1
    expect(body.averages.avgHandlingHours?.vsLastYear).toBe(1.8264); // (22.6111 − 8) / 8
  });

  it('counts April 2025, with 环比 against March', async () => {
    const body = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&period=month&date=2025-04-01`);
    expect(pick(body.counts, 'value')).toEqual({ ...APRIL, overdueUnhandled: 2 });
    expect(pick(body.counts, 'previous')).toEqual({ ...MARCH, overdueUnhandled: null });
    expect(pick(body.rates, 'value')).toEqual(APRIL_RATES);
    expect(pick(body.rates, 'previous')).toEqual(MARCH_RATES);
    // 50 / 2 / 60 = 0.417 h; 5385 / 3 / 60 = 29.917 h.
    expect(pick(body.averages, 'value')).toEqual({ avgRegistrationHours: 0.42, avgHandlingHours: 29.92 });
    expect(body.counts.reported).toMatchObject({ vsPrevious: -0.7778, vsLastYear: null }); // (2 − 9) / 9
    expect(body.rates.closureRate).toMatchObject({ vsPrevious: -0.0833 }); // 2/3 − 3/4
  });

  it('adds up over a quarter and a custom run of days, and counts a single day', async () => {
    const quarter = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&period=quarter&date=2025-05-20`);
    expect(quarter.period).toMatchObject({ from: '2025-04-01', to: '2025-06-30' });
    expect(quarter.counts.dispatched?.previous).toBe(7); // Q1 = March alone
    const custom = await getPanel(
      leader,
      `unitId=${unitId(t.subdistrict)}&period=custom&from=2025-03-01&to=2025-04-30`,
    );
    for (const code of [...FLOW_COUNTS, ...DUE_COUNTS])
      expect(custom.counts[code]?.value, code).toBe((MARCH[code] ?? NaN) + (APRIL[code] ?? NaN));
    expect(custom.period.previous).toEqual({ from: '2024-12-30', to: '2025-02-28' }); // the 61 days before
    // 11 March: #2's handling report (late) and its closure; its callback (12 Mar) counts with it.
    const day = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&period=day&date=2025-03-11`);
    expect(pick(day.counts, 'value')).toMatchObject({
      handled: 1,
      handledOverdue: 1,
      verified: 1,
      closed: 1,
      callbacks: 1,
      callbackDissatisfied: 1,
      dueForClosure: 0,
    });
    expect(day.period.previous).toEqual({ from: '2025-03-10', to: '2025-03-10' });
  });

  it('answers an empty period with zeros and null rates, never NaN', async () => {
    const body = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&period=month&date=2025-06-10`);
    expect(pick(body.counts, 'value')).toEqual({ ...ZERO, overdueUnhandled: 2 });
    expect(pick(body.rates, 'value')).toEqual(Object.fromEntries(RATE_CODES.map((c) => [c, null])));
    expect(pick(body.averages, 'value')).toEqual({ avgRegistrationHours: null, avgHandlingHours: null });
    expect(body.rates.closureRate).toMatchObject({ numerator: 0, denominator: 0, vsPrevious: null });
    expect(JSON.stringify(body)).not.toMatch(/NaN|Infinity/);
  });

  it('slices by community, department, category and channel', async () => {
    // C1 holds #1 #2 #5 #6 #11 (and #9 in April).
    const c1 = await getPanel(committee1, 'period=month&date=2025-03-01');
    expect(c1.scope.unit.code).toBe(t.communities[0]);
    expect(pick(c1.counts, 'value')).toMatchObject({
      reported: 5,
      dispatched: 5, // #1, #2 ×2, #6, #11
      dueForClosure: 3, // #1 #2 #11
      dueClosed: 2,
      dueClosedOnTime: 1,
      overdueUnhandled: 2,
    });
    // D1 in March: dispatches #1 #2 #3 #6, the return of #2, handled #1 #3.
    const dept = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&departmentId=${d1.id}&date=2025-03-01`);
    expect(pick(dept.counts, 'value')).toMatchObject({ reported: 0, dispatched: 4, returned: 1, handled: 2 });
    expect(dept.rates.accurateDispatchRate?.value).toBe(0.75);
    // Category B (its major code): #3 #4 #7 #8 reported in March.
    const b = await getPanel(
      leader,
      `unitId=${unitId(t.subdistrict)}&category=${catB.code.slice(0, 2)}&date=2025-03-01`,
    );
    expect(b.counts.reported?.value).toBe(4);
    const hotline = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&channel=hotline&date=2025-03-01`);
    expect(pick(hotline.counts, 'value')).toMatchObject({ reported: 2, rejected: 1, callbackDue: 1, callbacks: 1 });
  });

  it('keeps staff to their scope: a committee dispatcher cannot see another committee, a handler only their department', async () => {
    const other = await committee1.request('GET', `/api/indicators?unitId=${unitId(t.communities[1])}&date=2025-03-01`);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('NOT_FOUND');
    const up = await committee1.request('GET', `/api/indicators?unitId=${unitId(t.subdistrict)}&date=2025-03-01`);
    expect(up.statusCode).toBe(404);
    const denied = await db
      .selectFrom('auditLog')
      .select('action')
      .where('subjectId', '=', unitId(t.communities[1]))
      .execute();
    expect(denied.map((r) => r.action)).toContain('access.denied');

    const own = await getPanel(handler1, `unitId=${unitId(t.subdistrict)}&date=2025-03-01`);
    expect(own.scope.department?.id).toBe(d1.id);
    expect(own.counts.dispatched?.value).toBe(4);
    const foreign = await handler1.request(
      'GET',
      `/api/indicators?unitId=${unitId(t.subdistrict)}&departmentId=${d2.id}&date=2025-03-01`,
    );
    expect(foreign.statusCode).toBe(404);
    const rank = await handler1.request(
      'GET',
      `/api/indicators/ranking?unitId=${unitId(t.subdistrict)}&date=2025-03-01`,
    );
    expect(rank.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/indicators' })).statusCode).toBe(401);
    // Authentication comes before validation: a stranger learns nothing from a bad period either.
    const stranger = await app.inject({ method: 'GET', url: '/api/indicators?period=month&date=2025-02-30' });
    expect(stranger.statusCode).toBe(401);
  });

  it('refuses bad periods, unknown filters and unknown indicators with coded errors', async () => {
    const base = `/api/indicators?unitId=${unitId(t.subdistrict)}`;
    const cases: [string, number, string, string?][] = [
      [`${base}&period=month&date=2025-02-30`, 422, 'INDICATOR_PERIOD_INVALID', 'query.date'],
      [`${base}&period=custom&from=2025-04-10&to=2025-04-01`, 422, 'INDICATOR_PERIOD_INVALID', 'query.to'],
      [`${base}&period=custom&to=2025-04-01`, 422, 'INDICATOR_PERIOD_INVALID', 'query.from'],
      [`${base}&period=custom&from=2020-01-01&to=2025-01-01`, 422, 'INDICATOR_PERIOD_INVALID', 'query.to'],
      [`${base}&period=day&date=1999-12-31`, 422, 'INDICATOR_PERIOD_INVALID', 'query.date'],
      [`${base}&period=fortnight`, 400, 'VALIDATION_FAILED'],
      [`${base}&departmentId=${uuidv7()}`, 422, 'INDICATOR_FILTER_UNKNOWN', 'query.departmentId'],
      [`${base}&category=99`, 422, 'INDICATOR_FILTER_UNKNOWN', 'query.category'],
      [`${base}&category=9x`, 400, 'VALIDATION_FAILED'],
      [`/api/indicators?unitId=${uuidv7()}`, 404, 'NOT_FOUND'],
      [`/api/indicators/ranking?unitId=${unitId(t.subdistrict)}&by=happiness`, 422, 'INDICATOR_UNKNOWN', 'query.by'],
    ];
    for (const [url, status, code, field] of cases) {
      const res = await leader.request('GET', url);
      expect(res.statusCode, url).toBe(status);
      const error = res.json().error;
      expect(error.code, url).toBe(code);
      expect(error.messages['zh-CN']).toBeTruthy();
      if (field)
        expect(
          error.fields.map((f: { path: string }) => f.path),
          url,
        ).toContain(field);
    }
  });

  it('draws the trend month by month from the same counts as the panel, and a year at a time', async () => {
    const res = await leader.request(
      'GET',
      `/api/indicators/trend?unitId=${unitId(t.subdistrict)}&period=month&date=2025-04-10&count=3`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as TrendBody;
    expect(body.kind).toBe('month');
    expect(body.items.map((p) => [p.from, p.to])).toEqual([
      ['2025-02-01', '2025-02-28'],
      ['2025-03-01', '2025-03-31'],
      ['2025-04-01', '2025-04-30'],
    ]);
    expect(body.items.map((p) => p.counts)).toEqual([ZERO, MARCH, APRIL]);
    expect(body.items[1]?.rates).toEqual(MARCH_RATES);
    expect(body.items[2]?.rates).toEqual(APRIL_RATES);
    expect(body.items[0]?.score).toBeNull(); // no rate has a denominator in an empty February
    // Years: 2024 holds #12 alone; 2025 is March and April.
    const years = (
      await leader.request(
        'GET',
        `/api/indicators/trend?unitId=${unitId(t.subdistrict)}&period=year&date=2025-01-01&count=2`,
      )
    ).json() as TrendBody;
    expect(years.items.map((p) => p.from)).toEqual(['2024-01-01', '2025-01-01']);
    expect(years.items[0]?.counts).toEqual(MARCH_2024);
    for (const code of [...FLOW_COUNTS, ...DUE_COUNTS])
      expect(years.items[1]?.counts[code], code).toBe((MARCH[code] ?? NaN) + (APRIL[code] ?? NaN));
  });

  it('breaks March down by grid, category, major and channel, the parts adding up to the panel', async () => {
    const get = async (by: string) => {
      const res = await leader.request(
        'GET',
        `/api/indicators/breakdown?unitId=${unitId(t.subdistrict)}&period=month&date=2025-03-01&by=${by}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as BreakdownBody;
    };
    const sumOf = (body: BreakdownBody) =>
      Object.fromEntries(
        [...FLOW_COUNTS, ...DUE_COUNTS].map((c) => [c, body.items.reduce((s, i) => s + (i.counts[c] ?? 0), 0)]),
      );
    // Reported per grid: g0 #1 #5; g1 #2 #6 #11; g2 #3 #7; g3 #4 #8. Most reported first.
    const places = await get('places');
    expect(places.items.map((i) => [i.unit?.code, i.counts.reported])).toEqual([
      [t.grids[1], 3],
      [t.grids[0], 2],
      [t.grids[2], 2],
      [t.grids[3], 2],
    ]);
    expect(places.items[0]?.key).toBe(unitId(t.grids[1]));
    // g1's closures: #2 only (closed 11 Mar, late; #6 closed in April) → closure cohort #2, #11.
    expect(places.items[0]?.counts).toMatchObject({ closed: 1, dueForClosure: 2, dueClosed: 1, dueClosedOnTime: 0 });
    expect(places.items[0]?.rates.onTimeClosureRate).toBe(0);
    expect(sumOf(places)).toEqual(MARCH);
    // Category A: #1 #2 #5 #6 #11; B: #3 #4 #7 #8.
    const categories = await get('categories');
    expect(categories.items.map((i) => [i.key, i.counts.reported])).toEqual([
      [catA.code, 5],
      [catB.code, 4],
    ]);
    expect(categories.items[0]?.category?.name.zh).toBeTruthy();
    expect(sumOf(categories)).toEqual(MARCH);
    const majors = await get('majors');
    expect(majors.items.map((i) => i.key).sort()).toEqual(
      [...new Set([catA.code, catB.code].map((c) => c.slice(0, 2)))].sort(),
    );
    expect(sumOf(majors)).toEqual(MARCH);
    // Channels: hotline #2 #7; resident #4; patrol the other six.
    const channels = await get('channels');
    expect(channels.items.map((i) => [i.channel, i.counts.reported])).toEqual([
      ['patrol', 6],
      ['hotline', 2],
      ['resident', 1],
    ]);
    expect(sumOf(channels)).toEqual(MARCH);
  });

  it('keeps the trend and the breakdown to the reader’s scope and refuses bad queries with coded errors', async () => {
    const other = await committee1.request(
      'GET',
      `/api/indicators/breakdown?unitId=${unitId(t.communities[1])}&by=places&date=2025-03-01`,
    );
    expect(other.statusCode).toBe(404);
    // A committee's own breakdown holds only its grids.
    const own = (
      await committee1.request('GET', '/api/indicators/breakdown?by=places&date=2025-03-01')
    ).json() as BreakdownBody;
    expect(own.items.map((i) => i.unit?.code).sort()).toEqual([t.grids[0], t.grids[1]].sort());
    const base = `unitId=${unitId(t.subdistrict)}`;
    for (const [url, status, code] of [
      [`/api/indicators/trend?${base}&count=0`, 400, 'VALIDATION_FAILED'],
      [`/api/indicators/trend?${base}&count=37`, 400, 'VALIDATION_FAILED'],
      [`/api/indicators/trend?${base}&period=custom&from=2025-03-01&to=2025-03-31`, 400, 'VALIDATION_FAILED'],
      [`/api/indicators/trend?${base}&date=2025-13-01`, 422, 'INDICATOR_PERIOD_INVALID'],
      [`/api/indicators/breakdown?${base}`, 400, 'VALIDATION_FAILED'],
      [`/api/indicators/breakdown?${base}&by=streets`, 400, 'VALIDATION_FAILED'],
      [`/api/indicators/breakdown?${base}&by=places&period=custom&from=2025-03-10`, 422, 'INDICATOR_PERIOD_INVALID'],
    ] as const) {
      const res = await leader.request('GET', url);
      expect(res.statusCode, url).toBe(status);
      expect(res.json().error.code, url).toBe(code);
    }
  });

  it('counts March by post: each grid worker, dispatcher and handler, by the steps they took', async () => {
    const posts = async (post: string) => {
      const res = await leader.request(
        'GET',
        `/api/indicators/posts?unitId=${unitId(t.subdistrict)}&period=month&date=2025-03-01&post=${post}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as {
        items: { account: { id: string }; figures: Record<string, number>; rates: Record<string, number | null> }[];
      };
      return new Map(body.items.map((i) => [i.account.id, i]));
    };
    const workers = await posts('grid_worker');
    expect([...workers.keys()]).toEqual([actor('w1').id, actor('w2').id]); // most reports first
    // w1: reports #1 #5 #11 #6, all valid (registered, on the spot, registered, self-registered); handled #5 on
    // the spot; verified #1 and #2, each the same afternoon (on time).
    expect(workers.get(actor('w1').id)).toMatchObject({
      figures: { reports: 4, validReports: 4, selfHandled: 1, verifications: 2, verificationsOnTime: 2 },
      rates: { validReportRate: 1, onTimeVerificationRate: 1 },
    });
    // w2: reports #3 and #8 (#8 merged into #3: not valid); verified #3 twice (failed, then passed), on time.
    expect(workers.get(actor('w2').id)).toMatchObject({
      figures: { reports: 2, validReports: 1, selfHandled: 0, verifications: 2, verificationsOnTime: 2 },
      rates: { validReportRate: 0.5, onTimeVerificationRate: 1 },
    });
    // Dispatchers: disp registered #1 #2 #3 #4 #11 (#2 late), rejected #7, dispatched #1, #2 twice, #3, #4, #6,
    // #11. w1's self-registration of #6 is a grid worker's step, not a dispatcher's. The committee's dispatcher
    // is listed with nothing done.
    const dispatchers = await posts('dispatcher');
    expect(dispatchers.get(actor('disp').id)).toMatchObject({
      figures: { registered: 5, registeredOnTime: 4, rejected: 1, dispatched: 7, closed: 0 },
      rates: { onTimeRegistrationRate: 0.8 },
    });
    expect(dispatchers.has(actor('w1').id)).toBe(false);
    expect([...dispatchers.values()].filter((d) => d.figures.registered === 0)).toHaveLength(1);
    // Handlers: h1 acknowledged #1 #3 #6, returned #2, reported handling of #1 and of #3 twice (the rework
    // restarts the stage's clock: all within their limits); h2 acknowledged #2 #11 #4, handled #2 late.
    const handlers = await posts('handler');
    expect(handlers.get(actor('h1').id)).toMatchObject({
      figures: { acknowledged: 3, returned: 1, handled: 3, handledOnTime: 3 },
      rates: { onTimeHandlingRate: 1 },
    });
    expect(handlers.get(actor('h2').id)).toMatchObject({
      figures: { acknowledged: 3, returned: 0, handled: 1, handledOnTime: 0 },
      rates: { onTimeHandlingRate: 0 },
    });
    // A committee sees its own grid worker only; posts are rankings: a handler may not read them.
    const c1 = await committee1.request('GET', '/api/indicators/posts?post=grid_worker&date=2025-03-01');
    expect((c1.json().items as { account: { id: string } }[]).map((i) => i.account.id)).toEqual([actor('w1').id]);
    expect(
      (await handler1.request('GET', `/api/indicators/posts?unitId=${unitId(t.subdistrict)}&post=handler`)).statusCode,
    ).toBe(404);
    expect((await leader.request('GET', '/api/indicators/posts?post=leader')).statusCode).toBe(400);
    const definitions = (await leader.request('GET', '/api/indicators/definitions')).json();
    expect(definitions.posts.grid_worker.rates.map((r: { code: string }) => r.code)).toEqual([
      'validReportRate',
      'onTimeVerificationRate',
    ]);
  });

  it('ranks the communities and the departments by the weighted score (30/35/35)', async () => {
    const units = await leader.request(
      'GET',
      `/api/indicators/ranking?unitId=${unitId(t.subdistrict)}&period=month&date=2025-03-01`,
    );
    expect(units.statusCode, units.body).toBe(200);
    // C2: due 1 (#3), closed 1, on time 0, no callbacks → (30 × 1 + 35 × 0) / 65 = 46.15.
    // C1: due 3 (#1 #2 #11), closed 2, on time 1, satisfaction 0/1 → 30 × 2/3 + 35 × 1/3 + 35 × 0 = 31.67.
    expect(
      units
        .json()
        .items.map((i: { unit: { code: string }; rank: number; score: number }) => [i.unit.code, i.rank, i.score]),
    ).toEqual([
      [t.communities[1], 1, 46.15],
      [t.communities[0], 2, 31.67],
    ]);
    expect(units.json().weights).toEqual({ closureRate: 30, onTimeClosureRate: 35, satisfactionRate: 35 });

    const byRate = await leader.request(
      'GET',
      `/api/indicators/ranking?unitId=${unitId(t.subdistrict)}&date=2025-03-01&by=closureRate`,
    );
    expect(byRate.json().items.map((i: { value: number }) => i.value)).toEqual([1, 0.6667]);

    // D1: due #1 #3, both closed, #1 on time, no callbacks → (30 × 1 + 35 × 0.5) / 65 = 73.08.
    // D2: due #2 #11, #2 closed late and rated dissatisfied → 30 × 0.5 = 15.
    const depts = await leader.request(
      'GET',
      `/api/indicators/ranking?unitId=${unitId(t.subdistrict)}&group=departments&date=2025-03-01`,
    );
    expect(depts.statusCode, depts.body).toBe(200);
    expect(
      depts
        .json()
        .items.map((i: { department: { id: string }; rank: number; score: number }) => [
          i.department.id,
          i.rank,
          i.score,
        ]),
    ).toEqual([
      [d1.id, 1, 73.08],
      [d2.id, 2, 15],
    ]);
    // A committee dispatcher may rank their grids, not their neighbours.
    const grids = await committee1.request('GET', '/api/indicators/ranking?date=2025-03-01');
    expect(grids.json().items.map((i: { unit: { code: string } }) => i.unit.code)).toEqual([t.grids[0], t.grids[1]]);
  });

  it('lets deferred cases leave the denominators when the setting says so', async () => {
    expect(
      (
        await leader.request('PUT', '/api/settings/indicators', {
          deferredLeaveDenominators: true,
          scoreWeights: { closureRate: 1 },
        })
      ).statusCode,
    ).toBe(403);
    const bad = await admin.request('PUT', '/api/settings/indicators', {
      deferredLeaveDenominators: true,
      scoreWeights: { closureRate: 0 },
    });
    expect(bad.statusCode).toBe(400);
    const set = await admin.request('PUT', '/api/settings/indicators', {
      deferredLeaveDenominators: true,
      scoreWeights: { closureRate: 30, onTimeClosureRate: 35, satisfactionRate: 35 },
    });
    expect(set.statusCode, set.body).toBe(200);
    try {
      const march = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&date=2025-03-01`);
      // Dispatch-based rates: 7 dispatches − 1 deferral (#4) = 6.
      expect(march.rates.handlingRate).toMatchObject({ value: 0.5, numerator: 3, denominator: 6 });
      expect(march.rates.onTimeHandlingRate).toMatchObject({ value: 0.3333, denominator: 6 });
      expect(march.rates.extensionRate).toMatchObject({ value: 0.1667, denominator: 6 });
      expect(march.rates.accurateDispatchRate?.value).toBe(0.8571); // not dispatch-accuracy's business
      expect(march.counts.dispatched?.value).toBe(7); // the counts themselves stay
      // April's closure cohort loses #4 (ever deferred): due #6 #10, closed #10 on time.
      const april = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&date=2025-04-01`);
      expect(pick(april.counts, 'value')).toMatchObject({ dueForClosure: 2, dueClosed: 1, dueClosedOnTime: 1 });
      expect(april.rates.closureRate?.value).toBe(0.5);
      expect(april.rates.onTimeClosureRate?.value).toBe(0.5);
      const audit = await db
        .selectFrom('auditLog')
        .select(['action', 'data'])
        .where('action', '=', 'settings.changed')
        .execute();
      expect(audit.some((a) => (a.data as { area?: string }).area === 'indicators')).toBe(true);
    } finally {
      await admin.request('PUT', '/api/settings/indicators', {
        deferredLeaveDenominators: false,
        scoreWeights: { closureRate: 30, onTimeClosureRate: 35, satisfactionRate: 35 },
      });
    }
    const back = await getPanel(leader, `unitId=${unitId(t.subdistrict)}&date=2025-04-01`);
    expect(back.counts.dueForClosure?.value).toBe(3);
  });

  it('publishes every definition with its formula', async () => {
    const res = await leader.request('GET', '/api/indicators/definitions');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.rates.map((r: { code: string }) => r.code)).toEqual([...RATE_CODES]);
    expect(body.rates.find((r: { code: string }) => r.code === 'accurateDispatchRate')).toMatchObject({
      zh: '准确派遣率',
      numerator: { plus: ['dispatched'], minus: ['returned'] },
      denominator: { plus: ['dispatched'], minus: [] },
    });
    expect(body.counts.map((c: { code: string }) => c.code)).toContain('dueForClosure');
    expect(body.settings.deferredLeaveDenominators).toBe(false);
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const path of ['/api/indicators', '/api/indicators/ranking', '/api/indicators/definitions']) {
      expect(doc.paths[path]?.get?.tags, path).toEqual(['indicators']);
      expect(doc.paths[path]?.get?.summary, path).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(doc.paths['/api/settings/indicators']?.put?.tags).toEqual(['settings']);
  });

  it('answers scope × period from the indexes (EXPLAIN of the statements the routes run)', async () => {
    const slice = await loadSlice(db, actor('disp'), { unitId: unitId(t.subdistrict) });
    const period = parsePeriod({ period: 'month', date: '2025-03-01' });
    const ranges = [period, period.previous, period.lastYear];
    const now = new Date();
    const ranking = groupStatements(slice, period, 'units', now, true);
    // A week is not whole months: the daily rollup and the case rows answer it.
    const week = parsePeriod({ period: 'week', date: '2025-03-12' });
    const weekRanking = groupStatements(slice, week, 'units', now, true);
    const statements = {
      panelRollup: flowStatement(slice, ranges),
      panelDue: dueStatement(slice, ranges, now, true),
      rankingRollup: ranking.flow,
      rankingDue: ranking.due,
      weekRollup: flowStatement(slice, [week]),
      weekDue: dueStatement(slice, [week], now, true),
      weekRankingRollup: weekRanking.flow,
      weekRankingDue: weekRanking.due,
    };
    // The test tables are tiny, so the planner would rightly scan them: forbid that to see the indexes serve.
    const plans = await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const out: Record<string, string> = {};
        for (const [name, statement] of Object.entries(statements)) {
          const { rows } = await sql<Record<string, string>>`explain ${statement}`.execute(conn);
          out[name] = rows.map((r) => Object.values(r)[0]).join('\n');
        }
        return out;
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
    for (const [name, plan] of Object.entries(plans)) expect(plan, name).not.toMatch(/Seq Scan/);
    // Whole months that are over come from the monthly rollups (migration 0013), one row per community.
    expect(plans.panelRollup).toMatch(/indicator_month_scope_idx/);
    expect(plans.rankingRollup).toMatch(/indicator_month_scope_idx/);
    expect(plans.panelDue).toMatch(/indicator_due_month_scope_idx/);
    expect(plans.rankingDue).toMatch(/indicator_due_month_scope_idx/);
    expect(plans.panelRollup).not.toMatch(/indicator_day|cases/);
    expect(plans.weekRollup).toMatch(/indicator_day_scope_idx/);
    expect(plans.weekRankingRollup).toMatch(/indicator_day_scope_idx/);
    expect(plans.weekDue).toMatch(/cases_handle_due_idx/);
    expect(plans.weekRankingDue).toMatch(/cases_handle_due_idx/);
  });
});

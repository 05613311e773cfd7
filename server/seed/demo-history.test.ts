/**
 * The demo history is made by running the workflow, so what it leaves behind must be what the
 * workflow allows: every event log follows the table, counters agree with the events, verifiers
 * are never the handler — and a small history already holds every state, channel and rating.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASE_STATES, type CaseState } from '../../common/cases.js';
import { type CaseAction, nextState, transitionOf } from '../../common/workflow.js';
import { loadCalendar } from '../calendar/calendar.repository.js';
import type { Db } from '../db/database.js';
import { GridLocator } from '../territory/placement.js';
import { createTestDatabase } from '../test/harness.js';
import { type DemoHistoryResult, seedDemoHistory } from './demo-history.js';
import { seedDemo } from './seed-demo.js';

/** Demo "now" for the test: a Tuesday afternoon, so the open cases have working time behind them. */
const END = new Date('2026-06-16T07:20:00Z');
const SMALL = { seed: 11, cases: 150, days: 60, end: END, concurrency: 3 };

/**
 * Categories of the test's own, so that it does not depend on the catalogue: whatever the demo seeded
 * is disabled (the history reads only enabled categories). Names pick the history's wording.
 */
const CATEGORIES: [
  code: string,
  name: string,
  departmentKind: string | null,
  selfRegister: boolean,
  selfHandle: boolean,
][] = [
  ['9100', '测试市容', null, false, false],
  ['9101', '暴露垃圾', 'greening_sanitation', true, true],
  ['9102', '乱堆物堆料', 'urban_enforcement', true, true],
  ['9103', '非法小广告', 'urban_enforcement', true, true],
  ['9104', '跨门营业', 'urban_enforcement', false, false],
  ['9105', '机动车乱停放', 'police_station', false, false],
  ['9106', '夜间施工噪声', 'environment', false, false],
  ['9107', '污水井盖破损', 'water', false, false],
  ['9108', '道路积水', 'water', false, false],
  ['9109', '群租', 'housing', false, false],
  ['9110', '独居老人关爱', 'civil_affairs', false, false],
];

async function prepare(): Promise<Db> {
  const { db } = await createTestDatabase();
  await seedDemo(db, undefined, { historyCases: 0 });
  await db.updateTable('category').set({ disabled: true }).execute();
  for (const [code, nameZh, departmentKind, selfRegister, selfHandle] of CATEGORIES) {
    await db
      .insertInto('category')
      .values({
        id: uuidv7(),
        code,
        majorCode: code.slice(0, 2),
        kind: 'event',
        nameZh,
        nameEn: nameZh,
        departmentKind,
        selfRegister,
        selfHandle,
        createdAt: new Date(),
        updatedAt: new Date(),
      })
      .execute();
  }
  return db;
}

interface EventRow {
  caseId: string;
  seq: number;
  action: CaseAction;
  fromState: CaseState | null;
  toState: CaseState;
  actor: { kind: string; id?: string; name?: string };
  actorRelation: string | null;
  data: { satisfaction?: string; stopped?: { stage: string; onTime: boolean } };
  createdAt: Date;
}

let db: Db;
let result: DemoHistoryResult;
let cases: { id: string; number: string; state: CaseState; channel: string; counters: Record<string, number> }[];
let events: Map<string, EventRow[]>;

describe('seedDemoHistory', () => {
  beforeAll(async () => {
    db = await prepare();
    result = await seedDemoHistory(db, new GridLocator(db), SMALL);
    cases = await db
      .selectFrom('cases')
      .select(['id', 'number', 'state', 'channel', 'counters'])
      .orderBy('number')
      .execute();
    const rows = (await db
      .selectFrom('caseEvent')
      .select(['caseId', 'seq', 'action', 'fromState', 'toState', 'actor', 'actorRelation', 'data', 'createdAt'])
      .orderBy('caseId')
      .orderBy('seq')
      .execute()) as unknown as EventRow[];
    events = new Map();
    for (const e of rows) events.set(e.caseId, [...(events.get(e.caseId) ?? []), e]);
  }, 120_000);

  it('replays every planned step without a refusal', () => {
    expect(result.failures).toEqual([]);
    // The replay's model of the clocks matched the database's at every stop, and no step met a
    // version the sweep had moved unseen: the sweeps ran beside the steps without a race.
    expect(result.reloads).toBe(0);
    expect(result.retried).toBe(0);
    expect(result.cases).toBe(SMALL.cases);
    expect(cases).toHaveLength(SMALL.cases);
    expect(result.transitions).toBeGreaterThan(SMALL.cases * 3);
  });

  it('gives every case an event log that starts with its report and follows the workflow table', () => {
    for (const c of cases) {
      const log = events.get(c.id) ?? [];
      expect(log[0], c.number).toMatchObject({ seq: 1, action: 'report', fromState: null, toState: 'reported' });
      for (let i = 1; i < log.length; i++) {
        const [before, e] = [log[i - 1] as EventRow, log[i] as EventRow];
        const row = transitionOf(e.action);
        const where = `${c.number} #${e.seq} ${e.action}`;
        expect(e.seq, where).toBe(i + 1);
        expect(e.fromState, where).toBe(before.toState);
        expect(row.from, where).toContain(e.fromState);
        expect(e.toState, where).toBe(nextState(row, e.fromState as CaseState));
        expect(row.actors, where).toContain(e.actorRelation);
        expect(e.createdAt.getTime(), where).toBeGreaterThanOrEqual(before.createdAt.getTime());
      }
      expect(log.at(-1)?.toState, c.number).toBe(c.state);
      expect(log.at(-1)?.createdAt.getTime()).toBeLessThanOrEqual(END.getTime());
    }
  });

  it('keeps every case’s counters equal to what its events counted', () => {
    for (const c of cases) {
      const expected: Record<string, number> = {};
      const bump = (key: string) => {
        expected[key] = (expected[key] ?? 0) + 1;
      };
      for (const e of events.get(c.id) ?? []) {
        for (const counter of transitionOf(e.action).counts) bump(counter);
        const stage = e.data.stopped?.stage ?? '';
        if (e.data.stopped)
          bump(`${e.data.stopped.onTime ? 'onTime' : 'overdue'}${stage[0]?.toUpperCase()}${stage.slice(1)}`);
      }
      expect(c.counters, c.number).toEqual(expected);
    }
  });

  it('has cases in every state: a few open in each open state, and every final state', async () => {
    const states = new Set(cases.map((c) => c.state));
    for (const state of CASE_STATES) expect(states, state).toContain(state);
    const lit = await db
      .selectFrom('cases')
      .select(['warnedAt', 'overdueAt'])
      .where('state', 'in', ['reported', 'registered', 'dispatched', 'handling', 'handled'])
      .execute();
    expect(lit.some((c) => c.overdueAt !== null)).toBe(true);
  });

  it('comes through every channel, with patrols by grid workers and hotline calls by dispatchers', () => {
    expect(new Set(cases.map((c) => c.channel))).toEqual(
      new Set(['patrol', 'resident', 'hotline', 'survey', 'board', 'sensor']),
    );
    const reports = [...events.values()].map((log) => log[0] as EventRow);
    const relationOf = (channel: string) =>
      new Set(cases.filter((c) => c.channel === channel).map((c) => events.get(c.id)?.[0]?.actorRelation));
    expect(relationOf('patrol')).toEqual(new Set(['gridWorker']));
    expect(relationOf('hotline')).toEqual(new Set(['dispatcher']));
    expect(relationOf('sensor')).toEqual(new Set(['system']));
    expect(reports.some((e) => e.actor.kind === 'resident')).toBe(true);
    expect(reports.some((e) => e.actor.kind === 'anonymous')).toBe(true);
  });

  it('records callbacks of all three ratings, by reporters and by dispatchers’ phone calls', () => {
    const callbacks = [...events.values()].flat().filter((e) => e.action === 'callback');
    expect(new Set(callbacks.map((e) => e.data.satisfaction))).toEqual(
      new Set(['satisfied', 'basically_satisfied', 'dissatisfied']),
    );
    expect(new Set(callbacks.map((e) => e.actorRelation))).toEqual(new Set(['reporter', 'dispatcher']));
  });

  it('has the loop’s detours: self-handling, returns, rework, supervision by the sweep, merges', () => {
    const actions = new Set([...events.values()].flat().map((e) => e.action));
    for (const action of ['self_handle', 'return', 'verify_fail', 'supervise', 'merge', 'reject'] as const)
      expect(actions, action).toContain(action);
    const automatic = [...events.values()]
      .flat()
      .filter((e) => e.action === 'supervise' && e.actor.kind === 'system' && e.actor.name === 'deadline-sweep');
    expect(automatic.length).toBeGreaterThan(0);
  });

  it('never lets the handler verify their own handling', () => {
    let verifications = 0;
    for (const log of events.values()) {
      let handler: string | undefined;
      for (const e of log) {
        if (e.action === 'acknowledge' || e.action === 'submit_handling') handler = e.actor.id;
        if (e.action === 'verify_pass' || e.action === 'verify_fail') {
          verifications += 1;
          expect(e.actor.kind).toBe('staff');
          expect(e.actor.id).not.toBe(handler);
        }
      }
    }
    expect(verifications).toBeGreaterThan(50);
  });

  it('has staff act mostly in working time', async () => {
    const calendar = await loadCalendar(db);
    const staffSteps = [...events.values()].flat().filter((e) => e.action !== 'report' && e.actor.kind === 'staff');
    const inWorkingTime = staffSteps.filter((e) => calendar.isWorkingTime(e.createdAt)).length;
    expect(inWorkingTime / staffSteps.length).toBeGreaterThan(0.85);
  });

  it('is deterministic: the same seed gives the same case numbers, categories and states', async () => {
    const again = await prepare();
    const second = await seedDemoHistory(again, new GridLocator(again), SMALL);
    expect(second.failures).toEqual([]);
    // A case a sweep skipped (its row locked by a step) is lit a sweep later and the runs differ.
    expect(second.reloads).toBe(0);
    const summary = (d: Db) =>
      sql<{ number: string; state: string; channel: string; code: string; title: string; events: number }>`
        select c.number, c.state, c.channel, k.code, c.title, c.warned_at, c.overdue_at, c.counters,
               (select count(*)::int from case_event e where e.case_id = c.id) as events
        from cases c join category k on k.id = c.category_id order by c.number`
        .execute(d)
        .then((r) => r.rows);
    expect(await summary(again)).toEqual(await summary(db));
  }, 120_000);
});

/**
 * The workflow table checked as a whole: every action has one row, every state is reachable, every
 * open state can reach a closing one, final states are left only by callback and reopen, and
 * requirements are consistent with what the actions mean.
 */
import { describe, expect, it } from 'vitest';
import { CASE_STATES, type CaseState, FINAL_STATES } from './cases.js';
import { ACTOR_RELATIONS, actionsFrom, CASE_ACTIONS, nextState, transitionOf, WORKFLOW } from './workflow.js';

function reachableFrom(start: CaseState): Set<CaseState> {
  const seen = new Set<CaseState>([start]);
  const queue = [start];
  while (queue.length) {
    const state = queue.shift() as CaseState;
    for (const t of actionsFrom(state)) {
      const next = nextState(t, state);
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe('workflow table', () => {
  it('has exactly one row per action and every row names known actors and states', () => {
    expect(WORKFLOW.map((t) => t.action).sort()).toEqual([...CASE_ACTIONS].sort());
    for (const t of WORKFLOW) {
      expect(t.actors.length, t.action).toBeGreaterThan(0);
      for (const a of t.actors) expect(ACTOR_RELATIONS).toContain(a);
      for (const s of t.from) expect(CASE_STATES).toContain(s);
      if (t.to !== 'same') expect(CASE_STATES).toContain(t.to);
      expect(t.label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(t.label.en.length).toBeGreaterThan(2);
      expect(transitionOf(t.action)).toBe(t);
    }
  });

  it('only report creates a case', () => {
    expect(WORKFLOW.filter((t) => t.from.length === 0).map((t) => t.action)).toEqual(['report']);
  });

  it('reaches every state from a report', () => {
    expect([...reachableFrom('reported')].sort()).toEqual([...CASE_STATES].sort());
  });

  for (const state of CASE_STATES.filter((s) => !FINAL_STATES.includes(s))) {
    it(`can finish from ${state}`, () => {
      const reachable = reachableFrom(state);
      expect(FINAL_STATES.some((f) => reachable.has(f))).toBe(true);
    });
  }

  it('leaves final states only by callback and reopen (closed) — rejected and merged are the end', () => {
    expect(
      actionsFrom('closed')
        .map((t) => t.action)
        .sort(),
    ).toEqual(['callback', 'reopen']);
    expect(actionsFrom('rejected')).toEqual([]);
    expect(actionsFrom('merged')).toEqual([]);
  });

  it('asks for a reason wherever a case is sent back, refused or closed without being solved', () => {
    for (const action of ['reject', 'return', 'verify_fail', 'close', 'reopen', 'reassign', 'escalate'] as const) {
      expect(transitionOf(action).requires.reason?.minLength, action).toBeGreaterThan(0);
    }
    expect(transitionOf('close').requires.closeReason).not.toContain('solved');
  });

  it('verification is by a grid worker who is not the handler, with a photo', () => {
    for (const action of ['verify_pass', 'verify_fail'] as const) {
      const t = transitionOf(action);
      expect(t.actors).toEqual(['gridWorker']);
      expect(t.requires.notTheHandler).toBe(true);
      expect(t.requires.photos?.min).toBeGreaterThanOrEqual(1);
    }
    expect(transitionOf('verify_fail').counts).toContain('reworked');
    expect(transitionOf('verify_fail').to).toBe('handling');
  });

  it('only supervisors approve extensions and deferrals; a deferral pauses and resume restarts the clock', () => {
    for (const action of ['approve_extension', 'deny_extension', 'approve_deferral', 'deny_deferral'] as const) {
      expect(transitionOf(action).actors).toEqual(['supervisor']);
    }
    expect(transitionOf('approve_deferral').clock.pause).toBe(true);
    expect(transitionOf('resume').clock.resume).toBe(true);
    expect(transitionOf('approve_extension').clock.extend).toBe(true);
  });

  it('starts a clock on every move into a waiting state', () => {
    const waits: Partial<Record<CaseState, string>> = {
      reported: 'register',
      registered: 'dispatch',
      dispatched: 'handle',
      handled: 'verify',
    };
    for (const t of WORKFLOW) {
      if (t.to === 'same' || !(t.to in waits)) continue;
      // acknowledge keeps the handling clock that dispatch started
      expect(t.clock.start, t.action).toBe(waits[t.to]);
    }
  });

  it('returns are counted against accurate dispatch, rework against handling', () => {
    expect(transitionOf('return').counts).toEqual(['returned']);
    expect(transitionOf('return').to).toBe('registered');
    expect(transitionOf('self_handle').counts).toContain('selfHandled');
  });
});

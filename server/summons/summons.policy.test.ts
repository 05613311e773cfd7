/**
 * The summons and meeting rules as matrices over hand-made actors (pure: no database).
 * Territory: subdistrict S (1.2.3.) with committees C1 (1.2.3.4.) and C2 (1.2.3.5.).
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '../../common/roles.js';
import type { Grant, StaffActor } from '../accounts/actor.js';
import {
  canIssueFor,
  canMarkDecisionDone,
  canReadMeeting,
  canReadSummons,
  canReplyFor,
  summonsAbilities,
} from './summons.policy.js';

const S = '1.2.3.';
const C1 = '1.2.3.4.';
const C2 = '1.2.3.5.';

function actor(role: Role, unitPath: string, departmentId: string | null = null, id = 'me'): StaffActor {
  const grant: Grant = {
    id: `${role}@${unitPath}`,
    role,
    unitId: unitPath,
    unitPath,
    district: '310101',
    departmentId,
    unit: { id: unitPath, code: unitPath, name: unitPath, level: 'community' },
    department: null,
  };
  return { kind: 'staff', id, username: id, displayName: id, mustChangePassword: false, grants: [grant] };
}

const summons = {
  unitPath: C1,
  state: 'sent' as const,
  departments: [
    { departmentId: 'D1', reply: null },
    { departmentId: 'D2', reply: 'accepted' as const },
  ],
};

describe('summons policy', () => {
  it('lets the territory speak for a unit it covers: committee staff, dispatchers, supervisors, admins', () => {
    const cases: [StaffActor, string, boolean][] = [
      [actor('committee_staff', C1), C1, true],
      [actor('committee_staff', C1), C2, false],
      [actor('committee_staff', C1), S, false],
      [actor('dispatcher', S), C1, true],
      [actor('supervisor', S), S, true],
      [actor('admin', S), C2, true],
      [actor('grid_worker', C1), C1, false],
      [actor('leader', S), C1, false],
      [actor('handler', S, 'D1'), C1, false],
    ];
    for (const [a, path, expected] of cases)
      expect([a.grants[0]?.role, path, canIssueFor(a, path)]).toEqual([a.grants[0]?.role, path, expected]);
    expect(canIssueFor(null, C1)).toBe(false);
  });

  it('shows a summons to its territory and to the summoned departments only; each answers for its own', () => {
    expect(canReadSummons(actor('grid_worker', C1), summons)).toBe(true);
    expect(canReadSummons(actor('committee_staff', C2), summons)).toBe(false);
    expect(canReadSummons(actor('handler', S, 'D1'), summons)).toBe(true);
    // A handler's grant covers the subdistrict, yet an unsummoned department sees nothing.
    expect(canReadSummons(actor('handler', S, 'D3'), summons)).toBe(false);
    expect(canReplyFor(actor('handler', S, 'D1'), summons, 'D1')).toBe(true);
    expect(canReplyFor(actor('handler', S, 'D1'), summons, 'D2')).toBe(false);
    expect(canReplyFor(actor('dispatcher', S), summons, 'D1')).toBe(false);
    // Abilities list only the departments still to answer; D2 answered already.
    const both = actor('handler', S, 'D1');
    both.grants.push({ ...(both.grants[0] as Grant), id: 'g2', departmentId: 'D2' });
    expect(summonsAbilities(both, summons)).toEqual({ reply: ['D1'], close: false, cancel: false });
    expect(summonsAbilities(actor('committee_staff', C1), { ...summons, state: 'closed' })).toEqual({
      reply: [],
      close: false,
      cancel: false,
    });
  });

  it('shows a meeting to its territory, its attendees and decision owners; owners mark their own decisions', () => {
    const meeting = {
      unitPath: S,
      attendeeAccountIds: ['guest'],
      attendeeDepartmentIds: ['D1'],
      ownerAccountIds: ['owner'],
      ownerDepartmentIds: ['D2'],
    };
    expect(canReadMeeting(actor('grid_worker', C1), meeting)).toBe(false);
    expect(canReadMeeting(actor('dispatcher', S), meeting)).toBe(true);
    expect(canReadMeeting(actor('committee_staff', C1, null, 'guest'), meeting)).toBe(true);
    expect(canReadMeeting(actor('committee_staff', C1, null, 'owner'), meeting)).toBe(true);
    expect(canReadMeeting(actor('handler', S, 'D2'), meeting)).toBe(true);
    expect(canReadMeeting(actor('handler', S, 'D3'), meeting)).toBe(false);
    const decision = { ownerAccountId: null, ownerDepartmentId: 'D2', doneAt: null };
    expect(canMarkDecisionDone(actor('handler', S, 'D2'), meeting, decision)).toBe(true);
    expect(canMarkDecisionDone(actor('handler', S, 'D1'), meeting, decision)).toBe(false);
    expect(canMarkDecisionDone(actor('supervisor', S), meeting, decision)).toBe(true);
    expect(canMarkDecisionDone(actor('supervisor', S), meeting, { ...decision, doneAt: new Date() })).toBe(false);
  });
});

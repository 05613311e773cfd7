/**
 * Who may unmask reporters' contacts in an export, and for which rows; who may open the monthly
 * assessment — as a matrix over roles and unit levels, and as the session abilities the web reads.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../common/roles.js';
import { transitionOf } from '../../common/workflow.js';
import { sessionAbilities } from '../accounts/abilities.js';
import type { StaffActor } from '../accounts/actor.js';
import { mayReadAssessment, mayUnmask, UNMASK_ROLES, unmaskedFor, unmaskPaths } from './export.policy.js';

type Level = 'district' | 'subdistrict' | 'community' | 'grid';
const CODES: Record<Level, string> = {
  district: '310104000000',
  subdistrict: '310104002000',
  community: '310104002001',
  grid: '310104002001003',
};
const PATHS: Record<Level, string> = {
  district: '310104000000.',
  subdistrict: '310104000000.310104002000.',
  community: '310104000000.310104002000.310104002001.',
  grid: '310104000000.310104002000.310104002001.310104002001003.',
};

function staff(...grants: [Role, Level][]): StaffActor {
  return {
    kind: 'staff',
    id: 'a',
    username: 'u',
    displayName: 'U',
    mustChangePassword: false,
    grants: grants.map(([role, level], i) => ({
      id: `g${i}`,
      role,
      unitId: level,
      unitPath: PATHS[level],
      district: '310104',
      departmentId: role === 'handler' ? 'dept' : null,
      unit: { id: level, code: CODES[level], name: level, level },
      department: null,
    })),
  };
}

describe('export policy', () => {
  it('unmasks for the roles that call reporters back, which the workflow table names', () => {
    expect(transitionOf('callback').actors).toContain('dispatcher');
    expect(UNMASK_ROLES).toEqual(['dispatcher']);
    for (const role of ROLES) {
      expect(mayUnmask(staff([role, 'subdistrict'])), role).toBe(role === 'dispatcher');
      expect(sessionAbilities(staff([role, 'subdistrict'])).unmaskPersonalData, role).toBe(role === 'dispatcher');
    }
    expect(mayUnmask(null)).toBe(false);
  });

  it('unmasks only the rows under the dispatcher grant', () => {
    const paths = unmaskPaths(staff(['leader', 'subdistrict'], ['dispatcher', 'community']));
    expect(paths).toEqual([PATHS.community]);
    expect(unmaskedFor(paths, PATHS.grid)).toBe(true);
    expect(unmaskedFor(paths, PATHS.community)).toBe(true);
    expect(unmaskedFor(paths, `${PATHS.subdistrict}310104002002.`)).toBe(false);
    expect(unmaskedFor([], PATHS.grid)).toBe(false);
  });

  it('opens the assessment to territorial grants above a unit grid', () => {
    for (const role of ROLES) {
      for (const level of ['district', 'subdistrict', 'community', 'grid'] as const) {
        const expected = role !== 'handler' && level !== 'grid';
        expect(mayReadAssessment(staff([role, level])), `${role}@${level}`).toBe(expected);
        expect(sessionAbilities(staff([role, level])).readAssessment, `${role}@${level}`).toBe(expected);
      }
    }
    expect(mayReadAssessment(staff(['handler', 'subdistrict'], ['grid_worker', 'community']))).toBe(true);
    expect(mayReadAssessment(null)).toBe(false);
  });
});

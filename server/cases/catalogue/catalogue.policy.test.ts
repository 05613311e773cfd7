/**
 * The catalogue's permissions as a matrix: role × where the grant sits → what it may do.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../common/roles.js';
import type { UnitLevel } from '../../../common/territory.js';
import type { StaffActor } from '../../accounts/actor.js';
import { cataloguePolicy, dispatchRulePolicy } from './catalogue.policy.js';

const DISTRICT = '310000000000.310104000000.';
const SUB = `${DISTRICT}310104090000.`;
const COMMUNITY = `${SUB}310104090001.`;
const OTHER_SUB = `${DISTRICT}310104091000.`;

function actor(role: Role, path: string, level: UnitLevel): StaffActor {
  return {
    kind: 'staff',
    id: 'a',
    username: 'u',
    displayName: 'U',
    mustChangePassword: false,
    grants: [
      {
        id: 'g',
        role,
        unitId: 'unit',
        unitPath: path,
        district: '310104',
        departmentId: role === 'handler' ? 'd' : null,
        unit: { id: 'unit', code: path.split('.').at(-2) ?? '', name: 'x', level },
        department: null,
      },
    ],
  };
}

describe('catalogue policy', () => {
  for (const role of ROLES) {
    it(`${role}: reads the catalogue; changes it only as a district administrator`, () => {
      const sub = actor(role, SUB, 'subdistrict');
      const district = actor(role, DISTRICT, 'district');
      expect(cataloguePolicy.read(sub)).toBe(true);
      expect(cataloguePolicy.readDisabled(sub)).toBe(role === 'admin');
      expect(cataloguePolicy.manage(sub)).toBe(false);
      expect(cataloguePolicy.manage(district)).toBe(role === 'admin');
      expect(cataloguePolicy.manageSomeRules(sub)).toBe(role === 'admin');
    });
  }

  it('nobody signed in, and residents, get nothing', () => {
    const resident = { kind: 'resident' as const, id: 'r', phone: '1', displayName: 'r' };
    for (const who of [null, resident]) {
      expect(cataloguePolicy.read(who)).toBe(false);
      expect(cataloguePolicy.manage(who)).toBe(false);
      expect(dispatchRulePolicy.read(who, { unitPath: SUB })).toBe(false);
    }
  });
});

describe('dispatch rule policy', () => {
  // rule at → [read, manage] for a subdistrict administrator
  const cases: [string, string, boolean, boolean][] = [
    ['the subdistrict itself', SUB, true, true],
    ['a committee below', COMMUNITY, true, true],
    ['the district above (it governs the subdistrict)', DISTRICT, true, false],
    ['another subdistrict', OTHER_SUB, false, false],
  ];
  for (const [where, unitPath, read, manage] of cases) {
    it(`a subdistrict administrator and a rule at ${where}: read ${read}, manage ${manage}`, () => {
      const admin = actor('admin', SUB, 'subdistrict');
      expect(dispatchRulePolicy.read(admin, { unitPath })).toBe(read);
      expect(dispatchRulePolicy.manage(admin, { unitPath })).toBe(manage);
    });
  }

  it('staff other than administrators read the rules of their territory but manage none', () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const someone = actor(role, COMMUNITY, 'community');
      expect(dispatchRulePolicy.read(someone, { unitPath: SUB })).toBe(true);
      expect(dispatchRulePolicy.manage(someone, { unitPath: COMMUNITY })).toBe(false);
    }
  });
});

/**
 * Policy matrices: every role × action × in scope / out of scope, with the expected answer written
 * down. Pure: actors and records are plain data.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../common/roles.js';
import { sessionAbilities } from '../accounts/abilities.js';
import { accountPolicy } from '../accounts/account.policy.js';
import type { StaffActor } from '../accounts/actor.js';
import { departmentPolicy } from '../departments/department.policy.js';
import { unitPolicy } from '../territory/unit.policy.js';
import { scopePaths } from './predicates.js';

const SUB = '310000000000.310104000000.310104090000.';
const COMMUNITY = `${SUB}310104090001.`;
const GRID = `${COMMUNITY}310104090001001.`;
const OTHER_SUB = '310000000000.310104000000.310104091000.';
const OTHER_DISTRICT = '310000000000.310105000000.310105001000.';

function actor(role: Role, path = SUB): StaffActor {
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
        unit: { id: 'unit', code: path.split('.').at(-2) ?? '', name: 'x', level: 'subdistrict' },
        department: null,
      },
    ],
  };
}

describe('unit policy', () => {
  // [action, path of the unit, level] → roles allowed (scope of every actor: the subdistrict)
  const cases: [keyof typeof unitPolicy, string, 'subdistrict' | 'community' | 'grid', Role[]][] = [
    ['read', COMMUNITY, 'community', [...ROLES]],
    ['read', SUB, 'subdistrict', [...ROLES]],
    ['read', OTHER_SUB, 'subdistrict', []],
    ['read', OTHER_DISTRICT, 'subdistrict', []],
    ['update', COMMUNITY, 'community', ['admin']],
    ['update', SUB, 'subdistrict', []], // not the root of one's own scope
    ['update', OTHER_SUB, 'subdistrict', []],
    ['createChild', COMMUNITY, 'community', ['admin']],
    ['createChild', SUB, 'subdistrict', ['admin']],
    ['createChild', GRID, 'grid', []], // a unit grid has no children
    ['createChild', OTHER_DISTRICT, 'subdistrict', []],
    ['import', SUB, 'subdistrict', ['admin']],
    ['import', OTHER_SUB, 'subdistrict', []],
  ];
  for (const [action, path, level, allowed] of cases) {
    for (const role of ROLES) {
      const expected = allowed.includes(role);
      it(`${role} ${expected ? 'may' : 'may not'} ${action} ${level} ${path}`, () => {
        expect(unitPolicy[action](actor(role), { path, level })).toBe(expected);
      });
    }
  }

  it('a grid worker scoped to one grid reads that grid but not its community', () => {
    const worker = actor('grid_worker', GRID);
    expect(unitPolicy.read(worker, { path: GRID, level: 'grid' })).toBe(true);
    expect(unitPolicy.read(worker, { path: COMMUNITY, level: 'community' })).toBe(false);
  });

  it('anonymous and residents are denied everything', () => {
    for (const action of Object.keys(unitPolicy) as (keyof typeof unitPolicy)[]) {
      expect(unitPolicy[action](null, { path: SUB, level: 'subdistrict' })).toBe(false);
      expect(
        unitPolicy[action](
          { kind: 'resident', id: 'r', phone: '1', displayName: 'r' },
          { path: SUB, level: 'subdistrict' },
        ),
      ).toBe(false);
    }
  });
});

describe('account policy', () => {
  for (const role of ROLES) {
    const isAdmin = role === 'admin';
    it(`${role}: read/update accounts in scope = ${isAdmin}; outside scope = false`, () => {
      const a = actor(role);
      expect(accountPolicy.read(a, { id: 'x', grantPaths: [COMMUNITY] })).toBe(isAdmin);
      expect(accountPolicy.update(a, { id: 'x', grantPaths: [COMMUNITY] })).toBe(isAdmin);
      expect(accountPolicy.read(a, { id: 'x', grantPaths: [OTHER_SUB] })).toBe(false);
      expect(accountPolicy.grant(a, { unitPath: COMMUNITY, role: 'grid_worker' })).toBe(isAdmin);
      expect(accountPolicy.grant(a, { unitPath: OTHER_DISTRICT, role: 'grid_worker' })).toBe(false);
    });
  }

  it('an admin sees an account with one grant in scope but changes it only when all grants are in scope', () => {
    const admin = actor('admin');
    const mixed = { id: 'x', grantPaths: [COMMUNITY, OTHER_SUB] };
    expect(accountPolicy.read(admin, mixed)).toBe(true);
    expect(accountPolicy.update(admin, mixed)).toBe(false);
  });

  it('an admin cannot grant above their own scope', () => {
    expect(accountPolicy.grant(actor('admin', COMMUNITY), { unitPath: SUB, role: 'admin' })).toBe(false);
  });
});

describe('department policy', () => {
  for (const role of ROLES) {
    it(`${role} reads departments; updates only as admin in scope`, () => {
      expect(departmentPolicy.read(actor(role), { servesPath: OTHER_DISTRICT })).toBe(true);
      expect(departmentPolicy.update(actor(role), { servesPath: SUB })).toBe(role === 'admin');
      expect(departmentPolicy.update(actor(role), { servesPath: OTHER_DISTRICT })).toBe(false);
    });
  }
});

describe('session abilities', () => {
  for (const role of ROLES) {
    it(`${role} gets menus for its role only`, () => {
      const abilities = sessionAbilities(actor(role));
      expect(abilities.readTerritory).toBe(true);
      expect(abilities.readDepartments).toBe(true);
      expect(abilities.manageAccounts).toBe(role === 'admin');
      expect(abilities.manageTerritory).toBe(role === 'admin');
    });
  }
  it('nobody signed in gets nothing', () => {
    expect(Object.values(sessionAbilities(null)).every((v) => v === false)).toBe(true);
  });
});

describe('scopePaths', () => {
  it('drops paths covered by a shorter one and filters by role', () => {
    const a = actor('admin');
    a.grants.push({
      ...a.grants[0],
      id: 'g2',
      role: 'dispatcher',
      unitPath: COMMUNITY,
    } as StaffActor['grants'][number]);
    expect(scopePaths(a)).toEqual([SUB]);
    expect(scopePaths(a, 'dispatcher')).toEqual([COMMUNITY]);
    expect(scopePaths(null)).toEqual([]);
  });
});

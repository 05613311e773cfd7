/**
 * The archive's access matrix: every role × in scope / out of scope × action, written down, and a
 * department's sight through tag grants. Pure: actors and records are plain data.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../common/roles.js';
import type { StaffActor } from '../accounts/actor.js';
import {
  archiveAccessOf,
  archivePolicy,
  canReadRecord,
  readsTerritorially,
  visibleTagTypes,
} from './archive.policy.js';

const SUB = '310000000000.310104000000.310104001000.';
const COMMUNITY = `${SUB}310104001001.`;
const GRID = `${COMMUNITY}310104001001001.`;
const OTHER_GRID = `${COMMUNITY}310104001001002.`;
const OTHER_COMMUNITY = `${SUB}310104001002.`;

function actor(
  role: Role,
  path: string,
  departmentId: string | null = null,
  level: 'district' | 'subdistrict' = 'subdistrict',
): StaffActor {
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
        departmentId: role === 'handler' ? (departmentId ?? 'dep') : null,
        unit: { id: 'unit', code: 'x', name: 'x', level },
        department: null,
      },
    ],
  };
}

const record = (unitPath: string, activeTagTypeIds: string[] = []) => ({ unitPath, activeTagTypeIds });

describe('archive access matrix', () => {
  // role, grant path → [read, write, unmask, history] on a person in GRID
  const matrix: [Role, string, [boolean, boolean, boolean, boolean]][] = [
    ['admin', SUB, [true, true, true, true]],
    ['leader', SUB, [true, false, false, false]],
    ['committee_staff', COMMUNITY, [true, true, true, false]],
    ['committee_staff', OTHER_COMMUNITY, [false, false, false, false]],
    ['grid_worker', GRID, [true, true, true, false]],
    ['grid_worker', OTHER_GRID, [false, false, false, false]],
    ['supervisor', SUB, [false, false, false, false]],
    ['dispatcher', SUB, [false, false, false, false]],
    ['handler', SUB, [false, false, false, false]],
  ];
  for (const [role, path, [read, write, unmask, history]] of matrix) {
    it(`${role} at ${path.split('.').at(-2)}`, () => {
      const a = actor(role, path);
      const access = archiveAccessOf(a, new Map());
      const r = record(GRID);
      expect([
        canReadRecord(access, r),
        archivePolicy.write(a, r),
        archivePolicy.unmask(a, r),
        archivePolicy.readHistory(a, r),
      ]).toEqual([read, write, unmask, history]);
    });
  }

  it('lets only administrators and committee staff export, and no one but installation admins define types', () => {
    const exporters = ROLES.filter((role) => archivePolicy.exportSome(actor(role, SUB)));
    expect(exporters).toEqual(['admin', 'committee_staff']);
    expect(ROLES.filter((role) => archivePolicy.manageTypes(actor(role, SUB)))).toEqual([]);
    expect(archivePolicy.manageTypes(actor('admin', '310000000000.310104000000.', null, 'district'))).toBe(true);
  });

  it('opens records to a department tag by tag, inside its grant, showing only the granted tags', () => {
    const handler = actor('handler', SUB, 'civil');
    const access = archiveAccessOf(handler, new Map([['civil', ['dibao']]]));
    expect(canReadRecord(access, record(GRID, ['dibao', 'alone']))).toBe(true);
    expect(readsTerritorially(access, record(GRID, ['dibao']))).toBe(false);
    expect([...(visibleTagTypes(access, record(GRID, ['dibao', 'alone'])) ?? [])]).toEqual(['dibao']);
    expect(canReadRecord(access, record(GRID, ['alone']))).toBe(false);
    expect(canReadRecord(access, record('310000000000.310104000000.310104009000.', ['dibao']))).toBe(false);
    // Another department's grant opens nothing to this one.
    const other = archiveAccessOf(actor('handler', SUB, 'police'), new Map([['civil', ['dibao']]]));
    expect(canReadRecord(other, record(GRID, ['dibao']))).toBe(false);
    // A territorial reader sees every tag.
    expect(visibleTagTypes(archiveAccessOf(actor('grid_worker', GRID), new Map()), record(GRID, ['alone']))).toBeNull();
  });
});

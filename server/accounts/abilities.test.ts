/**
 * Session abilities for the case menus: who reads cases and through which channels each role may
 * report, as the workflow table's CHANNEL_REPORTERS says.
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '../../common/roles.js';
import { sessionAbilities } from './abilities.js';
import type { StaffActor } from './actor.js';

function staffWith(...roles: Role[]): StaffActor {
  return staffAt('city', ...roles);
}

/** Grants of the roles on one unit of the level (admins at district level or above keep the installation). */
function staffAt(level: 'city' | 'district' | 'subdistrict' | 'community' | 'grid', ...roles: Role[]): StaffActor {
  const code = {
    city: '310000000000',
    district: '310104000000',
    subdistrict: '310104002000',
    community: '310104002001',
    grid: '310104002001001',
  }[level];
  return {
    kind: 'staff',
    id: 'a',
    username: 'u',
    displayName: 'U',
    mustChangePassword: false,
    grants: roles.map((role, i) => ({
      id: `g${i}`,
      role,
      unitId: 'unit',
      unitPath: `${code}.`,
      district: '310104',
      departmentId: role === 'handler' ? 'dept' : null,
      unit: { id: 'unit', code, name: level, level },
      department: null,
    })),
  };
}

const reporting = (actor: StaffActor | null) => {
  const a = sessionAbilities(actor);
  return {
    readCases: a.readCases,
    reportCases: a.reportCases,
    hotline: a.reportHotline,
    patrol: a.reportPatrol,
    survey: a.reportSurvey,
    board: a.reportBoard,
  };
};

describe('session abilities for cases', () => {
  it('lets each role report through its own channels only', () => {
    expect(reporting(staffWith('dispatcher'))).toEqual({
      readCases: true,
      reportCases: true,
      hotline: true,
      patrol: false,
      survey: false,
      board: false,
    });
    expect(reporting(staffWith('grid_worker'))).toEqual({
      readCases: true,
      reportCases: true,
      hotline: false,
      patrol: true,
      survey: true,
      board: false,
    });
    expect(reporting(staffWith('committee_staff'))).toEqual({
      readCases: true,
      reportCases: true,
      hotline: false,
      patrol: false,
      survey: true,
      board: true,
    });
  });

  it('gives handlers, leaders and supervisors the case pages but no report form', () => {
    for (const role of ['handler', 'leader', 'supervisor', 'admin'] as const) {
      expect(reporting(staffWith(role)), role).toMatchObject({ readCases: true, reportCases: false });
    }
  });

  it('opens nothing to a staff account without grants or to nobody', () => {
    expect(reporting(staffWith())).toMatchObject({ readCases: false, reportCases: false });
    expect(reporting(null)).toMatchObject({ readCases: false, reportCases: false, hotline: false });
  });

  it('adds up roles held together', () => {
    expect(reporting(staffWith('dispatcher', 'committee_staff'))).toMatchObject({
      hotline: true,
      survey: true,
      board: true,
      patrol: false,
    });
  });
});

describe('session abilities for the administrator screens', () => {
  const admin = (actor: StaffActor | null) => {
    const a = sessionAbilities(actor);
    return {
      catalogue: a.manageCatalogue,
      rules: a.manageDispatchRules,
      calendar: a.manageCalendar,
      settings: a.manageSettings,
    };
  };

  it('opens categories, calendar and settings to administrators at district level or above only', () => {
    const all = { catalogue: true, rules: true, calendar: true, settings: true };
    expect(admin(staffAt('city', 'admin'))).toEqual(all);
    expect(admin(staffAt('district', 'admin'))).toEqual(all);
    // A subdistrict's administrator keeps the dispatch rules of their units, not the shared settings.
    expect(admin(staffAt('subdistrict', 'admin'))).toEqual({
      catalogue: false,
      rules: true,
      calendar: false,
      settings: false,
    });
  });

  it('opens none of them to other roles, even at city level, or to nobody', () => {
    const none = { catalogue: false, rules: false, calendar: false, settings: false };
    for (const role of ['dispatcher', 'handler', 'leader', 'supervisor', 'grid_worker', 'committee_staff'] as const) {
      expect(admin(staffAt('city', role)), role).toEqual(none);
    }
    expect(admin(null)).toEqual(none);
  });
});

describe('session abilities for summonses', () => {
  const summons = (actor: StaffActor | null) => {
    const a = sessionAbilities(actor);
    return { issue: a.issueSummons, reply: a.replySummons };
  };

  it('lets a subdistrict’s dispatchers, supervisors, committee staff and admins summon, and handlers answer', () => {
    for (const role of ['dispatcher', 'supervisor', 'committee_staff', 'admin'] as const) {
      expect(summons(staffAt('subdistrict', role)), role).toEqual({ issue: true, reply: false });
    }
    expect(summons(staffAt('subdistrict', 'handler'))).toEqual({ issue: false, reply: true });
  });

  it('does not let a district or city grant summon (only a committee or subdistrict does), nor grid workers', () => {
    expect(summons(staffAt('district', 'dispatcher'))).toEqual({ issue: false, reply: false });
    expect(summons(staffAt('city', 'admin'))).toEqual({ issue: false, reply: false });
    expect(summons(staffAt('subdistrict', 'grid_worker'))).toEqual({ issue: false, reply: false });
    expect(summons(null)).toEqual({ issue: false, reply: false });
  });
});

describe('session abilities for the archive and visits', () => {
  const archive = (actor: StaffActor | null) => {
    const a = sessionAbilities(actor);
    return { read: a.readArchive, unmask: a.unmaskArchive, readVisits: a.readVisits, recordVisits: a.recordVisits };
  };

  it('lets committee staff and grid workers record visits; admins and leaders read them; departments neither', () => {
    for (const role of ['committee_staff', 'grid_worker'] as const)
      expect(archive(staffAt('subdistrict', role)), role).toEqual({
        read: true,
        unmask: true,
        readVisits: true,
        recordVisits: true,
      });
    expect(archive(staffAt('subdistrict', 'admin'))).toEqual({
      read: true,
      unmask: true,
      readVisits: true,
      recordVisits: false,
    });
    expect(archive(staffAt('subdistrict', 'leader'))).toEqual({
      read: true,
      unmask: false,
      readVisits: true,
      recordVisits: false,
    });
    // A department reads the archive through tag grants only, and never a household's visits.
    expect(archive(staffAt('subdistrict', 'handler'))).toEqual({
      read: true,
      unmask: false,
      readVisits: false,
      recordVisits: false,
    });
    const none = { read: false, unmask: false, readVisits: false, recordVisits: false };
    for (const role of ['dispatcher', 'supervisor'] as const)
      expect(archive(staffAt('city', role)), role).toEqual(none);
    expect(archive(null)).toEqual(none);
  });
});

describe('session abilities for the monthly community analysis', () => {
  const reads = (actor: StaffActor | null) => sessionAbilities(actor).readMonthlyAnalysis;

  it('opens it to the archive’s territorial readers whose grant reaches a committee', () => {
    for (const role of ['admin', 'leader', 'committee_staff'] as const) {
      expect(reads(staffAt('community', role)), role).toBe(true);
      expect(reads(staffAt('subdistrict', role)), role).toBe(true);
      expect(reads(staffAt('city', role)), role).toBe(true);
    }
  });

  it('keeps it from a grid worker of grids (the route reads the committee, which a grid grant does not reach)', () => {
    expect(reads(staffAt('grid', 'grid_worker'))).toBe(false);
    expect(reads(staffAt('grid', 'committee_staff'))).toBe(false);
    // The same reader the route takes: a grid worker granted the whole committee reads it there.
    expect(reads(staffAt('community', 'grid_worker'))).toBe(true);
  });

  it('keeps it from the roles that do not read the archive’s territory, and from nobody', () => {
    for (const role of ['dispatcher', 'supervisor', 'handler'] as const)
      expect(reads(staffAt('subdistrict', role)), role).toBe(false);
    expect(reads(staffWith())).toBe(false);
    expect(reads(null)).toBe(false);
  });
});

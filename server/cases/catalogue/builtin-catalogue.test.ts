/**
 * The built-in catalogue is data a person typed: these checks catch the typos that would otherwise
 * surface as a 500 at install time or a silently wrong deadline.
 */
import { describe, expect, it } from 'vitest';
import { STAGES, URGENCIES } from '../../../common/cases.js';
import { CATEGORY_CODE_PATTERN, TIME_LIMIT_MAX, TIME_LIMIT_UNITS } from '../../../common/catalogue.js';
import { DEPARTMENT_KINDS } from '../../../common/territory.js';
import {
  BUILTIN_CATEGORIES,
  BUILTIN_ENTRIES,
  BUILTIN_MAJORS,
  type BuiltinLimit,
  builtinLimitRows,
  DEFAULT_LIMITS,
  HANDLE_LIMITS,
} from './builtin-catalogue.js';

const HAN = /\p{Script=Han}/u;
const majors = BUILTIN_CATEGORIES.filter((c) => c.code.endsWith('00'));
const minors = BUILTIN_CATEGORIES.filter((c) => !c.code.endsWith('00'));

/** Nominal length in minutes (a working day as 8 hours), to compare limits across units. */
const minutes = ({ amount, unit }: BuiltinLimit) =>
  amount * { natural_minutes: 1, natural_hours: 60, working_hours: 60, working_days: 480 }[unit];

describe('built-in catalogue', () => {
  it('has a realistic size: 70–120 minors under 6 component and 11 event majors', () => {
    expect(minors.length).toBeGreaterThanOrEqual(70);
    expect(minors.length).toBeLessThanOrEqual(120);
    expect(majors.filter((m) => m.kind === 'component')).toHaveLength(6);
    expect(majors.filter((m) => m.kind === 'event')).toHaveLength(11);
    expect(BUILTIN_ENTRIES).toHaveLength(minors.length);
  });

  it('codes are four digits, unique, and never in the ranges test factories use (40–89, 91)', () => {
    const codes = BUILTIN_CATEGORIES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code, code).toMatch(CATEGORY_CODE_PATTERN);
      expect(Number(code.slice(0, 2)), code).toBeLessThan(40);
    }
    expect(new Set(BUILTIN_MAJORS.map((m) => m.major)).size).toBe(BUILTIN_MAJORS.length);
  });

  it('every minor sits under an existing major of the same kind, and every major has minors', () => {
    const byMajor = new Map(majors.map((m) => [m.majorCode, m]));
    for (const c of minors) {
      expect(c.majorCode, c.code).toBe(c.code.slice(0, 2));
      const major = byMajor.get(c.majorCode);
      expect(major, `${c.code} has no major`).toBeDefined();
      expect(c.kind, c.code).toBe(major?.kind);
    }
    for (const m of majors) {
      expect(m.code).toBe(`${m.majorCode}00`);
      expect(
        minors.some((c) => c.majorCode === m.majorCode),
        `major ${m.code} is empty`,
      ).toBe(true);
    }
    // Components take the low majors, events the higher ones: a code says what it is.
    for (const c of BUILTIN_CATEGORIES) expect(c.kind === 'component', c.code).toBe(Number(c.majorCode) < 10);
  });

  it('every minor names a department kind that exists; majors name none', () => {
    for (const c of minors) expect(DEPARTMENT_KINDS, c.code).toContain(c.departmentKind);
    for (const m of majors) expect(m.departmentKind, m.code).toBeNull();
  });

  it('names are non-empty in both languages, Chinese in zh, not in en, unique within a major', () => {
    for (const c of BUILTIN_CATEGORIES) {
      expect(c.nameZh.trim(), c.code).not.toBe('');
      expect(c.nameEn.trim(), c.code).not.toBe('');
      expect(c.nameZh, c.code).toMatch(HAN);
      expect(c.nameEn, c.code).not.toMatch(HAN);
      if (c.serviceNoticeZh || c.serviceNoticeEn) {
        expect(c.serviceNoticeZh, c.code).toMatch(HAN);
        expect(c.serviceNoticeEn, c.code).not.toMatch(HAN);
        expect(c.serviceNoticeEn?.trim(), c.code).toBeTruthy();
      }
    }
    for (const m of majors) {
      const names = minors.filter((c) => c.majorCode === m.majorCode).map((c) => c.nameZh);
      expect(new Set(names).size, m.code).toBe(names.length);
    }
  });

  it('minors carry a few short Chinese keywords, without repeats', () => {
    for (const c of minors) {
      expect(c.keywords.length, c.code).toBeGreaterThanOrEqual(3);
      expect(c.keywords.length, c.code).toBeLessThanOrEqual(6);
      expect(new Set(c.keywords).size, c.code).toBe(c.keywords.length);
      for (const k of c.keywords) {
        expect(k, c.code).toMatch(HAN);
        expect(k.length, c.code).toBeLessThanOrEqual(20);
      }
    }
  });

  it('duplicate radius and window are sensible, and fixed things look further back than passing events', () => {
    for (const c of BUILTIN_CATEGORIES) {
      expect(c.duplicateRadiusM, c.code).toBeGreaterThanOrEqual(5);
      expect(c.duplicateRadiusM, c.code).toBeLessThanOrEqual(500);
      expect(c.duplicateWindowDays, c.code).toBeGreaterThanOrEqual(1);
      expect(c.duplicateWindowDays, c.code).toBeLessThanOrEqual(365);
      expect(Number.isInteger(c.duplicateRadiusM) && Number.isInteger(c.duplicateWindowDays), c.code).toBe(true);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const window = (kind: string) => median(minors.filter((c) => c.kind === kind).map((c) => c.duplicateWindowDays));
    expect(window('component')).toBeGreaterThan(window('event'));
    const manhole = minors.find((c) => c.nameZh === '污水井盖');
    const noise = minors.find((c) => c.nameZh === '社会生活噪声');
    expect(manhole && noise).toBeTruthy();
    expect(manhole?.duplicateRadiusM).toBeLessThan(noise?.duplicateRadiusM ?? 0);
    expect(manhole?.duplicateWindowDays).toBeGreaterThan(noise?.duplicateWindowDays ?? 0);
  });

  it('a grid worker settles on the spot only what he may also register', () => {
    for (const c of minors) if (c.selfHandle) expect(c.selfRegister, c.code).toBe(true);
    expect(minors.filter((c) => c.selfHandle).length).toBeGreaterThanOrEqual(8);
    expect(minors.find((c) => c.nameZh === '暴露垃圾')).toMatchObject({ selfRegister: true, selfHandle: true });
    expect(minors.find((c) => c.nameZh === '燃气泄漏')).toMatchObject({ selfRegister: false, selfHandle: false });
  });

  it('time limits: positive, below the cap, each (category, urgency, stage) once, defaults complete', () => {
    const rows = builtinLimitRows();
    const keys = rows.map((r) => `${r.categoryCode ?? '*'}|${r.urgency}|${r.stage}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of rows) {
      expect(r.amount, JSON.stringify(r)).toBeGreaterThan(0);
      expect(TIME_LIMIT_UNITS).toContain(r.unit);
      expect(r.amount, JSON.stringify(r)).toBeLessThanOrEqual(TIME_LIMIT_MAX[r.unit]);
    }
    for (const urgency of URGENCIES)
      for (const stage of STAGES) expect(keys, `${urgency} ${stage}`).toContain(`*|${urgency}|${stage}`);
    const codes = new Set(BUILTIN_CATEGORIES.map((c) => c.code));
    for (const r of rows) if (r.categoryCode) expect(codes.has(r.categoryCode)).toBe(true);
    // Categories set only their handling limit; the other stages are the dispatcher's and common.
    expect(rows.filter((r) => r.categoryCode).every((r) => r.stage === 'handle')).toBe(true);
  });

  it('more urgency never means more time, and handle classes are ordered hazard < quick < standard < repair < long', () => {
    for (const stage of STAGES) {
      expect(minutes(DEFAULT_LIMITS.emergency[stage])).toBeLessThanOrEqual(minutes(DEFAULT_LIMITS.urgent[stage]));
      expect(minutes(DEFAULT_LIMITS.urgent[stage])).toBeLessThanOrEqual(minutes(DEFAULT_LIMITS.normal[stage]));
    }
    for (const urgency of URGENCIES) {
      const ladder = [
        HANDLE_LIMITS.hazard[urgency],
        HANDLE_LIMITS.quick[urgency],
        DEFAULT_LIMITS[urgency].handle,
        HANDLE_LIMITS.repair[urgency],
        HANDLE_LIMITS.long[urgency],
      ].map(minutes);
      expect(ladder, urgency).toEqual([...ladder].sort((a, b) => a - b));
      expect(
        Object.values(HANDLE_LIMITS).every(
          (u) => minutes(u.emergency) <= minutes(u.urgent) && minutes(u.urgent) <= minutes(u.normal),
        ),
      ).toBe(true);
    }
  });
});

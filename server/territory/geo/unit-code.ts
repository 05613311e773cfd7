/**
 * China's statistical division codes (统计用区划代码), stored padded:
 *
 * | level                       | shape             | example           |
 * |-----------------------------|-------------------|-------------------|
 * | city                        | `PPCC00000000`    | `310000000000`, `310100000000` |
 * | district                    | `PPCCDD000000`    | `310104000000` (徐汇区) |
 * | subdistrict / town          | `PPCCDDSSS000`    | `310104090000`    |
 * | community                   | `PPCCDDSSSCCC`    | `310104090001`    |
 * | responsibility grid, grid   | community + `NNN` | `310104090001001` |
 *
 * A segment that marks a level is never all zeros, and a zero segment is never followed by a
 * non-zero one. The two grid levels share one shape, so the caller says which one a 15-digit code
 * is (default `grid`).
 */
import { LEVEL_DEPTH, UNIT_LEVELS, type UnitLevel } from '../../../common/territory.js';

/** Why a code was refused. */
export type CodeProblem =
  /** Something other than the digits 0–9. */
  | 'not_digits'
  /** Neither 12 nor 15 digits. */
  | 'bad_length'
  /** The province (first two digits) is `00`. */
  | 'zero_province'
  /** A segment that must be non-zero is zero: a grid serial `000`, or a zero segment before a non-zero one. */
  | 'zero_serial'
  /** The explicit level is not one of the unit levels. */
  | 'unknown_level'
  /** The explicit level does not match the code's shape. */
  | 'level_mismatch';

/** The result of {@link levelOfCode}. */
export type CodeLevelResult = { ok: true; level: UnitLevel } | { ok: false; reason: CodeProblem };

const DIGITS = /^[0-9]+$/;
const GRID_LEVELS: readonly UnitLevel[] = ['responsibility_grid', 'grid'];

/** The level a well-formed 12-digit code's shape says, or the problem with it. */
function levelOf12(code: string): CodeLevelResult {
  if (code.startsWith('00')) return { ok: false, reason: 'zero_province' };
  const district = code.slice(4, 6) !== '00';
  const subdistrict = code.slice(6, 9) !== '000';
  const community = code.slice(9, 12) !== '000';
  if (community) {
    return district && subdistrict ? { ok: true, level: 'community' } : { ok: false, reason: 'zero_serial' };
  }
  if (subdistrict) return district ? { ok: true, level: 'subdistrict' } : { ok: false, reason: 'zero_serial' };
  return { ok: true, level: district ? 'district' : 'city' };
}

/**
 * The level of a padded division code. `explicit` is the level the caller claims: it must match
 * the code's shape, and it is how a 15-digit code is told to be a `responsibility_grid` rather
 * than a `grid` (the default).
 */
export function levelOfCode(code: string, explicit?: UnitLevel): CodeLevelResult {
  if (!DIGITS.test(code)) return { ok: false, reason: 'not_digits' };
  if (explicit !== undefined && !UNIT_LEVELS.includes(explicit)) return { ok: false, reason: 'unknown_level' };
  if (code.length === 15) {
    const community = levelOf12(code.slice(0, 12));
    if (!community.ok) return community;
    if (community.level !== 'community' || code.slice(12) === '000') return { ok: false, reason: 'zero_serial' };
    if (explicit !== undefined && !GRID_LEVELS.includes(explicit)) return { ok: false, reason: 'level_mismatch' };
    return { ok: true, level: explicit ?? 'grid' };
  }
  if (code.length !== 12) return { ok: false, reason: 'bad_length' };
  const shaped = levelOf12(code);
  if (shaped.ok && explicit !== undefined && explicit !== shaped.level) return { ok: false, reason: 'level_mismatch' };
  return shaped;
}

/**
 * The district part of a code: its first 6 digits (for a city code, its own first 6, e.g.
 * `310000`). Territorial rows carry it as their shard key.
 */
export function districtOfCode(code: string): string {
  return code.slice(0, 6);
}

/**
 * The codes a unit's parent may have, most likely first, derived from the code alone. A district
 * sits under its city (`PPCC00000000`, the 市辖区 style) or else directly under the province-level
 * city (`PP0000000000`). A unit grid is placed under its community here; one that sits under a
 * responsibility grid must name that parent explicitly (see {@link isCodeUnder}).
 */
export function expectedParentCodes(code: string, level: UnitLevel): string[] {
  switch (level) {
    case 'city':
      return [];
    case 'district': {
      const candidates = [`${code.slice(0, 4)}00000000`, `${code.slice(0, 2)}0000000000`];
      return [...new Set(candidates)].filter((c) => c !== code);
    }
    case 'subdistrict':
      return [`${code.slice(0, 6)}000000`];
    case 'community':
      return [`${code.slice(0, 9)}000`];
    case 'responsibility_grid':
    case 'grid':
      return [code.slice(0, 12)];
  }
}

/** How many leading digits a unit of each level passes on to the units below it. */
function significantPrefix(code: string, level: UnitLevel): number {
  switch (level) {
    case 'city':
      return code.slice(2, 4) === '00' ? 2 : 4;
    case 'district':
      return 6;
    case 'subdistrict':
      return 9;
    case 'community':
    case 'responsibility_grid':
      return 12;
    case 'grid':
      return 15;
  }
}

/**
 * Whether `childCode` lies under `parentCode` (a unit of `parentLevel`) by the prefix rule: both
 * codes are valid, the child is deeper, and it starts with the digits that mark the parent. A
 * 15-digit child is taken as a unit grid, so it may sit under a responsibility grid of the same
 * community (same first 12 digits). Ancestors further up pass too (a community is under its
 * district); checking that the parent's level is the right one is the caller's job.
 */
export function isCodeUnder(childCode: string, parentCode: string, parentLevel: UnitLevel): boolean {
  const parent = levelOfCode(parentCode, parentLevel);
  const child = levelOfCode(childCode);
  if (!parent.ok || !child.ok || childCode === parentCode) return false;
  if (LEVEL_DEPTH[child.level] <= LEVEL_DEPTH[parentLevel]) return false;
  const prefix = significantPrefix(parentCode, parentLevel);
  return childCode.slice(0, prefix) === parentCode.slice(0, prefix);
}

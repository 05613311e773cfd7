/**
 * Resident identity card numbers (GB 11643-1999) and phone numbers: validation, normalization and
 * masking. Pure, shared by the server (which decides) and the web (which checks as people type).
 *
 * An ID number is 18 characters: a 6-digit administrative region code, the birth date (YYYYMMDD),
 * a 3-digit sequence (odd for men, even for women) and a check character computed by ISO 7064
 * MOD 11-2 over the first 17 digits ('X' stands for 10).
 */

export type Gender = 'male' | 'female';

/** Why an ID number was refused (the server's error fields carry these). */
export type IdNumberProblem = 'length' | 'format' | 'region' | 'birth_date' | 'future_birth_date' | 'check_digit';

export interface IdNumberFacts {
  /** 18 characters, the check character upper-case. */
  normalized: string;
  /** The 6-digit region code of first registration. */
  region: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  gender: Gender;
}

export type IdNumberResult = ({ ok: true } & IdNumberFacts) | { ok: false; problem: IdNumberProblem };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * Province-level prefixes of region codes (GB/T 2260), with 81/82/83 for the residence permits of
 * Hong Kong, Macao and Taiwan residents; 71 (Taiwan) appears in no mainland card.
 */
// biome-ignore format: the codes read better as a table
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '81', '82', '83',
]);

/** The earliest birth date accepted: older cards do not exist in use. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/** Full-width digits and letters as ASCII, spaces removed, 'x' upper-cased. */
export function normalizeIdNumber(raw: string): string {
  return raw
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toUpperCase();
}

/** The check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/** The 17 digits with their check character appended (for generated numbers: demo data, tests). */
export const completeIdNumber = (first17: string): string => `${first17}${idCheckCharacter(first17)}`;

/** A real calendar date (no 2月30日)? */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** Today in Beijing as YYYY-MM-DD (birth dates are Beijing calendar dates). */
export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Checks an ID number and derives what it encodes. `today` (YYYY-MM-DD) bounds the birth date. */
export function parseIdNumber(raw: string, today: string = beijingToday()): IdNumberResult {
  const value = normalizeIdNumber(raw);
  if (value.length !== 18) return { ok: false, problem: 'length' };
  if (!/^[0-9]{17}[0-9X]$/.test(value)) return { ok: false, problem: 'format' };
  const region = value.slice(0, 6);
  if (!PROVINCES.has(region.slice(0, 2))) return { ok: false, problem: 'region' };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (!isCalendarDate(year, month, day)) return { ok: false, problem: 'birth_date' };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (birthDate < EARLIEST_BIRTH_DATE) return { ok: false, problem: 'birth_date' };
  if (birthDate > today) return { ok: false, problem: 'future_birth_date' };
  if (idCheckCharacter(value) !== value[17]) return { ok: false, problem: 'check_digit' };
  const gender: Gender = Number(value[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, normalized: value, region, birthDate, gender };
}

/** `310105********1234`: region and the last four; anything not an 18-character number is starred whole but for its last 2. */
export function maskIdNumber(value: string): string {
  if (value.length === 18) return `${value.slice(0, 6)}${'*'.repeat(8)}${value.slice(14)}`;
  return `${'*'.repeat(Math.max(0, value.length - 2))}${value.slice(-2)}`;
}

// ---- Phones ----

export type PhoneProblem = 'format';
export type PhoneResult =
  | { ok: true; normalized: string; kind: 'mobile' | 'landline' }
  | { ok: false; problem: PhoneProblem };

/**
 * Mainland mobiles (1[3-9] and 9 digits, an optional +86/0086 dropped) and landlines (area code
 * 0 + 2–3 digits, a 7–8 digit number, an optional extension), stored as `01012345678` →
 * `010-12345678`, extension after a second '-'.
 */
export function parsePhone(raw: string): PhoneResult {
  const compact = normalizeIdNumber(raw).replace(/[()（）]/g, '');
  const mobile = compact.replace(/^(\+86|0086)-?/, '');
  if (/^1[3-9][0-9]{9}$/.test(mobile)) return { ok: true, normalized: mobile, kind: 'mobile' };
  const landline = /^(0[0-9]{2,3})-?([2-9][0-9]{6,7})(?:-([0-9]{1,6}))?$/.exec(compact);
  if (landline) {
    const [, area, number, extension] = landline;
    return { ok: true, normalized: `${area}-${number}${extension ? `-${extension}` : ''}`, kind: 'landline' };
  }
  return { ok: false, problem: 'format' };
}

/** `138****5678` for mobiles; a landline keeps its area code and last four (`021-****5678`). */
export function maskPhone(value: string): string {
  if (/^1[0-9]{10}$/.test(value)) return `${value.slice(0, 3)}****${value.slice(7)}`;
  const landline = /^(0[0-9]{2,3})-([0-9]+)(-[0-9]+)?$/.exec(value);
  if (landline) {
    const [, area, number = ''] = landline;
    return `${area}-${'*'.repeat(Math.max(0, number.length - 4))}${number.slice(-4)}`;
  }
  return `${'*'.repeat(Math.max(0, value.length - 4))}${value.slice(-4)}`;
}

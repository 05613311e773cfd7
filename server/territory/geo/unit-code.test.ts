import { describe, expect, it } from 'vitest';
import type { UnitLevel } from '../../../common/territory.js';
import { type CodeProblem, districtOfCode, expectedParentCodes, isCodeUnder, levelOfCode } from './unit-code.js';

describe('levelOfCode', () => {
  const valid: [code: string, explicit: UnitLevel | undefined, level: UnitLevel][] = [
    ['310000000000', undefined, 'city'],
    ['310100000000', undefined, 'city'],
    ['310100000000', 'city', 'city'],
    ['310104000000', undefined, 'district'],
    ['310104000000', 'district', 'district'],
    ['310104090000', undefined, 'subdistrict'],
    ['310104090000', 'subdistrict', 'subdistrict'],
    ['310104090001', undefined, 'community'],
    ['310104090001', 'community', 'community'],
    ['310104090001001', undefined, 'grid'],
    ['310104090001001', 'grid', 'grid'],
    ['310104090001100', 'responsibility_grid', 'responsibility_grid'],
  ];
  it.each(valid)('%s (explicit %s) is a %s', (code, explicit, level) => {
    expect(levelOfCode(code, explicit)).toEqual({ ok: true, level });
  });

  const invalid: [code: string, explicit: UnitLevel | undefined, reason: CodeProblem][] = [
    ['', undefined, 'not_digits'],
    ['31010409000a', undefined, 'not_digits'],
    ['310104 09000', undefined, 'not_digits'],
    ['-10104090000', undefined, 'not_digits'],
    ['３１０１０４０９００００', undefined, 'not_digits'],
    ['310104', undefined, 'bad_length'],
    ['3101040900', undefined, 'bad_length'],
    ['3101040900010', undefined, 'bad_length'],
    ['3101040900010010', undefined, 'bad_length'],
    ['000000000000', undefined, 'zero_province'],
    ['001104000000', undefined, 'zero_province'],
    ['310100090000', undefined, 'zero_serial'],
    ['310104000001', undefined, 'zero_serial'],
    ['310100090001', undefined, 'zero_serial'],
    ['310104090001000', undefined, 'zero_serial'],
    ['310104090000001', undefined, 'zero_serial'],
    ['310104000000001', undefined, 'zero_serial'],
    ['310104090001', 'subdistrict', 'level_mismatch'],
    ['310104000000', 'city', 'level_mismatch'],
    ['310104090001', 'grid', 'level_mismatch'],
    ['310104090001001', 'community', 'level_mismatch'],
    ['310104090001001', 'nonsense' as UnitLevel, 'unknown_level'],
  ];
  it.each(invalid)('%j (explicit %s) is refused: %s', (code, explicit, reason) => {
    expect(levelOfCode(code, explicit)).toEqual({ ok: false, reason });
  });
});

describe('districtOfCode', () => {
  it.each([
    ['310104090001001', '310104'],
    ['310104090001', '310104'],
    ['310104000000', '310104'],
    ['310000000000', '310000'],
    ['310100000000', '310100'],
  ])('%s → %s', (code, district) => {
    expect(districtOfCode(code)).toBe(district);
  });
});

describe('expectedParentCodes', () => {
  it.each<[string, UnitLevel, string[]]>([
    ['310000000000', 'city', []],
    ['310104000000', 'district', ['310100000000', '310000000000']],
    ['310104090000', 'subdistrict', ['310104000000']],
    ['310104090001', 'community', ['310104090000']],
    ['310104090001100', 'responsibility_grid', ['310104090001']],
    ['310104090001001', 'grid', ['310104090001']],
  ])('%s (%s) → %j', (code, level, parents) => {
    expect(expectedParentCodes(code, level)).toEqual(parents);
  });
});

describe('isCodeUnder', () => {
  it.each<[child: string, parent: string, parentLevel: UnitLevel]>([
    ['310104000000', '310100000000', 'city'],
    ['310104000000', '310000000000', 'city'],
    ['310104090000', '310104000000', 'district'],
    ['310104090001', '310104090000', 'subdistrict'],
    ['310104090001001', '310104090001', 'community'],
    ['310104090001001', '310104090001100', 'responsibility_grid'],
    ['310104090001', '310104000000', 'district'],
  ])('%s is under %s (%s)', (child, parent, parentLevel) => {
    expect(isCodeUnder(child, parent, parentLevel)).toBe(true);
  });

  it.each<[child: string, parent: string, parentLevel: UnitLevel, why: string]>([
    ['320104000000', '310100000000', 'city', 'another province'],
    ['310204000000', '310100000000', 'city', 'another city'],
    ['310105090000', '310104000000', 'district', 'another district'],
    ['310104091001', '310104090000', 'subdistrict', 'another subdistrict'],
    ['310104090002001', '310104090001', 'community', 'another community'],
    ['310104090002001', '310104090001100', 'responsibility_grid', 'another community'],
    ['310104090001001', '310104090001001', 'responsibility_grid', 'the same code'],
    ['310104000000', '310104090000', 'subdistrict', 'child is higher'],
    ['310104090000', '310104090000', 'subdistrict', 'same level'],
    ['310100000000', '310000000000', 'city', 'city under city'],
    ['310104090001002', '310104090001001', 'grid', 'nothing is under a unit grid'],
    ['310104090001001', '310104090000', 'community', 'parent code does not match its level'],
    ['31010409000x', '310104090000', 'subdistrict', 'invalid child'],
  ])('%s is not under %s (%s): %s', (child, parent, parentLevel) => {
    expect(isCodeUnder(child, parent, parentLevel)).toBe(false);
  });

  it('accepts every expected parent of a valid code', () => {
    const cases: [string, UnitLevel][] = [
      ['310104000000', 'district'],
      ['310104090000', 'subdistrict'],
      ['310104090001', 'community'],
      ['310104090001001', 'grid'],
    ];
    const levels: Record<string, UnitLevel> = {
      '310100000000': 'city',
      '310000000000': 'city',
      '310104000000': 'district',
      '310104090000': 'subdistrict',
      '310104090001': 'community',
    };
    for (const [code, level] of cases) {
      for (const parent of expectedParentCodes(code, level)) {
        const parentLevel = levels[parent];
        expect(parentLevel, parent).toBeDefined();
        if (parentLevel) expect(isCodeUnder(code, parent, parentLevel), `${code} under ${parent}`).toBe(true);
      }
    }
  });
});

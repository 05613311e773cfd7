/**
 * The rule a departmental import follows for each field (provenance.ts), as a matrix of pure cases,
 * and the readers of a row's parts: days as offices write them, relations to the head, members.
 */
import { describe, expect, it } from 'vitest';
import { completeIdNumber } from '../../../common/id-number.js';
import { parseDay } from '../../imports/import-values.js';
import { memberRelation, parseMembers } from './household-import.js';
import { ARCHIVE_SOURCE, type DecideContext, decideField, maskValue, type SourceRow } from './provenance.js';

const CIVIL = 'civil-affairs';
const FEDERATION = 'federation';
const names = new Map([
  [CIVIL, '民政局'],
  [FEDERATION, '残联'],
]);
const on = (source: string, asOf: string, value: string): SourceRow => ({ field: 'address', source, asOf, value });
const ctx = (source: string, asOf: string, sources: SourceRow[], recordDate: string | null = '2026-01-01') =>
  ({ source, asOf, sources, recordDate, names }) satisfies DecideContext;
const claim = (incoming: string, current: string) => ({ field: 'address', incoming, current });

describe('deciding a field', () => {
  const civilMarch = [on(CIVIL, '2026-03-01', '甲路 1 号')];

  it.each([
    ['the same value', ctx(CIVIL, '2026-01-01', civilMarch), claim('甲路 1 号', '甲路 1 号'), [false, false, null]],
    [
      'newer data of the same department',
      ctx(CIVIL, '2026-04-01', civilMarch),
      claim('乙路', '甲路 1 号'),
      [true, false, null],
    ],
    [
      'older data of the same department',
      ctx(CIVIL, '2026-02-01', civilMarch),
      claim('乙路', '甲路 1 号'),
      [false, true, null],
    ],
    [
      'a day no newer than the field’s',
      ctx(FEDERATION, '2026-03-01', civilMarch),
      claim('乙路', '甲路 1 号'),
      [false, true, false],
    ],
    [
      'newer data of another department',
      ctx(FEDERATION, '2026-05-01', civilMarch),
      claim('乙路', '甲路 1 号'),
      [true, false, true],
    ],
    ['an empty field', ctx(FEDERATION, '2020-01-01', []), claim('乙路', ''), [true, false, null]],
    ['a value by hand, older data', ctx(CIVIL, '2025-06-01', []), claim('乙路', '丙路'), [false, true, false]],
    ['a value by hand, newer data', ctx(CIVIL, '2026-06-01', []), claim('乙路', '丙路'), [true, false, true]],
  ] as const)('%s', (_, context, c, [take, kept, conflictTaken]) => {
    const d = decideField(context, c);
    expect([d.take, d.kept, d.conflict ? d.conflict.taken : null]).toEqual([take, kept, conflictTaken]);
  });

  it('names the source holding the record’s value, and dates a hand-entered value by the record', () => {
    const other = decideField(ctx(FEDERATION, '2026-01-15', civilMarch), claim('乙路', '甲路 1 号'));
    expect(other.conflict).toMatchObject({ currentSource: '民政局', currentAsOf: '2026-03-01', taken: false });
    const byHand = decideField(ctx(CIVIL, '2025-06-01', [], '2025-09-09'), claim('乙路', '丙路'));
    expect(byHand.conflict).toMatchObject({ currentSource: '档案 Archive', currentAsOf: '2025-09-09' });
    // A later hand edit (the archive as a source) outranks an older department's value on file.
    const edited = [...civilMarch, on(ARCHIVE_SOURCE, '2026-06-01', '丁路')];
    expect(decideField(ctx(CIVIL, '2026-04-01', edited), claim('乙路', '丁路'))).toMatchObject({ take: false });
  });

  it('masks ID numbers and phones in what a report shows', () => {
    const id = completeIdNumber('31010419800101001');
    expect(maskValue(`${id}:head;13912345678`)).toBe(`310104********${id.slice(-4)}:head;139****5678`);
  });
});

describe('reading a row', () => {
  it('reads days as offices write them, and refuses days that do not exist', () => {
    for (const text of ['2026-03-01', '2026/3/1', '2026.3.1', '2026年3月1日', '20260301', '2026-03-01 00:00:00'])
      expect(parseDay(text)).toBe('2026-03-01');
    for (const text of ['2026-02-30', '2026-13-01', '2026301', '3/1/2026', '2026-03-01 09:15'])
      expect(parseDay(text)).toBeNull();
  });

  it('reads relations in words and GB/T 4761 codes', () => {
    expect(['户主', '02', '配偶', '10', '女', '30', '儿媳', '岳母', '孙女', '71', '保姆'].map(memberRelation)).toEqual([
      'head',
      'head',
      'spouse',
      'spouse',
      'child',
      'child',
      'child_in_law',
      'parent_in_law',
      'grandchild',
      'sibling',
      undefined,
    ]);
  });

  it('reads a members cell and names the bad member', () => {
    const head = completeIdNumber('31010419800101001');
    const wife = completeIdNumber('31010419820202002');
    expect(parseMembers(`${head} 户主；${wife.toLowerCase()}：配偶\n`, '2026-12-01')).toEqual([
      { idNumber: head, relation: 'head' },
      { idNumber: wife, relation: 'spouse' },
    ]);
    expect(() =>
      parseMembers(`${head} 户主；${wife.slice(0, 17)}${wife.endsWith('0') ? '1' : '0'} 配偶`, '2026-12-01'),
    ).toThrow(
      expect.objectContaining({
        code: 'ARCHIVE_ID_NUMBER_INVALID',
        fields: [expect.objectContaining({ path: 'body.members.1' })],
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { answerProblems } from './matter-form.js';
import { normalizeName, personNameKeys, readNameQuery, searchGrams } from './name-keys.js';

describe('name keys', () => {
  it('reads surnames as surnames and keeps letters', () => {
    expect(personNameKeys('单雄信')).toEqual({ pinyin: 'shanxiongxin', initials: 'sxx' });
    expect(personNameKeys('曾国藩')).toEqual({ pinyin: 'zengguofan', initials: 'zgf' });
    expect(personNameKeys('阿依古丽·买买提')).toEqual({ pinyin: 'ayigulimaimaiti', initials: 'ayglmmt' });
    expect(personNameKeys('李Lei')).toEqual({ pinyin: 'lilei', initials: 'll' });
  });

  it('normalizes separators and reads queries as pinyin or characters', () => {
    expect(normalizeName('  阿依古丽•买买提 ')).toBe('阿依古丽·买买提');
    expect(readNameQuery('ZS')).toEqual({ kind: 'pinyin', text: 'zs' });
    expect(readNameQuery('张 三')).toEqual({ kind: 'name', text: '张三' });
    expect(readNameQuery('  ')).toBeNull();
  });

  it('cuts the grams the database indexes (migration 0016 archive_grams)', () => {
    expect(searchGrams('张')).toEqual(['张']);
    expect(searchGrams('梧桐路')).toEqual(['梧桐', '桐路']);
    expect(searchGrams('')).toEqual([]);
  });
});

describe('matter answers', () => {
  const fields = [
    { key: 'n', labelZh: '数', labelEn: 'n', type: 'number' as const, required: true },
    { key: 'c', labelZh: '选', labelEn: 'c', type: 'choice' as const, required: false, options: ['甲', '乙'] },
  ];
  it('accepts fitting answers and names each that does not fit', () => {
    expect(answerProblems(fields, { n: 3, c: '甲' })).toEqual([]);
    expect(answerProblems(fields, { n: 3 })).toEqual([]);
    expect(answerProblems(fields, { n: '3', c: '丙' }).map((p) => p.path)).toEqual([
      'body.answers.n',
      'body.answers.c',
    ]);
    expect(answerProblems(fields, {})).toEqual([{ path: 'body.answers.n', reason: 'required' }]);
  });
});

/**
 * The form and its answers: `attribute[code]` and `attribute[code][]` read from a form-encoded
 * body, then checked against the questions as the service definition describes them.
 */
import { describe, expect, it } from 'vitest';
import { answerLines, checkAnswers } from '../cases/catalogue/answers.js';
import { parseForm } from './form.js';
import { QUESTIONS } from './test-world.js';

const check = (answers: Record<string, string | string[]>) => checkAnswers(QUESTIONS, answers);
const reasons = (answers: Record<string, string | string[]>) =>
  check(answers).problems.map((p) => `${p.path}: ${p.reason}`);

describe('Open311 form bodies', () => {
  it('reads fields, attribute[code] and attribute[code][] (UTF-8, + as a space)', () => {
    const body =
      'api_key=k&description=%E4%BA%95%E7%9B%96+%E4%B8%A2%E5%A4%B1&attribute[kind]=bulky' +
      '&attribute%5Bsmells%5D%5B%5D=rot&attribute[smells][]=chemical&lat=31.2&lat=31.3';
    expect(parseForm(body)).toEqual({
      api_key: 'k',
      description: '井盖 丢失',
      lat: '31.3',
      attribute: { kind: 'bulky', smells: ['rot', 'chemical'] },
    });
  });

  it('refuses keys that start like an attribute but are not one, naming them', () => {
    let error: unknown;
    try {
      parseForm('attribute[]=x&attribute[a][b]=y&attribute=z&attributes=w&api_key=k&attribute[ok]=1');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'OPEN311_ATTRIBUTE_INVALID',
      fields: ['attribute[]', 'attribute[a][b]', 'attribute', 'attributes'].map((path) => ({
        path,
        reason: expect.any(String),
      })),
    });
  });
});

describe('Open311 answers', () => {
  it('accepts answers that fit, trimmed, a multivaluelist as a list without repeats', () => {
    expect(
      check({ kind: ' bulky ', bins: '3', smells: ['rot', 'rot', 'chemical'], seen: '2026-11-22T08:30:00+08:00' }),
    ).toEqual({
      problems: [],
      answers: { kind: 'bulky', bins: '3', smells: ['rot', 'chemical'], seen: '2026-11-22T08:30:00+08:00' },
    });
    expect(check({ kind: 'household', smells: 'rot' }).answers).toEqual({ kind: 'household', smells: ['rot'] });
  });

  it('asks for required answers; an empty optional answer counts as none', () => {
    expect(reasons({})).toEqual(['attribute[kind]: required']);
    expect(reasons({ kind: '  ' })).toEqual(['attribute[kind]: required']);
    expect(check({ kind: 'bulky', bins: '' })).toEqual({ problems: [], answers: { kind: 'bulky' } });
  });

  it('refuses answers that do not fit their datatype, and questions the service does not ask', () => {
    expect(reasons({ kind: 'glass' })).toEqual(['attribute[kind]: "glass" is not one of its values']);
    expect(reasons({ kind: ['bulky', 'household'] })).toEqual(['attribute[kind]: takes one value, not a list']);
    expect(reasons({ kind: 'bulky', smells: ['rot', 'roses'] })).toEqual([
      'attribute[smells]: "roses" is not one of its values',
    ]);
    expect(reasons({ kind: 'bulky', bins: 'three' })).toEqual(['attribute[bins]: not a number']);
    expect(reasons({ kind: 'bulky', bins: '1e3' })).toEqual([]);
    expect(reasons({ kind: 'bulky', seen: '2026-13-45' })).toEqual(['attribute[seen]: not an ISO 8601 date or time']);
    expect(reasons({ kind: 'bulky', seen: '2026-02-30T08:00:00+08:00' })).toEqual([
      'attribute[seen]: not an ISO 8601 date or time',
    ]);
    expect(reasons({ kind: 'bulky', seen: 'last night' })).toEqual(['attribute[seen]: not an ISO 8601 date or time']);
    expect(reasons({ kind: 'bulky', colour: 'red' })).toEqual(['attribute[colour]: not a question of this service']);
  });

  it('keeps strings on one line and within their length', () => {
    const questions = [
      {
        code: 'plate',
        datatype: 'string' as const,
        required: true,
        order: 1,
        description: { zh: '车牌', en: 'Plate' },
        values: [],
      },
      {
        code: 'notes',
        datatype: 'text' as const,
        required: false,
        order: 2,
        description: { zh: '说明', en: 'Notes' },
        values: [],
      },
    ];
    expect(checkAnswers(questions, { plate: '沪A\n12345' }).problems).toEqual([
      { path: 'attribute[plate]', reason: 'a string takes no line breaks' },
    ]);
    expect(checkAnswers(questions, { plate: '沪A12345', notes: 'line 1\nline 2' }).problems).toEqual([]);
    expect(checkAnswers(questions, { plate: 'x'.repeat(1_001) }).problems[0]?.reason).toBe(
      'longer than 1000 characters',
    );
  });

  it('writes the answers for the case in the questions’ order, list keys by their names', () => {
    expect(answerLines(QUESTIONS, { smells: ['rot', 'chemical'], kind: 'bulky', bins: '2' })).toEqual([
      '垃圾种类 / Kind of rubbish: 大件垃圾 / Bulky items',
      '满溢的垃圾桶数量 / How many bins overflow: 2',
      '异味 / Smells: 腐臭 / Rotting、化学品味 / Chemical',
    ]);
  });
});

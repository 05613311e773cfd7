/**
 * Answers to a service's questions (`attribute[code]`), checked against the category's questions
 * the way the service definition describes them: required ones present, list answers among the
 * offered keys (one for a singlevaluelist, any number for a multivaluelist), numbers numeric,
 * datetimes ISO 8601, strings on one line. An empty answer to an optional question counts as none.
 */
import { type Answers, type CategoryQuestion, isListDatatype, type NamedText } from '../../../common/catalogue.js';
import { isCalendarTime } from '../../calendar/civil.js';
import type { FieldProblem } from '../../http/app-error.js';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** ISO 8601 as the W3C note writes it: a date, optionally a time with optional seconds and zone. */
const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const LIMITS = { string: 1_000, text: 4_000 } as const;

function problemOf(q: CategoryQuestion, value: string | string[]): string | undefined {
  const values = Array.isArray(value) ? value : [value];
  if (q.datatype === 'multivaluelist') {
    const keys = new Set(q.values.map((v) => v.key));
    const unknown = values.find((v) => !keys.has(v));
    return unknown === undefined ? undefined : `"${unknown}" is not one of its values`;
  }
  if (Array.isArray(value)) return 'takes one value, not a list';
  if (q.datatype === 'singlevaluelist')
    return q.values.some((v) => v.key === value) ? undefined : `"${value}" is not one of its values`;
  if (q.datatype === 'number') return NUMBER.test(value.trim()) ? undefined : 'not a number';
  if (q.datatype === 'datetime')
    return DATETIME.test(value.trim()) && isCalendarTime(value.trim()) && !Number.isNaN(Date.parse(value.trim()))
      ? undefined
      : 'not an ISO 8601 date or time';
  if (q.datatype === 'string' && /[\r\n]/.test(value)) return 'a string takes no line breaks';
  const max = q.datatype === 'string' ? LIMITS.string : LIMITS.text;
  return value.length > max ? `longer than ${max} characters` : undefined;
}

const isEmpty = (value: string | string[]) =>
  Array.isArray(value) ? value.every((v) => v.trim() === '') : value.trim() === '';

/**
 * The problems with the answers (field paths `attribute[code]`), and the answers kept: trimmed, a
 * multivaluelist's as a list without repeats, in the order of the questions.
 */
export function checkAnswers(
  questions: readonly CategoryQuestion[],
  answers: Answers,
): { problems: FieldProblem[]; answers: Answers } {
  const problems: FieldProblem[] = [];
  const kept: Answers = {};
  const byCode = new Map(questions.map((q) => [q.code, q]));
  for (const code of Object.keys(answers)) {
    if (!byCode.has(code)) problems.push({ path: `attribute[${code}]`, reason: 'not a question of this service' });
  }
  for (const q of [...questions].sort((a, b) => a.order - b.order)) {
    const raw = answers[q.code];
    if (raw === undefined || isEmpty(raw)) {
      if (q.required) problems.push({ path: `attribute[${q.code}]`, reason: 'required' });
      continue;
    }
    const value = Array.isArray(raw) ? raw.map((v) => v.trim()).filter(Boolean) : raw.trim();
    const problem = problemOf(q, value);
    if (problem) problems.push({ path: `attribute[${q.code}]`, reason: problem });
    else kept[q.code] = q.datatype === 'multivaluelist' ? [...new Set(Array.isArray(value) ? value : [value])] : value;
  }
  return { problems, answers: kept };
}

/**
 * The answers as lines a dispatcher reads on the case ("question: answer", list keys by their names),
 * in Chinese with the English after a slash when it differs.
 */
export function answerLines(questions: readonly CategoryQuestion[], answers: Answers): string[] {
  const both = (t: NamedText) => (t.zh === t.en ? t.zh : `${t.zh} / ${t.en}`);
  return [...questions]
    .sort((a, b) => a.order - b.order)
    .flatMap((q) => {
      const answer = answers[q.code];
      if (answer === undefined) return [];
      const shown = (Array.isArray(answer) ? answer : [answer]).map((v) => {
        const named = isListDatatype(q.datatype) ? q.values.find((x) => x.key === v)?.name : undefined;
        return named ? both(named) : v;
      });
      return [`${both(q.description)}: ${shown.join('、')}`];
    });
}

/** The description a dispatcher reads: the reporter's own text, then the extra lines under a heading. */
export const withExtraLines = (description: string, extra: readonly string[]): string =>
  extra.length ? [description, '', '补充信息 Additional information:', ...extra].join('\n') : description;

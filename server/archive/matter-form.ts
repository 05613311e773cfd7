/**
 * 一事一表 (matter forms): a form's fields are data, and a filled record's answers are checked
 * against them — required fields present, each answer of its field's type, choices from the list,
 * no answers to fields the form does not have. Pure.
 */
import { isCalendarDate } from '../../common/id-number.js';
import type { FieldProblem } from '../http/app-error.js';
import type { MatterField } from './archive.tables.js';

export type Answer = string | number | boolean | null;

/** Problems of a form's field list: keys unique, choices with options. */
export function fieldListProblems(fields: readonly MatterField[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  fields.forEach((f, i) => {
    if (fields.findIndex((g) => g.key === f.key) !== i)
      problems.push({ path: `body.fields.${i}.key`, reason: 'repeated' });
    if (f.type === 'choice' && !(f.options && f.options.length > 0))
      problems.push({ path: `body.fields.${i}.options`, reason: 'a choice needs options' });
  });
  return problems;
}

function answerProblem(field: MatterField, value: Answer): string | undefined {
  if (value === null || value === '') return field.required ? 'required' : undefined;
  switch (field.type) {
    case 'text':
      return typeof value === 'string' && value.length <= 2000 ? undefined : 'text up to 2000 characters';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'date': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
      return m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? undefined : 'a date YYYY-MM-DD';
    }
    case 'choice':
      return typeof value === 'string' && field.options?.includes(value) ? undefined : 'one of the options';
  }
}

/** Every problem of the answers against the form's fields. */
export function answerProblems(fields: readonly MatterField[], answers: Record<string, Answer>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const reason = answerProblem(field, answers[field.key] ?? null);
    if (reason) problems.push({ path: `body.answers.${field.key}`, reason });
  }
  for (const key of Object.keys(answers))
    if (!fields.some((f) => f.key === key))
      problems.push({ path: `body.answers.${key}`, reason: 'not a field of the form' });
  return problems;
}

/**
 * A category's extra questions as the form edits them: a blank question to add, what is wrong with
 * the list (the server's own rules, so the administrator hears them before saving), and whether
 * the list differs from the saved one.
 */
import { type CategoryQuestion, isListDatatype, QUESTION_CODE_PATTERN, QUESTION_LIMITS } from '@common/catalogue';

export type QuestionProblem = 'codeInvalid' | 'codeTaken' | 'orderTaken' | 'valuesNeeded' | 'required';

/** A new question after the others: the next free order, a code the administrator will change. */
export function blankQuestion(existing: readonly CategoryQuestion[]): CategoryQuestion {
  const order = Math.max(0, ...existing.map((q) => q.order)) + 1;
  return { code: `q${order}`, datatype: 'string', required: false, order, description: { zh: '', en: '' }, values: [] };
}

/** The problems of the list, each once, in a fixed order. */
export function questionProblems(questions: readonly CategoryQuestion[]): QuestionProblem[] {
  const found = new Set<QuestionProblem>();
  const codes = new Set<string>();
  const orders = new Set<number>();
  for (const q of questions) {
    if (!QUESTION_CODE_PATTERN.test(q.code)) found.add('codeInvalid');
    if (codes.has(q.code)) found.add('codeTaken');
    if (orders.has(q.order)) found.add('orderTaken');
    codes.add(q.code);
    orders.add(q.order);
    if (!q.description.zh.trim() || !q.description.en.trim()) found.add('required');
    if (isListDatatype(q.datatype)) {
      if (q.values.length === 0) found.add('valuesNeeded');
      const keys = new Set<string>();
      for (const v of q.values) {
        if (!QUESTION_CODE_PATTERN.test(v.key)) found.add('codeInvalid');
        if (keys.has(v.key)) found.add('codeTaken');
        keys.add(v.key);
        if (!v.name.zh.trim() || !v.name.en.trim()) found.add('required');
      }
    }
  }
  const order: QuestionProblem[] = ['required', 'codeInvalid', 'codeTaken', 'orderTaken', 'valuesNeeded'];
  return order.filter((p) => found.has(p));
}

/** The list as the server takes it: trimmed, list values only on list questions, in order. */
export function cleanQuestions(questions: readonly CategoryQuestion[]): CategoryQuestion[] {
  return [...questions]
    .sort((a, b) => a.order - b.order)
    .slice(0, QUESTION_LIMITS.questions)
    .map((q) => ({
      code: q.code.trim(),
      datatype: q.datatype,
      required: q.required,
      order: q.order,
      description: { zh: q.description.zh.trim(), en: q.description.en.trim() },
      values: isListDatatype(q.datatype)
        ? q.values.map((v) => ({ key: v.key.trim(), name: { zh: v.name.zh.trim(), en: v.name.en.trim() } }))
        : [],
    }));
}

export const sameQuestions = (a: readonly CategoryQuestion[], b: readonly CategoryQuestion[]) =>
  JSON.stringify(cleanQuestions(a)) === JSON.stringify(cleanQuestions(b));

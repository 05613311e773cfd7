/**
 * The case category catalogue (案件分类) as the web sees it: categories (部件 / 事件, 大类 + 小类),
 * their time limits (时限) and dispatch rules (派遣规则). A major is stored as the category `xx00`.
 */
import type { Stage, Urgency } from './cases.js';
import type { DepartmentKind, UnitLevel } from './territory.js';

export const CATEGORY_KINDS = ['component', 'event'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

export const CATEGORY_KIND_LABELS: Record<CategoryKind, { zh: string; en: string }> = {
  component: { zh: '部件', en: 'Component' },
  event: { zh: '事件', en: 'Event' },
};

/** Units a time limit is counted in: natural time runs round the clock, working time on the calendar. */
export const TIME_LIMIT_UNITS = ['natural_minutes', 'natural_hours', 'working_hours', 'working_days'] as const;
export type TimeLimitUnit = (typeof TIME_LIMIT_UNITS)[number];

export const TIME_LIMIT_UNIT_LABELS: Record<TimeLimitUnit, { zh: string; en: string }> = {
  natural_minutes: { zh: '分钟（自然时间）', en: 'minutes' },
  natural_hours: { zh: '小时（自然时间）', en: 'hours' },
  working_hours: { zh: '工作小时', en: 'working hours' },
  working_days: { zh: '工作日', en: 'working days' },
};

/** The longest limit that may be set, per unit (about three months of working time): beyond that it is a typo. */
export const TIME_LIMIT_MAX: Record<TimeLimitUnit, number> = {
  natural_minutes: 60 * 24 * 30,
  natural_hours: 24 * 90,
  working_hours: 8 * 60,
  working_days: 60,
};

/** A category's code: 2-digit major + 2-digit minor; minor `00` is the major itself; major `00` does not exist. */
export const CATEGORY_CODE_PATTERN = /^(?!00)\d{4}$/;

export const isMajorCode = (code: string) => code.endsWith('00');

export interface NamedText {
  zh: string;
  en: string;
}

/**
 * A category's extra questions (补充问题): what a reporter is asked beyond the description, served as
 * the Open311 service definition's attributes. `order` sorts them (1 first); list questions offer
 * `values`, the others none.
 */
export const QUESTION_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type QuestionDatatype = (typeof QUESTION_DATATYPES)[number];

export const QUESTION_DATATYPE_LABELS: Record<QuestionDatatype, { zh: string; en: string }> = {
  string: { zh: '单行文字', en: 'Text (one line)' },
  number: { zh: '数字', en: 'Number' },
  datetime: { zh: '日期时间', en: 'Date and time' },
  text: { zh: '多行文字', en: 'Text (several lines)' },
  singlevaluelist: { zh: '单选', en: 'One choice' },
  multivaluelist: { zh: '多选', en: 'Several choices' },
};

/** Datatypes whose answers are picked from `values`. */
export const isListDatatype = (d: QuestionDatatype) => d === 'singlevaluelist' || d === 'multivaluelist';

/** At most this many questions per category, and values per question. */
export const QUESTION_LIMITS = { questions: 20, values: 50 } as const;

/** A question's code: letters, digits, `_` and `-` (it travels in form fields as attribute[code]). */
export const QUESTION_CODE_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/** Answers to a category's questions by question code: one value, or several for a multivaluelist. */
export type Answers = Record<string, string | string[]>;

export interface CategoryQuestion {
  code: string;
  datatype: QuestionDatatype;
  required: boolean;
  order: number;
  description: NamedText;
  values: { key: string; name: NamedText }[];
}

export interface TimeLimitView {
  urgency: Urgency;
  stage: Stage;
  amount: number;
  unit: TimeLimitUnit;
}

/** Where an effective limit comes from: the category's own, the installation default, the built-in fallback. */
export type TimeLimitSource = 'category' | 'default' | 'fallback';

export interface CategoryView {
  id: string;
  code: string;
  majorCode: string;
  /** True for the major's own row (`xx00`); cases are reported under minors only. */
  isMajor: boolean;
  kind: CategoryKind;
  name: NamedText;
  departmentKind: DepartmentKind | null;
  selfRegister: boolean;
  selfHandle: boolean;
  duplicateRadiusM: number;
  duplicateWindowDays: number;
  serviceNotice: NamedText | null;
  keywords: string[];
  disabled: boolean;
  /** Extra questions asked when reporting under it (Open311 attributes), in order. */
  questions: CategoryQuestion[];
  /** The category's own limits (the rest come from the defaults). */
  limits: TimeLimitView[];
  abilities: { update: boolean };
}

export interface CategoryDetail extends CategoryView {
  /** Every urgency × stage, as a new case of this category would be timed. */
  effectiveLimits: (TimeLimitView & { source: TimeLimitSource })[];
  /** Cases of this category not yet closed, rejected or merged. */
  openCases: number;
}

export interface CategoryList {
  items: CategoryView[];
  /** The installation's default limits (category-less rows). */
  defaults: TimeLimitView[];
  abilities: { create: boolean; setDefaults: boolean; manageRules: boolean };
}

export interface DispatchRuleView {
  id: string;
  category: { code: string; name: NamedText };
  unit: { id: string; code: string; name: string; level: UnitLevel };
  department: { id: string; code: string; name: string; kind: DepartmentKind | null };
  createdAt: string;
  abilities: { delete: boolean };
}

/**
 * Catalogue rows → API views. The effective limits are computed here the way `limitFor` times a case:
 * the category's own, else the default, else the built-in fallback.
 */
import { STAGES, URGENCIES } from '../../../common/cases.js';
import type {
  CategoryDetail,
  CategoryView,
  DispatchRuleView,
  TimeLimitSource,
  TimeLimitView,
} from '../../../common/catalogue.js';
import { DEPARTMENT_KINDS, type DepartmentKind } from '../../../common/territory.js';
import type { Actor } from '../../accounts/actor.js';
import { FALLBACK_LIMITS } from '../case-clock.js';
import { cataloguePolicy, dispatchRulePolicy } from './catalogue.policy.js';
import type { CategoryRow, LimitRow, RuleRow } from './catalogue.repository.js';

/** A kind typed in by hand in SQL that the web would not know is shown as none. */
const departmentKind = (kind: string | null): DepartmentKind | null =>
  kind && (DEPARTMENT_KINDS as readonly string[]).includes(kind) ? (kind as DepartmentKind) : null;

const limitView = (l: LimitRow): TimeLimitView => ({
  urgency: l.urgency,
  stage: l.stage,
  amount: l.amount,
  unit: l.unit,
});

/** Order of limits in every answer: by urgency, then by stage, as the vocabulary lists them. */
function ordered<T extends TimeLimitView>(limits: T[]): T[] {
  const rank = (l: TimeLimitView) => URGENCIES.indexOf(l.urgency) * STAGES.length + STAGES.indexOf(l.stage);
  return [...limits].sort((a, b) => rank(a) - rank(b));
}

export function presentLimits(rows: readonly LimitRow[]): TimeLimitView[] {
  return ordered(rows.map(limitView));
}

export function presentCategory(actor: Actor | null, c: CategoryRow, limits: readonly LimitRow[]): CategoryView {
  return {
    id: c.id,
    code: c.code,
    majorCode: c.majorCode,
    isMajor: c.code.endsWith('00'),
    kind: c.kind,
    name: { zh: c.nameZh, en: c.nameEn },
    departmentKind: departmentKind(c.departmentKind),
    selfRegister: c.selfRegister,
    selfHandle: c.selfHandle,
    duplicateRadiusM: c.duplicateRadiusM,
    duplicateWindowDays: c.duplicateWindowDays,
    serviceNotice:
      c.serviceNoticeZh || c.serviceNoticeEn
        ? { zh: c.serviceNoticeZh ?? c.serviceNoticeEn ?? '', en: c.serviceNoticeEn ?? c.serviceNoticeZh ?? '' }
        : null,
    keywords: c.keywords,
    disabled: c.disabled,
    questions: [...c.questions].sort((a, b) => a.order - b.order),
    limits: presentLimits(limits.filter((l) => l.categoryId === c.id)),
    abilities: { update: cataloguePolicy.manage(actor) },
  };
}

/** `limits`: the category's own rows and the defaults. */
export function presentCategoryDetail(
  actor: Actor | null,
  c: CategoryRow,
  limits: readonly LimitRow[],
  openCases: number,
): CategoryDetail {
  const effectiveLimits: CategoryDetail['effectiveLimits'] = [];
  for (const urgency of URGENCIES) {
    for (const stage of STAGES) {
      const match = (categoryId: string | null) =>
        limits.find((l) => l.categoryId === categoryId && l.urgency === urgency && l.stage === stage);
      const own = match(c.id);
      const fallback = match(null);
      const [row, source]: [TimeLimitView, TimeLimitSource] = own
        ? [limitView(own), 'category']
        : fallback
          ? [limitView(fallback), 'default']
          : [{ urgency, stage, ...FALLBACK_LIMITS[stage] }, 'fallback'];
      effectiveLimits.push({ ...row, source });
    }
  }
  return { ...presentCategory(actor, c, limits), effectiveLimits, openCases };
}

export function presentRule(actor: Actor | null, r: RuleRow): DispatchRuleView {
  return {
    id: r.id,
    category: { code: r.categoryCode, name: { zh: r.categoryNameZh, en: r.categoryNameEn } },
    unit: { id: r.unitId, code: r.unitCode, name: r.unitName, level: r.unitLevel },
    department: {
      id: r.departmentId,
      code: r.departmentCode,
      name: r.departmentName,
      kind: departmentKind(r.departmentKind),
    },
    createdAt: r.createdAt.toISOString(),
    abilities: { delete: dispatchRulePolicy.manage(actor, r) },
  };
}

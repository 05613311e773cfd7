/**
 * Dispatch rules (派遣规则) of the demo: every built-in category goes to the demo department of its
 * kind, by a rule at the unit that department serves (the subdistrict for its own offices, the
 * district for district bureaus), and a few committees route one category elsewhere — so the
 * dispatcher sees "the most specific unit wins" at work.
 */
import { v7 as uuidv7 } from 'uuid';
import type { DepartmentKind, DepartmentLevel } from '../../common/territory.js';
import type { AuditContext } from '../audit/audit.writer.js';
import { writeAudit } from '../audit/audit.writer.js';
import { BUILTIN_ENTRIES } from '../cases/catalogue/builtin-catalogue.js';
import type { BuiltinEntry } from '../cases/catalogue/catalogue.types.js';
import type { Trx } from '../db/database.js';
import { type DemoData, type DemoDepartment, demoCommitteeCode } from './demo-data.js';

export interface DemoRulePlan {
  categoryCode: string;
  unitCode: string;
  departmentCode: string;
}

/** Infrastructure the demo has no bureau of its own for: the district's 建设和管理委员会 takes it. */
const INFRASTRUCTURE: readonly DepartmentKind[] = ['transport', 'water', 'utilities'];

/** Committee-level exceptions (committee index, category, the department by level and kind). */
export const DEMO_RULE_OVERRIDES: readonly {
  committee: number;
  categoryCode: string;
  department: { level: DepartmentLevel; kind: DepartmentKind };
  why: string;
}[] = [
  {
    committee: 0,
    categoryCode: '1506',
    department: { level: 'subdistrict', kind: 'other' },
    why: '梧桐苑 has a residents’ parking team run through the 社区管理办',
  },
  {
    committee: 3,
    categoryCode: '1503',
    department: { level: 'subdistrict', kind: 'market_regulation' },
    why: '康宁小区’s street market is managed by the 市场监管所',
  },
  {
    committee: 6,
    categoryCode: '1505',
    department: { level: 'subdistrict', kind: 'urban_enforcement' },
    why: '银杏新村’s pedestrian street is patrolled by the 城管执法中队',
  },
];

/** The demo department for a department kind: the subdistrict's own, else the district's, else a general one. */
export function demoDepartmentFor(kind: DepartmentKind, departments: readonly DemoDepartment[]): DemoDepartment {
  const pick = (k: DepartmentKind, level: DepartmentLevel) =>
    departments.find((d) => d.kind === k && d.level === level);
  const found =
    pick(kind, 'subdistrict') ??
    pick(kind, 'district') ??
    (INFRASTRUCTURE.includes(kind) ? pick('other', 'district') : undefined) ??
    pick('other', 'subdistrict') ??
    departments[0];
  if (!found) throw new Error('the demo has no departments');
  return found;
}

/** The rules to write, as codes (pure: the seed test and the writer share it). */
export function planDemoDispatchRules(
  demo: Pick<DemoData, 'departments'>,
  categories: readonly BuiltinEntry[] = BUILTIN_ENTRIES,
): DemoRulePlan[] {
  const plans = categories.map((c) => {
    const department = demoDepartmentFor(c.department, demo.departments);
    return { categoryCode: c.code, unitCode: department.servesUnitCode, departmentCode: department.code };
  });
  for (const o of DEMO_RULE_OVERRIDES) {
    const department = demo.departments.find((d) => d.level === o.department.level && d.kind === o.department.kind);
    if (!department) throw new Error(`the demo has no ${o.department.level} ${o.department.kind} department`);
    plans.push({
      categoryCode: o.categoryCode,
      unitCode: demoCommitteeCode(o.committee),
      departmentCode: department.code,
    });
  }
  return plans;
}

/** Writes the demo's rules (existing ones for the same category and unit are kept); returns how many were new. */
export async function seedDemoDispatchRules(trx: Trx, audit: AuditContext, demo: DemoData): Promise<number> {
  const plans = planDemoDispatchRules(demo);
  const ids = async (table: 'category' | 'department', codes: string[]) =>
    new Map(
      (await trx.selectFrom(table).select(['id', 'code']).where('code', 'in', codes).execute()).map((r) => [
        r.code,
        r.id,
      ]),
    );
  const category = await ids(
    'category',
    plans.map((p) => p.categoryCode),
  );
  const department = await ids(
    'department',
    plans.map((p) => p.departmentCode),
  );
  const units = await trx
    .selectFrom('unit')
    .select(['id', 'code', 'path', 'district'])
    .where(
      'code',
      'in',
      plans.map((p) => p.unitCode),
    )
    .execute();
  const unit = new Map(units.map((u) => [u.code, u]));
  const now = new Date();
  const rows = plans.flatMap((p) => {
    const categoryId = category.get(p.categoryCode);
    const u = unit.get(p.unitCode);
    const departmentId = department.get(p.departmentCode);
    // Without the catalogue installed (or the demo's units and departments) there is nothing to route.
    if (!categoryId || !u || !departmentId) return [];
    return [
      { id: uuidv7(), categoryId, unitId: u.id, unitPath: u.path, district: u.district, departmentId, createdAt: now },
    ];
  });
  if (rows.length === 0) return 0;
  const written = await trx
    .insertInto('dispatchRule')
    .values(rows)
    .onConflict((oc) => oc.columns(['categoryId', 'unitId']).doNothing())
    .returning('id')
    .execute();
  await writeAudit(trx, audit, { action: 'dispatch_rules.seeded', data: { source: 'demo', rules: written.length } });
  return written.length;
}

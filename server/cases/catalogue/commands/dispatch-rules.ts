/**
 * Adding and removing a dispatch rule (category × unit → department). The rule on the most specific
 * unit wins (`suggestDepartment`), so a committee-level rule overrides the subdistrict's.
 */
import { v7 as uuidv7 } from 'uuid';
import { type AuditContext, writeAudit } from '../../../audit/audit.writer.js';
import type { Trx } from '../../../db/database.js';
import { AppError } from '../../../http/app-error.js';

export interface CreateRuleProps {
  category: { id: string; code: string };
  unit: { id: string; code: string; path: string; district: string };
  department: { id: string; code: string; servesPath: string; deployedToPath: string | null };
}

/** A department serves the territory it was set up for, and the subdistrict it is deployed to. */
export function departmentServes(department: CreateRuleProps['department'], unitPath: string): boolean {
  return (
    unitPath.startsWith(department.servesPath) ||
    (department.deployedToPath !== null && unitPath.startsWith(department.deployedToPath))
  );
}

export async function createDispatchRule(trx: Trx, audit: AuditContext, props: CreateRuleProps): Promise<string> {
  if (!departmentServes(props.department, props.unit.path)) {
    throw new AppError('DISPATCH_RULE_DEPARTMENT_OUTSIDE', {
      fields: [{ path: 'body.departmentId', reason: `does not serve ${props.unit.code}` }],
    });
  }
  const id = uuidv7();
  const inserted = await trx
    .insertInto('dispatchRule')
    .values({
      id,
      categoryId: props.category.id,
      unitId: props.unit.id,
      unitPath: props.unit.path,
      district: props.unit.district,
      departmentId: props.department.id,
      createdAt: new Date(),
    })
    .onConflict((oc) => oc.columns(['categoryId', 'unitId']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    throw new AppError('DISPATCH_RULE_DUPLICATE', {
      fields: [{ path: 'body.unitId', reason: `${props.category.code} already has a rule here` }],
    });
  }
  await writeAudit(
    trx,
    audit,
    {
      action: 'dispatch_rule.created',
      data: { category: props.category.code, unit: props.unit.code, department: props.department.code },
    },
    { type: 'dispatch_rule', id, district: props.unit.district },
  );
  return id;
}

export async function deleteDispatchRule(
  trx: Trx,
  audit: AuditContext,
  rule: { id: string; district: string; categoryCode: string; unitCode: string; departmentCode: string },
): Promise<void> {
  await trx.deleteFrom('dispatchRule').where('id', '=', rule.id).execute();
  await writeAudit(
    trx,
    audit,
    {
      action: 'dispatch_rule.deleted',
      data: { category: rule.categoryCode, unit: rule.unitCode, department: rule.departmentCode },
    },
    { type: 'dispatch_rule', id: rule.id, district: rule.district },
  );
}

import { v7 as uuidv7 } from 'uuid';
import { DEPARTMENT_ROLES, type Role } from '../../../common/roles.js';
import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';

export interface GrantRoleProps {
  accountId: string;
  role: Role;
  unit: { id: string; code: string; path: string; district: string };
  department: { id: string; code: string } | null;
  grantedBy: string | null;
}

/** Gives an account a role over a unit subtree (and a department, for handlers). */
export async function grantRole(trx: Trx, audit: AuditContext, props: GrantRoleProps): Promise<string> {
  if (DEPARTMENT_ROLES.includes(props.role) !== (props.department !== null)) {
    throw new AppError('GRANT_DEPARTMENT_REQUIRED', {
      fields: [{ path: 'body.departmentId', reason: 'required for handlers only' }],
    });
  }
  const existing = await trx
    .selectFrom('accountGrant')
    .select('id')
    .where('accountId', '=', props.accountId)
    .where('role', '=', props.role)
    .where('unitId', '=', props.unit.id)
    .where('departmentId', props.department ? '=' : 'is', props.department?.id ?? null)
    .executeTakeFirst();
  if (existing) throw new AppError('GRANT_DUPLICATE');
  const id = uuidv7();
  await trx
    .insertInto('accountGrant')
    .values({
      id,
      accountId: props.accountId,
      role: props.role,
      unitId: props.unit.id,
      unitPath: props.unit.path,
      district: props.unit.district,
      departmentId: props.department?.id ?? null,
      grantedBy: props.grantedBy,
      createdAt: new Date(),
    })
    .execute();
  await writeAudit(
    trx,
    audit,
    {
      action: 'account.granted',
      data: { role: props.role, unit: props.unit.code, department: props.department?.code ?? null },
    },
    { type: 'account', id: props.accountId, district: props.unit.district },
  );
  return id;
}

/** Takes a grant away. */
export async function revokeGrant(
  trx: Trx,
  audit: AuditContext,
  props: {
    accountId: string;
    grantId: string;
    role: Role;
    unitCode: string;
    departmentCode: string | null;
    district: string;
  },
): Promise<void> {
  await trx
    .deleteFrom('accountGrant')
    .where('id', '=', props.grantId)
    .where('accountId', '=', props.accountId)
    .execute();
  await writeAudit(
    trx,
    audit,
    { action: 'account.revoked', data: { role: props.role, unit: props.unitCode, department: props.departmentCode } },
    { type: 'account', id: props.accountId, district: props.district },
  );
}

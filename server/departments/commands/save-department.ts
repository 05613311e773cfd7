import { v7 as uuidv7 } from 'uuid';
import type { DepartmentKind, DepartmentLevel } from '../../../common/territory.js';
import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';

export interface CreateDepartmentProps {
  code: string;
  name: string;
  kind: DepartmentKind;
  level: DepartmentLevel;
  servesUnit: { id: string; path: string; district: string };
  deployedToUnitId: string | null;
}

/** Creates a department (条) serving a unit's territory, optionally deployed (下沉) to a subdistrict. */
export async function createDepartment(trx: Trx, audit: AuditContext, props: CreateDepartmentProps): Promise<string> {
  const taken = await trx.selectFrom('department').select('id').where('code', '=', props.code).executeTakeFirst();
  if (taken) throw new AppError('DEPARTMENT_CODE_DUPLICATE', { fields: [{ path: 'body.code', reason: 'taken' }] });
  const id = uuidv7();
  const now = new Date();
  await trx
    .insertInto('department')
    .values({
      id,
      code: props.code,
      name: props.name,
      kind: props.kind,
      level: props.level,
      servesUnitId: props.servesUnit.id,
      servesPath: props.servesUnit.path,
      district: props.servesUnit.district,
      deployedToUnitId: props.deployedToUnitId,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await writeAudit(
    trx,
    audit,
    { action: 'department.created', data: { code: props.code, name: props.name, kind: props.kind } },
    { type: 'department', id, district: props.servesUnit.district },
  );
  return id;
}

export interface UpdateDepartmentProps {
  id: string;
  code: string;
  district: string;
  changes: {
    name?: string | undefined;
    kind?: DepartmentKind | undefined;
    deployedToUnitId?: string | null | undefined;
    disabled?: boolean | undefined;
  };
}

export async function updateDepartment(trx: Trx, audit: AuditContext, props: UpdateDepartmentProps): Promise<void> {
  const changes = Object.fromEntries(Object.entries(props.changes).filter(([, v]) => v !== undefined));
  await trx
    .updateTable('department')
    .set({ ...changes, updatedAt: new Date() })
    .where('id', '=', props.id)
    .execute();
  await writeAudit(
    trx,
    audit,
    { action: 'department.updated', data: { code: props.code, changes: Object.keys(changes) } },
    { type: 'department', id: props.id, district: props.district },
  );
}

import { v7 as uuidv7 } from 'uuid';
import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { assertStrongPassword, hashPassword } from '../password.js';
import { type GrantRoleProps, grantRole } from './grant-role.js';

export interface CreateAccountProps {
  username: string;
  displayName: string;
  phone: string | null;
  password: string;
  /** The person must choose their own password at first sign-in (true when an administrator set it). */
  mustChangePassword: boolean;
  grants: Omit<GrantRoleProps, 'accountId'>[];
}

/** Creates a staff account with its first grants, in one transaction. */
export async function createAccount(trx: Trx, audit: AuditContext, props: CreateAccountProps): Promise<string> {
  assertStrongPassword(props.password);
  const taken = await trx
    .selectFrom('account')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', props.username.toLowerCase()))
    .executeTakeFirst();
  if (taken) throw new AppError('USERNAME_TAKEN', { fields: [{ path: 'body.username', reason: 'taken' }] });
  const id = uuidv7();
  const now = new Date();
  await trx
    .insertInto('account')
    .values({
      id,
      username: props.username,
      displayName: props.displayName,
      phone: props.phone,
      passwordHash: await hashPassword(props.password),
      mustChangePassword: props.mustChangePassword,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await writeAudit(
    trx,
    audit,
    {
      action: 'account.created',
      data: {
        username: props.username,
        grants: props.grants.map((g) => ({ role: g.role, unit: g.unit.code, department: g.department?.code ?? null })),
      },
    },
    { type: 'account', id },
  );
  for (const grant of props.grants) await grantRole(trx, audit, { ...grant, accountId: id });
  return id;
}

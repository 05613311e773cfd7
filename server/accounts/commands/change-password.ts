import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { assertStrongPassword, hashPassword, verifyPassword } from '../password.js';

export interface ChangePasswordProps {
  accountId: string;
  /** Required when the person changes their own password; omitted for an administrator's reset. */
  currentPassword?: string;
  newPassword: string;
  by: 'self' | 'admin' | 'cli';
  /** Sessions to keep (the caller's own); every other session of the account is ended. */
  keepSessionId?: string | null;
}

/** Sets a new password; ends the account's other sessions. */
export async function changePassword(trx: Trx, audit: AuditContext, props: ChangePasswordProps): Promise<void> {
  assertStrongPassword(props.newPassword);
  const account = await trx
    .selectFrom('account')
    .select(['id', 'passwordHash'])
    .where('id', '=', props.accountId)
    .forUpdate()
    .executeTakeFirst();
  if (!account) throw new AppError('NOT_FOUND');
  if (props.by === 'self') {
    if (!props.currentPassword || !(await verifyPassword(account.passwordHash, props.currentPassword))) {
      throw new AppError('INVALID_CREDENTIALS', {
        fields: [{ path: 'body.currentPassword', reason: 'wrong password' }],
      });
    }
    if (props.currentPassword === props.newPassword) throw new AppError('PASSWORD_REUSED');
  }
  await trx
    .updateTable('account')
    .set({
      passwordHash: await hashPassword(props.newPassword),
      passwordChangedAt: new Date(),
      mustChangePassword: props.by === 'admin',
      failedSignIns: 0,
      lockedUntil: null,
      updatedAt: new Date(),
    })
    .where('id', '=', account.id)
    .execute();
  let ending = trx.deleteFrom('session').where('accountId', '=', account.id);
  if (props.keepSessionId) ending = ending.where('id', '!=', props.keepSessionId);
  await ending.execute();
  await writeAudit(
    trx,
    audit,
    { action: 'account.password_changed', data: { by: props.by } },
    { type: 'account', id: account.id },
  );
}

import { writeAudit } from '../../audit/audit.writer.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { burnVerifyTime, verifyPassword } from '../password.js';
import { createSession, destroySession, type NewSession } from '../session.service.js';

export interface SignInProps {
  username: string;
  password: string;
  ip: string;
  userAgent: string | undefined;
  requestId: string;
  /** The session cookie already held, replaced by the new one (session renewal on sign-in). */
  previousToken: string | undefined;
}

/**
 * Staff sign-in. Wrong passwords count towards a lockout that doubles each time it recurs;
 * an unknown username costs as much time as a wrong password, so the answer leaks nothing.
 */
export async function signIn(
  ctx: { db: Db; config: Config },
  props: SignInProps,
): Promise<NewSession & { accountId: string }> {
  const audit = { requestId: props.requestId, ip: props.ip };
  const account = await ctx.db
    .selectFrom('account')
    .select(['id', 'passwordHash', 'disabled', 'failedSignIns', 'lockedUntil'])
    .where((eb) => eb(eb.fn('lower', ['username']), '=', props.username.toLowerCase()))
    .executeTakeFirst();
  const fail = async (reason: 'unknown_login' | 'wrong_password' | 'locked' | 'disabled', subjectId?: string) =>
    writeAudit(
      ctx.db,
      { actor: null, ...audit },
      { action: 'session.sign_in_failed', data: { login: props.username.slice(0, 64), reason } },
      subjectId ? { type: 'account', id: subjectId } : undefined,
    );

  if (!account) {
    await burnVerifyTime(props.password);
    await fail('unknown_login');
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (account.lockedUntil && account.lockedUntil > new Date()) {
    await fail('locked', account.id);
    throw new AppError('ACCOUNT_LOCKED', { details: { lockedUntil: account.lockedUntil.toISOString() } });
  }
  if (!(await verifyPassword(account.passwordHash, props.password))) {
    const failures = account.failedSignIns + 1;
    const threshold = ctx.config.lockoutThreshold;
    const lockedUntil =
      failures % threshold === 0
        ? new Date(Date.now() + ctx.config.lockoutMinutes * 60_000 * 2 ** (failures / threshold - 1))
        : null;
    await ctx.db
      .updateTable('account')
      .set({ failedSignIns: failures, ...(lockedUntil ? { lockedUntil } : {}) })
      .where('id', '=', account.id)
      .execute();
    await fail('wrong_password', account.id);
    if (lockedUntil) throw new AppError('ACCOUNT_LOCKED', { details: { lockedUntil: lockedUntil.toISOString() } });
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (account.disabled) {
    await fail('disabled', account.id);
    throw new AppError('ACCOUNT_DISABLED');
  }

  return ctx.db.transaction().execute(async (trx) => {
    if (props.previousToken) await destroySession(trx, props.previousToken);
    await trx
      .updateTable('account')
      .set({ failedSignIns: 0, lockedUntil: null })
      .where('id', '=', account.id)
      .execute();
    const session = await createSession(
      trx,
      { kind: 'staff', accountId: account.id },
      { ip: props.ip, userAgent: props.userAgent, hours: ctx.config.sessionHours },
    );
    await writeAudit(
      trx,
      { actor: null, ...audit },
      { action: 'session.signed_in', data: { kind: 'staff' } },
      { type: 'account', id: account.id },
    );
    return { ...session, accountId: account.id };
  });
}

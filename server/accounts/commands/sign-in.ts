import { writeAudit } from '../../audit/audit.writer.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { burnVerifyTime, verifyPassword } from '../password.js';
import { createSession, destroySession, type NewSession } from '../session.service.js';

export interface SignInProps {
  /** Staff sign in with a username; residents with their mobile number. */
  kind: 'staff' | 'resident';
  login: string;
  password: string;
  ip: string;
  userAgent: string | undefined;
  requestId: string;
  /** The session cookie already held, replaced by the new one (session renewal on sign-in). */
  previousToken: string | undefined;
}

interface Principal {
  id: string;
  passwordHash: string;
  disabled: boolean;
  failedSignIns: number;
  lockedUntil: Date | null;
}

const TABLE = { staff: 'account', resident: 'resident' } as const;

async function findPrincipal(db: Db, kind: SignInProps['kind'], login: string): Promise<Principal | undefined> {
  const columns = ['id', 'passwordHash', 'disabled', 'failedSignIns', 'lockedUntil'] as const;
  return kind === 'staff'
    ? db
        .selectFrom('account')
        .select(columns)
        .where((eb) => eb(eb.fn('lower', ['username']), '=', login.toLowerCase()))
        .executeTakeFirst()
    : db.selectFrom('resident').select(columns).where('phone', '=', login).executeTakeFirst();
}

/**
 * Sign-in for staff and residents alike. Wrong passwords count towards a lockout that doubles each
 * time it recurs; an unknown login costs as much time as a wrong password, so the answer leaks nothing.
 */
export async function signIn(
  ctx: { db: Db; config: Config },
  props: SignInProps,
): Promise<NewSession & { id: string }> {
  const audit = { requestId: props.requestId, ip: props.ip };
  const table = TABLE[props.kind];
  const principal = await findPrincipal(ctx.db, props.kind, props.login);
  const fail = async (reason: 'unknown_login' | 'wrong_password' | 'locked' | 'disabled', subjectId?: string) =>
    writeAudit(
      ctx.db,
      { actor: null, ...audit },
      { action: 'session.sign_in_failed', data: { login: props.login.slice(0, 64), reason } },
      subjectId ? { type: table, id: subjectId } : undefined,
    );

  if (!principal) {
    await burnVerifyTime(props.password);
    await fail('unknown_login');
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (principal.lockedUntil && principal.lockedUntil > new Date()) {
    await fail('locked', principal.id);
    throw new AppError('ACCOUNT_LOCKED', { details: { lockedUntil: principal.lockedUntil.toISOString() } });
  }
  if (!(await verifyPassword(principal.passwordHash, props.password))) {
    const failures = principal.failedSignIns + 1;
    const threshold = ctx.config.lockoutThreshold;
    const lockedUntil =
      failures % threshold === 0
        ? new Date(Date.now() + ctx.config.lockoutMinutes * 60_000 * 2 ** (failures / threshold - 1))
        : null;
    await ctx.db
      .updateTable(table)
      .set({ failedSignIns: failures, ...(lockedUntil ? { lockedUntil } : {}) })
      .where('id', '=', principal.id)
      .execute();
    await fail('wrong_password', principal.id);
    if (lockedUntil) throw new AppError('ACCOUNT_LOCKED', { details: { lockedUntil: lockedUntil.toISOString() } });
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (principal.disabled) {
    await fail('disabled', principal.id);
    throw new AppError('ACCOUNT_DISABLED');
  }

  return ctx.db.transaction().execute(async (trx) => {
    if (props.previousToken) await destroySession(trx, props.previousToken);
    await trx.updateTable(table).set({ failedSignIns: 0, lockedUntil: null }).where('id', '=', principal.id).execute();
    const session = await createSession(
      trx,
      props.kind === 'staff'
        ? { kind: 'staff', accountId: principal.id }
        : { kind: 'resident', residentId: principal.id },
      { ip: props.ip, userAgent: props.userAgent, hours: ctx.config.sessionHours },
    );
    await writeAudit(
      trx,
      { actor: null, ...audit },
      { action: 'session.signed_in', data: { kind: props.kind } },
      { type: table, id: principal.id },
    );
    return { ...session, id: principal.id };
  });
}

/**
 * Sessions: a random token in an httpOnly cookie, stored as its SHA-256; a CSRF token per session.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db, Trx } from '../db/database.js';
import { runPrepared } from '../db/prepared.js';
import { type Actor, type Grant, grantsJson } from './actor.js';

export const SESSION_COOKIE = 'gridloop_session';
export const CSRF_HEADER = 'x-csrf-token';

/** httpOnly, SameSite=Lax, Secure in production. */
export const sessionCookieOptions = (production: boolean) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: production,
});

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Opens a session for a staff member or resident. */
export async function createSession(
  trx: Trx | Db,
  subject: { kind: 'staff'; accountId: string } | { kind: 'resident'; residentId: string },
  meta: { ip?: string; userAgent?: string | undefined; hours: number },
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + meta.hours * 3_600_000);
  await trx
    .insertInto('session')
    .values({
      id: digest(token),
      kind: subject.kind,
      accountId: subject.kind === 'staff' ? subject.accountId : null,
      residentId: subject.kind === 'resident' ? subject.residentId : null,
      csrfToken,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function destroySession(trx: Trx | Db, token: string): Promise<void> {
  await trx.deleteFrom('session').where('id', '=', digest(token)).execute();
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  actor: Actor;
}

/**
 * A live session by its digest, with its staff account and the account's grants: every staff request
 * starts here, so it is one prepared statement (server/db/prepared.ts).
 */
const SESSION_SQL = `select s.id, s.kind, s.csrf_token, s.expires_at, s.account_id, s.resident_id,
    a.username, a.display_name, a.disabled, a.must_change_password,
    case when s.account_id is null then null else ${grantsJson('s.account_id')} end as grants
  from session s left join account a on a.id = s.account_id
  where s.id = $1 and s.expires_at > $2`;

interface SessionRow {
  id: string;
  kind: 'staff' | 'resident';
  csrfToken: string;
  expiresAt: Date;
  accountId: string | null;
  residentId: string | null;
  username: string | null;
  displayName: string | null;
  disabled: boolean | null;
  mustChangePassword: boolean | null;
  grants: Grant[] | null;
}

/** Looks up a live session and its actor; undefined for unknown, expired or disabled. */
export async function resolveSession(db: Db, token: string): Promise<ResolvedSession | undefined> {
  const [session] = await runPrepared<SessionRow>(db, SESSION_SQL, [digest(token), new Date()]);
  if (!session) return undefined;
  const base = { sessionId: session.id, csrfToken: session.csrfToken, expiresAt: new Date(session.expiresAt) };
  if (session.kind === 'staff' && session.accountId) {
    if (session.username === null || session.disabled !== false) return undefined;
    return {
      ...base,
      actor: {
        kind: 'staff',
        id: session.accountId,
        username: session.username,
        displayName: session.displayName ?? session.username,
        mustChangePassword: session.mustChangePassword ?? false,
        grants: session.grants ?? [],
      },
    };
  }
  if (session.kind === 'resident' && session.residentId) {
    const resident = await db
      .selectFrom('resident')
      .select(['id', 'phone', 'displayName', 'disabled'])
      .where('id', '=', session.residentId)
      .executeTakeFirst();
    if (!resident || resident.disabled) return undefined;
    return {
      ...base,
      actor: { kind: 'resident', id: resident.id, phone: resident.phone, displayName: resident.displayName },
    };
  }
  return undefined;
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

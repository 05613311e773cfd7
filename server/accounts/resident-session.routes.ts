/**
 * Residents sign in with their mobile number (phone-based accounts, never staff). Their session
 * opens only the public, resident-facing API; staff routes answer 401 to them.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ResidentSessionView } from '../../common/api.js';
import { writeAudit } from '../audit/audit.writer.js';
import { AppError } from '../http/app-error.js';
import { auditContext } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { signIn } from './commands/sign-in.js';
import { resolveSession, SESSION_COOKIE, sessionCookieOptions } from './session.service.js';

const tags = ['session'];

const ZResidentSignIn = z.strictObject({
  phone: z.string().regex(/^1\d{10}$/, 'an 11-digit mobile number'),
  password: z.string().min(1).max(256),
});

const ZResidentSessionView = z.object({
  resident: z.object({ id: z.string(), displayName: z.string(), phone: z.string() }),
  csrfToken: z.string(),
  expiresAt: z.string(),
}) satisfies z.ZodType<ResidentSessionView>;

/** The resident sees their own number masked like every phone on screen (138****0001). */
const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

export async function residentSessionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieOptions = sessionCookieOptions(app.config.production);

  async function present(token: string): Promise<ResidentSessionView> {
    const resolved = await resolveSession(app.db, token);
    if (resolved?.actor.kind !== 'resident') throw new AppError('UNAUTHENTICATED');
    const { actor } = resolved;
    return {
      resident: { id: actor.id, displayName: actor.displayName, phone: maskPhone(actor.phone) },
      csrfToken: resolved.csrfToken,
      expiresAt: resolved.expiresAt.toISOString(),
    };
  }

  r.post(
    '/api/resident/session',
    {
      schema: {
        tags,
        summary: 'Resident sign-in with mobile number / 居民登录',
        security: [],
        body: ZResidentSignIn,
        response: { 200: ZResidentSessionView, ...errorResponses(400, 401, 403, 423, 429) },
      },
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const session = await signIn(
        { db: app.db, config: app.config },
        {
          kind: 'resident',
          login: request.body.phone,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          requestId: String(request.id),
          previousToken: request.cookies[SESSION_COOKIE],
        },
      );
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
      return present(session.token);
    },
  );

  r.get(
    '/api/resident/session',
    {
      schema: {
        tags,
        summary: 'The signed-in resident / 当前居民',
        response: { 200: ZResidentSessionView, ...errorResponses(401) },
      },
    },
    async (request) => present(request.cookies[SESSION_COOKIE] ?? ''),
  );

  r.delete(
    '/api/resident/session',
    {
      schema: {
        tags,
        summary: 'Resident sign-out / 居民退出',
        response: { 204: z.null(), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      if (request.actor?.kind !== 'resident') throw new AppError('UNAUTHENTICATED');
      await app.db.transaction().execute(async (trx) => {
        if (request.sessionId) await trx.deleteFrom('session').where('id', '=', request.sessionId).execute();
        await writeAudit(trx, auditContext(request), { action: 'session.signed_out', data: {} });
      });
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );
}

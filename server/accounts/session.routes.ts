/**
 * Sign-in, session, sign-out and password change for staff.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../audit/audit.writer.js';
import { AppError } from '../http/app-error.js';
import { auditContext, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { changePassword } from './commands/change-password.js';
import { signIn } from './commands/sign-in.js';
import { presentSession } from './session.presenter.js';
import { ZChangePasswordRequest, ZSessionView, ZSignInRequest } from './session.schema.js';
import { resolveSession, SESSION_COOKIE, sessionCookieOptions } from './session.service.js';

const tags = ['session'];

export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieOptions = sessionCookieOptions(app.config.production);
  const setCookie = (reply: FastifyReply, token: string, expires: Date) =>
    reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, expires });

  r.post(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'Sign in (staff) / 工作人员登录',
        body: ZSignInRequest,
        response: { 200: ZSessionView, ...errorResponses(400, 401, 403, 423, 429) },
      },
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const session = await signIn(
        { db: app.db, config: app.config },
        {
          kind: 'staff',
          login: request.body.username,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          requestId: String(request.id),
          previousToken: request.cookies[SESSION_COOKIE],
        },
      );
      const resolved = await resolveSession(app.db, session.token);
      if (resolved?.actor.kind !== 'staff') throw new AppError('UNAUTHENTICATED');
      setCookie(reply, session.token, session.expiresAt);
      return presentSession(resolved.actor, session.csrfToken, session.expiresAt);
    },
  );

  r.get(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'The signed-in person, their scope, abilities and CSRF token / 当前登录信息',
        response: { 200: ZSessionView, ...errorResponses(401) },
      },
    },
    async (request) => {
      // The session was resolved for this request already (session.plugin.ts).
      const actor = requireStaff(request);
      if (!request.csrfToken || !request.sessionExpiresAt) throw new AppError('SESSION_EXPIRED');
      return presentSession(actor, request.csrfToken, request.sessionExpiresAt);
    },
  );

  r.delete(
    '/api/session',
    { schema: { tags, summary: 'Sign out / 退出登录', response: { 204: z.null(), ...errorResponses(401, 403) } } },
    async (request, reply) => {
      requireStaff(request);
      await app.db.transaction().execute(async (trx) => {
        if (request.sessionId) await trx.deleteFrom('session').where('id', '=', request.sessionId).execute();
        await writeAudit(trx, auditContext(request), { action: 'session.signed_out', data: {} });
      });
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/session/password',
    {
      schema: {
        tags,
        summary: 'Change my password / 修改密码',
        body: ZChangePasswordRequest,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 422) },
      },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      await app.db.transaction().execute((trx) =>
        changePassword(trx, auditContext(request), {
          accountId: actor.id,
          currentPassword: request.body.currentPassword,
          newPassword: request.body.newPassword,
          by: 'self',
          keepSessionId: request.sessionId,
        }),
      );
      return reply.status(204).send(null);
    },
  );
}

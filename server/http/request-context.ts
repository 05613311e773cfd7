/**
 * What every route handler gets: the database, the actor, and the audit context of this request.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor, StaffActor } from '../accounts/actor.js';
import type { AuditContext } from '../audit/audit.writer.js';
import { writeAudit } from '../audit/audit.writer.js';
import type { Db } from '../db/database.js';
import { isStaff } from '../policies/predicates.js';
import { AppError } from './app-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
    /** When the session resolved for this request expires. */
    sessionExpiresAt: Date | null;
  }
  interface FastifyInstance {
    db: Db;
  }
}

/** The audit context (actor, request id, client address) of a request. */
export function auditContext(request: FastifyRequest): AuditContext {
  return { actor: request.actor, requestId: String(request.id), ip: request.ip };
}

/** Authenticate step of every staff route: the signed-in staff member, or 401. */
export function requireStaff(request: FastifyRequest): StaffActor {
  const actor = request.actor;
  if (!isStaff(actor)) throw new AppError('UNAUTHENTICATED');
  return actor;
}

/**
 * Answers 404 for a record outside the actor's scope (so nothing leaks) and records the attempt in
 * the audit log outside any transaction, so the row survives the failed request.
 */
export async function denyOutOfScope(
  request: FastifyRequest,
  subject: { type: string; id: string; district?: string | null },
  reason: 'out_of_scope' | 'forbidden' = 'out_of_scope',
): Promise<never> {
  await writeAudit(
    request.server.db,
    auditContext(request),
    {
      action: 'access.denied',
      data: { method: request.method, route: request.routeOptions.url ?? request.url, reason },
    },
    subject,
  );
  throw new AppError(reason === 'forbidden' ? 'FORBIDDEN' : 'NOT_FOUND');
}

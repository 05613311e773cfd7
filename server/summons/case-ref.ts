/**
 * A case named by a summons or a meeting must be one the actor may read; otherwise the answer is
 * 404 and the attempt is audited, exactly as when the case itself is opened.
 */
import type { FastifyRequest } from 'fastify';
import { canReadCase } from '../cases/case.policy.js';
import { findCase } from '../cases/case.repository.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope } from '../http/request-context.js';

export async function loadReadableCase(request: FastifyRequest, id: string, field: string) {
  const c = await findCase(request.server.db, id);
  if (!c) throw new AppError('NOT_FOUND', { fields: [{ path: field, reason: 'no such case' }] });
  if (!canReadCase(request.actor, c)) await denyOutOfScope(request, { type: 'case', id, district: c.district });
  return c;
}

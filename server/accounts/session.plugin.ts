/**
 * Resolves the session cookie into `request.actor` and enforces CSRF on cookie-authenticated writes.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../http/app-error.js';
import { CSRF_HEADER, csrfMatches, resolveSession, SESSION_COOKIE } from './session.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const sessionPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionExpiresAt', null);

  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || !request.url.startsWith('/api/')) return;
    const resolved = await resolveSession(app.db, token);
    if (!resolved) return;
    request.actor = resolved.actor;
    request.sessionId = resolved.sessionId;
    request.csrfToken = resolved.csrfToken;
    request.sessionExpiresAt = resolved.expiresAt;
    // A cookie carries the session, so any state-changing request must prove it came from our page.
    // Signing in again replaces the session, so it needs no token of the old one.
    const path = request.url.split('?')[0];
    const signingIn = request.method === 'POST' && (path === '/api/session' || path === '/api/resident/session');
    if (
      !SAFE_METHODS.has(request.method) &&
      !signingIn &&
      !csrfMatches(resolved.csrfToken, request.headers[CSRF_HEADER])
    ) {
      throw new AppError('CSRF_INVALID');
    }
  });
});

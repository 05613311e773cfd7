/**
 * Test harness: a fresh database per test file (cloned from the migrated template), an app built on
 * it, and helpers to sign in through the real API.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, inject } from 'vitest';
import { build } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import type { Db } from '../db/database.js';

export { createTestDatabase } from './database.js';

/** Never the repository's ./data: photos of tests go to the system's temporary directory. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), logLevel: 'silent', mediaDir: join(tmpdir(), 'gridloop-test-media'), ...overrides };
}

/** Builds the app on a test database (no job queue, no web), with a photo store of its own. */
export async function createTestApp(db: Db, overrides: Partial<Config> = {}): Promise<FastifyInstance> {
  const app = await build({
    db,
    // A photo store of its own inside the run's directory (global-setup removes it at the end).
    config: testConfig({
      mediaDir: overrides.mediaDir ?? mkdtempSync(join(inject('mediaRoot'), 'app-')),
      ...overrides,
    }),
    logger: process.env.TEST_LOG ? { level: 'error' } : false,
  });
  afterAll(() => app.close());
  return app;
}

/** A signed-in client: carries the cookie and the CSRF token like the web does. */
export interface Client {
  cookie: string;
  csrf: string;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export async function signIn(app: FastifyInstance, username: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  return clientOf(app, res);
}

/** A resident signed in through the resident session route, carrying cookie and CSRF token likewise. */
export async function signInResident(app: FastifyInstance, phone: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/resident/session', payload: { phone, password } });
  if (res.statusCode !== 200) throw new Error(`resident sign-in of ${phone} failed: ${res.statusCode} ${res.body}`);
  return clientOf(app, res);
}

function clientOf(app: FastifyInstance, res: LightMyRequestResponse): Client {
  const cookie = res.cookies.find((c) => c.name === 'gridloop_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const cookieHeader = `gridloop_session=${cookie.value}`;
  return {
    cookie: cookieHeader,
    csrf,
    request: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie: cookieHeader, 'x-csrf-token': csrf, ...headers },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      }),
  };
}

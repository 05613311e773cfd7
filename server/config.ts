/**
 * Settings from the environment, read once. Defaults serve one subdistrict on a laptop.
 */
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** When set, Gridloop uses this PostgreSQL and starts none of its own. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** The photo store (content-addressed files); `<dataDir>/media` unless GRIDLOOP_MEDIA_DIR says otherwise. */
  mediaDir: string;
  production: boolean;
  logLevel: string;
  sessionHours: number;
  /** Failed sign-ins before an account is locked, and for how long (minutes, doubling each time). */
  lockoutThreshold: number;
  lockoutMinutes: number;
  bodyLimitBytes: number;
  /**
   * Webhooks may target private, loopback and reserved addresses, and plain http to this machine
   * (GRIDLOOP_WEBHOOK_ALLOW_PRIVATE=1: development and tests only; see docs/webhooks.md).
   */
  webhookAllowPrivate: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const dataDir = resolve(env.GRIDLOOP_DATA_DIR ?? 'data');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    mediaDir: env.GRIDLOOP_MEDIA_DIR ? resolve(env.GRIDLOOP_MEDIA_DIR) : join(dataDir, 'media'),
    production: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL ?? 'info',
    sessionHours: Number(env.GRIDLOOP_SESSION_HOURS ?? 12),
    lockoutThreshold: Number(env.GRIDLOOP_LOCKOUT_THRESHOLD ?? 5),
    lockoutMinutes: Number(env.GRIDLOOP_LOCKOUT_MINUTES ?? 15),
    bodyLimitBytes: Number(env.GRIDLOOP_BODY_LIMIT ?? 10 * 1024 * 1024),
    webhookAllowPrivate: env.GRIDLOOP_WEBHOOK_ALLOW_PRIVATE === '1',
  };
}

/**
 * Security headers on every response: the API's, errors and 404s, the web application's files, the
 * photos, the API documentation.
 *
 * The Content-Security-Policy is what the built web application needs and no more (checked in a
 * browser by e2e/security.e2e.ts):
 * - scripts and workers from our origin only: Vite emits no inline script, MapLibre runs its CSP
 *   build's worker from a file of ours (web/src/components/map/maplibre.ts), ECharts draws on canvas;
 * - styles from our origin plus inline styles ('unsafe-inline' for styles only): Element Plus and
 *   ECharts position popups and tooltips with style attributes, and a hash per value is impossible;
 * - images from our origin, `data:` (the favicon, Element Plus icons) and `blob:` (photo previews
 *   before upload); the base map's tile server, when an administrator set one, for images and fetches;
 * - no plugins, no `<base>`, forms only to us, and no framing anywhere (`frame-ancestors 'none'`).
 *
 * HSTS only in production behind TLS (the request arrived as https, directly or through a proxy
 * that says so): a plain-http deployment pinned to https would lock its users out. Photos set their
 * own, stricter policy (media.routes.ts) and keep it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/database.js';
import { readMapSettings } from '../territory/map-settings.js';

/** How long the base map's tile source is cached before it is read again (a change through the API refreshes it at once). */
const TILE_SOURCE_TTL_MS = 30_000;

/** 180 days; no includeSubDomains: other hosts of a government domain may still serve plain http. */
export const HSTS = 'max-age=15552000';

/** Headers every response carries. */
export const STATIC_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(self), geolocation=(self), microphone=(), payment=(), usb=()',
};

/**
 * The CSP source of an XYZ tile template's host: `https://t{s}.tianditu.gov.cn/...` →
 * `https://*.tianditu.gov.cn` (a wildcard may only stand for leftmost labels); undefined when unusable.
 */
export function tileSource(template: string | null): string | undefined {
  if (!template) return undefined;
  const match = /^(https?):\/\/([^/?#]+)/i.exec(template);
  if (!match) return undefined;
  const [, scheme, authority] = match as unknown as [string, string, string];
  const labels = authority.toLowerCase().split('.');
  const last = labels.findLastIndex((l) => l.includes('{'));
  const host = last === -1 ? labels.join('.') : ['*', ...labels.slice(last + 1)].join('.');
  if (!/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d+)?$/.test(host) || host.split('.').length < 2) return undefined;
  return `${scheme.toLowerCase()}://${host}`;
}

/** The policy of every response, with the base map's tile source when there is one. */
export function contentSecurityPolicy(tiles: string | undefined): string {
  const extra = tiles ? ` ${tiles}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${extra}`,
    "font-src 'self' data:",
    `connect-src 'self'${extra}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const cache = new WeakMap<Db, { at: number; policy: Promise<string> }>();

async function readPolicy(db: Db): Promise<string> {
  try {
    return contentSecurityPolicy(tileSource((await readMapSettings(db)).tileUrl));
  } catch {
    // The database is away (the health route says so): the policy without a base map, never a failure here.
    return contentSecurityPolicy(undefined);
  }
}

/** The current policy for this database, read at most every TILE_SOURCE_TTL_MS. */
function policyFor(db: Db): Promise<string> {
  const cached = cache.get(db);
  if (cached && Date.now() - cached.at < TILE_SOURCE_TTL_MS) return cached.policy;
  const policy = readPolicy(db);
  cache.set(db, { at: Date.now(), policy });
  return policy;
}

/** Reads the base map's tile source again at the next response (the map setting changed). */
export function refreshContentSecurityPolicy(db: Db): void {
  cache.delete(db);
}

/** Served over TLS: directly, or through the trusted proxy's X-Forwarded-Proto (trustProxy is on in production). */
const overTls = (request: FastifyRequest) => request.protocol === 'https';

export const securityHeaders = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    for (const [name, value] of Object.entries(STATIC_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', await policyFor(app.db));
    if (app.config.production && overTls(request)) reply.header('strict-transport-security', HSTS);
    return payload;
  });
});

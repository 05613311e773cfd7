/**
 * The server's logger settings (pino, through Fastify): what a request line may say. Personal data
 * must never reach a log, and it travels in query strings (`/api/archive/people?idNumber=…&q=张三`)
 * and in tracking codes (a capability: whoever holds one follows the case). So a request is logged
 * as its method, its path with tracking codes blotted out, the names of its query parameters (not
 * their values), and the client's address; headers (cookie, CSRF token, machine keys) never.
 */
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** `/api/public/cases/<trackingCode>/…`: the code is a capability, logged as `*`. */
const TRACKING_PATH = /^(\/api\/public\/cases\/)[^/?]+/;

/** The URL as logs may show it: path (tracking codes blotted) and query names with `…` for values. */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at)).replace(TRACKING_PATH, '$1*');
  if (at < 0) return path;
  const names = [...new Set([...new URLSearchParams(url.slice(at + 1)).keys()])];
  return names.length ? `${path}?${names.map((n) => `${encodeURIComponent(n)}=…`).join('&')}` : path;
}

/** pino options for `Fastify({ logger })`. */
export function loggerOptions(config: Pick<Config, 'logLevel'>) {
  return {
    level: config.logLevel,
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: loggableUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
    // Belt and braces for anything that logs a request's headers itself.
    redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.headers.authorization'],
  };
}

/**
 * Text PostgreSQL cannot store: the NUL character (U+0000) fails any text value ("invalid byte
 * sequence for encoding UTF8: 0x00"), and an unpaired surrogate (`"\ud800"` in JSON) fails any jsonb
 * value ("unsupported Unicode escape sequence") — audit rows are jsonb, so nearly every write. Either
 * would surface as a 500 deep inside a command. No valid input holds one, so every request is refused
 * at the edge, before validation: 400 VALIDATION_FAILED naming the field, nothing written. Found by
 * the route fuzzer (server/security/fuzz.test.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when PostgreSQL can store the string as text (no NUL) and inside jsonb (no unpaired surrogate). */
export const storable = (text: string): boolean => !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);

/** The path of the first string (or key) PostgreSQL cannot store in a parsed value, else undefined. */
export function unstorablePath(value: unknown, root: string): string | undefined {
  // Iterative: a body may nest thousands of levels deep, more than the call stack allows.
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [current, path] = stack.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (!storable(current)) return path;
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => {
        stack.push([item, `${path}.${i}`]);
      });
    } else if (current && typeof current === 'object' && !Buffer.isBuffer(current)) {
      for (const [key, item] of Object.entries(current)) {
        if (!storable(key)) return path;
        stack.push([item, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

function check(request: FastifyRequest): void {
  const parts = { params: request.params, query: request.query, body: request.body };
  for (const [where, value] of Object.entries(parts)) {
    const path = unstorablePath(value, where);
    if (path)
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ path, reason: 'contains a NUL character or an unpaired surrogate' }],
      });
  }
}

/** Registers the guard on every route (call before the routes are registered). */
export function installTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => check(request));
}

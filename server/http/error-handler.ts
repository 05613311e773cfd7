/**
 * Turns every failure into the catalogue's coded JSON answer. Never a stack trace, never SQL:
 * unknown errors are logged with the request id and answered with INTERNAL.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ApiErrorBody } from '../../common/api.js';
import { ERRORS, type ErrorCode } from '../../common/errors.js';
import { MEDIA_ERROR_CODES } from '../../common/media.js';
import { MediaError } from '../media/media.errors.js';
import { AppError, type FieldProblem } from './app-error.js';

/** The request's language: English when Accept-Language prefers it, Chinese otherwise. */
export function prefersEnglish(request: FastifyRequest): boolean {
  const header = request.headers['accept-language'];
  return typeof header === 'string' && /^\s*en\b/i.test(header);
}

export function errorBody(
  request: FastifyRequest,
  code: ErrorCode,
  fields?: FieldProblem[],
  details?: Record<string, unknown>,
): ApiErrorBody {
  const entry = ERRORS[code];
  return {
    error: {
      code,
      message: prefersEnglish(request) ? entry.en : entry.zh,
      messages: { 'zh-CN': entry.zh, en: entry.en },
      ...(fields?.length ? { fields } : {}),
      ...(details ? details : {}),
      requestId: String(request.id),
    },
  };
}

function validationFields(error: FastifyError): FieldProblem[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const raw = issue as { instancePath?: string; message?: string; params?: { issue?: { path?: unknown[] } } };
    const segments = raw.params?.issue?.path ?? raw.instancePath?.split('/').filter(Boolean) ?? [];
    return { path: [context, ...segments.map(String)].join('.'), reason: raw.message ?? 'invalid' };
  });
}

/**
 * The database is gone or not back yet: refused or dropped connections, PostgreSQL shutting down or
 * crashing (57P01/57P02), starting up or recovering (57P03), connection exceptions (class 08), and a
 * pooled client whose connection broke between two statements ("not queryable"). Answered 503, coded.
 */
export function isDatabaseDown(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === 'string' &&
      (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03'].includes(code) ||
        /^08[0-9A-Z]{3}$/.test(code))) ||
    (error instanceof Error &&
      /Connection terminated|timeout exceeded when trying to connect|not queryable/i.test(error.message))
  );
}

export function send(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  fields?: FieldProblem[],
  details?: Record<string, unknown>,
) {
  return reply
    .status(ERRORS[code].status)
    .type('application/json; charset=utf-8')
    .send(errorBody(request, code, fields, details));
}

/** A refused upload: its catalogue code, and which file of the batch it was (index and name). */
function mediaFailure(request: FastifyRequest, error: MediaError): CodedFailure {
  request.log.info({ problem: error.problem, detail: error.detail, index: error.index }, 'upload refused');
  const code = MEDIA_ERROR_CODES[error.problem];
  if (error.index === undefined) return { code };
  const file = { index: error.index, name: error.filename ?? null };
  return { code, fields: [{ path: `body.file.${error.index}`, reason: ERRORS[code].en }], details: { file } };
}

/** A failure as the catalogue names it. */
export interface CodedFailure {
  code: ErrorCode;
  fields?: FieldProblem[] | undefined;
  details?: Record<string, unknown> | undefined;
}

/**
 * Any error thrown while answering, as its catalogue code (logged as it deserves: client errors at
 * info, the database gone and bugs at error). Scopes that answer in another format (Open311) map it.
 */
export function codedFailure(error: FastifyError, request: FastifyRequest): CodedFailure {
  if (error instanceof AppError) return { code: error.code, fields: error.fields, details: error.details };
  if (error instanceof MediaError) return mediaFailure(request, error);
  if (hasZodFastifySchemaValidationErrors(error)) return { code: 'VALIDATION_FAILED', fields: validationFields(error) };
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'MALFORMED_JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'UNSUPPORTED_MEDIA_TYPE' };
    case 'FST_ERR_VALIDATION':
      return { code: 'VALIDATION_FAILED', fields: validationFields(error) };
    // The router's own refusals (frameworkErrors): a path segment that is not valid percent-encoding
    // or is longer than any parameter may be. The message would echo the path: not sent back.
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { code: 'VALIDATION_FAILED', fields: [{ path: 'params', reason: 'not a valid path segment' }] };
  }
  if (error.statusCode === 429) return { code: 'RATE_LIMITED' };
  if (error instanceof SyntaxError && error.statusCode === 400) return { code: 'MALFORMED_JSON' };
  if (isDatabaseDown(error)) {
    request.log.error({ err: error }, 'database unavailable');
    return { code: 'DATABASE_UNAVAILABLE' };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    request.log.info({ err: error }, 'client error');
    return { code: 'VALIDATION_FAILED', fields: [{ path: 'request', reason: error.message }] };
  }
  request.log.error({ err: error }, 'unhandled error');
  return { code: 'INTERNAL' };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const failure = codedFailure(error, request);
    return send(reply, request, failure.code, failure.fields, failure.details);
  });
}

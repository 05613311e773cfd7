/**
 * Every failure under /open311 in the specification's error format: `<errors><error><code/>
 * <description/></error>…</errors>` (JSON: an array), one error per problem, in the format the URL
 * asked for (XML when it asked for none we know). HTTP status as the spec sets it: 403 for the
 * api_key, 404 for what does not exist, 400 for anything else the client got wrong; 429 and 5xx
 * keep their meaning. The catalogue code travels in the `x-error-code` header.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, type ErrorCode } from '../../common/errors.js';
import type { FieldProblem } from '../http/app-error.js';
import { type CodedFailure, codedFailure, prefersEnglish } from '../http/error-handler.js';
import { CONTENT_TYPES, FORMATS, type Format, list, render } from './document.js';

/** The format a request asked for: its `format` parameter, else its URL's ending, else XML (the spec's default). */
export function formatOf(request: FastifyRequest): Format {
  const asked = (request.params as { format?: unknown } | undefined)?.format;
  if ((FORMATS as readonly unknown[]).includes(asked)) return asked as Format;
  const ending = /\.(xml|json)(?:\?|$)/.exec(request.url)?.[1];
  return ending === 'json' ? 'json' : 'xml';
}

/** 403, 404, 429 and 5xx as they are; every other client error is the spec's 400. */
const specStatus = (status: number) => ([403, 404, 429].includes(status) || status >= 500 ? status : 400);

/** Send one coded failure (with its field problems) in the spec's format. */
export function sendOpen311Error(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  fields: FieldProblem[] = [],
) {
  const entry = ERRORS[code];
  const status = specStatus(entry.status);
  const message = prefersEnglish(request) ? entry.en : entry.zh;
  const descriptions = fields.length
    ? fields.map((f) => `${message} (${f.path.replace(/^(body|query|params)\./, '')}: ${f.reason})`)
    : [message];
  const format = formatOf(request);
  const doc = {
    root: 'errors',
    body: list(
      'error',
      descriptions.map((description) => ({ code: status, description })),
    ),
  };
  return reply.status(status).header('x-error-code', code).type(CONTENT_TYPES[format]).send(render(doc, format));
}

/** The API's failures in Open311's words: a bad format, a bad argument, a body that is not a form. */
function inOpen311Terms(failure: CodedFailure): [ErrorCode, FieldProblem[]] {
  const fields = failure.fields ?? [];
  switch (failure.code) {
    case 'VALIDATION_FAILED':
      return fields.some((f) => f.path === 'params.format')
        ? ['OPEN311_FORMAT_UNKNOWN', []]
        : ['OPEN311_PARAMETER_INVALID', fields];
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'MALFORMED_JSON':
      return [
        'OPEN311_PARAMETER_INVALID',
        [{ path: 'content-type', reason: 'send application/x-www-form-urlencoded; charset=utf-8' }],
      ];
    default:
      return [failure.code, fields];
  }
}

/** The error handler of the Open311 scope. */
export function handleOpen311Error(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const [code, fields] = inOpen311Terms(codedFailure(error, request));
  return sendOpen311Error(reply, request, code, fields);
}

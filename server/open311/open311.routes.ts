/**
 * Open311 GeoReport v2 under /open311/v2: discovery, services, service definitions, POST and GET
 * requests, each as `.xml` (with the UTF-8 declaration) or `.json`. Machines call it without a
 * session (so no CSRF: the session hook reads cookies under /api only); every failure, a wrong
 * URL included, answers in the spec's error format. Reading is public and rate limited per
 * address; POST needs an Open311 api_key serving the jurisdiction and is rate limited per key.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Answers } from '../../common/catalogue.js';
import { ZIdempotencyHeaders } from '../cases/report-requests.js';
import { AppError } from '../http/app-error.js';
import { prefersEnglish } from '../http/error-handler.js';
import { findPresentedKey, MACHINE_KEY_PATTERN } from '../intake/machine-keys.js';
import { CONTENT_TYPES, type Document, type Format, list, render } from './document.js';
import { parseForm } from './form.js';
import { type Jurisdiction, keyServes, requireJurisdiction } from './jurisdiction.js';
import { handleOpen311Error, sendOpen311Error } from './open311.errors.js';
import {
  errors,
  ZDiscovery,
  ZFormatParams,
  ZJurisdictionQuery,
  ZRequest,
  ZRequestForm,
  ZRequestsQuery,
  ZService,
  ZServiceDefinition,
  ZSubmitted,
} from './open311.schema.js';
import { parseRequestQuery } from './request-query.js';
import { findRequest, findRequests, presentRequests, w3cTime } from './requests.js';
import { findService, type Lang, listServices, presentDefinition, presentService } from './services.js';
import { submitRequest } from './submit-request.js';

const tags = ['open311'];
const OPEN311_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
const READ_LIMIT = { max: 120, timeWindow: '1 minute' };

const langOf = (request: FastifyRequest): Lang => (prefersEnglish(request) ? 'en' : 'zh');

function send(reply: FastifyReply, format: Format, doc: Document) {
  return reply.type(CONTENT_TYPES[format]).send(render(doc, format));
}

/** The api_key of a POST (form field, or query string as some clients send it) serving the jurisdiction, or 403. */
async function requireKey(request: FastifyRequest, presented: string | undefined, j: Jurisdiction) {
  const key = presented?.trim() ? await findPresentedKey(request.server.db, presented.trim()) : undefined;
  if (!key || !keyServes(key, j)) {
    throw new AppError('OPEN311_API_KEY_INVALID', {
      fields: [
        { path: 'api_key', reason: !presented?.trim() ? 'missing' : key?.revokedAt ? 'revoked' : 'not valid here' },
      ],
    });
  }
  return key;
}

/** Rate limits of POST count per presented key (its public prefix), else per address. */
function postRateKey(request: FastifyRequest): string {
  const body = request.body as { api_key?: unknown } | undefined;
  const query = request.query as { api_key?: unknown } | undefined;
  const presented = typeof body?.api_key === 'string' ? body.api_key : query?.api_key;
  return typeof presented === 'string' && MACHINE_KEY_PATTERN.test(presented.trim())
    ? `open311:${presented.trim().slice(0, 12)}`
    : `open311-ip:${request.ip}`;
}

async function routes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.setErrorHandler(handleOpen311Error);
  app.setNotFoundHandler((request, reply) => sendOpen311Error(reply, request, 'ROUTE_NOT_FOUND'));
  // The spec's POST is form-encoded; nothing else is read here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseForm(String(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  r.get(
    '/v2/discovery.:format',
    {
      schema: {
        tags,
        summary: 'Open311 service discovery / Open311 服务发现',
        description: 'XML root `discovery`. No jurisdiction_id needed.',
        security: [],
        params: ZFormatParams,
        response: { 200: ZDiscovery, ...errors(400, 429) },
      },
      config: { rateLimit: READ_LIMIT },
    },
    async (request, reply) => {
      const lang = langOf(request);
      const latest = await app.db
        .selectFrom('category')
        .select((eb) => eb.fn.max('updatedAt').as('at'))
        .executeTakeFirst();
      const changeset = w3cTime(latest?.at ? new Date(latest.at) : new Date(0));
      return send(reply, request.params.format, {
        root: 'discovery',
        body: {
          changeset,
          contact:
            lang === 'en'
              ? 'Gridloop Open311 endpoint: ask the district’s administrator (grid management centre).'
              : '网格闭环 Open311 接口：请联系所在区的系统管理员（网格化管理中心）。',
          key_service:
            lang === 'en'
              ? 'api_key: issued per application and district by an administrator (Admin → API keys, or gridloop open311 key add).'
              : 'api_key：由管理员按应用和区发放（管理 → 接口密钥，或 gridloop open311 key add）。',
          endpoints: list('endpoint', [
            {
              specification: OPEN311_SPECIFICATION,
              url: `${request.protocol}://${request.host}/open311/v2`,
              changeset,
              type: 'production',
              formats: list('format', ['text/xml', 'application/json']),
            },
          ]),
        },
      });
    },
  );

  r.get(
    '/v2/services.:format',
    {
      schema: {
        tags,
        summary: 'Open311 service list: the reportable categories / Open311 服务列表（可上报的案件类别）',
        description: 'XML root `services`, one `service` each. `service_code` is the 4-digit category code.',
        security: [],
        params: ZFormatParams,
        querystring: ZJurisdictionQuery,
        response: { 200: z.array(ZService), ...errors(400, 404, 429) },
      },
      config: { rateLimit: READ_LIMIT },
    },
    async (request, reply) => {
      await requireJurisdiction(app.db, request.query.jurisdiction_id);
      const lang = langOf(request);
      const services = (await listServices(app.db)).map((s) => presentService(s, lang));
      return send(reply, request.params.format, { root: 'services', body: list('service', services) });
    },
  );

  r.get(
    '/v2/services/:service_code.:format',
    {
      schema: {
        tags,
        summary: 'Open311 service definition: the category’s extra questions / Open311 服务定义（补充问题）',
        description: 'XML root `service_definition`. 404 for an unknown, disabled or major code.',
        security: [],
        params: ZFormatParams.extend({ service_code: z.string() }),
        querystring: ZJurisdictionQuery,
        response: { 200: ZServiceDefinition, ...errors(400, 404, 429) },
      },
      config: { rateLimit: READ_LIMIT },
    },
    async (request, reply) => {
      await requireJurisdiction(app.db, request.query.jurisdiction_id);
      const code = request.params.service_code;
      const service = /^\d{4}$/.test(code) ? await findService(app.db, code) : undefined;
      if (!service) throw new AppError('OPEN311_SERVICE_UNKNOWN', { fields: [{ path: 'service_code', reason: code }] });
      return send(reply, request.params.format, {
        root: 'service_definition',
        body: presentDefinition(service, langOf(request)),
      });
    },
  );

  r.post(
    '/v2/requests.:format',
    {
      schema: {
        tags,
        summary: 'Open311 POST request: a report in the district’s grids (api_key) / Open311 提交服务请求',
        description:
          'Content-Type: application/x-www-form-urlencoded. api_key and jurisdiction_id in the form or the query ' +
          'string. A location: lat and long (WGS84), or address_string, or address_id. Answers as attribute[code] ' +
          '(attribute[code][] for a multivaluelist). XML root `service_requests`, one `request`. 403 for a missing, ' +
          'revoked or foreign api_key; 404 for an unknown jurisdiction or service; 400 for anything else wrong. ' +
          'Extension: an Idempotency-Key header (up to 100 characters), repeated on every retry, makes a retry ' +
          'answer the first request’s service_request_id and write nothing, per api_key; the same key with another ' +
          'form is refused (400, x-error-code IDEMPOTENCY_KEY_REUSED).',
        security: [],
        headers: ZIdempotencyHeaders,
        params: ZFormatParams,
        querystring: z.object({ jurisdiction_id: z.string().optional(), api_key: z.string().optional() }),
        body: ZRequestForm,
        consumes: ['application/x-www-form-urlencoded'],
        response: { 200: ZSubmitted, ...errors(400, 403, 404, 429) },
      },
      config: { rateLimit: { max: 120, timeWindow: '1 minute', hook: 'preHandler', keyGenerator: postRateKey } },
    },
    async (request, reply) => {
      const body = request.body;
      const j = await requireJurisdiction(app.db, body.jurisdiction_id || request.query.jurisdiction_id);
      const key = await requireKey(request, body.api_key || request.query.api_key, j);
      const lang = langOf(request);
      const answer = await submitRequest(
        { db: app.db, locator: app.locator, requestId: String(request.id), ip: request.ip },
        key,
        j,
        body,
        (body.attribute ?? {}) as Answers,
        lang,
        request.headers['idempotency-key'],
      );
      return send(reply, request.params.format, {
        root: 'service_requests',
        body: list('request', [
          { service_request_id: answer.caseId, service_notice: answer.serviceNotice, account_id: answer.accountId },
        ]),
      });
    },
  );

  r.get(
    '/v2/requests.:format',
    {
      schema: {
        tags,
        summary: 'Open311 GET requests: the district’s requests, public fields only / Open311 查询服务请求',
        description:
          'XML root `service_requests`, one `request` each, newest first. Default: the last 90 days; a range spans ' +
          'at most 90 days; at most 1,000 per answer (extension: page, page_size). extensions=true adds notes[] ' +
          '(the public steps). Never the reporter’s name, phone or contact fields.',
        security: [],
        params: ZFormatParams,
        querystring: ZRequestsQuery,
        response: { 200: z.array(ZRequest), ...errors(400, 404, 429) },
      },
      config: { rateLimit: READ_LIMIT },
    },
    async (request, reply) => {
      const j = await requireJurisdiction(app.db, request.query.jurisdiction_id);
      const query = parseRequestQuery(request.query);
      const rows = await findRequests(app.db, j, query);
      const items = await presentRequests(app.db, j, rows, langOf(request), query.extensions);
      return send(reply, request.params.format, { root: 'service_requests', body: list('request', items) });
    },
  );

  r.get(
    '/v2/requests/:service_request_id.:format',
    {
      schema: {
        tags,
        summary: 'Open311 GET one request / Open311 查询单个服务请求',
        description: 'XML root `service_requests` with one `request`; JSON an array of one. 404 when unknown.',
        security: [],
        params: ZFormatParams.extend({ service_request_id: z.string() }),
        querystring: ZJurisdictionQuery.extend({ extensions: ZRequestsQuery.shape.extensions }),
        response: { 200: z.array(ZRequest), ...errors(400, 404, 429) },
      },
      config: { rateLimit: READ_LIMIT },
    },
    async (request, reply) => {
      const j = await requireJurisdiction(app.db, request.query.jurisdiction_id);
      const extensions = parseRequestQuery({ extensions: request.query.extensions }).extensions;
      const id = request.params.service_request_id;
      const row = z.uuid().safeParse(id).success ? await findRequest(app.db, j, id) : undefined;
      if (!row) throw new AppError('OPEN311_REQUEST_UNKNOWN', { fields: [{ path: 'service_request_id', reason: id }] });
      const items = await presentRequests(app.db, j, [row], langOf(request), extensions);
      return send(reply, request.params.format, { root: 'service_requests', body: list('request', items) });
    },
  );
}

/** Registers the Open311 endpoints in a scope of their own (error handler, not-found, body parser). */
export async function open311Routes(app: FastifyInstance): Promise<void> {
  await app.register(routes, { prefix: '/open311' });
}

/**
 * build(options) → a Fastify instance with every plugin and route, never listening: `serve` listens,
 * tests use `app.inject()`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { accountRoutes } from './accounts/account.routes.js';
import { residentSessionRoutes } from './accounts/resident-session.routes.js';
import { sessionPlugin } from './accounts/session.plugin.js';
import { sessionRoutes } from './accounts/session.routes.js';
import { analysisRoutes } from './analysis/analysis.routes.js';
import { archiveRoutes } from './archive/archive.routes.js';
import { calendarRoutes } from './calendar/calendar.routes.js';
import { caseRoutes } from './cases/case.routes.js';
import { caseBoardRoutes } from './cases/case-board.routes.js';
import { caseFeedRoutes } from './cases/case-feed.routes.js';
import { caseSettingsRoutes } from './cases/case-settings.routes.js';
import { catalogueRoutes } from './cases/catalogue/catalogue.routes.js';
import { categorySuggestRoutes } from './cases/category-suggest.routes.js';
import { duplicateRoutes } from './cases/duplicate.routes.js';
import { hotspotRoutes } from './cases/hotspots.routes.js';
import { inboxRoutes } from './cases/inbox.routes.js';
import { publicCaseRoutes } from './cases/public-case.routes.js';
import { publicCatalogueRoutes } from './cases/public-catalogue.routes.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { departmentRoutes } from './departments/department.routes.js';
import { exportRoutes } from './exports/export.routes.js';
import { hotlineRoutes } from './hotline/hotline.routes.js';
import { hotlinePushRoutes } from './hotline/hotline-push.routes.js';
import { codedFailure, installErrorHandler, send } from './http/error-handler.js';
import { healthRoutes } from './http/health.routes.js';
import { securityHeaders } from './http/security-headers.js';
import { installTextGuard } from './http/text-guard.js';
import { indicatorRoutes } from './indicators/indicator.routes.js';
import { intakeRoutes } from './intake/intake.routes.js';
import type { JobQueue } from './jobs/queue.js';
import { EventHub } from './live/event-hub.js';
import { liveRoutes } from './live/live.routes.js';
import { mediaRoutes } from './media/media.routes.js';
import { notificationRoutes } from './notifications/notification.routes.js';
import { handleOpen311Error } from './open311/open311.errors.js';
import { open311Routes } from './open311/open311.routes.js';
import { loggerOptions } from './security/log-privacy.js';
import { meetingRoutes } from './summons/meeting.routes.js';
import { summonsRoutes } from './summons/summons.routes.js';
import { mapSettingsRoutes } from './territory/map-settings.routes.js';
import { GridLocator } from './territory/placement.js';
import { unitRoutes } from './territory/unit.routes.js';
import { VERSION } from './version.js';
import { visitRoutes } from './visits/visit.routes.js';
import { webhookRoutes } from './webhooks/webhook.routes.js';
import { webhookOpenApi } from './webhooks/webhook.schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    jobs: JobQueue | null;
    /** Places points in unit grids; one index per process. */
    locator: GridLocator;
    /** Fans committed changes out to live streams; null without a LISTEN connection. */
    live: EventHub | null;
  }
}

export interface BuildOptions {
  db: Db;
  config: Config;
  /** The job queue; null in tests that do not need it (health then reports jobs as not running). */
  jobs?: JobQueue | null;
  /** The process's grid locator, when the caller shares it with jobs; otherwise one is made. */
  locator?: GridLocator;
  /** PostgreSQL URL for the live events' LISTEN connection; without it /api/events answers 503. */
  listenUrl?: string | undefined;
  /** Directory of the built web application; served at / when it exists. */
  webDir?: string | undefined;
  /** pino options; false silences logs (tests). */
  logger?: boolean | Record<string, unknown>;
}

export async function build(options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(options.config),
    // The router's own refusals (a bad or over-long path segment) answer coded like every other.
    frameworkErrors: (error, request, reply) => {
      if (request.url.startsWith('/open311/')) return handleOpen311Error(error, request, reply);
      const failure = codedFailure(error, request);
      return send(reply, request, failure.code, failure.fields, failure.details);
    },
    bodyLimit: options.config.bodyLimitBytes,
    trustProxy: options.config.production,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    ajv: undefined,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', options.db);
  app.decorate('config', options.config);
  app.decorate('jobs', options.jobs ?? null);
  app.decorate('locator', options.locator ?? new GridLocator(options.db));
  const live = options.listenUrl ? new EventHub(options.listenUrl, options.db, app.log) : null;
  app.decorate('live', live);
  if (live) {
    app.addHook('onReady', () => live.start());
    app.addHook('onClose', () => live.stop());
  }
  installErrorHandler(app);
  installTextGuard(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(securityHeaders);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gridloop 网格闭环 API',
        description:
          '网格化基层治理平台接口。Errors answer `{ error: { code, message, messages: { zh-CN, en }, fields } }`. ' +
          'Cookie sessions must send the `X-CSRF-Token` header (from GET /api/session) on every write.',
        version: VERSION,
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'gridloop_session' } },
        schemas: webhookOpenApi().schemas,
      },
      // What Gridloop itself sends (OpenAPI 3.1 `webhooks`): the signed case events of server/webhooks.
      webhooks: webhookOpenApi().webhooks,
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  await app.register(sessionPlugin);

  await app.register(healthRoutes);
  await app.register(sessionRoutes);
  await app.register(residentSessionRoutes);
  await app.register(unitRoutes);
  await app.register(departmentRoutes);
  await app.register(accountRoutes);
  await app.register(caseRoutes);
  await app.register(publicCaseRoutes);
  await app.register(duplicateRoutes);
  await app.register(categorySuggestRoutes);
  await app.register(publicCatalogueRoutes);
  await app.register(catalogueRoutes);
  await app.register(inboxRoutes);
  await app.register(notificationRoutes);
  await app.register(liveRoutes);
  await app.register(mediaRoutes);
  await app.register(calendarRoutes);
  await app.register(caseSettingsRoutes);
  await app.register(summonsRoutes);
  await app.register(meetingRoutes);
  await app.register(indicatorRoutes);
  await app.register(intakeRoutes);
  await app.register(open311Routes);
  await app.register(caseBoardRoutes);
  await app.register(hotspotRoutes);
  await app.register(caseFeedRoutes);
  await app.register(mapSettingsRoutes);
  await app.register(exportRoutes);
  await app.register(webhookRoutes);
  await app.register(hotlineRoutes);
  await app.register(hotlinePushRoutes);
  await app.register(archiveRoutes);
  await app.register(visitRoutes);
  await app.register(analysisRoutes);

  const webDir = options.webDir;
  const hasWeb = Boolean(webDir && existsSync(join(webDir, 'index.html')));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: ['index.html'],
      // Brotli or gzip files written by the build, for browsers that accept them.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        // Hashed asset names change with their content: cache them for good; the page itself never.
        res.setHeader(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // The web app routes in the browser: unknown non-API pages get its index page.
    const page = request.method === 'GET' && !/^\/(api|open311)(\/|$)/.test(request.url);
    if (hasWeb && page) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return send(reply, request, 'ROUTE_NOT_FOUND');
  });
  return app;
}

/**
 * GET /api/events: a Server-Sent Events stream of case changes the person may see and a signal when
 * a notification arrives for them. Screens refetch what they show on an event. The stream ends
 * after a while so the browser reconnects and the session is checked again.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { errorResponses } from '../http/schemas.js';

/** Comment lines keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** A stream lives this long; EventSource reconnects by itself (and re-authenticates). */
const STREAM_MS = 30 * 60_000;

export async function liveRoutes(app: FastifyInstance): Promise<void> {
  // Open streams would hold the server open; end them before it closes.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(
    '/api/events',
    {
      schema: {
        tags: ['live'],
        summary: 'Live event stream (SSE) of cases I may see and my notifications / 实时事件流',
        description:
          'text/event-stream. `event: case` with {caseId, number, seq, state, version} after each committed ' +
          'step of a case the actor may read; `event: notification` when a notification arrives for the actor. ' +
          'Fed by PostgreSQL LISTEN/NOTIFY, so every server pushes every change.',
        response: { 200: z.string().describe('text/event-stream'), ...errorResponses(401, 503) },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (!actor) throw new AppError('UNAUTHENTICATED');
      const hub = app.live;
      if (!hub) throw new AppError('LIVE_UNAVAILABLE');
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      });
      raw.write('retry: 5000\n\n');
      raw.write(`event: ready\ndata: ${JSON.stringify({ actor: actor.kind })}\n\n`);
      const unsubscribe = hub.subscribe({
        actor,
        send: (event, data) => {
          raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        },
      });
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const end = () => {
        open.delete(end);
        clearInterval(heartbeat);
        clearTimeout(expiry);
        unsubscribe();
        if (!raw.writableEnded) raw.end();
      };
      const expiry = setTimeout(end, STREAM_MS);
      open.add(end);
      request.raw.on('close', end);
    },
  );
}

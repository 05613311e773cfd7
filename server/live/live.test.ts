/**
 * The live stream end to end over a real socket: a committed case step reaches the streams of
 * those who may read the case (in commit order), never the others; a notification wakes its
 * recipient; a stream without a session is refused.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../app.js';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestDatabase, signIn, testConfig } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let base: string;
let t: Territory;
let category: { code: string };
let dispatcher: Client;
let otherDispatcher: Client;

interface Received {
  event: string;
  data: Record<string, unknown>;
}

/** Opens the SSE stream and collects its events until closed. */
async function openStream(client: Client) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/events`, { headers: { cookie: client.cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: Received[] = [];
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    /** Waits until an event satisfies `match` (the stream is asynchronous by nature). */
    async waitFor(match: (e: Received) => boolean, ms = 5_000) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const found = events.find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`);
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

async function report(grid: number) {
  const [lng, lat] = t.gridCentres[grid] as [number, number];
  const res = await dispatcher.request('POST', '/api/cases', {
    channel: 'hotline',
    caller: { name: '李先生', phone: '13800138000' },
    categoryCode: category.code,
    description: '井盖缺失，行人有跌落危险',
    lng,
    lat,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string };
}

describe('live events (SSE over LISTEN/NOTIFY)', () => {
  beforeAll(async () => {
    const database = await createTestDatabase();
    db = database.db;
    app = await build({ db, config: testConfig(), logger: false, listenUrl: database.url });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    t = await makeTerritory(db);
    category = await makeCategory(db);
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
    otherDispatcher = await signIn(
      app,
      (await makeAccount(db, t, 'dispatcher', t.communities[1])).username,
      TEST_PASSWORD,
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('pushes committed steps to those in scope, in order, and not to others', async () => {
    const mine = await openStream(dispatcher);
    const other = await openStream(otherDispatcher);
    await mine.waitFor((e) => e.event === 'ready');
    await other.waitFor((e) => e.event === 'ready');

    const outside = await report(0); // community 0: not the other dispatcher's
    const inside = await report(2); // community 1: both dispatchers'
    await mine.waitFor((e) => e.event === 'case' && e.data.caseId === inside.id);
    await other.waitFor((e) => e.event === 'case' && e.data.caseId === inside.id);
    const caseEvents = mine.events.filter((e) => e.event === 'case').map((e) => e.data.caseId);
    expect(caseEvents.indexOf(outside.id)).toBeLessThan(caseEvents.indexOf(inside.id));
    expect(caseEvents.indexOf(outside.id)).toBeGreaterThanOrEqual(0);
    // Commit order: the outside case came first, so the other stream would have had it by now.
    expect(other.events.some((e) => e.data.caseId === outside.id)).toBe(false);
    // The report notified the dispatchers: a notification signal arrives too.
    await mine.waitFor((e) => e.event === 'notification');

    const current = (await dispatcher.request('GET', `/api/cases/${outside.id}`)).json();
    await dispatcher.request('POST', `/api/cases/${outside.id}/transitions`, {
      action: 'register',
      version: current.version,
    });
    const registered = await mine.waitFor(
      (e) => e.event === 'case' && e.data.caseId === outside.id && e.data.state === 'registered',
    );
    expect(registered.data).toMatchObject({ number: outside.number, seq: 2, version: current.version + 1 });
    await mine.close();
    await other.close();
  });

  it('refuses a stream without a session', async () => {
    const res = await fetch(`${base}/api/events`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });
});

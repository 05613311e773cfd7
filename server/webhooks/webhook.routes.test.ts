/**
 * The webhooks API: administrators of a unit's scope only; the secret in the creation and rotation
 * answers only; a test ping answered at once; the delivery log paged and filtered; replay; audit
 * rows; and coded 4xx for bad input, which changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDeliveryView, WebhookView } from '../../common/webhooks.js';
import type { Db } from '../db/database.js';
import { makeAccount, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { dispatchSettled, type Loop, makeLoop } from '../test/webhook-fixtures.js';
import { type Receiver, startReceiver } from '../test/webhook-receiver.js';
import { sendDueDeliveries } from './webhook-sender.js';
import { verifySignature } from './webhook-signature.js';

let db: Db;
let app: FastifyInstance;
let strictApp: FastifyInstance;
let loop: Loop;
let receiver: Receiver;
let communityAdmin: Client;

type Created = WebhookView & { secret: string };

async function create(client: Client, body: Record<string, unknown>) {
  return client.request('POST', '/api/webhooks', {
    unitId: loop.t.units.get(loop.t.subdistrict)?.id,
    url: `${receiver.url}/api`,
    eventTypes: ['case.reported'],
    ...body,
  });
}

const count = async () =>
  Number(
    (
      await db
        .selectFrom('webhook')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const audited = async (subjectId: string) =>
  (await db.selectFrom('auditLog').select('action').where('subjectId', '=', subjectId).orderBy('id').execute()).map(
    (r) => r.action,
  );

describe('webhook routes', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db, { webhookAllowPrivate: true });
    strictApp = await createTestApp(db, { webhookAllowPrivate: false });
    loop = await makeLoop(db, app);
    receiver = await startReceiver();
    const made = await makeAccount(db, loop.t, 'admin', loop.t.communities[1]);
    communityAdmin = await signIn(app, made.username, TEST_PASSWORD);
  });

  it('creates a subscription whose secret is shown once and never again', async () => {
    const res = await create(loop.admin, { description: '区城运中心', eventTypes: ['case.closed', 'case.reported'] });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as Created;
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({
      enabled: true,
      description: '区城运中心',
      eventTypes: ['case.closed', 'case.reported'],
      unit: { code: loop.t.subdistrict, level: 'subdistrict' },
      abilities: { update: true, delete: true, replay: true },
    });
    const list = await loop.admin.request('GET', '/api/webhooks');
    const one = await loop.admin.request('GET', `/api/webhooks/${created.id}`);
    const patched = await loop.admin.request('PATCH', `/api/webhooks/${created.id}`, { description: '改名' });
    for (const answer of [list, one, patched]) {
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.body).not.toContain(created.secret);
      expect(answer.body).not.toContain('secret"');
    }
    expect((list.json() as { items: WebhookView[] }).items.map((w) => w.id)).toContain(created.id);
    expect(await audited(created.id)).toEqual(['webhook.created', 'webhook.updated']);
  });

  it('answers bad input with coded 4xx and changes nothing', async () => {
    const before = await count();
    const cases: [Client | null, Record<string, unknown>, number, string][] = [
      [null, { url: 'http://hooks.example.cn/in' }, 422, 'WEBHOOK_URL_INVALID'],
      [null, { url: 'https://user:pw@hooks.example.cn/in' }, 422, 'WEBHOOK_URL_INVALID'],
      [null, { eventTypes: [] }, 400, 'VALIDATION_FAILED'],
      [null, { eventTypes: ['case.exploded'] }, 400, 'VALIDATION_FAILED'],
      [null, { unitId: 'not-a-uuid' }, 400, 'VALIDATION_FAILED'],
      [null, { unitId: '01900000-0000-7000-8000-000000000000' }, 404, 'NOT_FOUND'],
      [null, { secret: 'whsec_mine' }, 400, 'VALIDATION_FAILED'],
      [null, { description: 'x'.repeat(201) }, 400, 'VALIDATION_FAILED'],
      // An administrator of another community: the subdistrict is outside their scope.
      [communityAdmin, {}, 404, 'NOT_FOUND'],
      [loop.dispatcher, {}, 404, 'NOT_FOUND'],
    ];
    for (const [client, body, status, code] of cases) {
      const res = await create(client ?? loop.admin, body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
      const error = res.json().error as { code: string; messages: { 'zh-CN': string; en: string } };
      expect(error.code).toBe(code);
      expect(error.messages['zh-CN']).toBeTruthy();
      expect(error.messages.en).toBeTruthy();
    }
    // Where private targets are not allowed, this machine and the cloud's metadata address are refused.
    const strictAdmin = await signIn(
      strictApp,
      (await makeAccount(db, loop.t, 'admin', loop.t.subdistrict)).username,
      TEST_PASSWORD,
    );
    for (const url of [receiver.url, 'https://169.254.169.254/latest', 'https://localhost/in']) {
      const res = await create(strictAdmin, { url });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe(url === receiver.url ? 'WEBHOOK_URL_INVALID' : 'WEBHOOK_URL_FORBIDDEN');
    }
    expect(await count()).toBe(before);

    const made = (await create(loop.admin, {})).json() as Created;
    const bad: [string, string, unknown, number][] = [
      ['PATCH', `/api/webhooks/${made.id}`, {}, 400],
      ['PATCH', `/api/webhooks/${made.id}`, { url: 'ftp://x.cn/' }, 422],
      ['PATCH', `/api/webhooks/${made.id}`, { enabled: 'no' }, 400],
      ['GET', '/api/webhooks/nope', undefined, 400],
      ['GET', `/api/webhooks/${made.id}/deliveries?status=lost`, undefined, 400],
      ['GET', `/api/webhooks/${made.id}/deliveries?pageSize=1000`, undefined, 400],
      ['POST', '/api/webhooks/deliveries/01900000-0000-7000-8000-000000000000/replay', undefined, 404],
    ];
    for (const [method, url, body, status] of bad) {
      const res = await loop.admin.request(method as 'GET', url, body);
      expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(status);
    }
    const after = (await loop.admin.request('GET', `/api/webhooks/${made.id}`)).json() as WebhookView;
    expect(after).toMatchObject({ url: made.url, enabled: true, updatedAt: made.updatedAt });
  });

  it('keeps other scopes out: 404, with the attempt audited', async () => {
    const made = (await create(loop.admin, {})).json() as Created;
    for (const [method, url] of [
      ['GET', `/api/webhooks/${made.id}`],
      ['PATCH', `/api/webhooks/${made.id}`],
      ['DELETE', `/api/webhooks/${made.id}`],
      ['POST', `/api/webhooks/${made.id}/rotate-secret`],
      ['POST', `/api/webhooks/${made.id}/test`],
    ] as const) {
      const res = await communityAdmin.request(method, url, method === 'PATCH' ? { enabled: false } : undefined);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const list = (await communityAdmin.request('GET', '/api/webhooks')).json() as { items: WebhookView[] };
    expect(list.items.map((w) => w.id)).not.toContain(made.id);
    expect((await audited(made.id)).filter((a) => a === 'access.denied')).toHaveLength(5);
    expect((await loop.admin.request('GET', `/api/webhooks/${made.id}`)).json()).toMatchObject({ enabled: true });
  });

  it('pings now, logs deliveries page by page, replays, rotates and deletes', async () => {
    const made = (
      await create(loop.admin, { url: `${receiver.url}/flow`, eventTypes: ['case.reported', 'case.registered'] })
    ).json() as Created;
    const ping = await loop.admin.request('POST', `/api/webhooks/${made.id}/test`);
    expect(ping.statusCode, ping.body).toBe(200);
    expect(ping.json()).toMatchObject({ eventType: 'ping', status: 'succeeded', attempts: 1, lastResponseStatus: 200 });
    const pinged = receiver.received.filter((r) => r.path === '/hook/flow');
    expect(pinged).toHaveLength(1);
    expect(
      verifySignature(made.secret, pinged[0]?.headers['x-gridloop-signature'] as string, pinged[0]?.body ?? ''),
    ).toBe(true);

    const c = await loop.report(0);
    await loop.step(loop.dispatcher, c.id, { action: 'register' });
    receiver.answer(500);
    await dispatchSettled(db);
    await sendDueDeliveries(db, { allowPrivate: true });
    receiver.answer(200);
    const page = async (query: string) => {
      const res = await loop.admin.request('GET', `/api/webhooks/${made.id}/deliveries${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: WebhookDeliveryView[]; total: number; page: number };
    };
    expect((await page('')).total).toBe(3);
    const failed = await page('?status=failed');
    expect(failed.items.map((d) => d.eventType).sort()).toEqual(['case.registered', 'case.reported']);
    expect(failed.items[0]).toMatchObject({ caseNumber: c.number, lastResponseStatus: 500, attempts: 1 });
    const second = await page('?pageSize=2&page=2');
    expect(second).toMatchObject({ total: 3, page: 2 });
    expect(second.items.map((d) => d.eventType)).toEqual(['ping']);

    const target = failed.items[0] as WebhookDeliveryView;
    const replayed = await loop.admin.request('POST', `/api/webhooks/deliveries/${target.id}/replay`);
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(replayed.json()).toMatchObject({ id: target.id, status: 'succeeded', replays: 1, attempts: 1 });
    expect(receiver.received.filter((r) => r.headers['x-gridloop-delivery'] === target.id)).toHaveLength(2);

    const rotated = await loop.admin.request('POST', `/api/webhooks/${made.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).not.toBe(made.secret);

    const off = await loop.admin.request('PATCH', `/api/webhooks/${made.id}`, { enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, disabledReason: 'manual', abilities: { replay: false } });
    // The other failed delivery was given up when it was switched off; replaying waits for it to be on.
    expect((await page('?status=gave_up')).items.map((d) => d.eventType)).toHaveLength(1);
    const refused = await loop.admin.request('POST', `/api/webhooks/deliveries/${target.id}/replay`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('WEBHOOK_DISABLED');

    const gone = await loop.admin.request('DELETE', `/api/webhooks/${made.id}`);
    expect(gone.statusCode).toBe(204);
    expect((await loop.admin.request('GET', `/api/webhooks/${made.id}`)).statusCode).toBe(404);
    expect(await db.selectFrom('webhookDelivery').select('id').where('webhookId', '=', made.id).execute()).toEqual([]);
    expect(await audited(made.id)).toEqual([
      'webhook.created',
      'webhook.delivery_replayed',
      'webhook.secret_rotated',
      'webhook.updated',
      'webhook.deleted',
    ]);
  });

  it('opens the page to administrators only, and documents the payload in the OpenAPI', async () => {
    const ability = async (client: Client) =>
      ((await client.request('GET', '/api/session')).json() as { abilities: { manageWebhooks: boolean } }).abilities
        .manageWebhooks;
    expect(await ability(loop.admin)).toBe(true);
    expect(await ability(loop.dispatcher)).toBe(false);
    expect(((await loop.dispatcher.request('GET', '/api/webhooks')).json() as { items: unknown[] }).items).toEqual([]);

    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(doc.components.schemas.WebhookPayload.properties).toHaveProperty('occurredAt');
    expect(doc.components.schemas.WebhookPayload.properties).not.toHaveProperty('description');
    expect(doc.webhooks.caseEvent.post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/WebhookPayload',
    );
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/webhooks',
        '/api/webhooks/{id}/deliveries',
        '/api/webhooks/deliveries/{id}/replay',
      ]),
    );
  });
});

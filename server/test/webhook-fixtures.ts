/**
 * What the webhook tests share: a territory with the people of the loop signed in, reporting and
 * stepping cases through the real API, and subscriptions made through the real command.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { WebhookEventType } from '../../common/webhooks.js';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import { createWebhook } from '../webhooks/commands/create-webhook.js';
import { type DispatchOptions, type DispatchResult, dispatchWebhookEvents } from '../webhooks/webhook-dispatcher.js';
import {
  makeAccount,
  makeCategory,
  makeDepartment,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
} from './factories.js';
import { type Client, signIn } from './harness.js';

export interface Loop {
  t: Territory;
  category: { id: string; code: string };
  department: { id: string; code: string };
  worker: Client;
  dispatcher: Client;
  handler: Client;
  /** An administrator of the subdistrict (makes subscriptions through the API). */
  admin: Client;
  adminId: string;
  report(grid?: number): Promise<{ id: string; number: string }>;
  step(client: Client, id: string, body: Record<string, unknown>): Promise<void>;
}

export async function makeLoop(db: Db, app: FastifyInstance): Promise<Loop> {
  const t = await makeTerritory(db);
  const category = await makeCategory(db);
  const department = await makeDepartment(db, t);
  const account = async (role: Parameters<typeof makeAccount>[2], unit: string, extra?: object) => {
    const made = await makeAccount(db, t, role, unit, extra as never);
    return { id: made.id, client: await signIn(app, made.username, TEST_PASSWORD) };
  };
  const worker = (await account('grid_worker', t.subdistrict)).client;
  const dispatcher = (await account('dispatcher', t.subdistrict)).client;
  const handler = (
    await account('handler', t.subdistrict, { departmentId: department.id, departmentCode: department.code })
  ).client;
  const admin = await account('admin', t.subdistrict);
  return {
    t,
    category,
    department,
    worker,
    dispatcher,
    handler,
    admin: admin.client,
    adminId: admin.id,
    async report(grid = 0) {
      const [lng, lat] = t.gridCentres[grid] as [number, number];
      const res = await worker.request('POST', '/api/cases', {
        channel: 'patrol',
        categoryCode: category.code,
        description: '小区门口垃圾堆放，联系人王女士 13912345678',
        lng,
        lat,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; number: string };
    },
    async step(client, id, body) {
      const current = (await client.request('GET', `/api/cases/${id}`)).json() as { version: number };
      const res = await client.request('POST', `/api/cases/${id}/transitions`, { version: current.version, ...body });
      expect(res.statusCode, res.body).toBe(200);
    },
  };
}

/** Subscribes a unit's subtree through the command (private targets allowed, as in development). */
export async function subscribe(
  db: Db,
  props: { unitCode: string; url: string; eventTypes: WebhookEventType[]; createdBy?: string },
): Promise<{ id: string; secret: string; district: string }> {
  const unit = await db
    .selectFrom('unit')
    .select(['id', 'path', 'district', 'code'])
    .where('code', '=', props.unitCode)
    .executeTakeFirstOrThrow();
  const actor = props.createdBy
    ? {
        kind: 'staff' as const,
        id: props.createdBy,
        username: 'admin',
        displayName: 'admin',
        mustChangePassword: false,
        grants: [],
      }
    : SYSTEM_ACTOR;
  const made = await createWebhook(
    { db, who: { actor }, allowPrivate: true },
    { unit, url: props.url, eventTypes: props.eventTypes, description: '' },
  );
  return { ...made, district: unit.district };
}

/**
 * Dispatches once every transaction that began before this call has ended. Transaction ids are
 * the cluster's, so another test file's open transaction (another database, same cluster) holds
 * the dispatcher back — for a moment, as it would in production — and a test that expects its own
 * committed steps to be read waits for that first instead of racing it.
 */
export async function dispatchSettled(db: Db, options: DispatchOptions = {}): Promise<DispatchResult> {
  const { rows } = await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(db);
  const mine = BigInt(rows[0]?.xid ?? 0);
  for (let i = 0; i < 600; i++) {
    const horizon = await sql<{ h: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as h`.execute(db);
    if (BigInt(horizon.rows[0]?.h ?? 0) > mine) break;
    await sleep(50);
  }
  return dispatchWebhookEvents(db, options);
}

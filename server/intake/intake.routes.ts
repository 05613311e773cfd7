/**
 * Machines over HTTP: administrators make and revoke machine keys for units in their scope; a
 * machine posts alarms with its key (`Authorization: Bearer glk_…`, no session, no CSRF) and an
 * `Idempotency-Key` header it repeats on every retry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { URGENCIES } from '../../common/cases.js';
import { requestHash } from '../cases/report-requests.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { inScope, scopePaths } from '../policies/predicates.js';
import {
  authenticateMachine,
  createMachineKey,
  findMachineKey,
  listMachineKeys,
  MACHINE_CHANNELS,
  type MachineKeyRow,
  revokeMachineKey,
} from './machine-keys.js';
import { receiveAlarm } from './receive-alarm.js';

const tags = ['intake'];

const ZMachineKey = z.object({
  id: z.string(),
  name: z.string(),
  channel: z.enum(MACHINE_CHANNELS),
  unitId: z.string(),
  /** The district of the key's unit: an Open311 key's jurisdiction_id. */
  district: z.string(),
  /** The first characters of the key, to tell keys apart; the key itself is never shown again. */
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

const present = (row: MachineKeyRow): z.infer<typeof ZMachineKey> => ({
  id: row.id,
  name: row.name,
  channel: row.channel,
  unitId: row.unitId,
  district: row.district,
  prefix: row.keyPrefix,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

const mayManage = inScope<{ unitPath: string }>((k) => k.unitPath, 'admin');

const ZAlarm = z.strictObject({
  deviceId: z.string().trim().min(1).max(100),
  categoryCode: z.string().regex(/^\d{4}$/, '4 digits'),
  urgency: z.enum(URGENCIES).default('normal'),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  address: z.string().trim().max(200).optional(),
  description: z.string().trim().min(4).max(2_000),
  /** When the device raised it (ISO 8601 with offset); the time received when absent. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});

const ZAlarmAnswer = z.object({
  caseId: z.string(),
  number: z.string(),
  attached: z.boolean(),
  replay: z.boolean(),
});

export async function intakeRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function loadManageable(request: FastifyRequest, id: string): Promise<MachineKeyRow> {
    const row = await findMachineKey(app.db, id);
    if (!row) throw new AppError('NOT_FOUND');
    if (!mayManage(request.actor, row))
      await denyOutOfScope(request, { type: 'machine_key', id, district: row.district });
    return row;
  }

  r.get(
    '/api/machine-keys',
    {
      schema: {
        tags,
        summary: 'Machine keys of units in my scope / 设备密钥列表',
        response: { 200: listOf(ZMachineKey), ...errorResponses(401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      return { items: (await listMachineKeys(app.db, scopePaths(actor, 'admin'))).map(present) };
    },
  );

  r.post(
    '/api/machine-keys',
    {
      schema: {
        tags,
        summary: 'Make a machine key for a unit; the key is in this answer only / 新建设备密钥（仅显示一次）',
        description:
          'channel `sensor` (default): alarms into the unit’s grids. channel `open311`: an Open311 api_key, bound to a ' +
          'district unit whose district code is the jurisdiction_id (422 OPEN311_KEY_UNIT_INVALID otherwise). ' +
          'channel `hotline`: the 12345 hotline pushing work orders (POST /api/hotline/orders) into the unit, a ' +
          'district or a unit within one (422 HOTLINE_KEY_UNIT_INVALID otherwise).',
        body: z.strictObject({
          name: z.string().trim().min(2).max(100),
          unitId: z.uuid(),
          channel: z.enum(MACHINE_CHANNELS).default('sensor'),
        }),
        response: { 201: ZMachineKey.extend({ key: z.string() }), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const unit = await app.db
        .selectFrom('unit')
        .select(['id', 'path', 'district', 'code', 'level'])
        .where('id', '=', request.body.unitId)
        .executeTakeFirst();
      if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path: 'body.unitId', reason: 'no such unit' }] });
      if (!mayManage(actor, { unitPath: unit.path }))
        await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district });
      const { row, key } = await createMachineKey(app.db, auditContext(request), {
        name: request.body.name,
        channel: request.body.channel,
        unit,
      });
      return reply.status(201).send({ ...present(row), key });
    },
  );

  r.delete(
    '/api/machine-keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a machine key / 吊销设备密钥',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: ZMachineKey, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      requireStaff(request);
      const row = await loadManageable(request, request.params.id);
      return present(await revokeMachineKey(app.db, auditContext(request), row));
    },
  );

  r.post(
    '/api/intake/alarms',
    {
      schema: {
        tags,
        summary:
          'A sensor or video alarm: a report in its grid, or joined to the open case there (machine key, Idempotency-Key) / 物联感知告警接入',
        description:
          'Authorization: Bearer <machine key>. Send an Idempotency-Key header (up to 100 characters) and repeat it ' +
          'on every retry: a retry answers the first answer (replay: true) and writes nothing; the same key with ' +
          'another body is refused (422 IDEMPOTENCY_KEY_REUSED). 201 when a case was ' +
          'opened, 200 when the alarm joined an open case of the same category nearby (attached: true) or was a retry.',
        headers: z.object({ 'idempotency-key': z.string().trim().min(1).max(100).optional() }),
        body: ZAlarm,
        response: { 200: ZAlarmAnswer, 201: ZAlarmAnswer, ...errorResponses(400, 401, 422, 429) },
      },
      config: { rateLimit: { max: 600, timeWindow: '1 minute', keyGenerator: (req) => machineRateKey(req) } },
    },
    async (request, reply) => {
      const key = await authenticateMachine(app.db, request.headers.authorization, 'sensor');
      const idempotencyKey = request.headers['idempotency-key'];
      if (!idempotencyKey) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
      const body = request.body;
      const answer = await receiveAlarm(
        { db: app.db, locator: app.locator, requestId: String(request.id), ip: request.ip },
        key,
        {
          ...body,
          idempotencyKey,
          requestHash: requestHash(body),
          occurredAt: body.occurredAt ? new Date(body.occurredAt) : new Date(),
        },
      );
      return reply.status(answer.attached || answer.replay ? 200 : 201).send(answer);
    },
  );
}

/** Rate limits count per machine key (its public prefix), not per address: gateways share addresses. */
export function machineRateKey(request: FastifyRequest): string {
  const presented = /^Bearer\s+(glk_[A-Za-z0-9_-]{8})/.exec(request.headers.authorization ?? '')?.[1];
  return presented ?? request.ip;
}

/**
 * The hotline's system over HTTP: it pushes orders (`POST /api/hotline/orders`, a machine key of
 * the channel `hotline`, an Idempotency-Key) and reads their status back (`GET
 * /api/hotline/orders/status`, the same key — or a dispatcher's or administrator's session —
 * as JSON, CSV or XLSX). Both are scoped to the key's unit or the person's scope; every status
 * export is audited before its first row leaves.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../audit/audit.writer.js';
import { toShanghaiIso } from '../calendar/civil.js';
import {
  attachment,
  CSV_TYPE,
  csvWriter,
  OutputClosed,
  type TableWriter,
  XLSX_TYPE,
  xlsxWriter,
} from '../exports/table-writer.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { machineRateKey } from '../intake/intake.routes.js';
import { authenticateMachine } from '../intake/machine-keys.js';
import { scopePaths } from '../policies/predicates.js';
import { pushOrder } from './commands/push-order.js';
import { HOTLINE_ROLES, hotlinePolicy } from './hotline.policy.js';
import { ZPushAnswer, ZPushOrder, ZStatusExport, ZStatusQuery } from './hotline.schema.js';
import {
  countStatus,
  presentStatus,
  STATUS_COLUMNS,
  type StatusRange,
  statusCells,
  statusPages,
  statusRange,
} from './hotline-status.js';

const tags = ['hotline'];

export async function hotlinePushRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/hotline/orders',
    {
      schema: {
        tags,
        summary: 'The hotline pushes one work order (machine key, Idempotency-Key) / 12345 工单推送',
        description:
          'Authorization: Bearer <machine key of the channel hotline>. Send an Idempotency-Key header (up to 100 ' +
          'characters) and repeat it on every retry: a retry answers the first answer (replay: true) and writes ' +
          'nothing; the same key with another body is refused (422 IDEMPOTENCY_KEY_REUSED). The order number is ' +
          'idempotent too: 201 when a case was made, 200 when the same number came again (unchanged, or updated ' +
          'with a new version and a note on its case). category, unit and urgency may be the hotline’s words, ' +
          'read through the district’s default mapping, or our codes. See docs/hotline.md.',
        security: [],
        headers: z.object({ 'idempotency-key': z.string().trim().min(1).max(100).optional() }),
        body: ZPushOrder,
        response: { 200: ZPushAnswer, 201: ZPushAnswer, ...errorResponses(400, 401, 422, 429) },
      },
      config: { rateLimit: { max: 600, timeWindow: '1 minute', keyGenerator: (req) => machineRateKey(req) } },
    },
    async (request, reply) => {
      const key = await authenticateMachine(app.db, request.headers.authorization, 'hotline');
      const idempotencyKey = request.headers['idempotency-key'];
      if (!idempotencyKey) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
      const { status, answer } = await pushOrder(
        { db: app.db, locator: app.locator, requestId: String(request.id), ip: request.ip },
        key,
        { idempotencyKey, body: request.body },
      );
      return reply.status(status).send(answer);
    },
  );

  /** Whose status export this is: a hotline key (its unit) or a dispatcher or administrator (their scope). */
  async function reader(request: FastifyRequest) {
    if (/^Bearer\s/i.test(request.headers.authorization ?? '')) {
      const key = await authenticateMachine(app.db, request.headers.authorization, 'hotline');
      const who = {
        actor: { kind: 'system' as const, id: null, name: `machine:${key.name}` },
        requestId: String(request.id),
        ip: request.ip,
      };
      return { paths: [key.unitPath], who };
    }
    const actor = requireStaff(request);
    if (!hotlinePolicy.useSome(actor, null))
      await denyOutOfScope(request, { type: 'hotline', id: 'status' }, 'forbidden');
    return { paths: scopePaths(actor, ...HOTLINE_ROLES), who: auditContext(request) };
  }

  r.get(
    '/api/hotline/orders/status',
    {
      schema: {
        tags,
        summary: 'Status of the orders changed in a period, for the hotline (JSON, CSV, XLSX) / 工单办理情况回传',
        description:
          'Orders whose case or order changed in [since, until) (at most 92 days), in the scope of the hotline ' +
          'key (Authorization: Bearer) or of the signed-in dispatcher or administrator, oldest change first: ' +
          'order and case numbers, the status in the hotline’s words (已受理, 办理中, 已办结, 退回, 已合并) and our ' +
          'state, the handling department and the handling report’s text, call / received / dispatched / ' +
          'handled / closed times (ISO 8601, +08:00), the callback. Audited.',
        querystring: ZStatusQuery,
        produces: ['application/json', CSV_TYPE, XLSX_TYPE],
        response: { 200: ZStatusExport, ...errorResponses(400, 401, 403, 422, 429) },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute', keyGenerator: (req) => machineRateKey(req) } },
    },
    async (request, reply) => {
      const { paths, who } = await reader(request);
      const { format } = request.query;
      const range = statusRange(request.query.since, request.query.until);
      const total = await countStatus(app.db, paths, range);
      const period = { since: toShanghaiIso(range.since), until: toShanghaiIso(range.until) };
      await writeAudit(app.db, who, { action: 'hotline.status_exported', data: { format, ...period, rows: total } });
      if (format === 'json') {
        const items = [];
        for await (const page of statusPages(app.db, paths, range)) items.push(...page.map(presentStatus));
        return { ...period, items };
      }
      const raw: FastifyReply = reply;
      return sendTable(request, raw, format, paths, range);
    },
  );

  function sendTable(
    request: FastifyRequest,
    reply: FastifyReply,
    format: 'csv' | 'xlsx',
    paths: string[],
    range: StatusRange,
  ) {
    const out = new PassThrough();
    const writer: TableWriter =
      format === 'csv' ? csvWriter(out, STATUS_COLUMNS) : xlsxWriter(out, STATUS_COLUMNS, { sheet: '工单 Orders' });
    void (async () => {
      for await (const page of statusPages(app.db, paths, range)) {
        await writer.rows(page.map((row) => statusCells(row, format)));
      }
      await writer.end();
    })().catch((error) => {
      if (!(error instanceof OutputClosed)) request.log.error({ err: error }, 'hotline status export failed');
      out.destroy(error instanceof Error ? error : undefined);
    });
    const stamp = toShanghaiIso(range.until).slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    return reply
      .header('content-type', format === 'csv' ? CSV_TYPE : XLSX_TYPE)
      .header('content-disposition', attachment(`hotline-status-${stamp}.${format}`))
      .header('cache-control', 'no-store')
      .send(out);
  }
}

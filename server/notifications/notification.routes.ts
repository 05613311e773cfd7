/**
 * My notifications (站内消息): what the closed loop told me, newest first, and marking them read.
 * Staff and signed-in residents alike; each sees only their own.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_ACTIONS, type CaseAction, transitionOf } from '../../common/workflow.js';
import { AppError } from '../http/app-error.js';
import { errorResponses } from '../http/schemas.js';

const tags = ['notifications'];

/** Labels of notices that are not workflow steps (the workflow table labels those). */
const NOTICE_LABELS: Record<string, { zh: string; en: string }> = {
  warning: { zh: '即将超时（黄灯）', en: 'Due soon (yellow light)' },
  overdue: { zh: '已超时（红灯）', en: 'Overdue (red light)' },
  summons_issued: { zh: '收到约请', en: 'Summoned' },
  summons_replied: { zh: '约请已答复', en: 'Summons answered' },
  summons_warning: { zh: '约请即将逾期未复', en: 'Summons reply due soon' },
  summons_overdue: { zh: '约请逾期未复', en: 'Summons reply overdue' },
  summons_closed: { zh: '约请已办结', en: 'Summons closed' },
  summons_cancelled: { zh: '约请已取消', en: 'Summons cancelled' },
  webhook_disabled: { zh: '回调订阅因持续失败已停用', en: 'Webhook disabled after failing' },
};

export function noticeLabel(kind: string): { zh: string; en: string } {
  if (NOTICE_LABELS[kind]) return NOTICE_LABELS[kind];
  if ((CASE_ACTIONS as readonly string[]).includes(kind)) return transitionOf(kind as CaseAction).label;
  return { zh: kind, en: kind };
}

const ZNotification = z.object({
  id: z.string(),
  kind: z.string(),
  label: z.object({ zh: z.string(), en: z.string() }),
  caseId: z.string().nullable(),
  caseNumber: z.string().nullable(),
  summonsId: z.string().nullable(),
  title: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
  read: z.boolean(),
});

const ZListQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
});

const ZReadRequest = z.union([
  z.strictObject({ ids: z.array(z.uuid()).min(1).max(500) }),
  z.strictObject({ all: z.literal(true) }),
]);

/** Whose inbox: a staff account or a signed-in resident; nobody else has one. */
function recipientOf(request: FastifyRequest): { kind: 'account' | 'resident'; id: string } {
  const actor = request.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return { kind: actor.kind === 'staff' ? 'account' : 'resident', id: actor.id };
}

export async function notificationRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest first, with the unread count / 我的消息',
        querystring: ZListQuery,
        response: {
          200: z.object({ items: z.array(ZNotification), unread: z.number() }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const me = recipientOf(request);
      let query = app.db
        .selectFrom('notification')
        .selectAll()
        .where('recipientId', '=', me.id)
        .where('recipientKind', '=', me.kind)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(request.query.limit);
      if (request.query.unread === 'true') query = query.where('readAt', 'is', null);
      if (request.query.before) query = query.where('createdAt', '<', new Date(request.query.before));
      const [rows, unread] = await Promise.all([
        query.execute(),
        app.db
          .selectFrom('notification')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('recipientId', '=', me.id)
          .where('recipientKind', '=', me.kind)
          .where('readAt', 'is', null)
          .executeTakeFirstOrThrow(),
      ]);
      return {
        unread: Number(unread.n),
        items: rows.map((n) => {
          const data = n.data as { number?: string; title?: string; reason?: string; summonsId?: string };
          return {
            id: n.id,
            kind: n.kind,
            label: noticeLabel(n.kind),
            caseId: n.caseId,
            caseNumber: data.number ?? null,
            summonsId: data.summonsId ?? null,
            title: data.title ?? null,
            reason: data.reason ?? null,
            at: new Date(n.createdAt).toISOString(),
            read: n.readAt !== null,
          };
        }),
      };
    },
  );

  r.post(
    '/api/notifications/read',
    {
      schema: {
        tags,
        summary: 'Mark some or all of my notifications read / 标记已读',
        body: ZReadRequest,
        response: { 200: z.object({ updated: z.number() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const me = recipientOf(request);
      let update = app.db
        .updateTable('notification')
        .set({ readAt: new Date() })
        .where('recipientId', '=', me.id)
        .where('recipientKind', '=', me.kind)
        .where('readAt', 'is', null);
      if ('ids' in request.body) update = update.where('id', 'in', request.body.ids);
      const result = await update.executeTakeFirst();
      return { updated: Number(result.numUpdatedRows) };
    },
  );
}

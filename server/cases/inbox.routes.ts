/**
 * Inboxes per role (待办): the open cases in my scope cut by what I may do next — the same
 * abilities the case page shows, so an inbox never lists a case whose button I would not have —
 * plus the overdue cases in my scope whoever holds them.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CaseAction } from '../../common/workflow.js';
import { loadCalendar } from '../calendar/calendar.repository.js';
import { requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { presentCase } from './case.presenter.js';
import { listOpenCases } from './case.repository.js';
import { ZCaseView } from './case.schema.js';

/** Each section and the actions that put a case in it. */
export const INBOX_SECTIONS = {
  toRegister: ['register', 'self_register', 'reject'],
  toDispatch: ['dispatch'],
  toAcknowledge: ['acknowledge'],
  toHandle: ['submit_handling'],
  toVerify: ['verify_pass'],
  toApprove: ['approve_extension', 'approve_deferral'],
  deferred: ['resume'],
} as const satisfies Record<string, readonly CaseAction[]>;

export type InboxSection = keyof typeof INBOX_SECTIONS | 'overdue';

/** How many open cases an inbox looks at; a scope with more open cases than this shows the most urgent. */
const OPEN_CASES_LIMIT = 2_000;
const PER_SECTION = 50;

const ZSection = z.object({ total: z.number(), items: z.array(ZCaseView) });
const SECTION_NAMES = [...(Object.keys(INBOX_SECTIONS) as (keyof typeof INBOX_SECTIONS)[]), 'overdue'] as const;

export async function inboxRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/inbox',
    {
      schema: {
        tags: ['cases'],
        summary:
          'My to-do lists: to register, dispatch, acknowledge, handle, verify, approve; overdue in my scope / 我的待办',
        description:
          `Each section lists up to ${PER_SECTION} cases, soonest due first, with its total; ` +
          '`section` and `page` turn the pages of one section (the others show their first page).',
        querystring: z.strictObject({
          section: z.enum(SECTION_NAMES).optional(),
          page: z.coerce
            .number()
            .int()
            .min(1)
            .max(OPEN_CASES_LIMIT / PER_SECTION)
            .default(1),
        }),
        response: {
          200: z.object({
            sections: z.object({
              toRegister: ZSection,
              toDispatch: ZSection,
              toAcknowledge: ZSection,
              toHandle: ZSection,
              toVerify: ZSection,
              toApprove: ZSection,
              deferred: ZSection,
              overdue: ZSection,
            }),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const [rows, calendar] = await Promise.all([
        listOpenCases(app.db, actor, OPEN_CASES_LIMIT),
        loadCalendar(app.db),
      ]);
      const now = new Date();
      const views = rows.map((c) => presentCase(actor, c, now, calendar));
      const { section: paged, page } = request.query;
      const section = (name: InboxSection, keep: (v: (typeof views)[number]) => boolean) => {
        const all = views.filter(keep);
        const start = name === paged ? (page - 1) * PER_SECTION : 0;
        return { total: all.length, items: all.slice(start, start + PER_SECTION) };
      };
      const byActions = (name: keyof typeof INBOX_SECTIONS) =>
        section(name, (v) => v.abilities.some((a) => INBOX_SECTIONS[name].includes(a as never)));
      return {
        sections: {
          toRegister: byActions('toRegister'),
          toDispatch: byActions('toDispatch'),
          toAcknowledge: byActions('toAcknowledge'),
          toHandle: byActions('toHandle'),
          toVerify: byActions('toVerify'),
          toApprove: byActions('toApprove'),
          deferred: byActions('deferred'),
          overdue: section('overdue', (v) => v.clock.light === 'red'),
        },
      };
    },
  );
}

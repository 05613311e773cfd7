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

export async function inboxRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/inbox',
    {
      schema: {
        tags: ['cases'],
        summary:
          'My to-do lists: to register, dispatch, acknowledge, handle, verify, approve; overdue in my scope / 我的待办',
        description: `Each section lists up to ${PER_SECTION} cases, soonest due first, with its total.`,
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
          ...errorResponses(401),
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
      const section = (keep: (v: (typeof views)[number]) => boolean) => {
        const all = views.filter(keep);
        return { total: all.length, items: all.slice(0, PER_SECTION) };
      };
      const byActions = (actions: readonly CaseAction[]) =>
        section((v) => v.abilities.some((a) => actions.includes(a)));
      return {
        sections: {
          toRegister: byActions(INBOX_SECTIONS.toRegister),
          toDispatch: byActions(INBOX_SECTIONS.toDispatch),
          toAcknowledge: byActions(INBOX_SECTIONS.toAcknowledge),
          toHandle: byActions(INBOX_SECTIONS.toHandle),
          toVerify: byActions(INBOX_SECTIONS.toVerify),
          toApprove: byActions(INBOX_SECTIONS.toApprove),
          deferred: byActions(INBOX_SECTIONS.deferred),
          overdue: section((v) => v.clock.light === 'red'),
        },
      };
    },
  );
}

import type { Urgency } from '../../../common/cases.js';
import { NEED_KIND_LABELS } from '../../../common/visits.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { reportCase } from '../../cases/commands/report-case.js';
import { AppError } from '../../http/app-error.js';
import type { GridLocator } from '../../territory/placement.js';
import type { NeedRow, VisitRow } from '../visit.repository.js';
import { auditOf, type VisitContext } from './record-visit.js';
import { updateOpenNeed } from './update-open-need.js';

export interface ReferNeedProps {
  visit: VisitRow;
  need: NeedRow;
  /** Where the household lives: its building's point, when it has one. */
  location: { lng: number; lat: number } | null;
  categoryCode: string;
  urgency: Urgency;
  title?: string | undefined;
  note?: string | undefined;
  photos: string[];
}

/**
 * 诉求转案件: reports the need as a case through the real report command (channel `survey`, so the
 * workflow table's CHANNEL_REPORTERS decides who may), placed at the household's building and
 * addressed to the household; the need becomes `referred` and keeps the case in the SAME
 * transaction as the report — if the need was handled meanwhile, no case is made.
 */
export async function referNeed(
  ctx: VisitContext & { locator: GridLocator },
  props: ReferNeedProps,
): Promise<{ caseId: string; number: string }> {
  if (props.need.status !== 'open') throw new AppError('VISIT_NEED_NOT_OPEN');
  const now = ctx.now ?? new Date();
  const kind = NEED_KIND_LABELS[props.need.kind].zh;
  const description = [
    `【走访诉求·${kind}】${props.need.description}`,
    props.note ? props.note : null,
    `走访时间：${props.visit.visitedAt.toISOString()}；走访人：${props.visit.visitorName}`,
  ]
    .filter(Boolean)
    .join('\n');
  const reported = await reportCase(
    { db: ctx.db, locator: ctx.locator, actor: ctx.actor, requestId: ctx.requestId, ip: ctx.ip, now },
    {
      channel: 'survey',
      categoryCode: props.categoryCode,
      urgency: props.urgency,
      title: props.title ?? props.need.description.slice(0, 40),
      description,
      address: props.visit.address,
      lng: props.location?.lng,
      lat: props.location?.lat,
      reporter: { kind: 'staff', accountId: ctx.actor.id },
      photos: props.photos,
      alsoWrite: async (trx, c) => {
        // Someone acted on the need first: the report rolls back with it.
        await updateOpenNeed(
          trx,
          props.need,
          { status: 'referred', caseDistrict: c.district, caseId: c.id, referredBy: ctx.actor.id, referredAt: now },
          now,
        );
        await writeAudit(
          trx,
          auditOf(ctx),
          { action: 'visit.need_referred', data: { need: props.need.id, case: c.id } },
          { type: 'visit', id: props.visit.id, district: props.visit.district },
        );
      },
    },
  );
  return { caseId: reported.id, number: reported.number };
}

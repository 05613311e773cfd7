import { writeAudit } from '../../audit/audit.writer.js';
import type { NeedRow } from '../visit.repository.js';
import { auditOf, type VisitContext } from './record-visit.js';
import { updateOpenNeed } from './update-open-need.js';

/** 诉求办结: a need met without a case (a call made, a form handed over), with how it was met. */
export async function resolveNeed(
  ctx: VisitContext,
  props: { need: NeedRow; visitId: string; resolution: string },
): Promise<void> {
  const now = ctx.now ?? new Date();
  await ctx.db.transaction().execute(async (trx) => {
    await updateOpenNeed(
      trx,
      props.need,
      { status: 'resolved', resolution: props.resolution, resolvedBy: ctx.actor.id, resolvedAt: now },
      now,
    );
    await writeAudit(
      trx,
      auditOf(ctx),
      { action: 'visit.need_resolved', data: { need: props.need.id } },
      { type: 'visit', id: props.visitId, district: props.need.district },
    );
  });
}

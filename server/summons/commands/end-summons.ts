import { MIN_REASON_LENGTH, OPEN_SUMMONS_STATES } from '../../../common/summons.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { AppError } from '../../http/app-error.js';
import { canIssueFor } from '../summons.policy.js';
import { notifySummons } from '../summons-notices.js';
import { auditOf, type SummonsContext } from './issue-summons.js';

export interface EndSummonsProps {
  summonsId: string;
  /** `closed`: the outcome is recorded; `cancelled`: the text is the reason. */
  to: 'closed' | 'cancelled';
  /** The version the actor saw; another version means someone acted first (409). */
  version: number;
  text: string;
}

/**
 * The issuing side ends a running summons: closes it with the outcome, or cancels it with a
 * reason. Row lock and optimistic version, like a case transition: of concurrent attempts one wins.
 */
export async function endSummons(ctx: SummonsContext, props: EndSummonsProps): Promise<void> {
  const now = ctx.now ?? new Date();
  const text = props.text.trim();
  if ([...text].length < MIN_REASON_LENGTH)
    throw new AppError('SUMMONS_TEXT_REQUIRED', {
      fields: [{ path: 'body.text', reason: `at least ${MIN_REASON_LENGTH} characters` }],
    });
  await ctx.db.transaction().execute(async (trx) => {
    const s = await trx
      .selectFrom('summons')
      .select(['district', 'id', 'unitPath', 'state', 'version'])
      .where('id', '=', props.summonsId)
      .forUpdate()
      .executeTakeFirst();
    if (!s) throw new AppError('NOT_FOUND');
    if (!canIssueFor(ctx.actor, s.unitPath)) throw new AppError('FORBIDDEN');
    if (s.version !== props.version)
      throw new AppError('SUMMONS_VERSION_CONFLICT', { details: { state: s.state, version: s.version } });
    if (!OPEN_SUMMONS_STATES.includes(s.state))
      throw new AppError('SUMMONS_STATE_CONFLICT', { details: { state: s.state, version: s.version } });
    const updated = await trx
      .updateTable('summons')
      .set({
        state: props.to,
        outcome: text,
        endedAt: now,
        endedBy: ctx.actor.id,
        version: s.version + 1,
        updatedAt: now,
      })
      .where('district', '=', s.district)
      .where('id', '=', s.id)
      .where('version', '=', s.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('SUMMONS_VERSION_CONFLICT');
    await notifySummons(trx, {
      kind: props.to === 'closed' ? 'summons_closed' : 'summons_cancelled',
      district: s.district,
      summonsId: s.id,
      actorAccountId: ctx.actor.id,
    });
    await writeAudit(
      trx,
      auditOf(ctx),
      { action: props.to === 'closed' ? 'summons.closed' : 'summons.cancelled', data: { from: s.state } },
      { type: 'summons', id: s.id, district: s.district },
    );
  });
}

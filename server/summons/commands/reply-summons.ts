import { sql } from 'kysely';
import { MIN_REASON_LENGTH, OPEN_SUMMONS_STATES, type SummonsReply } from '../../../common/summons.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { AppError } from '../../http/app-error.js';
import { handlerDepartments } from '../summons.policy.js';
import { notifySummons } from '../summons-notices.js';
import { auditOf, type SummonsContext, TIME_SLACK_MS } from './issue-summons.js';

export interface ReplySummonsProps {
  summonsId: string;
  departmentId: string;
  reply: SummonsReply;
  arrivalAt?: Date | undefined;
  reason?: string | undefined;
}

/**
 * A department's one reply: it comes at a proposed time, or it declines with a reason. The
 * summons row is locked first, so concurrent replies queue; the first for a department wins and
 * the others find it answered (409). A late reply is taken and recorded as late. When the last
 * department answers, the summons becomes `answered`. Replies carry no version: one department's
 * answer must not void another's.
 */
export async function replySummons(ctx: SummonsContext, props: ReplySummonsProps): Promise<void> {
  const now = ctx.now ?? new Date();
  const reason = props.reason?.trim() ?? '';
  if (props.reply === 'declined' && [...reason].length < MIN_REASON_LENGTH)
    throw new AppError('SUMMONS_REPLY_INVALID', {
      fields: [{ path: 'body.reason', reason: `at least ${MIN_REASON_LENGTH} characters` }],
    });
  if (props.reply === 'accepted') {
    if (!props.arrivalAt)
      throw new AppError('SUMMONS_REPLY_INVALID', { fields: [{ path: 'body.arrivalAt', reason: 'required' }] });
    if (props.arrivalAt.getTime() < now.getTime() - TIME_SLACK_MS)
      throw new AppError('SUMMONS_TIME_INVALID', { fields: [{ path: 'body.arrivalAt', reason: 'in the past' }] });
  }
  if (!handlerDepartments(ctx.actor).includes(props.departmentId)) throw new AppError('FORBIDDEN');

  await ctx.db.transaction().execute(async (trx) => {
    const s = await trx
      .selectFrom('summons')
      .select(['district', 'id', 'state', 'version', 'replyDueAt'])
      .where('id', '=', props.summonsId)
      .forUpdate()
      .executeTakeFirst();
    if (!s) throw new AppError('NOT_FOUND');
    if (!OPEN_SUMMONS_STATES.includes(s.state))
      throw new AppError('SUMMONS_STATE_CONFLICT', { details: { state: s.state, version: s.version } });
    const row = await trx
      .selectFrom('summonsDepartment as sd')
      .innerJoin('department as d', 'd.id', 'sd.departmentId')
      .select(['sd.reply', 'sd.overdueAt', 'd.code'])
      .where('sd.district', '=', s.district)
      .where('sd.summonsId', '=', s.id)
      .where('sd.departmentId', '=', props.departmentId)
      .executeTakeFirst();
    if (!row) throw new AppError('FORBIDDEN');
    if (row.reply !== null) throw new AppError('SUMMONS_ALREADY_REPLIED');
    const updated = await trx
      .updateTable('summonsDepartment')
      .set({
        reply: props.reply,
        arrivalAt: props.reply === 'accepted' ? (props.arrivalAt ?? null) : null,
        declineReason: props.reply === 'declined' ? reason : null,
        repliedBy: ctx.actor.id,
        repliedAt: now,
      })
      .where('district', '=', s.district)
      .where('summonsId', '=', s.id)
      .where('departmentId', '=', props.departmentId)
      .where('reply', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('SUMMONS_ALREADY_REPLIED');
    // The last reply moves the summons to `answered`; every reply bumps the version the issuer saw.
    await trx
      .updateTable('summons')
      .set({
        version: s.version + 1,
        updatedAt: now,
        state: sql<'sent' | 'answered'>`case when exists (
          select 1 from summons_department sd
          where sd.district = ${s.district} and sd.summons_id = ${s.id} and sd.reply is null)
          then 'sent' else 'answered' end`,
      })
      .where('district', '=', s.district)
      .where('id', '=', s.id)
      .execute();
    await notifySummons(trx, {
      kind: 'summons_replied',
      district: s.district,
      summonsId: s.id,
      issuer: true,
      data: { reply: props.reply, department: row.code, ...(reason ? { reason: reason.slice(0, 140) } : {}) },
    });
    await writeAudit(
      trx,
      auditOf(ctx),
      {
        action: 'summons.replied',
        data: { department: row.code, reply: props.reply, late: row.overdueAt !== null || now > s.replyDueAt },
      },
      { type: 'summons', id: s.id, district: s.district },
    );
  });
}

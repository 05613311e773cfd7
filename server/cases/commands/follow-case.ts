/**
 * 关注: a resident follows an open case instead of reporting it again, and a merged case's reporter
 * follows the case it was merged into. Each follower gets a tracking code that shows that case.
 */
import { v7 as uuidv7 } from 'uuid';
import { FINAL_STATES } from '../../../common/cases.js';
import type { ResidentActor } from '../../accounts/actor.js';
import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { CaseRow } from '../case.repository.js';
import { trackingCodeTaken } from '../followers.js';
import { trackingCode as newTrackingCode } from './report-case.js';

export interface FollowContext {
  db: Db;
  /** A signed-in resident, or null for an anonymous follower. */
  actor: ResidentActor | null;
  requestId?: string | undefined;
  ip?: string | undefined;
  now?: Date | undefined;
}

export interface FollowProps {
  /** The case's readable number (district-yyyymmdd-serial). */
  number: string;
  contact?: { name?: string | undefined; phone?: string | undefined } | undefined;
}

export interface FollowResult {
  number: string;
  trackingCode: string;
  /** False when the signed-in resident already follows (or reported) the case: the same code again. */
  created: boolean;
}

/** A code no case and no follower holds yet. */
async function freshCode(trx: Trx): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newTrackingCode();
    if (!(await trackingCodeTaken(trx, code))) return code;
  }
  throw new Error('no free tracking code after 5 attempts');
}

/** The tracking code of the resident's follow of the case, if they follow it. */
async function residentFollower(trx: Trx, c: { district: string; id: string }, residentId: string) {
  const row = await trx
    .selectFrom('caseFollower')
    .select('trackingCode')
    .where('district', '=', c.district)
    .where('caseId', '=', c.id)
    .where('residentId', '=', residentId)
    .executeTakeFirst();
  return row?.trackingCode;
}

/**
 * Follows an open case by its number. A signed-in resident follows once (again → the same code; their
 * own report → its code); an anonymous follower gets a new code each time, since nothing shows that
 * two anonymous requests come from the same person.
 */
export async function followCase(ctx: FollowContext, props: FollowProps): Promise<FollowResult> {
  const district = props.number.slice(0, 6);
  return ctx.db.transaction().execute(async (trx) => {
    // FOR SHARE: a merge of this case (FOR UPDATE) waits, or this waits and sees it merged.
    const c = await trx
      .selectFrom('cases')
      .select(['district', 'id', 'number', 'state', 'trackingCode', 'reporterResidentId'])
      .where('district', '=', district)
      .where('number', '=', props.number)
      .forShare()
      .executeTakeFirst();
    if (!c) throw new AppError('NOT_FOUND');
    if (FINAL_STATES.includes(c.state)) throw new AppError('CASE_NOT_FOLLOWABLE', { details: { state: c.state } });
    const residentId = ctx.actor?.id ?? null;
    if (residentId && c.reporterResidentId === residentId)
      return { number: c.number, trackingCode: c.trackingCode, created: false };
    const existing = residentId ? await residentFollower(trx, c, residentId) : undefined;
    if (existing) return { number: c.number, trackingCode: existing, created: false };
    const code = await freshCode(trx);
    const inserted = await trx
      .insertInto('caseFollower')
      .values({
        district: c.district,
        id: uuidv7(),
        caseId: c.id,
        trackingCode: code,
        via: 'follow',
        mergedCaseId: null,
        residentId,
        accountId: null,
        contactName: props.contact?.name?.trim() || null,
        contactPhone: props.contact?.phone?.trim() || null,
        createdAt: ctx.now ?? new Date(),
      })
      // The same resident following twice at once: the second answers with the first one's code.
      .onConflict((oc) =>
        oc.columns(['district', 'caseId', 'residentId']).where('residentId', 'is not', null).doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    const first = !inserted && residentId ? await residentFollower(trx, c, residentId) : undefined;
    if (first) return { number: c.number, trackingCode: first, created: false };
    await writeAudit(
      trx,
      { actor: ctx.actor, requestId: ctx.requestId, ip: ctx.ip },
      { action: 'case.followed', data: { number: c.number, via: 'follow' } },
      { type: 'case', id: c.id, district: c.district },
    );
    return { number: c.number, trackingCode: code, created: true };
  });
}

/**
 * Inside a merge's transaction: the merged case's reporter follows the target, keeping the tracking
 * code they hold. Machines (sensors) follow nobody; a reporter who already follows or reported the
 * target is left as they are.
 */
export async function followOnMerge(
  trx: Trx,
  audit: AuditContext,
  merged: Pick<
    CaseRow,
    | 'id'
    | 'number'
    | 'trackingCode'
    | 'reporterKind'
    | 'reporterResidentId'
    | 'reporterAccountId'
    | 'reporterName'
    | 'reporterPhone'
  >,
  targetId: string,
  now: Date,
): Promise<void> {
  if (merged.reporterKind === 'machine') return;
  const target = await trx
    .selectFrom('cases')
    .select(['district', 'id', 'number', 'reporterResidentId', 'reporterAccountId'])
    .where('id', '=', targetId)
    .executeTakeFirst();
  if (!target) return;
  const sameResident = merged.reporterResidentId !== null && merged.reporterResidentId === target.reporterResidentId;
  const sameAccount = merged.reporterAccountId !== null && merged.reporterAccountId === target.reporterAccountId;
  if (sameResident || sameAccount) return;
  const inserted = await trx
    .insertInto('caseFollower')
    .values({
      district: target.district,
      id: uuidv7(),
      caseId: target.id,
      trackingCode: merged.trackingCode,
      via: 'merge',
      mergedCaseId: merged.id,
      residentId: merged.reporterResidentId,
      accountId: merged.reporterAccountId,
      contactName: merged.reporterName,
      contactPhone: merged.reporterPhone,
      createdAt: now,
    })
    .onConflict((oc) =>
      oc.columns(['district', 'caseId', 'residentId']).where('residentId', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return;
  await writeAudit(
    trx,
    audit,
    { action: 'case.followed', data: { number: target.number, via: 'merge', from: merged.number } },
    { type: 'case', id: target.id, district: target.district },
  );
}

import { sql } from 'kysely';
import type { CloseReason, RejectReason, Satisfaction, SolvedLevel } from '../../../common/cases.js';
import { type CaseAction, nextState, transitionOf } from '../../../common/workflow.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { loadCalendar } from '../../calendar/calendar.repository.js';
import type { LimitUnit } from '../../calendar/working-calendar.js';
import type { Trx } from '../../db/database.js';
import { retryOnConflict } from '../../db/retry.js';
import type { PendingRequest } from '../../db/schema.js';
import { AppError } from '../../http/app-error.js';
import { closingColumns } from '../../indicators/closing-deadline.js';
import { assertPhotosUsable, linkPhotos } from '../../media/photo.repository.js';
import { type Uploader, uploaderOf } from '../../media/uploader.js';
import { notifyCase } from '../../notifications/case-notices.js';
import { auditActorOf, caseActorSnapshot, relationFor, unmetPrecondition } from '../case.policy.js';
import { type CaseRow, findCase } from '../case.repository.js';
import { applyClock, limitFor } from '../case-clock.js';
import { selectReportable } from '../catalogue/catalogue.repository.js';
import { followOnMerge } from './follow-case.js';
import type { CaseContext } from './report-case.js';

export interface PhotoRef {
  key: string;
  role: 'before' | 'after' | 'evidence';
}

export interface TransitionProps {
  caseId: string;
  action: CaseAction;
  /** The version the actor saw; another version means someone acted first (409). */
  version: number;
  reason?: string | undefined;
  rejectReason?: RejectReason | undefined;
  departmentId?: string | undefined;
  closeReason?: CloseReason | undefined;
  mergedIntoId?: string | undefined;
  satisfaction?: Satisfaction | undefined;
  solved?: boolean | undefined;
  amount?: { amount: number; unit: LimitUnit } | undefined;
  photos?: PhotoRef[] | undefined;
  /** A corrected category (改类), where the step allows one. */
  categoryCode?: string | undefined;
  /** Rows the step's sender keeps beside it (a hotline order's new version), written in the step's own transaction. */
  alsoWrite?: ((trx: Trx, step: { district: string; caseId: string; seq: number }) => Promise<void>) | undefined;
}

const missing = (field: string, reason: string) =>
  new AppError('CASE_REQUIREMENT_MISSING', { fields: [{ path: `body.${field}`, reason }] });

/** The level a case is solved at: the unit level of whoever closes the loop. */
function solvedLevelOf(c: CaseRow, action: CaseAction): SolvedLevel {
  if (action === 'self_handle') return 'grid';
  if (c.level === 'district' || c.level === 'city') return c.level;
  return c.departmentId ? 'subdistrict' : 'community';
}

/**
 * Takes one transition of the workflow table on one case: scoped load and lock → the version the
 * actor saw → the table's state guard and actor relation → its requirements → new state, clock,
 * counters, event and audit row, all in one transaction. Exactly one of concurrent attempts wins.
 */
export async function transitionCase(
  ctx: CaseContext,
  props: TransitionProps,
): Promise<{ version: number; state: string }> {
  const t = transitionOf(props.action);
  if (t.action === 'report') throw new AppError('CASE_STATE_CONFLICT');
  const calendar = await loadCalendar(ctx.db);
  // Whose uploads the step's photos must be (read before the transaction: it may create a setting).
  const uploader = props.photos?.length ? await uploaderOf(ctx.db, ctx.actor, ctx.ip) : undefined;
  return retryOnConflict(() =>
    ctx.db.transaction().execute(async (trx) => {
      const c = await findCase(trx, props.caseId, true);
      if (!c) throw new AppError('NOT_FOUND');
      if (c.version !== props.version) {
        throw new AppError('CASE_VERSION_CONFLICT', { details: { state: c.state, version: c.version } });
      }
      if (!t.from.includes(c.state))
        throw new AppError('CASE_STATE_CONFLICT', { details: { state: c.state, version: c.version } });
      const relation = relationFor(ctx.actor, c, t);
      if (!relation) throw new AppError('FORBIDDEN');
      const unmet = unmetPrecondition(ctx.actor, c, t, ctx.now);
      if (unmet === 'notTheHandler') throw new AppError('VERIFIER_IS_HANDLER');
      if (unmet) throw new AppError('CASE_PRECONDITION_FAILED', { details: { precondition: unmet } });
      const actorId = ctx.actor?.kind === 'staff' ? ctx.actor.id : null;
      const { changes, recategorized } = await checkRequirements(
        trx,
        c,
        props,
        actorId,
        ctx.now ?? new Date(),
        uploader,
      );
      // The handler is whoever acknowledged or reported the handling; verification must be someone else.
      if (props.action === 'acknowledge' || props.action === 'submit_handling') changes.handlerAccountId = actorId;

      const now = ctx.now ?? new Date();
      const extension = t.clock.extend ? c.pendingRequest?.amount : undefined;
      const { clock, stopped } = await applyClock(t.clock, c, {
        calendar,
        now,
        // A corrected category's time limits apply from this step on.
        limit: (stage) => limitFor(trx, changes.categoryId ?? c.categoryId, c.urgency, stage),
        extension: extension ? { amount: extension.amount, unit: extension.unit as LimitUnit } : undefined,
      });
      const counters = { ...c.counters };
      const bump = (key: string) => {
        counters[key] = (counters[key] ?? 0) + 1;
      };
      for (const counter of t.counts) bump(counter);
      // camelCase keys (onTimeHandle): Kysely's CamelCasePlugin rewrites JSON keys on read, so an
      // underscored key came back renamed and a second stop of the same stage lost its count.
      if (stopped) {
        const stage = stopped.stage[0]?.toUpperCase() + stopped.stage.slice(1);
        bump(stopped.onTime ? `onTime${stage}` : `overdue${stage}`);
      }
      const to = nextState(t, c.state);
      if (to === 'closed' && c.state !== 'closed') {
        changes.closedAt = now;
        changes.solvedLevel = solvedLevelOf(c, props.action);
        changes.closeReason ??= 'solved';
      }
      if (props.action === 'reopen')
        Object.assign(changes, {
          closedAt: null,
          closeReason: null,
          solvedLevel: null,
          satisfaction: null,
          callbackSolved: null,
        });
      // What the indicators count from: the closing deadline and verdict, the stopped stage's working time.
      const closing = closingColumns({
        action: t.action,
        from: c.state,
        to,
        before: c,
        clock,
        stopped,
        extension: extension ? { amount: extension.amount, unit: extension.unit as LimitUnit } : undefined,
        now,
        calendar,
      });
      const stop = stopped && {
        ...stopped,
        workingMinutes: Math.round(calendar.workingMinutesBetween(c.stageStartedAt ?? now, now)),
      };

      const updated = await trx
        .updateTable('cases')
        .set({
          ...changes,
          ...clock,
          ...closing,
          state: to,
          counters: JSON.stringify(counters),
          version: c.version + 1,
          updatedAt: now,
        })
        .where('district', '=', c.district)
        .where('id', '=', c.id)
        .where('version', '=', c.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CASE_VERSION_CONFLICT');
      const { rows } = await sql<{ seq: number }>`
      select coalesce(max(seq), 0) + 1 as seq from case_event where district = ${c.district} and case_id = ${c.id}`.execute(
        trx,
      );
      const seq = Number(rows[0]?.seq ?? 1);
      await trx
        .insertInto('caseEvent')
        .values({
          district: c.district,
          caseId: c.id,
          seq,
          action: t.action,
          fromState: c.state,
          toState: to,
          actor: JSON.stringify(caseActorSnapshot(ctx.actor)),
          actorRelation: relation,
          reason: props.reason?.trim() || null,
          data: JSON.stringify(eventData(props, stop, recategorized)),
          public: t.public,
          createdAt: now,
        })
        .execute();
      await props.alsoWrite?.(trx, { district: c.district, caseId: c.id, seq });
      if (uploader && props.photos) {
        const photos = props.photos;
        await linkPhotos(trx, { district: c.district, caseId: c.id, seq, photos, addedBy: uploader, now });
      }
      // The merged case's reporter follows the target and keeps their tracking code (关注).
      if (changes.mergedIntoId) {
        const audit = { actor: auditActorOf(ctx.actor), requestId: ctx.requestId, ip: ctx.ip };
        await followOnMerge(trx, audit, c, changes.mergedIntoId, now);
      }
      const after = { ...c, ...changes, ...clock, state: to };
      await notifyCase(trx, {
        kind: t.action,
        case: { ...after, stage: after.stage ?? null },
        seq,
        actorAccountId: actorId,
        reason: props.reason,
        coDepartmentId: props.action === 'add_co_handler' ? props.departmentId : undefined,
        requesterId: c.pendingRequest?.byAccountId,
        satisfaction: props.satisfaction,
        solved: props.solved,
        at: now,
      });
      await writeAudit(
        trx,
        { actor: auditActorOf(ctx.actor), requestId: ctx.requestId, ip: ctx.ip },
        { action: 'case.transitioned', data: { number: c.number, action: t.action, from: c.state, to } },
        { type: 'case', id: c.id, district: c.district },
      );
      await sql`select pg_notify('case_events', ${JSON.stringify({ caseId: c.id, district: c.district, seq })})`.execute(
        trx,
      );
      return { version: c.version + 1, state: to };
    }),
  );
}

function eventData(
  props: TransitionProps,
  stopped: { stage: string; onTime: boolean; workingMinutes?: number } | undefined,
  recategorized: { from: string; to: string } | undefined,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const key of [
    'rejectReason',
    'departmentId',
    'closeReason',
    'mergedIntoId',
    'satisfaction',
    'solved',
    'amount',
    'photos',
  ] as const) {
    if (props[key] !== undefined) data[key] = props[key];
  }
  if (stopped) data.stopped = stopped;
  if (recategorized) data.category = recategorized;
  return data;
}

type CaseChanges = Partial<{
  departmentId: string | null;
  coDepartmentIds: string[];
  handlerAccountId: string | null;
  closeReason: CloseReason | null;
  closedAt: Date | null;
  solvedLevel: SolvedLevel | null;
  mergedIntoId: string;
  satisfaction: Satisfaction | null;
  callbackSolved: boolean | null;
  pendingRequest: string | null;
  level: string;
  categoryId: string;
}>;

/** Checks what the table row requires of the request and turns it into column changes. */
async function checkRequirements(
  trx: Trx,
  c: CaseRow,
  props: TransitionProps,
  actorId: string | null,
  now: Date,
  uploader?: Uploader,
): Promise<{ changes: CaseChanges; recategorized?: { from: string; to: string } }> {
  const t = transitionOf(props.action);
  const r = t.requires;
  const changes: CaseChanges = {};
  let recategorized: { from: string; to: string } | undefined;
  if (props.categoryCode !== undefined) {
    if (!r.recategorize)
      throw new AppError('CASE_FIELD_NOT_ALLOWED', {
        fields: [{ path: 'body.categoryCode', reason: 'not on this step' }],
      });
    const category = await selectReportable(trx)
      .select(['id', 'code'])
      .where('code', '=', props.categoryCode)
      .executeTakeFirst();
    if (!category)
      throw new AppError('CATEGORY_UNKNOWN', {
        fields: [{ path: 'body.categoryCode', reason: 'unknown, disabled or a major category' }],
      });
    if (category.id !== c.categoryId) {
      changes.categoryId = category.id;
      recategorized = { from: c.categoryCode, to: category.code };
    }
  }
  const reason = props.reason?.trim() ?? '';
  if (r.reason && reason.length < r.reason.minLength)
    throw missing('reason', `at least ${r.reason.minLength} characters`);
  if (r.rejectReason && !props.rejectReason) throw missing('rejectReason', 'required');
  if (r.photos) {
    const photos = props.photos ?? [];
    if (photos.length < r.photos.min) throw missing('photos', `at least ${r.photos.min}`);
    if (r.photos.beforeAfter && !(photos.some((p) => p.role === 'before') && photos.some((p) => p.role === 'after'))) {
      throw missing('photos', 'a before and an after photo');
    }
  }
  // Every key must be an upload of the actor's (or already on this case), whatever the step.
  if (uploader && props.photos?.length) {
    await assertPhotosUsable(
      trx,
      uploader,
      props.photos.map((p) => p.key),
      { path: (i) => `body.photos.${i}.key`, now, onCase: { district: c.district, caseId: c.id } },
    );
  }
  if (r.department) {
    const department = props.departmentId
      ? await trx
          .selectFrom('department')
          .select('id')
          .where('id', '=', props.departmentId)
          .where('disabled', '=', false)
          .executeTakeFirst()
      : undefined;
    if (!department)
      throw new AppError('DEPARTMENT_UNKNOWN', { fields: [{ path: 'body.departmentId', reason: 'unknown' }] });
    if (props.action === 'add_co_handler') {
      if (department.id === c.departmentId || c.coDepartmentIds.includes(department.id))
        throw missing('departmentId', 'already on the case');
      changes.coDepartmentIds = [...c.coDepartmentIds, department.id];
    } else {
      changes.departmentId = department.id;
      changes.handlerAccountId = null;
    }
  }
  if (r.closeReason) {
    if (!props.closeReason || !r.closeReason.includes(props.closeReason))
      throw missing('closeReason', `one of ${r.closeReason.join(', ')}`);
    changes.closeReason = props.closeReason;
  }
  if (r.mergedInto) {
    const target = props.mergedIntoId ? await findCase(trx, props.mergedIntoId) : undefined;
    if (!target || target.id === c.id || ['rejected', 'merged'].includes(target.state))
      throw new AppError('MERGE_TARGET_INVALID');
    changes.mergedIntoId = target.id;
    changes.closeReason = 'duplicate';
  }
  if (r.rating) {
    if (!props.satisfaction || props.solved === undefined)
      throw missing('satisfaction', 'a rating and whether it was solved');
    changes.satisfaction = props.satisfaction;
    changes.callbackSolved = props.solved;
  }
  if (r.amount && !props.amount) throw missing('amount', 'how much more time');

  switch (props.action) {
    case 'acknowledge':
      break;
    case 'return':
      changes.departmentId = null;
      changes.handlerAccountId = null;
      changes.coDepartmentIds = [];
      break;
    case 'request_extension':
    case 'request_deferral': {
      if (c.pendingRequest)
        throw new AppError('CASE_PRECONDITION_FAILED', { details: { precondition: 'one request at a time' } });
      const pending: PendingRequest = {
        kind: props.action === 'request_extension' ? 'extension' : 'deferral',
        reason,
        ...(props.amount ? { amount: props.amount } : {}),
        byAccountId: actorId ?? 'system',
        at: now.toISOString(),
      };
      changes.pendingRequest = JSON.stringify(pending);
      break;
    }
    case 'approve_extension':
    case 'deny_extension':
    case 'approve_deferral':
    case 'deny_deferral':
      changes.pendingRequest = null;
      break;
    case 'escalate':
      changes.level = c.level === 'community' ? 'subdistrict' : c.level === 'subdistrict' ? 'district' : 'city';
      break;
  }
  return { changes, recategorized };
}

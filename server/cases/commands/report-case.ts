import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Channel, Urgency } from '../../../common/cases.js';
import type { Answers, CategoryQuestion } from '../../../common/catalogue.js';
import { CHANNEL_REPORTERS, transitionOf } from '../../../common/workflow.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { loadCalendar } from '../../calendar/calendar.repository.js';
import type { Db, Trx } from '../../db/database.js';
import { retryOnConflict } from '../../db/retry.js';
import { AppError } from '../../http/app-error.js';
import { assertPhotosUsable, linkPhotos } from '../../media/photo.repository.js';
import { uploaderOf } from '../../media/uploader.js';
import { notifyCase } from '../../notifications/case-notices.js';
import { escapeLike } from '../../policies/scope.js';
import type { GridLocator } from '../../territory/placement.js';
import { auditActorOf, type CaseActor, caseActorSnapshot, relationsTo } from '../case.policy.js';
import { applyClock, limitFor } from '../case-clock.js';
import { answerLines, checkAnswers, withExtraLines } from '../catalogue/answers.js';
import { selectReportable } from '../catalogue/catalogue.repository.js';
import { findReported, type ReportIdempotency, recordReported } from '../report-requests.js';

export type Reporter =
  | { kind: 'resident'; residentId: string; name?: string | undefined; phone?: string | undefined }
  | { kind: 'staff'; accountId: string }
  | { kind: 'anonymous'; name?: string | undefined; phone?: string | undefined }
  | { kind: 'caller'; name?: string | undefined; phone?: string | undefined }
  | { kind: 'machine'; name: string };

export interface ReportCaseProps {
  channel: Channel;
  categoryCode: string;
  urgency: Urgency;
  title?: string | undefined;
  description: string;
  address?: string | undefined;
  lng?: number | undefined;
  lat?: number | undefined;
  reporter: Reporter;
  /** The id the sending system gave it (hotline work order, Open311 token, sensor alarm): a retry returns the first case. */
  externalId?: string | undefined;
  /** The sender's Idempotency-Key (report-requests.ts): a retry returns the first case; a reused key is refused. */
  idempotency?: ReportIdempotency | undefined;
  /**
   * Answers to the category's extra questions (补充问题), checked against them and appended to the
   * description as lines a dispatcher reads. A resident's report is always checked (required
   * questions must be answered); staff and machines are checked when they send answers.
   */
  answers?: Answers | undefined;
  /** Media keys of the report's own photos, uploaded by the reporter (POST /api/media). */
  photos?: string[] | undefined;
  /**
   * The territory the sender speaks for (an Open311 jurisdiction): a report without a usable point
   * goes to the narrowest unit covering the grids under this path, not those of the whole installation.
   */
  withinPath?: string | undefined;
  /** Rows the channel keeps beside the case (Open311's answers), written in the report's own transaction. */
  alsoWrite?: ((trx: Trx, reported: { district: string; id: string }) => Promise<void>) | undefined;
}

export interface CaseContext {
  db: Db;
  locator: GridLocator;
  actor: CaseActor;
  requestId?: string | undefined;
  ip?: string | undefined;
  /** The instant the command acts at; the demo history replays a year with it. Defaults to now. */
  now?: Date | undefined;
}

// Crockford's base32 without I, L, O, U: tracking codes read aloud over the phone.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const trackingCode = () => Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** 'yyyymmdd' of an instant in China's time zone (UTC+8, no daylight saving). */
export const chinaDay = (at: Date) =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');

/** The description with the answers to the category's questions, checked (CATEGORY_ANSWERS_INVALID). */
function describe(props: ReportCaseProps, questions: readonly CategoryQuestion[]): string {
  const text = props.description.trim();
  if (props.answers === undefined && props.channel !== 'resident') return text;
  const checked = checkAnswers(questions, props.answers ?? {});
  if (checked.problems.length) {
    throw new AppError('CATEGORY_ANSWERS_INVALID', {
      fields: checked.problems.map((p) => ({ path: `body.answers.${p.path.slice(10, -1)}`, reason: p.reason })),
    });
  }
  return withExtraLines(text, answerLines(questions, checked.answers));
}

/** Where a report belongs: its unit grid, or — for a point outside every grid or no point — the smallest unit whose box holds it, else the top of the territory. */
async function place(ctx: CaseContext, props: ReportCaseProps) {
  if (props.lng !== undefined && props.lat !== undefined) {
    const grid = await ctx.locator.locate(props.lng, props.lat);
    if (grid) return { id: grid.id, path: grid.path, district: grid.district, outsideGrid: false };
    const boxed = await ctx.db
      .selectFrom('unit')
      .select(['id', 'path', 'district'])
      .where('minLng', '<=', props.lng)
      .where('maxLng', '>=', props.lng)
      .where('minLat', '<=', props.lat)
      .where('maxLat', '>=', props.lat)
      .$if(Boolean(props.withinPath), (q) => q.where('path', 'like', `${escapeLike(props.withinPath ?? '')}%`))
      .orderBy('depth', 'desc')
      .executeTakeFirst();
    if (boxed) return { ...boxed, outsideGrid: true };
  }
  // No usable point: the reporting staff member's own scope, else the narrowest unit covering every
  // grid (a one-subdistrict deployment's subdistrict), whose dispatchers place it by the address.
  const actor = ctx.actor;
  const grant = actor?.kind === 'staff' ? actor.grants[0] : undefined;
  if (grant) return { id: grant.unitId, path: grant.unitPath, district: grant.district, outsideGrid: true };
  const covering = await coveringUnit(ctx, props.withinPath);
  if (covering) return { ...covering, outsideGrid: true };
  if (props.withinPath) {
    const root = await ctx.db
      .selectFrom('unit')
      .select(['id', 'path', 'district'])
      .where('path', '=', props.withinPath)
      .executeTakeFirst();
    if (root) return { ...root, outsideGrid: true };
  }
  const top = await ctx.db
    .selectFrom('unit')
    .select(['id', 'path', 'district'])
    .orderBy('depth')
    .orderBy('code')
    .executeTakeFirst();
  if (!top) throw new AppError('LOCATION_REQUIRED');
  return { ...top, outsideGrid: true };
}

/**
 * The deepest unit whose subtree holds every unit grid. Paths sort so that the common prefix of the
 * smallest and the largest grid path is the common prefix of all of them.
 */
async function coveringUnit(ctx: CaseContext, withinPath?: string) {
  const span = await ctx.db
    .selectFrom('unit')
    .select((eb) => [eb.fn.min('path').as('first'), eb.fn.max('path').as('last')])
    .where('level', '=', 'grid')
    .$if(Boolean(withinPath), (q) => q.where('path', 'like', `${escapeLike(withinPath ?? '')}%`))
    .executeTakeFirst();
  if (!span?.first || !span.last) return undefined;
  let n = 0;
  while (n < span.first.length && span.first[n] === span.last[n]) n++;
  const prefix = span.first.slice(0, span.first.lastIndexOf('.', n - 1) + 1);
  if (!prefix) return undefined;
  return ctx.db.selectFrom('unit').select(['id', 'path', 'district']).where('path', '=', prefix).executeTakeFirst();
}

/**
 * Next readable number of the day in the district: district-yyyymmdd-serial. One statement of its own,
 * before the report's transaction: the day's counter is one row per district, and while the report's
 * transaction held its lock every report of the district waited for the one before to commit (flat at
 * ~30 reports/s whatever the concurrency; `gridloop bench intake`). It commits without waiting for the
 * disk: the report's own commit flushes the log past it, so a number in a stored case is never given
 * again. A report that fails after this leaves a gap in the day's numbers.
 */
async function nextNumber(db: Db, district: string, at: Date): Promise<string> {
  const day = chinaDay(at);
  const { rows } = await sql<{ last: number }>`
    insert into case_serial (district, day, last)
    select ${district}, ${day}::date, 1 from (select set_config('synchronous_commit', 'off', true)) as no_wait
    on conflict (district, day) do update set last = case_serial.last + 1
    returning last`.execute(db);
  return `${district}-${day}-${String(rows[0]?.last ?? 1).padStart(5, '0')}`;
}

/**
 * 上报: creates a case in `reported` with its first event and audit row, placed in its unit grid,
 * the register clock running. A point outside every grid is accepted and flagged.
 */
export async function reportCase(
  ctx: CaseContext,
  props: ReportCaseProps,
): Promise<{ id: string; number: string; trackingCode: string; created: boolean }> {
  if (props.idempotency) {
    const first = await findReported(ctx.db, props.idempotency);
    if (first) return { ...first, created: false };
  }
  if ((props.lng === undefined || props.lat === undefined) && !props.address?.trim())
    throw new AppError('LOCATION_REQUIRED');
  const category = await selectReportable(ctx.db)
    .select(['id', 'code', 'majorCode', 'questions'])
    .where('code', '=', props.categoryCode)
    .executeTakeFirst();
  if (!category) {
    throw new AppError('CATEGORY_UNKNOWN', {
      fields: [{ path: 'body.categoryCode', reason: 'unknown, disabled or a major category' }],
    });
  }
  const description = describe(props, category.questions);
  if (props.externalId) {
    const existing = await ctx.db
      .selectFrom('cases')
      .select(['id', 'number', 'trackingCode'])
      .where('channel', '=', props.channel)
      .where('externalId', '=', props.externalId)
      .executeTakeFirst();
    if (existing) return { ...existing, created: false };
  }
  const unit = await place(ctx, props);
  const reporterResidentId = props.reporter.kind === 'resident' ? props.reporter.residentId : null;
  const reporterAccountId = props.reporter.kind === 'staff' ? props.reporter.accountId : null;
  const probe = {
    id: '',
    satisfaction: null,
    disputeDays: 0,
    state: 'reported' as const,
    unitPath: unit.path,
    departmentId: null,
    coDepartmentIds: [],
    handlerAccountId: null,
    reporterResidentId,
    reporterAccountId,
    pendingKind: null,
    categorySelfRegister: false,
    categorySelfHandle: false,
    closedAt: null,
  };
  const relations = relationsTo(ctx.actor, probe);
  // An anonymous resident is the reporter of what they send through the public page.
  if (!ctx.actor && props.reporter.kind === 'anonymous') relations.add('reporter');
  const relation = CHANNEL_REPORTERS[props.channel].find((r) => relations.has(r));
  if (!relation)
    throw new AppError('CHANNEL_NOT_ALLOWED', { fields: [{ path: 'body.channel', reason: 'not yours to use here' }] });

  const now = ctx.now ?? new Date();
  const photoKeys = [...new Set(props.photos ?? [])];
  const uploader = photoKeys.length ? await uploaderOf(ctx.db, ctx.actor, ctx.ip) : undefined;
  if (uploader)
    await assertPhotosUsable(ctx.db, uploader, props.photos ?? [], { path: (i) => `body.photos.${i}`, now });
  const calendar = await loadCalendar(ctx.db);
  const report = transitionOf('report');
  const { clock } = await applyClock(report.clock, emptyClock(), {
    calendar,
    now,
    limit: (stage) => limitFor(ctx.db, category.id, props.urgency, stage),
  });
  const contact =
    props.reporter.kind === 'resident' || props.reporter.kind === 'caller' || props.reporter.kind === 'anonymous'
      ? { name: props.reporter.name?.trim() || null, phone: props.reporter.phone?.trim() || null }
      : props.reporter.kind === 'machine'
        ? { name: props.reporter.name, phone: null }
        : { name: null, phone: null };

  const number = await nextNumber(ctx.db, unit.district, now);
  try {
    return await retryOnConflict(() =>
      ctx.db.transaction().execute(async (trx) => {
        const id = uuidv7();
        const code = trackingCode();
        const title = props.title?.trim() || props.description.trim().slice(0, 40);
        // First: a twin with the same key waits here for this transaction, then fails on the key.
        if (props.idempotency) await recordReported(trx, props.idempotency, { district: unit.district, id });
        await trx
          .insertInto('cases')
          .values({
            district: unit.district,
            id,
            number,
            trackingCode: code,
            state: 'reported',
            channel: props.channel,
            categoryId: category.id,
            urgency: props.urgency,
            title,
            description,
            address: props.address?.trim() || null,
            lng: props.lng ?? null,
            lat: props.lat ?? null,
            unitId: unit.id,
            unitPath: unit.path,
            outsideGrid: unit.outsideGrid,
            reporterKind: props.reporter.kind,
            reporterResidentId,
            reporterAccountId,
            reporterName: contact.name,
            reporterPhone: contact.phone,
            externalId: props.externalId ?? null,
            pendingRequest: null,
            counters: JSON.stringify({}),
            ...clock,
            createdAt: now,
            updatedAt: now,
          })
          .execute();
        await props.alsoWrite?.(trx, { district: unit.district, id });
        if (uploader) {
          const photos = photoKeys.map((key) => ({ key, role: 'report' as const }));
          await linkPhotos(trx, { district: unit.district, caseId: id, seq: null, photos, addedBy: uploader, now });
        }
        await notifyCase(trx, {
          kind: 'report',
          case: {
            district: unit.district,
            id,
            number,
            title,
            unitPath: unit.path,
            state: 'reported',
            stage: clock.stage,
            departmentId: null,
            handlerAccountId: null,
            reporterAccountId,
            reporterResidentId,
          },
          seq: 1,
          actorAccountId: reporterAccountId,
          at: now,
        });
        await writeAudit(
          trx,
          { actor: auditActorOf(ctx.actor), requestId: ctx.requestId, ip: ctx.ip },
          { action: 'case.reported', data: { number, channel: props.channel, category: category.code } },
          { type: 'case', id, district: unit.district },
        );
        // The event last: its trigger adds to the daily and monthly rollups, one row per community and
        // month, which every report of the community must lock until it commits. Written first, reports
        // of a community queued for the whole transaction (`gridloop bench intake`).
        await trx
          .insertInto('caseEvent')
          .values({
            district: unit.district,
            caseId: id,
            seq: 1,
            action: 'report',
            fromState: null,
            toState: 'reported',
            actor: JSON.stringify(caseActorSnapshot(ctx.actor)),
            actorRelation: relation,
            reason: null,
            data: JSON.stringify({ channel: props.channel, category: category.code, outsideGrid: unit.outsideGrid }),
            public: report.public,
            createdAt: now,
          })
          .execute();
        await sql`select pg_notify('case_events', ${JSON.stringify({ caseId: id, district: unit.district, seq: 1 })})`.execute(
          trx,
        );
        return { id, number, trackingCode: code, created: true };
      }),
    );
  } catch (error) {
    // Two retries with the same Idempotency-Key or external id raced: the loser answers with the winner's case.
    if (props.idempotency && (error as { code?: string }).code === '23505') {
      const first = await findReported(ctx.db, props.idempotency);
      if (first) return { ...first, created: false };
    }
    if (props.externalId && (error as { code?: string }).code === '23505') {
      const existing = await ctx.db
        .selectFrom('cases')
        .select(['id', 'number', 'trackingCode'])
        .where('channel', '=', props.channel)
        .where('externalId', '=', props.externalId)
        .executeTakeFirst();
      if (existing) return { ...existing, created: false };
    }
    throw error;
  }
}

export const emptyClock = () => ({
  stage: null,
  stageUnit: null,
  stageStartedAt: null,
  dueAt: null,
  warnedAt: null,
  overdueAt: null,
  pausedAt: null,
});

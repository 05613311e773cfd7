import { v7 as uuidv7 } from 'uuid';
import { isNightTime, type NeedKind, VISIT_LIMITS } from '../../../common/visits.js';
import type { StaffActor } from '../../accounts/actor.js';
import { writeAudit } from '../../audit/audit.writer.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { assertPhotosUsable } from '../../media/photo.repository.js';
import { uploaderOf } from '../../media/uploader.js';
import { visitPolicy } from '../visit.policy.js';

/** Who acts and when; `now` lets tests (and the demo's year of visits) act at a chosen instant. */
export interface VisitContext {
  db: Db;
  actor: StaffActor;
  requestId?: string | undefined;
  ip?: string | undefined;
  now?: Date | undefined;
}

export const auditOf = (ctx: VisitContext) => ({ actor: ctx.actor, requestId: ctx.requestId, ip: ctx.ip });

/** A visit may be entered this far ahead of the server's clock (a phone a little fast). */
const AHEAD_SLACK_MS = 5 * 60_000;

export interface RecordVisitProps {
  /** The household visited, loaded and found readable by the route. */
  household: { district: string; id: string; unitId: string; unitPath: string; dissolvedAt: Date | null };
  /** When the visit took place (default now). */
  visitedAt?: Date | undefined;
  /** Night visit; by default from the time (19:00–07:00 Beijing). */
  night?: boolean | undefined;
  findings: string;
  needs: { kind: NeedKind; description: string }[];
  /** Keys of the visitor's own uploads. */
  photos: string[];
}

/**
 * 走访登记: one visit of a household by the actor, with the needs found and the photos taken; the
 * visit, its needs, its photos and the audit row commit together.
 */
export async function recordVisit(ctx: VisitContext, props: RecordVisitProps): Promise<string> {
  const now = ctx.now ?? new Date();
  const household = props.household;
  if (!visitPolicy.record(ctx.actor, household)) throw new AppError('FORBIDDEN');
  if (household.dissolvedAt && household.dissolvedAt <= now) throw new AppError('VISIT_HOUSEHOLD_DISSOLVED');
  const visitedAt = props.visitedAt ?? now;
  const earliest = now.getTime() - VISIT_LIMITS.backdateDays * 86_400_000;
  if (visitedAt.getTime() > now.getTime() + AHEAD_SLACK_MS || visitedAt.getTime() < earliest)
    throw new AppError('VISIT_TIME_INVALID', {
      fields: [{ path: 'body.visitedAt', reason: visitedAt > now ? 'in the future' : 'more than 31 days ago' }],
    });
  const photos = [...new Set(props.photos)];
  if (photos.length) {
    const uploader = await uploaderOf(ctx.db, ctx.actor, ctx.ip);
    await assertPhotosUsable(ctx.db, uploader, props.photos, { path: (i) => `body.photos.${i}`, now });
  }
  const id = uuidv7();
  const night = props.night ?? isNightTime(visitedAt);
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('visit')
      .values({
        district: household.district,
        id,
        householdId: household.id,
        unitId: household.unitId,
        unitPath: household.unitPath,
        visitorId: ctx.actor.id,
        visitedAt,
        night,
        findings: props.findings,
        createdAt: now,
      })
      .execute();
    if (props.needs.length) {
      await trx
        .insertInto('visitNeed')
        .values(
          props.needs.map((n, i) => ({
            district: household.district,
            id: uuidv7(),
            visitId: id,
            householdId: household.id,
            unitPath: household.unitPath,
            kind: n.kind,
            description: n.description,
            // Distinct instants keep the needs in the order they were written.
            createdAt: new Date(now.getTime() + i),
            updatedAt: now,
          })),
        )
        .execute();
    }
    if (photos.length) {
      await trx
        .insertInto('visitPhoto')
        .values(photos.map((key) => ({ district: household.district, visitId: id, key, createdAt: now })))
        .execute();
    }
    await writeAudit(
      trx,
      auditOf(ctx),
      {
        action: 'visit.recorded',
        data: {
          household: household.id,
          visitedAt: visitedAt.toISOString(),
          night,
          needs: props.needs.length,
          photos: photos.length,
        },
      },
      { type: 'visit', id, district: household.district },
    );
    return id;
  });
}

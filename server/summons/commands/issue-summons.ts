import { v7 as uuidv7 } from 'uuid';
import {
  DEFAULT_SUMMONS_REPLY_LIMIT,
  SUMMONING_LEVELS,
  SUMMONS_REPLY_BOUNDS,
  type SummonsReplyUnit,
} from '../../../common/summons.js';
import type { StaffActor } from '../../accounts/actor.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { loadCalendar } from '../../calendar/calendar.repository.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError, type FieldProblem } from '../../http/app-error.js';
import { canIssueFor } from '../summons.policy.js';
import { notifySummons } from '../summons-notices.js';

/** Who acts and when; `now` lets tests (and a replayed history) act at a chosen instant. */
export interface SummonsContext {
  db: Db;
  actor: StaffActor;
  requestId?: string | undefined;
  ip?: string | undefined;
  now?: Date | undefined;
}

export const auditOf = (ctx: SummonsContext) => ({ actor: ctx.actor, requestId: ctx.requestId, ip: ctx.ip });

/** A requested or arrival time may lie this far in the past (a form filled in slowly). */
export const TIME_SLACK_MS = 5 * 60_000;

export interface IssueSummonsProps {
  /** The issuing unit, loaded and checked against the actor's scope by the route. */
  unit: { id: string; path: string; district: string; level: string };
  /** The case it is about, when any (readable by the actor: the route checked). */
  case?: { id: string; district: string; number: string } | undefined;
  departmentIds: string[];
  subject: string;
  description?: string | undefined;
  place: string;
  lng?: number | undefined;
  lat?: number | undefined;
  requestedAt: Date;
  replyLimit?: { amount: number; unit: SummonsReplyUnit } | undefined;
}

/** Every named department exists, is enabled and serves the issuing unit's territory (or part of it). */
async function checkDepartments(trx: Trx, unitPath: string, ids: string[]) {
  const rows = await trx
    .selectFrom('department')
    .select(['id', 'code', 'servesPath', 'disabled'])
    .where('id', 'in', ids)
    .execute();
  const unknown: FieldProblem[] = [];
  const outside: FieldProblem[] = [];
  const codes: string[] = [];
  ids.forEach((id, i) => {
    const d = rows.find((r) => r.id === id);
    const path = `body.departmentIds.${i}`;
    if (!d || d.disabled) unknown.push({ path, reason: 'unknown or disabled' });
    else if (!unitPath.startsWith(d.servesPath) && !d.servesPath.startsWith(unitPath))
      outside.push({ path, reason: 'does not serve the issuing unit' });
    else codes.push(d.code);
  });
  if (unknown.length) throw new AppError('DEPARTMENT_UNKNOWN', { fields: unknown });
  if (outside.length) throw new AppError('SUMMONS_DEPARTMENT_OUTSIDE', { fields: outside });
  return codes;
}

/**
 * Issues a summons (约请): the reply time is the limit counted from now by the working calendar;
 * one row per summoned department waits for its reply. Summons, rows and audit commit together.
 */
export async function issueSummons(ctx: SummonsContext, props: IssueSummonsProps): Promise<string> {
  const now = ctx.now ?? new Date();
  if (!(SUMMONING_LEVELS as readonly string[]).includes(props.unit.level))
    throw new AppError('SUMMONS_UNIT_INVALID', {
      fields: [{ path: 'body.unitId', reason: 'a committee or subdistrict' }],
    });
  if (!canIssueFor(ctx.actor, props.unit.path)) throw new AppError('FORBIDDEN');
  const departmentIds = props.departmentIds;
  const duplicate = departmentIds.findIndex((id, i) => departmentIds.indexOf(id) !== i);
  if (duplicate >= 0)
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ path: `body.departmentIds.${duplicate}`, reason: 'named twice' }],
    });
  const limit = props.replyLimit ?? DEFAULT_SUMMONS_REPLY_LIMIT;
  const bounds = SUMMONS_REPLY_BOUNDS[limit.unit];
  if (!(limit.amount >= bounds.min && limit.amount <= bounds.max))
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ path: 'body.replyLimit.amount', reason: `between ${bounds.min} and ${bounds.max} ${limit.unit}` }],
    });
  if (props.requestedAt.getTime() < now.getTime() - TIME_SLACK_MS)
    throw new AppError('SUMMONS_TIME_INVALID', { fields: [{ path: 'body.requestedAt', reason: 'in the past' }] });
  if ((props.lng === undefined) !== (props.lat === undefined))
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body.lat', reason: 'lng and lat go together' }] });

  const calendar = await loadCalendar(ctx.db);
  const replyDueAt = calendar.addLimit(now, limit.amount, limit.unit);
  const id = uuidv7();
  return ctx.db.transaction().execute(async (trx) => {
    const codes = await checkDepartments(trx, props.unit.path, departmentIds);
    await trx
      .insertInto('summons')
      .values({
        district: props.unit.district,
        id,
        unitId: props.unit.id,
        unitPath: props.unit.path,
        issuedBy: ctx.actor.id,
        caseDistrict: props.case?.district ?? null,
        caseId: props.case?.id ?? null,
        place: props.place,
        lng: props.lng ?? null,
        lat: props.lat ?? null,
        subject: props.subject,
        description: props.description ?? '',
        requestedAt: props.requestedAt,
        replyAmount: limit.amount,
        replyUnit: limit.unit,
        sentAt: now,
        replyDueAt,
        state: 'sent',
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await trx
      .insertInto('summonsDepartment')
      .values(departmentIds.map((departmentId) => ({ district: props.unit.district, summonsId: id, departmentId })))
      .execute();
    await notifySummons(trx, { kind: 'summons_issued', district: props.unit.district, summonsId: id });
    await writeAudit(
      trx,
      auditOf(ctx),
      {
        action: 'summons.issued',
        data: { departments: codes, case: props.case?.number ?? null, replyDueAt: replyDueAt.toISOString() },
      },
      { type: 'summons', id, district: props.unit.district },
    );
    return id;
  });
}

/**
 * The working calendar over HTTP: a year's days (statutory, make-up, override, weekday), the working
 * hours, the administrator's overrides, and the same due-time check as `gridloop calendar due`.
 * One calendar serves the whole installation, so only an administrator at district level or above
 * may change it; every change is audited in the transaction that makes it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffActor } from '../accounts/actor.js';
import { writeAudit } from '../audit/audit.writer.js';
import { AppError } from '../http/app-error.js';
import { auditContext, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { isInstallationAdmin } from '../policies/predicates.js';
import {
  listOverrides,
  loadCalendar,
  readWorkingHours,
  removeOverride,
  setOverride,
  setWorkingHours,
} from './calendar.repository.js';
import { daysFromCivil, formatDay, parseDay, toShanghaiIso, weekdayOf } from './civil.js';
import { statutoryDay } from './statutory.js';
import { LIMIT_UNITS } from './working-calendar.js';

const tags = ['calendar'];
const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');
const ZNamed = z.object({ zh: z.string(), en: z.string() });
const ZWorkingHours = z.array(z.tuple([z.string(), z.string()])).describe("[['09:00','12:00'],['13:00','17:30']]");

const ZCalendarDay = z.object({
  day: z.string(),
  workday: z.boolean(),
  /** Why: an administrator's override, the statutory schedule, or plain Monday–Friday. */
  source: z.enum(['override', 'statutory', 'weekday']),
  name: ZNamed.nullable(),
  note: z.string().nullable(),
});

const ZYearView = z.object({
  year: z.number(),
  scheduleKnown: z.boolean(),
  warning: ZNamed.nullable(),
  workingHours: ZWorkingHours,
  days: z.array(ZCalendarDay),
});

/** District-level (or higher) administrators keep the calendar. */
function requireCalendarAdmin(request: FastifyRequest): StaffActor {
  const actor = requireStaff(request);
  if (!isInstallationAdmin(actor)) throw new AppError('FORBIDDEN');
  return actor;
}

export async function calendarRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/calendar',
    {
      schema: {
        tags,
        summary: "A year's working days with their reasons, and the working hours / 工作日历",
        querystring: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: ZYearView, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      requireStaff(request);
      const now = new Date();
      const year = request.query.year ?? Number(toShanghaiIso(now).slice(0, 4));
      const [calendar, overrides, workingHours] = await Promise.all([
        loadCalendar(app.db),
        listOverrides(app.db, year),
        readWorkingHours(app.db),
      ]);
      const byDay = new Map(overrides.map((o) => [o.day, o]));
      const days: z.infer<typeof ZCalendarDay>[] = [];
      for (let n = daysFromCivil(year, 1, 1); n < daysFromCivil(year + 1, 1, 1); n++) {
        const day = formatDay(n);
        const override = byDay.get(day);
        const statutory = statutoryDay(day);
        const weekend = [0, 6].includes(weekdayOf(n));
        days.push({
          day,
          workday: calendar.isWorkday(day),
          source: override ? 'override' : statutory ? 'statutory' : 'weekday',
          name: statutory?.name ?? null,
          note: override?.note || null,
        });
        // Keep the list short: plain weekdays and weekends are implied by the date itself.
        const last = days.at(-1);
        if (last && last.source === 'weekday' && last.workday === !weekend) days.pop();
      }
      const warning = calendar.coverageWarning(now);
      return {
        year,
        scheduleKnown: calendar.hasScheduleFor(year),
        warning: warning && warning.year === year ? { zh: warning.zh, en: warning.en } : null,
        workingHours,
        days,
      };
    },
  );

  r.get(
    '/api/calendar/due',
    {
      schema: {
        tags,
        summary: 'When is a limit due from a time? (the same answer as `gridloop calendar due`) / 计算到期时间',
        querystring: z.strictObject({
          from: z.iso.datetime({ offset: true }).optional(),
          amount: z.coerce.number().positive().max(10_000),
          unit: z.enum(LIMIT_UNITS),
        }),
        response: {
          200: z.object({ from: z.string(), dueAt: z.string(), remaining: ZNamed }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      requireStaff(request);
      const calendar = await loadCalendar(app.db);
      const from = request.query.from ? new Date(request.query.from) : new Date();
      const dueAt = calendar.addLimit(from, request.query.amount, request.query.unit);
      const left = calendar.remaining(from, dueAt, request.query.unit);
      return { from: toShanghaiIso(from), dueAt: toShanghaiIso(dueAt), remaining: { zh: left.zh, en: left.en } };
    },
  );

  r.put(
    '/api/calendar/working-hours',
    {
      schema: {
        tags,
        summary: 'Set the working hours (periods of a working day) / 设置工作时间',
        body: z.strictObject({ workingHours: ZWorkingHours }),
        response: { 200: z.object({ workingHours: ZWorkingHours }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      requireCalendarAdmin(request);
      const workingHours = await app.db.transaction().execute(async (trx) => {
        const saved = await setWorkingHours(trx, request.body.workingHours);
        await writeAudit(trx, auditContext(request), {
          action: 'calendar.hours_set',
          data: { workingHours: saved.map(([a, b]) => `${a}-${b}`) },
        });
        return saved;
      });
      return { workingHours };
    },
  );

  r.put(
    '/api/calendar/days/:day',
    {
      schema: {
        tags,
        summary: 'Declare a day a working day (调休) or a holiday, over the statutory calendar / 设置工作日或休息日',
        params: z.strictObject({ day: ZDay }),
        body: z.strictObject({ kind: z.enum(['workday', 'holiday']), note: z.string().trim().max(200).optional() }),
        response: { 200: ZCalendarDay, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireCalendarAdmin(request);
      const { day } = request.params;
      if (parseDay(day) === null)
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'params.day', reason: 'not a real date' }] });
      const saved = await app.db.transaction().execute(async (trx) => {
        const row = await setOverride(trx, { day, ...request.body, createdBy: actor.id });
        await writeAudit(trx, auditContext(request), {
          action: 'calendar.day_set',
          data: { day, kind: row.kind, note: row.note },
        });
        return row;
      });
      return {
        day,
        workday: saved.kind === 'workday',
        source: 'override' as const,
        name: statutoryDay(day)?.name ?? null,
        note: saved.note || null,
      };
    },
  );

  r.delete(
    '/api/calendar/days/:day',
    {
      schema: {
        tags,
        summary: "Remove a day's override; the statutory calendar applies again / 删除自定义日期",
        params: z.strictObject({ day: ZDay }),
        response: { 200: z.object({ removed: z.boolean() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      requireCalendarAdmin(request);
      const { day } = request.params;
      if (parseDay(day) === null)
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'params.day', reason: 'not a real date' }] });
      const removed = await app.db.transaction().execute(async (trx) => {
        const done = await removeOverride(trx, day);
        if (done) await writeAudit(trx, auditContext(request), { action: 'calendar.day_unset', data: { day } });
        return done;
      });
      return { removed };
    },
  );
}

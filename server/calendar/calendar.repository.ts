/**
 * The calendar's settings in the database: working hours (`setting` 'calendar.workingHours') and
 * the administrator's days (`calendar_day`). `loadCalendar` is the one way the server and the
 * `gridloop calendar` command get a WorkingCalendar, so both compute the same due times.
 *
 * Loads through a Db are cached per Db for a few seconds (a case report or transition needs the
 * calendar every time); every write here invalidates the cache at once, so this process always
 * sees its own changes; other processes see them within CACHE_MS. Loads through a transaction are
 * never cached, so a transaction sees its own uncommitted writes.
 */
import { sql } from 'kysely';
import type { Db, Trx } from '../db/database.js';
import { AppError, type FieldProblem } from '../http/app-error.js';
import { parseDay } from './civil.js';
import { type DayKind, WorkingCalendar } from './working-calendar.js';
import { checkWorkingHours, DEFAULT_WORKING_HOURS, type WorkingHours } from './working-hours.js';

export const WORKING_HOURS_KEY = 'calendar.workingHours';
export const CACHE_MS = 5_000;

export interface CalendarDay {
  day: string;
  kind: DayKind;
  note: string;
  createdBy: string | null;
  createdAt: Date;
}

let generation = 0;
let cache = new WeakMap<Db, { calendar: WorkingCalendar; at: number; generation: number }>();

/** Forgets every cached calendar (done by every write below). */
export function invalidateCalendarCache(): void {
  generation += 1;
  cache = new WeakMap();
}

/** The working hours in force: the setting, or the default when it is absent. */
export async function readWorkingHours(db: Db | Trx): Promise<WorkingHours> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', WORKING_HOURS_KEY).executeTakeFirst();
  if (!row) return DEFAULT_WORKING_HOURS.map(([s, e]) => [s, e]);
  const checked = checkWorkingHours(row.value, WORKING_HOURS_KEY);
  if (!checked.periods)
    throw new Error(`setting ${WORKING_HOURS_KEY} is invalid: ${checked.problems.map((p) => p.reason).join('; ')}`);
  return row.value as WorkingHours;
}

/** The administrator's days, in date order; only those of `year` when given. */
export async function listOverrides(db: Db | Trx, year?: number): Promise<CalendarDay[]> {
  let query = db.selectFrom('calendarDay').select(['day', 'kind', 'note', 'createdBy', 'createdAt']).orderBy('day');
  if (year !== undefined) query = query.where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`);
  return query.execute();
}

async function readCalendar(db: Db | Trx): Promise<WorkingCalendar> {
  const [workingHours, days] = await Promise.all([
    readWorkingHours(db),
    db.selectFrom('calendarDay').select(['day', 'kind']).execute(),
  ]);
  return new WorkingCalendar({ workingHours, overrides: new Map(days.map((d) => [d.day, d.kind])) });
}

/** The WorkingCalendar from the database's working hours and overrides (see the cache note above). */
export async function loadCalendar(db: Db | Trx): Promise<WorkingCalendar> {
  if (db.isTransaction) return readCalendar(db);
  const root = db as Db;
  const hit = cache.get(root);
  if (hit && hit.generation === generation && Date.now() - hit.at < CACHE_MS) return hit.calendar;
  const started = generation;
  const calendar = await readCalendar(root);
  // A write during the read leaves the generation moved: then the result is used but not kept.
  if (started === generation) cache.set(root, { calendar, at: Date.now(), generation });
  return calendar;
}

function invalid(fields: FieldProblem[]): AppError {
  return new AppError('VALIDATION_FAILED', { fields });
}

/** Replaces the working hours (validated: 'HH:MM' pairs, ascending, not overlapping). */
export async function setWorkingHours(db: Db | Trx, workingHours: unknown): Promise<WorkingHours> {
  const checked = checkWorkingHours(workingHours, 'body.workingHours');
  if (!checked.periods) throw invalid(checked.problems);
  const value = JSON.stringify(workingHours);
  await db
    .insertInto('setting')
    .values({ key: WORKING_HOURS_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt: sql`now()` }))
    .execute();
  invalidateCalendarCache();
  return workingHours as WorkingHours;
}

export interface OverrideProps {
  day: string;
  kind: DayKind;
  note?: string | undefined;
  createdBy?: string | null | undefined;
}

const MAX_NOTE = 200;

/** Declares a day a working day or a holiday, replacing any earlier override of that day. */
export async function setOverride(db: Db | Trx, props: OverrideProps): Promise<CalendarDay> {
  const fields: FieldProblem[] = [];
  if (typeof props.day !== 'string' || parseDay(props.day) === null)
    fields.push({ path: 'body.day', reason: 'must be a real date yyyy-mm-dd' });
  if (props.kind !== 'workday' && props.kind !== 'holiday')
    fields.push({ path: 'body.kind', reason: "must be 'workday' or 'holiday'" });
  const note = (props.note ?? '').trim();
  if (note.length > MAX_NOTE) fields.push({ path: 'body.note', reason: `at most ${MAX_NOTE} characters` });
  if (fields.length) throw invalid(fields);
  const values = { day: props.day, kind: props.kind, note, createdBy: props.createdBy ?? null };
  const row = await db
    .insertInto('calendarDay')
    .values(values)
    .onConflict((oc) =>
      oc.column('day').doUpdateSet({ kind: props.kind, note, createdBy: values.createdBy, createdAt: sql`now()` }),
    )
    .returning(['day', 'kind', 'note', 'createdBy', 'createdAt'])
    .executeTakeFirstOrThrow();
  invalidateCalendarCache();
  return row;
}

/** Removes the override of a day (the statutory calendar applies again); false when there was none. */
export async function removeOverride(db: Db | Trx, day: string): Promise<boolean> {
  if (typeof day !== 'string' || parseDay(day) === null)
    throw invalid([{ path: 'body.day', reason: 'must be a real date yyyy-mm-dd' }]);
  const result = await db.deleteFrom('calendarDay').where('day', '=', day).executeTakeFirst();
  invalidateCalendarCache();
  return result.numDeletedRows > 0n;
}

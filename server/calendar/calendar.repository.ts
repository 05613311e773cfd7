/**
 * The calendar's settings in the database: working hours (`setting` 'calendar.workingHours') and
 * the administrator's days (`calendar_day`). `loadCalendar` is the one way the server and the
 * `gridloop calendar` command get a WorkingCalendar, so both compute the same due times.
 *
 * Caching, simple and correct across processes: every write here bumps `setting`
 * 'calendar.version' in the same transaction; a load reads that version and the working hours in
 * one primary-key query and rebuilds only when either moved. A load through a transaction is
 * never cached, so it sees the transaction's own writes. Whoever edits `calendar_day` by hand
 * must bump the version too (or restart).
 */
import { sql } from 'kysely';
import type { Db, Trx } from '../db/database.js';
import { AppError, type FieldProblem } from '../http/app-error.js';
import { parseDay } from './civil.js';
import { type DayKind, WorkingCalendar } from './working-calendar.js';
import { checkWorkingHours, DEFAULT_WORKING_HOURS, type WorkingHours } from './working-hours.js';

export const WORKING_HOURS_KEY = 'calendar.workingHours';
export const VERSION_KEY = 'calendar.version';

export interface CalendarDay {
  day: string;
  kind: DayKind;
  note: string;
  createdBy: string | null;
  createdAt: Date;
}

const cache = new WeakMap<Db, { stamp: string; calendar: WorkingCalendar }>();

function hoursFrom(value: unknown): WorkingHours {
  if (value === undefined) return DEFAULT_WORKING_HOURS.map(([s, e]) => [s, e]);
  const checked = checkWorkingHours(value, WORKING_HOURS_KEY);
  if (!checked.periods)
    throw new Error(`setting ${WORKING_HOURS_KEY} is invalid: ${checked.problems.map((p) => p.reason).join('; ')}`);
  return value as WorkingHours;
}

async function readSettings(db: Db | Trx): Promise<{ workingHours: WorkingHours; stamp: string }> {
  const rows = await db
    .selectFrom('setting')
    .select(['key', 'value'])
    .where('key', 'in', [WORKING_HOURS_KEY, VERSION_KEY])
    .execute();
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const workingHours = hoursFrom(value(WORKING_HOURS_KEY));
  return { workingHours, stamp: JSON.stringify([value(VERSION_KEY) ?? 0, workingHours]) };
}

/** The working hours in force: the setting, or the default when it is absent. */
export async function readWorkingHours(db: Db | Trx): Promise<WorkingHours> {
  return (await readSettings(db)).workingHours;
}

/** The administrator's days, in date order; only those of `year` when given. */
export async function listOverrides(db: Db | Trx, year?: number): Promise<CalendarDay[]> {
  let query = db.selectFrom('calendarDay').select(['day', 'kind', 'note', 'createdBy', 'createdAt']).orderBy('day');
  if (year !== undefined) query = query.where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`);
  return query.execute();
}

/** The WorkingCalendar from the database's working hours and overrides (see the cache note above). */
export async function loadCalendar(db: Db | Trx): Promise<WorkingCalendar> {
  const { workingHours, stamp } = await readSettings(db);
  const root = db.isTransaction ? undefined : (db as Db);
  const hit = root && cache.get(root);
  if (hit && hit.stamp === stamp) return hit.calendar;
  // Read after the version: the days are at least as new as the stamp they are cached under.
  const days = await db.selectFrom('calendarDay').select(['day', 'kind']).execute();
  const calendar = new WorkingCalendar({ workingHours, overrides: new Map(days.map((d) => [d.day, d.kind])) });
  if (root) cache.set(root, { stamp, calendar });
  return calendar;
}

/** Runs a write and the version bump in one transaction (the caller's, when given one). */
async function write<T>(db: Db | Trx, fn: (trx: Trx) => Promise<T>): Promise<T> {
  const run = async (trx: Trx) => {
    const result = await fn(trx);
    await sql`
      insert into setting (key, value) values (${VERSION_KEY}, '1'::jsonb)
      on conflict (key) do update set value = to_jsonb(setting.value::text::bigint + 1), updated_at = now()`.execute(
      trx,
    );
    return result;
  };
  return db.isTransaction ? run(db as Trx) : db.transaction().execute(run);
}

function invalid(fields: FieldProblem[]): AppError {
  return new AppError('VALIDATION_FAILED', { fields });
}

/** Replaces the working hours (validated: 'HH:MM' pairs, ascending, not overlapping). */
export async function setWorkingHours(db: Db | Trx, workingHours: unknown): Promise<WorkingHours> {
  const checked = checkWorkingHours(workingHours, 'body.workingHours');
  if (!checked.periods) throw invalid(checked.problems);
  const value = JSON.stringify(workingHours);
  await write(db, (trx) =>
    trx
      .insertInto('setting')
      .values({ key: WORKING_HOURS_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt: sql`now()` }))
      .execute(),
  );
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
  return write(db, (trx) =>
    trx
      .insertInto('calendarDay')
      .values(values)
      .onConflict((oc) =>
        oc.column('day').doUpdateSet({ kind: props.kind, note, createdBy: values.createdBy, createdAt: sql`now()` }),
      )
      .returning(['day', 'kind', 'note', 'createdBy', 'createdAt'])
      .executeTakeFirstOrThrow(),
  );
}

/** Removes the override of a day (the statutory calendar applies again); false when there was none. */
export async function removeOverride(db: Db | Trx, day: string): Promise<boolean> {
  if (typeof day !== 'string' || parseDay(day) === null)
    throw invalid([{ path: 'body.day', reason: 'must be a real date yyyy-mm-dd' }]);
  const result = await write(db, (trx) => trx.deleteFrom('calendarDay').where('day', '=', day).executeTakeFirst());
  return result.numDeletedRows > 0n;
}

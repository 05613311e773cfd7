/**
 * The calendar's settings in a fresh database: validation, overrides and working hours reaching
 * `loadCalendar`, the cache reloading after every write.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { createTestDatabase } from '../test/database.js';
import {
  listOverrides,
  loadCalendar,
  readWorkingHours,
  removeOverride,
  setOverride,
  setWorkingHours,
} from './calendar.repository.js';
import { parseInstant, toShanghaiIso } from './civil.js';

let db: Db;

const fieldsOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('VALIDATION_FAILED');
  return ((error as AppError).fields ?? []).map((f) => f.path);
};

const at = (text: string) => parseInstant(text) ?? new Date(Number.NaN);

describe('calendar repository', () => {
  beforeAll(async () => {
    ({ db } = await createTestDatabase());
  });

  it('starts from the default working hours and the statutory calendar', async () => {
    expect(await readWorkingHours(db)).toEqual([
      ['09:00', '12:00'],
      ['13:00', '17:30'],
    ]);
    const calendar = await loadCalendar(db);
    expect(calendar.minutesPerDay).toBe(450);
    expect(calendar.hasScheduleFor(2027)).toBe(false);
    expect(await loadCalendar(db)).toBe(calendar); // cached
  });

  it('refuses bad hours and bad days with the fields named', async () => {
    expect(
      await fieldsOf(
        setWorkingHours(db, [
          ['13:00', '17:00'],
          ['09:00', '12:00'],
        ]),
      ),
    ).toEqual(['body.workingHours.1']);
    expect(await fieldsOf(setWorkingHours(db, [['9:00', '12:00']]))).toEqual(['body.workingHours.0']);
    expect(await fieldsOf(setWorkingHours(db, []))).toEqual(['body.workingHours']);
    expect(await fieldsOf(setOverride(db, { day: '2027-02-30', kind: 'holiday' }))).toEqual(['body.day']);
    expect(
      await fieldsOf(setOverride(db, { day: '2027-01-01', kind: 'weekend' as 'holiday', note: 'x'.repeat(201) })),
    ).toEqual(['body.kind', 'body.note']);
    expect(await fieldsOf(removeOverride(db, 'soon'))).toEqual(['body.day']);
  });

  it('loads overrides and working hours into the calendar the server and the command use', async () => {
    const before = await loadCalendar(db);
    await setWorkingHours(db, [
      ['08:30', '12:00'],
      ['13:30', '17:00'],
    ]);
    const row = await setOverride(db, { day: '2027-01-01', kind: 'holiday', note: ' 元旦 ', createdBy: null });
    expect(row).toMatchObject({ day: '2027-01-01', kind: 'holiday', note: '元旦' });
    await setOverride(db, { day: '2026-10-05', kind: 'workday', note: '本区调整' });

    const calendar = await loadCalendar(db);
    expect(calendar).not.toBe(before); // each write bumps calendar.version: the cache reloads
    expect(await loadCalendar(db)).toBe(calendar);
    expect(calendar.minutesPerDay).toBe(420);
    expect(calendar.isWorkday('2027-01-01')).toBe(false);
    expect(calendar.hasScheduleFor(2027)).toBe(true);
    // Wed 2026-09-30 16:00: 1 h left that day (to 17:00); the override makes Mon 10-05 a working day.
    expect(toShanghaiIso(calendar.addLimit(at('2026-09-30 16:00'), 2, 'working_hours'))).toBe(
      '2026-10-05T09:30:00+08:00',
    );
    // Thu 2026-12-31 16:00 + 1 working day: Fri 2027-01-01 is now a holiday → Mon 2027-01-04 16:00.
    expect(toShanghaiIso(calendar.addLimit(at('2026-12-31 16:00'), 1, 'working_days'))).toBe(
      '2027-01-04T16:00:00+08:00',
    );
    expect((await listOverrides(db, 2027)).map((d) => d.day)).toEqual(['2027-01-01']);

    // Replacing an override changes its kind; removing it restores the statutory answer.
    await setOverride(db, { day: '2026-10-05', kind: 'holiday' });
    expect((await loadCalendar(db)).isWorkday('2026-10-05')).toBe(false);
    expect(await removeOverride(db, '2026-10-05')).toBe(true);
    expect(await removeOverride(db, '2026-10-05')).toBe(false);
    expect((await listOverrides(db)).map((d) => d.day)).toEqual(['2027-01-01']);
  });

  it('reads uncommitted overrides inside a transaction, never from the cache', async () => {
    let inside: boolean | undefined;
    const rollBack = new Error('roll back');
    const outcome = await db
      .transaction()
      .execute(async (trx) => {
        await setOverride(trx, { day: '2027-01-04', kind: 'holiday' });
        inside = (await loadCalendar(trx)).isWorkday('2027-01-04');
        throw rollBack;
      })
      .catch((e: unknown) => e);
    expect(outcome).toBe(rollBack);
    expect(inside).toBe(false);
    expect((await loadCalendar(db)).isWorkday('2027-01-04')).toBe(true);
  });
});

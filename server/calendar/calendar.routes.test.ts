/**
 * The calendar over HTTP: the year view explains each exceptional day, the due-time check matches
 * the calendar module, and only a district administrator changes it — audited, and visible at once.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let districtAdmin: Client;
let subdistrictAdmin: Client;
let dispatcher: Client;

const due = async (from: string, amount: number, unit: string) => {
  const res = await dispatcher.request(
    'GET',
    `/api/calendar/due?from=${encodeURIComponent(from)}&amount=${amount}&unit=${unit}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json().dueAt as string;
};

describe('calendar routes', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    const t = await makeTerritory(db);
    districtAdmin = await signIn(app, (await makeAccount(db, t, 'admin', t.district)).username, TEST_PASSWORD);
    subdistrictAdmin = await signIn(app, (await makeAccount(db, t, 'admin', t.subdistrict)).username, TEST_PASSWORD);
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
  });

  it('lists the exceptional days of 2026 with their reasons, and only those', async () => {
    const res = await dispatcher.request('GET', '/api/calendar?year=2026');
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({
      year: 2026,
      scheduleKnown: true,
      workingHours: [
        ['09:00', '12:00'],
        ['13:00', '17:30'],
      ],
    });
    const day = (d: string) => view.days.find((x: { day: string }) => x.day === d);
    expect(day('2026-10-01')).toMatchObject({ workday: false, source: 'statutory', name: { zh: '国庆节' } });
    expect(day('2026-10-10')).toMatchObject({ workday: true, source: 'statutory' }); // Saturday make-up day
    expect(day('2026-10-12')).toBeUndefined(); // an ordinary Monday
    expect(day('2026-10-17')).toBeUndefined(); // an ordinary Saturday
  });

  it('answers due times across the National Day holiday like the calendar module', async () => {
    // Wednesday 30 September 16:00 + 1 working day: 1–7 October are off, so Thursday 8 October 16:00.
    expect(await due('2026-09-30T16:00:00+08:00', 1, 'working_days')).toBe('2026-10-08T16:00:00+08:00');
    // Friday 9 October 17:00 + 2 working hours: 30 min that day, then the make-up Saturday from 09:00.
    expect(await due('2026-10-09T17:00:00+08:00', 2, 'working_hours')).toBe('2026-10-10T10:30:00+08:00');
    const bad = await dispatcher.request('GET', '/api/calendar/due?amount=1&unit=fortnights');
    expect(bad.statusCode).toBe(400);
  });

  it('lets only a district administrator override a day, audited and effective at once', async () => {
    const denied = await subdistrictAdmin.request('PUT', '/api/calendar/days/2026-10-12', { kind: 'holiday' });
    expect(denied.statusCode).toBe(403);
    const notReal = await districtAdmin.request('PUT', '/api/calendar/days/2026-02-30', { kind: 'holiday' });
    expect(notReal.statusCode).toBe(400);
    expect(notReal.json().error.code).toBe('VALIDATION_FAILED');

    const set = await districtAdmin.request('PUT', '/api/calendar/days/2026-10-08', {
      kind: 'holiday',
      note: '台风停工',
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ day: '2026-10-08', workday: false, source: 'override', note: '台风停工' });
    expect(await due('2026-09-30T16:00:00+08:00', 1, 'working_days')).toBe('2026-10-09T16:00:00+08:00');
    const view = (await dispatcher.request('GET', '/api/calendar?year=2026')).json();
    expect(view.days.find((x: { day: string }) => x.day === '2026-10-08')).toMatchObject({ source: 'override' });

    const removed = await districtAdmin.request('DELETE', '/api/calendar/days/2026-10-08');
    expect(removed.json()).toEqual({ removed: true });
    expect((await districtAdmin.request('DELETE', '/api/calendar/days/2026-10-08')).json()).toEqual({ removed: false });
    expect(await due('2026-09-30T16:00:00+08:00', 1, 'working_days')).toBe('2026-10-08T16:00:00+08:00');

    const audit = await db
      .selectFrom('auditLog')
      .select(['action', 'data'])
      .where('action', 'like', 'calendar.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['calendar.day_set', 'calendar.day_unset']);
    expect(audit[0]?.data).toMatchObject({ day: '2026-10-08', kind: 'holiday', note: '台风停工' });
  });

  it('changes the working hours only when they make sense', async () => {
    const overlapping = await districtAdmin.request('PUT', '/api/calendar/working-hours', {
      workingHours: [
        ['09:00', '12:30'],
        ['12:00', '17:00'],
      ],
    });
    expect(overlapping.statusCode).toBe(400);
    expect((await dispatcher.request('GET', '/api/calendar?year=2026')).json().workingHours).toEqual([
      ['09:00', '12:00'],
      ['13:00', '17:30'],
    ]);
    const summer = await districtAdmin.request('PUT', '/api/calendar/working-hours', {
      workingHours: [
        ['08:30', '11:30'],
        ['14:00', '17:30'],
      ],
    });
    expect(summer.statusCode, summer.body).toBe(200);
    // Monday 12 October 11:00 + 1 working hour: 30 min before the break, 30 min after 14:00.
    expect(await due('2026-10-12T11:00:00+08:00', 1, 'working_hours')).toBe('2026-10-12T14:30:00+08:00');
    const audit = await db
      .selectFrom('auditLog')
      .select('data')
      .where('action', '=', 'calendar.hours_set')
      .executeTakeFirstOrThrow();
    expect(audit.data).toEqual({ workingHours: ['08:30-11:30', '14:00-17:30'] });
  });
});

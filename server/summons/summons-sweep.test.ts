/**
 * The reply time of a summons is working time from the database's calendar, and the sweep marks
 * silent departments yellow then red — each once — leaving replied, cancelled and closed ones alone.
 * Commands run at chosen instants (`now`); times are +08:00.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGrants, type StaffActor } from '../accounts/actor.js';
import { removeOverride, setOverride } from '../calendar/calendar.repository.js';
import { parseInstant, toShanghaiIso } from '../calendar/civil.js';
import type { Db } from '../db/database.js';
import { makeAccount, makeDepartment, makeTerritory, type Territory, unitOf } from '../test/factories.js';
import { createTestDatabase } from '../test/harness.js';
import { endSummons } from './commands/end-summons.js';
import { type IssueSummonsProps, issueSummons } from './commands/issue-summons.js';
import { replySummons } from './commands/reply-summons.js';
import { listIssued, listSummoned } from './summons.repository.js';
import { sweepSummons } from './summons-sweep.js';

let db: Db;
let t: Territory;
let d1: { id: string };
let d2: { id: string };
let committee: StaffActor;
let handler1: StaffActor;
let handler2: StaffActor;

function at(text: string): Date {
  const date = parseInstant(text);
  if (!date) throw new Error(`bad test time ${text}`);
  return date;
}

const wall = (date: Date) => toShanghaiIso(date).slice(0, 16).replace('T', ' ');

async function actor(account: { id: string; username: string }): Promise<StaffActor> {
  return {
    kind: 'staff',
    id: account.id,
    username: account.username,
    displayName: account.username,
    mustChangePassword: false,
    grants: await loadGrants(db, account.id),
  };
}

async function issueAt(sentAt: string, extra: Partial<IssueSummonsProps> = {}) {
  const unit = unitOf(t, t.communities[0]);
  const id = await issueSummons(
    { db, actor: committee, now: at(sentAt) },
    {
      unit: { ...unit, level: 'community' },
      departmentIds: [d1.id, d2.id],
      subject: '违章搭建协调',
      place: '东苑小区12号楼',
      requestedAt: at(sentAt),
      ...extra,
    },
  );
  return db.selectFrom('summons').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const rows = (summonsId: string) =>
  db
    .selectFrom('summonsDepartment')
    .select(['departmentId', 'warnedAt', 'overdueAt', 'reply'])
    .where('summonsId', '=', summonsId)
    .execute();

describe('summons reply time and sweep', () => {
  beforeAll(async () => {
    ({ db } = await createTestDatabase());
    t = await makeTerritory(db);
    d1 = await makeDepartment(db, t);
    d2 = await makeDepartment(db, t);
    committee = await actor(await makeAccount(db, t, 'committee_staff', t.communities[0]));
    handler1 = await actor(
      await makeAccount(db, t, 'handler', t.subdistrict, { departmentId: d1.id, departmentCode: 'D1' }),
    );
    handler2 = await actor(
      await makeAccount(db, t, 'handler', t.subdistrict, { departmentId: d2.id, departmentCode: 'D2' }),
    );
  });

  it('counts the reply time in working time from the calendar in the database', async () => {
    // Friday 16:00 + 1 working day: the weekend does not count.
    expect(wall((await issueAt('2026-03-13 16:00')).replyDueAt)).toBe('2026-03-16 16:00');
    // 4 working hours from Friday 16:00: 1.5 h on Friday, 2.5 h from Monday 09:00.
    const hours = await issueAt('2026-03-13 16:00', { replyLimit: { amount: 4, unit: 'working_hours' } });
    expect(wall(hours.replyDueAt)).toBe('2026-03-16 11:30');
    // Across National Day 2026 (holiday 10-01 … 10-07).
    expect(wall((await issueAt('2026-09-30 16:00')).replyDueAt)).toBe('2026-10-08 16:00');
    // The administrator's days count: with that Monday declared a holiday, the reply is due Tuesday.
    await setOverride(db, { day: '2026-03-16', kind: 'holiday', note: 'test' });
    try {
      expect(wall((await issueAt('2026-03-13 16:00')).replyDueAt)).toBe('2026-03-17 16:00');
    } finally {
      await removeOverride(db, '2026-03-16');
    }
  });

  it('marks a silent department yellow, then overdue exactly once; replied, cancelled and closed ones are left alone', async () => {
    // Earlier than every other summons in this file, so that the counts below are exact.
    const open = await issueAt('2026-01-09 16:00');
    expect(wall(open.replyDueAt)).toBe('2026-01-12 16:00');
    const cancelled = await issueAt('2026-01-09 16:00');
    const closed = await issueAt('2026-01-09 16:30');
    await replySummons(
      { db, actor: handler1, now: at('2026-01-10 10:00') },
      { summonsId: open.id, departmentId: d1.id, reply: 'accepted', arrivalAt: at('2026-01-12 09:30') },
    );
    await endSummons(
      { db, actor: committee, now: at('2026-01-10 11:00') },
      { summonsId: cancelled.id, to: 'cancelled', version: 1, text: '居民已自行拆除' },
    );
    await endSummons(
      { db, actor: committee, now: at('2026-01-10 11:00') },
      { summonsId: closed.id, to: 'closed', version: 1, text: '电话协调后已解决' },
    );

    // 75 % of Friday 16:00 → Monday 16:00 (72 h natural) is Sunday 22:00.
    expect(await sweepSummons(db, { now: at('2026-01-11 12:00'), warnShare: 0.75 })).toEqual({ warned: 0, overdue: 0 });
    expect(await sweepSummons(db, { now: at('2026-01-12 09:00'), warnShare: 0.75 })).toEqual({ warned: 1, overdue: 0 });
    expect(await sweepSummons(db, { now: at('2026-01-12 16:01'), warnShare: 0.75 })).toEqual({ warned: 0, overdue: 1 });
    expect(await sweepSummons(db, { now: at('2026-01-12 16:02'), warnShare: 0.75 })).toEqual({ warned: 0, overdue: 0 });
    expect(await sweepSummons(db, { now: at('2026-01-13 09:00') })).toEqual({ warned: 0, overdue: 0 });

    const marks = new Map((await rows(open.id)).map((r) => [r.departmentId, r]));
    expect(marks.get(d1.id)).toMatchObject({ reply: 'accepted', warnedAt: null, overdueAt: null });
    expect(marks.get(d2.id)?.warnedAt).toEqual(at('2026-01-12 09:00'));
    expect(marks.get(d2.id)?.overdueAt).toEqual(at('2026-01-12 16:01'));
    for (const s of [cancelled, closed])
      for (const r of await rows(s.id)) expect(r).toMatchObject({ warnedAt: null, overdueAt: null });

    // The overdue department shows up in the overdue lists of both sides, and only there.
    const ids = (items: { id: string }[]) => items.map((s) => s.id);
    expect(ids(await listIssued(db, committee, { overdue: true, limit: 50 }))).toEqual([open.id]);
    expect(ids(await listSummoned(db, handler2, { overdue: true, limit: 50 }))).toEqual([open.id]);
    expect(ids(await listSummoned(db, handler1, { overdue: true, limit: 50 }))).toEqual([]);

    // A late reply is still taken, recorded as late; the red mark stays as the record.
    await replySummons(
      { db, actor: handler2, now: at('2026-01-13 10:00') },
      { summonsId: open.id, departmentId: d2.id, reply: 'declined', reason: '非本部门职责范围' },
    );
    const after = await db
      .selectFrom('summons')
      .select(['state', 'version'])
      .where('id', '=', open.id)
      .executeTakeFirst();
    expect(after).toEqual({ state: 'answered', version: 3 });
    expect((await rows(open.id)).find((r) => r.departmentId === d2.id)?.overdueAt).toEqual(at('2026-01-12 16:01'));
    const replied = await db
      .selectFrom('auditLog')
      .select('data')
      .where('subjectId', '=', open.id)
      .where('action', '=', 'summons.replied')
      .orderBy('id')
      .execute();
    expect(replied.map((r) => r.data.late)).toEqual([false, true]);
    expect(await listIssued(db, committee, { overdue: true, limit: 50 })).toEqual([]);
    expect(await sweepSummons(db, { now: at('2026-01-14 09:00') })).toEqual({ warned: 0, overdue: 0 });
  });

  it('tells the summoned departments, the issuer of each reply, and both sides of a late one', async () => {
    const s = await issueAt('2026-03-02 10:00');
    const kindsOf = async (who: StaffActor) =>
      (
        await db
          .selectFrom('notification')
          .select('kind')
          .where('recipientId', '=', who.id)
          .where(sql<boolean>`data->>'summonsId' = ${s.id}`)
          .orderBy('createdAt')
          .execute()
      ).map((n) => n.kind);
    expect(await kindsOf(handler1)).toEqual(['summons_issued']);
    expect(await kindsOf(handler2)).toEqual(['summons_issued']);
    expect(await kindsOf(committee)).toEqual([]);
    await replySummons(
      { db, actor: handler1, now: at('2026-03-02 11:00') },
      { summonsId: s.id, departmentId: d1.id, reply: 'accepted', arrivalAt: at('2026-03-03 09:30') },
    );
    expect(await kindsOf(committee)).toEqual(['summons_replied']);
    await sweepSummons(db, { now: at('2026-03-04 09:00'), warnShare: 0.75 });
    expect(await kindsOf(handler2)).toEqual(['summons_issued', 'summons_overdue']);
    expect(await kindsOf(handler1)).toEqual(['summons_issued']);
    expect(await kindsOf(committee)).toEqual(['summons_replied', 'summons_overdue']);
  });
});

/**
 * The monthly community analysis on a small fixture whose every number is counted by hand below:
 * people filed, moved out and dead in and around the month, tags started and ended, visits (one at
 * night), coverage at the month's end, cases reported and closed, needs referred, resolved and open.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyAnalysis } from '../../common/monthly-analysis.js';
import { addMonths, beijingDay } from '../../common/visits.js';
import { loadGrants, type StaffActor } from '../accounts/actor.js';
import { type ArchiveWorld, filePerson, idNumberFor, makeArchiveWorld } from '../archive/archive-fixtures.js';
import { reportCase } from '../cases/commands/report-case.js';
import type { Db } from '../db/database.js';
import { makeCategory } from '../test/factories.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { recordVisit } from '../visits/commands/record-visit.js';
import { referNeed } from '../visits/commands/refer-need.js';
import { resolveNeed } from '../visits/commands/resolve-need.js';
import { findNeed, findVisit, needsOf } from '../visits/visit.repository.js';

let db: Db;
let app: FastifyInstance;
let w: ArchiveWorld;
/** The month analysed: two months back, so that it is whole. */
const M = addMonths(beijingDay(new Date()), -2).slice(0, 7);
const NEXT = addMonths(`${M}-01`, 1).slice(0, 7);
const PREV = addMonths(`${M}-01`, -1).slice(0, 7);
/** An instant of the month (Beijing wall time). */
const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);
const TWO_YEARS_AGO = new Date(Date.now() - 730 * 86_400_000);

let analysis: MonthlyAnalysis;

async function person(name: string, created: Date, gridIndex = 0, seq = 1) {
  const id = await filePerson(gridIndex >= 2 ? w.admin : w.committee, {
    name,
    unitId: w.unit(w.t.grids[gridIndex] as string).id,
    idNumber: idNumberFor('19500101', seq),
  });
  await db.updateTable('person').set({ createdAt: created }).where('id', '=', id).execute();
  return id;
}

async function household(head: string, created: Date, address: string) {
  const res = await w.committee.request('POST', '/api/archive/households', {
    unitId: w.unit(w.t.grids[0]).id,
    address,
    members: [{ personId: head, relation: 'head' }],
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  const id = (res.json() as { id: string }).id;
  await db.updateTable('household').set({ createdAt: created }).where('id', '=', id).execute();
  return (await db.selectFrom('household').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as Parameters<
    typeof recordVisit
  >[1]['household'] & { id: string };
}

async function tag(code: string, subject: { person?: string; household?: string }, from: string, to: string | null) {
  const type = await db.selectFrom('tagType').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  const values = {
    district: w.unit(w.t.grids[0]).district,
    id: crypto.randomUUID(),
    tagTypeId: type.id,
    grade: code === 'disability' ? 2 : null,
    sourceDepartmentId: null,
    validFrom: from,
    validTo: to,
    createdBy: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  if (subject.person)
    await db
      .insertInto('personTag')
      .values({ ...values, personId: subject.person })
      .execute();
  else
    await db
      .insertInto('householdTag')
      .values({ ...values, householdId: subject.household as string })
      .execute();
}

describe('monthly analysis', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    w = await makeArchiveWorld(db, app);
    const account = await db
      .selectFrom('account as a')
      .innerJoin('accountGrant as g', 'g.accountId', 'a.id')
      .select(['a.id', 'a.username', 'a.displayName'])
      .where('g.unitPath', '=', w.unit(w.t.communities[0]).path)
      .where('g.role', '=', 'committee_staff')
      .executeTakeFirstOrThrow();
    const actor: StaffActor = {
      kind: 'staff',
      ...account,
      mustChangePassword: false,
      grants: await loadGrants(db, account.id),
    };
    const ctx = (now: Date) => ({ db, actor, now });

    // People: P1 and P2 before the month; P2 moves out in it; P3 arrives; P4 arrives and dies; P5 died before.
    const p1 = await person('钱德明', TWO_YEARS_AGO, 0, 11);
    const p2 = await person('孙秀英', TWO_YEARS_AGO, 0, 12);
    const p3 = await person('李浩然', at(`${M}-05`), 0, 13);
    const p4 = await person('赵桂兰', at(`${M}-06`), 0, 14);
    const p5 = await person('周阿毛', TWO_YEARS_AGO, 0, 15);
    await person('吴晓燕', TWO_YEARS_AGO, 2, 16); // another committee
    await db
      .updateTable('person')
      .set({ status: 'moved_out', statusChangedAt: at(`${M}-15`) })
      .where('id', '=', p2)
      .execute();
    await db
      .updateTable('person')
      .set({ status: 'deceased', statusChangedAt: at(`${M}-20`) })
      .where('id', '=', p4)
      .execute();
    await db
      .updateTable('person')
      .set({ status: 'deceased', statusChangedAt: at(`${PREV}-10`) })
      .where('id', '=', p5)
      .execute();
    await db.updateTable('person').set({ residency: 'floating' }).where('id', '=', p3).execute();

    // Households: H1 (P1) long there; H2 (P3) filed in the month; H3 (P2) dissolved in it.
    const h1 = await household(p1, TWO_YEARS_AGO, '梧桐路1号');
    const h2 = await household(p3, at(`${M}-05`), '梧桐路2号');
    const h3 = await household(p2, TWO_YEARS_AGO, '梧桐路3号');

    await tag('elderly_alone', { person: p1 }, addMonths(`${M}-01`, -24), null);
    await tag('disability', { person: p4 }, `${M}-07`, null);
    await tag('minimum_income', { household: h1.id }, addMonths(`${M}-01`, -12), `${M}-25`);
    await tag('low_income', { household: h2.id }, `${M}-10`, null);

    // Visits: H3 early in the month; H1 twice (once at night); H1 before the month with need D.
    await recordVisit(ctx(at(`${M}-03`)), { household: h3, findings: '', needs: [], photos: [] });
    const before = await recordVisit(ctx(at(`${PREV}-20`)), {
      household: h1,
      findings: '',
      needs: [{ kind: 'assistance', description: '申请临时救助' }],
      photos: [],
    });
    const night = await recordVisit(ctx(at(`${M}-12`, '20:00')), {
      household: h1,
      findings: '晚间走访',
      needs: [
        { kind: 'housing', description: '楼道灯坏了' },
        { kind: 'health', description: '需要家庭医生上门' },
      ],
      photos: [],
    });
    const later = await recordVisit(ctx(at(`${M}-18`)), {
      household: h1,
      findings: '',
      needs: [{ kind: 'dispute', description: '与邻居有噪声纠纷' }],
      photos: [],
    });
    await db
      .updateTable('household')
      .set({ dissolvedAt: at(`${M}-15`) })
      .where('id', '=', h3.id)
      .execute();

    // Needs: A referred in the month, its case closed in it; B resolved after it; C open; D resolved in it.
    const district = h1.district;
    const [a, b] = await needsOf(db, district, [night]);
    const [d] = await needsOf(db, district, [before]);
    const [c] = await needsOf(db, district, [later]);
    if (!a || !b || !c || !d) throw new Error('needs missing');
    const x = await makeCategory(db);
    const y = await makeCategory(db);
    const visit = await findVisit(db, night);
    const referred = await referNeed(
      { ...ctx(at(`${M}-13`)), locator: app.locator },
      {
        visit: visit as NonNullable<typeof visit>,
        need: a,
        location: null,
        categoryCode: x.code,
        urgency: 'normal',
        photos: [],
      },
    );
    await db
      .updateTable('cases')
      .set({ state: 'closed', closedAt: at(`${M}-20`) })
      .where('id', '=', referred.caseId)
      .execute();
    await resolveNeed(ctx(at(`${NEXT}-02`)), { need: b, visitId: night, resolution: '已安排家庭医生' });
    await resolveNeed(ctx(at(`${M}-08`)), { need: d, visitId: before, resolution: '已发放临时救助' });
    expect((await findNeed(db, district, night, b.id))?.status).toBe('resolved');
    expect(c.status).toBe('open');

    // Cases: one of Y reported in the month; one of X reported before it and closed in it.
    const reporter = { kind: 'staff' as const, accountId: actor.id };
    const report = (now: Date, code: string) =>
      reportCase(
        { db, locator: app.locator, actor, now },
        {
          channel: 'survey',
          categoryCode: code,
          urgency: 'normal',
          description: '走访发现',
          address: '梧桐路1号',
          reporter,
        },
      );
    await report(at(`${M}-09`), y.code);
    const old = await report(at(`${PREV}-25`), x.code);
    await db
      .updateTable('cases')
      .set({ state: 'closed', closedAt: at(`${M}-02`) })
      .where('id', '=', old.id)
      .execute();

    const res = await w.committee.request(
      'GET',
      `/api/analysis/monthly?unitId=${w.unit(w.t.communities[0]).id}&month=${M}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    analysis = res.json() as MonthlyAnalysis;
  });

  it('counts the population and its changes, start + added − moved out − deceased = end', () => {
    expect(analysis.partial).toBe(false);
    expect(analysis.population).toEqual({
      start: 2,
      end: 2,
      added: 2,
      movedOut: 1,
      deceased: 1,
      registered: 1,
      floating: 1,
      households: 2,
      householdsAdded: 1,
      householdsDissolved: 1,
    });
    const p = analysis.population;
    expect(p.start + p.added - p.movedOut - p.deceased).toBe(p.end);
  });

  it('counts tags in force at the end, started and ended in the month', () => {
    const by = Object.fromEntries(analysis.tags.map((t) => [t.code, [t.active, t.started, t.ended]]));
    expect(by).toMatchObject({
      elderly_alone: [1, 0, 0],
      disability: [0, 1, 0],
      minimum_income: [0, 0, 1],
      low_income: [1, 1, 0],
      preferential_care: [0, 0, 0],
    });
  });

  it('counts visits in the month and coverage at its end', () => {
    expect(analysis.visits).toMatchObject({
      count: 3,
      night: 1,
      householdsVisited: 2,
      coverage: { households: 2, covered: 1, overdue: 1, neverVisited: 1, rate: 0.5 },
    });
    const grid0 = analysis.visits.grids.find((g) => g.unit.code === w.t.grids[0]);
    expect(grid0).toMatchObject({ households: 2, covered: 1, rate: 0.5 });
  });

  it('counts cases reported and closed in the month by major category', async () => {
    expect(analysis.cases.reported).toBe(2);
    expect(analysis.cases.closed).toBe(2);
    expect(analysis.cases.byCategory.map((c) => [c.reported, c.closed]).sort()).toEqual([
      [1, 0],
      [1, 2],
    ]);
    // Each major named in both languages as the catalogue names it (its code when the major has no row).
    for (const c of analysis.cases.byCategory) {
      const major = await db
        .selectFrom('category')
        .select('nameEn')
        .where('code', '=', `${c.code}00`)
        .executeTakeFirst();
      expect(c.nameEn).toBe(major?.nameEn ?? c.code);
    }
    const figure = analysis.figures.find((f) => f.id === 'cases');
    expect(figure?.categories.map((k) => k.en)).toEqual(analysis.cases.byCategory.map((c) => c.nameEn));
  });

  it('counts needs: new, referred, resolved, and open at the end', () => {
    expect(analysis.needs).toEqual({
      new: 3,
      referred: 1,
      resolved: 1,
      open: 2,
      openByKind: [
        { kind: 'dispute', count: 1 },
        { kind: 'health', count: 1 },
      ],
    });
  });

  it('draws the figure set from the same numbers', () => {
    const figure = (id: string) => analysis.figures.find((f) => f.id === id);
    expect(figure('population')?.series[0]?.values).toEqual([2, 2, 1, 1, 2]);
    expect(figure('needs')?.categories.map((c) => c.zh)).toEqual(['矛盾纠纷', '医疗健康']);
    expect(figure('coverage')?.series[0]?.values[0]).toBe(50);
  });

  it('answers a committee of the scope only, for a committee and a month not ahead', async () => {
    const url = (unit: string, month = M) => `/api/analysis/monthly?unitId=${w.unit(unit).id}&month=${month}`;
    expect((await w.committeeOther.request('GET', url(w.t.communities[0]))).statusCode).toBe(404);
    expect((await w.gridA.request('GET', url(w.t.communities[0]))).statusCode).toBe(404);
    const grid = await w.admin.request('GET', url(w.t.grids[0]));
    expect(grid.json().error.code).toBe('ANALYSIS_UNIT_INVALID');
    for (const month of ['2026-13', addMonths(beijingDay(new Date()), 1).slice(0, 7), '26-01']) {
      const res = await w.admin.request('GET', url(w.t.communities[0], month));
      expect(res.json().error.code, month).toBe('ANALYSIS_MONTH_INVALID');
    }
    const current = await w.leader.request('GET', `/api/analysis/monthly?unitId=${w.unit(w.t.communities[0]).id}`);
    expect(current.json().partial).toBe(true);
  });
});

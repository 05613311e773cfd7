/**
 * Visits over HTTP: recording (findings, needs, photos, night flag) by those who visit, in scope
 * only; bad input coded and nothing written; reads audited as household reads; a need turned into a
 * case once through the real report command (channel survey), or resolved once; the half-year list
 * ordered by due and the coverage figures on a small hand-counted fixture.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CoverageView, DueItemView, VisitView } from '../../common/visits.js';
import { addMonths, beijingDay } from '../../common/visits.js';
import { loadGrants } from '../accounts/actor.js';
import { type ArchiveWorld, filePerson, idNumberFor, makeArchiveWorld } from '../archive/archive-fixtures.js';
import type { Db } from '../db/database.js';
import { uploadPhoto } from '../media/test-upload.js';
import { makeCategory } from '../test/factories.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { recordVisit } from './commands/record-visit.js';

let db: Db;
let app: FastifyInstance;
let w: ArchiveWorld;
const DAY = 86_400_000;
const households: string[] = [];

const count = async (table: 'visit' | 'visitNeed' | 'visitPhoto' | 'cases') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const audits = async (action: string) =>
  (
    await sql<{ data: Record<string, unknown>; subjectId: string | null }>`
      select data, subject_id from audit_log where action = ${action} order by id`.execute(db)
  ).rows;

/** Files a household of one head (and optionally a spouse) in a grid, living there for two years. */
async function fileHousehold(gridCode: string, address: string, withSpouse = false): Promise<string> {
  const unitId = w.unit(gridCode).id;
  const client = gridCode === w.t.grids[0] ? w.gridA : gridCode === w.t.grids[1] ? w.gridB : w.admin;
  const head = await filePerson(client, { name: '周建国', unitId, idNumber: idNumberFor('19600101') });
  const members = [{ personId: head, relation: 'head' }];
  if (withSpouse)
    members.push({
      personId: await filePerson(client, { name: '吴秀英', unitId, idNumber: idNumberFor('19620202', 22) }),
      relation: 'spouse',
    });
  const res = await client.request('POST', '/api/archive/households', { unitId, address, members });
  if (res.statusCode !== 201) throw new Error(`household: ${res.statusCode} ${res.body}`);
  const id = (res.json() as { id: string }).id;
  await db
    .updateTable('household')
    .set({ createdAt: new Date(Date.now() - 730 * DAY) })
    .where('id', '=', id)
    .execute();
  return id;
}

/** A visit recorded through the command at a past instant, as the grid worker of a grid. */
async function visitAt(householdId: string, at: Date, gridCode: string) {
  const account = await db
    .selectFrom('account as a')
    .innerJoin('accountGrant as g', 'g.accountId', 'a.id')
    .select(['a.id', 'a.username', 'a.displayName'])
    .where('g.unitPath', '=', w.unit(gridCode).path)
    .where('g.role', '=', 'grid_worker')
    .executeTakeFirstOrThrow();
  const actor = {
    kind: 'staff' as const,
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    mustChangePassword: false,
    grants: await loadGrants(db, account.id),
  };
  const h = await db.selectFrom('household').selectAll().where('id', '=', householdId).executeTakeFirstOrThrow();
  return recordVisit({ db, actor, now: at }, { household: h, findings: '老人身体尚可', needs: [], photos: [] });
}

describe('visits', () => {
  let visit: VisitView;

  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    w = await makeArchiveWorld(db, app);
    // H0–H2 in grid 0, H3 in grid 1 (community 0); H4 in grid 2 (community 1).
    households.push(await fileHousehold(w.t.grids[0], '梧桐路1弄1号101室', true));
    households.push(await fileHousehold(w.t.grids[0], '梧桐路1弄1号102室'));
    households.push(await fileHousehold(w.t.grids[0], '梧桐路1弄1号201室'));
    households.push(await fileHousehold(w.t.grids[1], '梧桐路2弄5号301室'));
    households.push(await fileHousehold(w.t.grids[2], '香樟路8弄2号402室'));
  });

  it('records a visit with findings, needs and a photo, audited', async () => {
    const photo = await uploadPhoto(app, { client: w.gridA });
    const res = await w.gridA.request('POST', '/api/visits', {
      householdId: households[0],
      findings: '两位老人在家，屋内整洁；卫生间扶手松动',
      needs: [
        { kind: 'housing', description: '卫生间扶手松动，需要加固' },
        { kind: 'elderly_care', description: '希望申请助餐服务' },
      ],
      photos: [photo],
    });
    expect(res.statusCode, res.body).toBe(201);
    visit = res.json() as VisitView;
    expect(visit.household.id).toBe(households[0]);
    expect(visit.needs.map((n) => [n.kind, n.status, n.open, n.abilities.refer])).toEqual([
      ['housing', 'open', true, true],
      ['elderly_care', 'open', true, true],
    ]);
    expect(visit.photos).toHaveLength(1);
    const image = await w.gridA.request('GET', visit.photos[0]?.thumbUrl ?? '');
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toMatch(/^image\//);
    const [recorded] = await audits('visit.recorded');
    expect(recorded?.data).toMatchObject({ household: households[0], needs: 2, photos: 1 });
  });

  it('flags a night visit by its Beijing time unless told otherwise', async () => {
    // 13:00 UTC two days ago is 21:00 in Beijing.
    const evening = new Date(Math.floor((Date.now() - 2 * DAY) / DAY) * DAY + 13 * 3_600_000);
    const night = await w.gridA.request('POST', '/api/visits', {
      householdId: households[1],
      visitedAt: evening.toISOString(),
    });
    expect(night.json().night).toBe(true);
    const told = await w.gridA.request('POST', '/api/visits', {
      householdId: households[1],
      visitedAt: evening.toISOString(),
      night: false,
    });
    expect(told.json().night).toBe(false);
    await db
      .deleteFrom('visit')
      .where('householdId', '=', households[1] as string)
      .execute();
  });

  it('refuses impossible times, others’ photos and unknown kinds, writing nothing', async () => {
    const before = [await count('visit'), await count('visitNeed'), await count('visitPhoto')];
    const othersPhoto = await uploadPhoto(app, { client: w.gridB });
    const cases: [unknown, number, string][] = [
      [{ visitedAt: new Date(Date.now() - 40 * DAY).toISOString() }, 422, 'VISIT_TIME_INVALID'],
      [{ visitedAt: new Date(Date.now() + DAY).toISOString() }, 422, 'VISIT_TIME_INVALID'],
      [{ photos: [othersPhoto] }, 422, 'PHOTO_UNKNOWN'],
      [{ needs: [{ kind: 'unicorns', description: '无' }] }, 400, 'VALIDATION_FAILED'],
      [{ visitedAt: '2026-02-30T10:00:00+08:00' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [extra, status, code] of cases) {
      const res = await w.gridA.request('POST', '/api/visits', { householdId: households[0], ...(extra as object) });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect([await count('visit'), await count('visitNeed'), await count('visitPhoto')]).toEqual(before);
  });

  it('lets only those who visit, in scope, record: another grid 404 (audited), a leader 403', async () => {
    const denied = (await audits('access.denied')).length;
    const other = await w.gridB.request('POST', '/api/visits', { householdId: households[0] });
    expect(other.statusCode).toBe(404);
    const leader = await w.leader.request('POST', '/api/visits', { householdId: households[0] });
    expect(leader.statusCode).toBe(403);
    const handler = await w.handler.request('POST', '/api/visits', { householdId: households[0] });
    expect(handler.statusCode).toBe(404);
    expect((await audits('access.denied')).length).toBe(denied + 3);
    const committee = await w.committee.request('POST', '/api/visits', { householdId: households[3] });
    expect(committee.statusCode, committee.body).toBe(201);
    await db.deleteFrom('visit').where('id', '=', committee.json().id).execute();
  });

  it('reads a visit in scope, audited as a read of the household naming its people; 404 outside', async () => {
    expect((await w.gridB.request('GET', `/api/visits/${visit.id}`)).statusCode).toBe(404);
    expect((await w.committeeOther.request('GET', `/api/visits/${visit.id}`)).statusCode).toBe(404);
    const res = await w.committee.request('GET', `/api/visits/${visit.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().findings).toContain('扶手');
    const reads = (await audits('archive.read')).filter((r) => r.data.household === households[0]);
    const last = reads.at(-1);
    expect(last?.data).toMatchObject({ via: 'household', fields: ['visits'] });
    expect(last?.data.people).toHaveLength(2);
    const list = await w.leader.request('GET', `/api/visits?householdId=${households[0]}`);
    expect(list.json().items.map((v: VisitView) => v.id)).toEqual([visit.id]);
  });

  it('turns a need into a survey case once, keeping the link; a second try makes no case', async () => {
    const category = await makeCategory(db);
    const need = visit.needs[0];
    const cases = await count('cases');
    const url = `/api/visits/${visit.id}/needs/${need?.id}/case`;
    const leader = await w.leader.request('POST', url, { categoryCode: category.code });
    expect(leader.statusCode).toBe(403);
    const res = await w.gridA.request('POST', url, { categoryCode: category.code, urgency: 'urgent' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.need).toMatchObject({ status: 'referred', open: true, case: { number: body.case.number } });
    const made = await db
      .selectFrom('cases')
      .select(['channel', 'urgency', 'address', 'description', 'reporterAccountId'])
      .where('id', '=', body.case.id)
      .executeTakeFirstOrThrow();
    expect(made).toMatchObject({ channel: 'survey', urgency: 'urgent', address: '梧桐路1弄1号101室' });
    expect(made.description).toContain('卫生间扶手松动');
    const again = await w.gridA.request('POST', url, { categoryCode: category.code });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('VISIT_NEED_NOT_OPEN');
    expect(await count('cases')).toBe(cases + 1);
    const unknown = await w.gridA.request('POST', `/api/visits/${visit.id}/needs/${visit.needs[1]?.id}/case`, {
      categoryCode: '0000',
    });
    expect(unknown.statusCode).toBe(422);
    expect(await count('cases')).toBe(cases + 1);
    expect((await audits('visit.need_referred')).at(-1)?.data).toEqual({ need: need?.id, case: body.case.id });
  });

  it('resolves a need once, with how it was met', async () => {
    const url = `/api/visits/${visit.id}/needs/${visit.needs[1]?.id}/resolve`;
    expect((await w.gridA.request('POST', url, { resolution: '好' })).statusCode).toBe(400);
    const res = await w.committee.request('POST', url, { resolution: '已联系社区食堂，下周起送餐' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'resolved', open: false, abilities: { refer: false, resolve: false } });
    const again = await w.gridA.request('POST', url, { resolution: '再次办结一次' });
    expect(again.json().error.code).toBe('VISIT_NEED_NOT_OPEN');
  });

  it('documents every visit route in the OpenAPI document, in English and Chinese', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/visits') || p.startsWith('/api/analysis'));
    expect(paths).toEqual(
      expect.arrayContaining(['/api/visits', '/api/visits/due', '/api/visits/coverage', '/api/analysis/monthly']),
    );
    for (const p of paths)
      for (const op of Object.values(doc.paths[p]) as { summary: string }[])
        expect(op.summary, p).toMatch(/[A-Za-z].* \/ .*[\u4e00-\u9fff]/);
  });

  describe('the half-year rule', () => {
    const today = beijingDay(new Date());
    let fiveMonthsAgo: Date;

    beforeAll(async () => {
      // H0 visited today (above); H1 seven months ago; H2 never; H3 five months ago; H4 (other community) never.
      await visitAt(households[1] as string, new Date(Date.now() - 213 * DAY), w.t.grids[0]);
      fiveMonthsAgo = new Date(Date.now() - 152 * DAY);
      await visitAt(households[3] as string, fiveMonthsAgo, w.t.grids[1]);
    });

    it('lists households by due: never visited first, then the longest unvisited', async () => {
      const res = await w.committee.request('GET', '/api/visits/due');
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { total: number; items: DueItemView[]; coveredSince: string };
      expect(page.items.map((i) => i.household.id)).toEqual([
        households[2],
        households[1],
        households[3],
        households[0],
      ]);
      expect(page.items.map((i) => i.overdue)).toEqual([true, true, false, false]);
      expect(page.items[0]).toMatchObject({ lastVisitedAt: null, dueOn: null, head: { name: '周建国' } });
      expect(page.items[2]?.dueOn).toBe(addMonths(beijingDay(fiveMonthsAgo), 6));
      expect(page.coveredSince).toBe(addMonths(today, -6));
      const overdue = await w.committee.request('GET', '/api/visits/due?overdue=true');
      expect(overdue.statusCode, overdue.body).toBe(200);
      expect(overdue.json().items.map((i: DueItemView) => i.household.id)).toEqual([households[2], households[1]]);
      expect(overdue.json().total).toBe(2);
      const mine = await w.gridA.request('GET', '/api/visits/due');
      expect(mine.statusCode, mine.body).toBe(200);
      expect(mine.json().items.map((i: DueItemView) => i.household.id)).toEqual([
        households[2],
        households[1],
        households[0],
      ]);
      const outside = await w.gridA.request('GET', `/api/visits/due?unitId=${w.unit(w.t.grids[1]).id}`);
      expect(outside.statusCode).toBe(404);
    });

    it('counts coverage per grid and committee: visited in six months / all households', async () => {
      const res = await w.admin.request('GET', `/api/visits/coverage?unitId=${w.unit(w.t.subdistrict).id}`);
      expect(res.statusCode, res.body).toBe(200);
      const c = res.json() as CoverageView;
      expect(c.total).toEqual({ households: 5, covered: 2, overdue: 3, neverVisited: 2, rate: 0.4 });
      const by = (rows: CoverageView['grids']) => Object.fromEntries(rows.map((r) => [r.unit.code, r]));
      expect(by(c.committees)[w.t.communities[0]]).toMatchObject({
        households: 4,
        covered: 2,
        neverVisited: 1,
        rate: 0.5,
      });
      expect(by(c.committees)[w.t.communities[1]]).toMatchObject({ households: 1, covered: 0, rate: 0 });
      expect(by(c.grids)[w.t.grids[0]]).toMatchObject({ households: 3, covered: 1, overdue: 2, rate: 0.3333 });
      expect(by(c.grids)[w.t.grids[1]]).toMatchObject({ households: 1, covered: 1, rate: 1 });
      // On the day after H1's visit seven months ago, only H1 was covered (later visits had not happened).
      const then = beijingDay(new Date(Date.now() - 212 * DAY));
      const past = (
        await w.admin.request('GET', `/api/visits/coverage?unitId=${w.unit(w.t.subdistrict).id}&day=${then}`)
      ).json();
      expect(past.total).toMatchObject({ households: 5, covered: 1, neverVisited: 4 });
      const future = await w.admin.request('GET', `/api/visits/coverage?day=${addMonths(today, 1)}`);
      expect(future.statusCode).toBe(400);
      const mine = (await w.gridA.request('GET', '/api/visits/coverage')).json() as CoverageView;
      expect(mine.total).toMatchObject({ households: 3, covered: 1 });
      expect((await w.dispatcher.request('GET', '/api/visits/coverage')).statusCode).toBe(404);
    });

    it('leaves a dissolved household out and refuses to visit it', async () => {
      await db
        .updateTable('household')
        .set({ dissolvedAt: new Date(Date.now() - DAY) })
        .where('id', '=', households[2] as string)
        .execute();
      const res = await w.gridA.request('POST', '/api/visits', { householdId: households[2] });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('VISIT_HOUSEHOLD_DISSOLVED');
      const due = (await w.gridA.request('GET', '/api/visits/due')).json();
      expect(due.items.map((i: DueItemView) => i.household.id)).not.toContain(households[2]);
      const c = (await w.gridA.request('GET', '/api/visits/coverage')).json() as CoverageView;
      expect(c.total.households).toBe(2);
    });
  });
});

/**
 * The synthetic archive in the database: every row marked synthetic, every ID number valid, every
 * living household with one head, relations written both ways, tags on the right types — written in
 * a few statements, and only once.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIdNumber } from '../../../common/id-number.js';
import { beijingDay, coveredSince, isNightTime } from '../../../common/visits.js';
import { loadGrants } from '../../accounts/actor.js';
import { reportCase } from '../../cases/commands/report-case.js';
import type { Db } from '../../db/database.js';
import { GridLocator } from '../../territory/placement.js';
import { createTestDatabase } from '../../test/harness.js';
import { DEMO_SUBDISTRICT_CODE, generateDemo } from '../demo-data.js';
import { seedDemo } from '../seed-demo.js';
import { seedDemoVisits } from './demo-visits.js';
import { householdRelations, seedArchive } from './seed-archive.js';

let db: Db;
const asOf = new Date('2026-11-22T04:00:00Z');

const count = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(db)).rows[0]?.n);

describe('seedArchive', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    await seedDemo(db, undefined, { historyCases: 0, archivePeople: 0 });
    const result = await seedArchive(db, {
      seed: 5,
      units: generateDemo().units,
      subdistrictCode: DEMO_SUBDISTRICT_CODE,
      people: 3_000,
      asOf,
    });
    expect(result).toMatchObject({ seeded: true });
    expect(result.people).toBeGreaterThan(2_900);
  });

  it('marks every row synthetic and places it in a grid of the demo', async () => {
    for (const table of ['person', 'household', 'building', 'dwelling', 'venue']) {
      const rows = await count(sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where not synthetic`);
      expect(rows, table).toBe(0);
      const placed = await count(sql<{ n: number }>`select count(*) as n from ${sql.table(table)} t
        join unit u on u.path = t.unit_path where u.level = 'grid'`);
      const all = await count(sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`);
      expect(placed, table).toBe(all);
      expect(all, table).toBeGreaterThan(0);
    }
  });

  it('stores ID numbers that pass the check, and names with their pinyin', async () => {
    const people = await db
      .selectFrom('person')
      .select(['idNumber', 'birthDate', 'gender', 'name', 'nameInitials'])
      .execute();
    for (const p of people) {
      expect(parseIdNumber(p.idNumber ?? '', '2026-11-22')).toMatchObject({
        ok: true,
        birthDate: p.birthDate,
        gender: p.gender,
      });
      expect(p.nameInitials).toMatch(/^[a-z]{2,4}$/);
    }
  });

  it('gives every living household exactly one head, and writes relations both ways', async () => {
    const headless = await count(sql<{ n: number }>`select count(*) as n from household h
      where h.dissolved_at is null and (select count(*) from household_member m
        where m.district = h.district and m.household_id = h.id and m.relation = 'head') <> 1`);
    expect(headless).toBe(0);
    const oneWay = await count(sql<{ n: number }>`select count(*) as n from person_relation r
      where not exists (select 1 from person_relation i where i.district = r.district
        and i.person_id = r.related_id and i.related_id = r.person_id)`);
    expect(oneWay).toBe(0);
    const spouses = await count(
      sql<{ n: number }>`select count(*) as n from person_relation where relation = 'spouse'`,
    );
    expect(spouses).toBeGreaterThan(100);
  });

  it('tags people and households with the built-in types, certified by the civil affairs bureau', async () => {
    const rows = await sql<{ code: string; n: number; sources: number }>`
      select t.code, count(*)::int as n, count(distinct x.source_department_id)::int as sources from (
        select tag_type_id, source_department_id from person_tag
        union all select tag_type_id, source_department_id from household_tag) x
      join tag_type t on t.id = x.tag_type_id group by t.code`.execute(db);
    const byCode = Object.fromEntries(rows.rows.map((r) => [r.code, r]));
    expect(byCode.elderly_alone?.n).toBeGreaterThan(10);
    expect(byCode.disability?.n).toBeGreaterThan(10);
    expect(rows.rows.every((r) => r.sources === 1)).toBe(true);
    const source = await db
      .selectFrom('personTag as t')
      .innerJoin('department as d', 'd.id', 't.sourceDepartmentId')
      .select('d.kind')
      .limit(1)
      .executeTakeFirst();
    expect(source?.kind).toBe('civil_affairs');
  });

  it('writes nothing the second time', async () => {
    const before = await count(sql<{ n: number }>`select count(*) as n from person`);
    const again = await seedArchive(db, {
      seed: 5,
      units: generateDemo().units,
      subdistrictCode: DEMO_SUBDISTRICT_CODE,
      people: 3_000,
      asOf,
    });
    expect(again.seeded).toBe(false);
    expect(await count(sql<{ n: number }>`select count(*) as n from person`)).toBe(before);
  });
});

describe('seedDemoVisits', () => {
  const end = new Date();
  let survey: { id: string; reporter: string };
  let result: Awaited<ReturnType<typeof seedDemoVisits>>;

  beforeAll(async () => {
    // A survey case of the history: reported by a grid worker at a building of their grid.
    const worker = await db
      .selectFrom('account')
      .select(['id', 'username', 'displayName'])
      .where('username', '=', 'gw01a')
      .executeTakeFirstOrThrow();
    const grants = await loadGrants(db, worker.id);
    const building = await db
      .selectFrom('building')
      .select(['lng', 'lat'])
      .where('unitPath', 'like', `${grants[0]?.unitPath}%`)
      .executeTakeFirstOrThrow();
    const category = await db
      .selectFrom('category')
      .select('code')
      .where('code', 'not like', '%00')
      .where('disabled', '=', false)
      .orderBy('code')
      .executeTakeFirstOrThrow();
    const c = await reportCase(
      {
        db,
        locator: new GridLocator(db),
        actor: { kind: 'staff', ...worker, mustChangePassword: false, grants },
        now: new Date(end.getTime() - 20 * 86_400_000),
      },
      {
        channel: 'survey',
        categoryCode: category.code,
        urgency: 'normal',
        description: '走访中发现楼道堆物',
        lng: building.lng ?? undefined,
        lat: building.lat ?? undefined,
        reporter: { kind: 'staff', accountId: worker.id },
      },
    );
    survey = { id: c.id, reporter: worker.id };
    result = await seedDemoVisits(db, { seed: 5, subdistrictCode: DEMO_SUBDISTRICT_CODE, end });
  });

  it('visits every grid, by its grid workers and committee staff only, some at night', async () => {
    expect(result.visits).toBeGreaterThan(500);
    const strays = await count(sql<{ n: number }>`select count(*) as n from visit v
      where not exists (select 1 from account_grant g where g.account_id = v.visitor_id
        and g.role in ('grid_worker', 'committee_staff') and v.unit_path like g.unit_path || '%')`);
    expect(strays).toBe(0);
    const nights = await db.selectFrom('visit').select('visitedAt').where('night', '=', true).execute();
    expect(nights.length).toBeGreaterThan(10);
    for (const n of nights) expect(isNightTime(n.visitedAt)).toBe(true);
    expect(
      await count(sql<{ n: number }>`select count(*) as n from visit where not synthetic or visited_at > now()`),
    ).toBe(0);
  });

  it('leaves some grids behind and some ahead, and every elderly person living alone visited', async () => {
    const since = coveredSince(beijingDay(end));
    const { rows } = await sql<{ rate: number }>`
      select avg(case when exists (select 1 from visit v where v.district = h.district and v.household_id = h.id
        and (v.visited_at + interval '8 hours')::date >= ${since}::date) then 1 else 0 end)::float as rate
      from household h where h.dissolved_at is null group by h.unit_path`.execute(db);
    const rates = rows.map((r) => r.rate);
    expect(Math.min(...rates)).toBeLessThan(0.75);
    expect(Math.max(...rates)).toBeGreaterThan(0.9);
    const lonelyUnvisited = await count(sql<{ n: number }>`select count(*) as n from person_tag t
      join tag_type tt on tt.id = t.tag_type_id and tt.code = 'elderly_alone'
      join household_member m on m.district = t.district and m.person_id = t.person_id
      join household h on h.district = m.district and h.id = m.household_id and h.dissolved_at is null
      where not exists (select 1 from visit v where v.district = h.district and v.household_id = h.id
        and (v.visited_at + interval '8 hours')::date >= ${since}::date)`);
    expect(lonelyUnvisited).toBe(0);
  });

  it('records needs, most of the old ones met, and links the survey case to the visit that found it', async () => {
    expect(result.needs).toBeGreaterThan(20);
    const badResolved = await count(sql<{ n: number }>`select count(*) as n from visit_need n join visit v
      on v.district = n.district and v.id = n.visit_id
      where n.status = 'resolved' and (n.resolution is null or n.resolved_at < v.visited_at)`);
    expect(badResolved).toBe(0);
    expect(result.referred).toBe(1);
    const link = await db
      .selectFrom('visitNeed as n')
      .innerJoin('visit as v', (j) => j.onRef('v.district', '=', 'n.district').onRef('v.id', '=', 'n.visitId'))
      .innerJoin('cases as c', (j) => j.onRef('c.district', '=', 'n.caseDistrict').onRef('c.id', '=', 'n.caseId'))
      .select(['n.status', 'v.visitorId', 'v.visitedAt', 'c.createdAt', 'v.unitId', 'c.unitId as caseUnit'])
      .where('n.caseId', '=', survey.id)
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({ status: 'referred', visitorId: survey.reporter });
    expect(link.visitedAt < link.createdAt).toBe(true);
    expect(link.unitId).toBe(link.caseUnit);
  });

  it('writes nothing the second time', async () => {
    const again = await seedDemoVisits(db, { seed: 5, subdistrictCode: DEMO_SUBDISTRICT_CODE, end });
    expect(again.visits).toBe(0);
    expect(await count(sql<{ n: number }>`select count(*) as n from visit`)).toBe(result.visits);
  });
});

describe('householdRelations', () => {
  it('links head, spouse, children, the head’s parents and grandchildren both ways', () => {
    const rel = householdRelations([
      { index: 0, relation: 'head', gender: 'male' },
      { index: 1, relation: 'spouse', gender: 'female' },
      { index: 2, relation: 'child', gender: 'female' },
      { index: 3, relation: 'parent', gender: 'male' },
      { index: 4, relation: 'parent', gender: 'female' },
    ]);
    const has = (a: number, b: number, r: string) => rel.some(([x, y, z]) => x === a && y === b && z === r);
    expect(has(0, 1, 'spouse') && has(1, 0, 'spouse')).toBe(true);
    expect(has(2, 0, 'parent') && has(0, 2, 'child') && has(2, 1, 'parent')).toBe(true);
    expect(has(0, 3, 'parent') && has(3, 0, 'child')).toBe(true);
    expect(has(3, 4, 'spouse')).toBe(true);
    expect(rel).toHaveLength(12);
  });
});

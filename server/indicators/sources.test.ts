/**
 * The monthly rollups (migration 0013) and the split of a period between them, the daily rollup and
 * the case rows (sources.ts): whatever rows are written, changed or deleted, every period, `now`
 * and grouping answers exactly what summing the daily rollup and counting the case rows answers.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { daysFromCivil, formatDay } from '../calendar/civil.js';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory, unitOf } from '../test/factories.js';
import { createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { FLOW_COUNTS } from './definitions.js';
import { type DayRange, dayStart, parsePeriod } from './period.js';
import { dueStatement, groupStatements, type Slice } from './query.js';
import { FLOW_SUMS, rangeFlows, snake, splitMonths } from './sources.js';

let db: Db;
let t: Territory;
const d = (y: number, m: number, day: number) => daysFromCivil(y, m, day);
const NIL = '00000000-0000-0000-0000-000000000000';
const COLUMNS = FLOW_COUNTS.map(snake);

function sliceOf(code: string, level: Slice['unit']['level']): Slice {
  const u = unitOf(t, code);
  return {
    unit: { id: u.id, code, name: code, level, path: u.path, district: u.district },
    districts: [u.district],
    department: null,
    category: null,
    channel: null,
  };
}

/** Periods of every shape, from a day to a year, whole months or not. */
const PERIODS: DayRange[] = [
  ...['2025-01-31', '2025-03-01', '2025-03-17'].map((date) => parsePeriod({ period: 'day', date })),
  ...['2025-03-03', '2025-03-31'].map((date) => parsePeriod({ period: 'week', date })),
  ...['2025-02-10', '2025-03-10', '2025-04-30', '2025-12-01'].map((date) => parsePeriod({ period: 'month', date })),
  parsePeriod({ period: 'quarter', date: '2025-02-01' }),
  parsePeriod({ period: 'year', date: '2025-06-01' }),
  { from: d(2025, 1, 15), to: d(2025, 4, 10) },
  { from: d(2025, 1, 15), to: d(2025, 3, 31) },
  { from: d(2025, 2, 1), to: d(2025, 3, 20) },
  { from: d(2024, 12, 1), to: d(2025, 5, 31) },
];

/** Instants the cohort is asked at: before, inside and after the data. */
const NOWS = [new Date('2025-03-17T10:00:00+08:00'), new Date('2025-04-01T00:00:00+08:00'), new Date()];

const naiveFlow = (slice: Slice, r: DayRange, group: boolean) => sql<Record<string, unknown>>`
  select ${group ? sql`split_part(unit_path, '.', ${sql.lit(slice.unit.path.split('.').length)}) as g, ` : sql``}${FLOW_SUMS}
  from indicator_day where unit_path like ${`${slice.unit.path}%`}
    and day between ${formatDay(r.from)}::date and ${formatDay(r.to)}::date
  ${group ? sql`group by 1 order by 1` : sql``}`;

const naiveDue = (slice: Slice, r: DayRange, now: Date, deferredLeave: boolean, group: boolean) => {
  const end = dayStart(r.to + 1);
  return sql<Record<string, unknown>>`
  select ${group ? sql`split_part(unit_path, '.', ${sql.lit(slice.unit.path.split('.').length)}) as g, ` : sql``}
    count(*)::int as due_for_closure, count(*) filter (where closed_at < ${end})::int as due_closed,
    count(*) filter (where closed_at < ${end} and closed_on_time)::int as due_closed_on_time
  from cases where unit_path like ${`${slice.unit.path}%`}
    and handle_due_at >= ${dayStart(r.from)} and handle_due_at < ${end < now ? end : now}
    ${deferredLeave ? sql`and coalesce((counters ->> 'deferred')::int, 0) = 0` : sql``}
  ${group ? sql`group by 1 order by 1` : sql``}`;
};

/** Every flow count of a row (missing ones 0), as numbers. */
const camel = (row: Record<string, unknown>) => Object.fromEntries(FLOW_COUNTS.map((c) => [c, Number(row[c] ?? 0)]));

/** Rows without their `p`, zero rows (a range with nothing) dropped, sorted. */
function norm(rows: Record<string, unknown>[]) {
  return rows
    .map(({ p: _p, ...rest }) => rest)
    .filter((r) => Object.entries(r).some(([k, v]) => k !== 'g' && Number(v) !== 0))
    .sort((a, b) => String(a.g).localeCompare(String(b.g)));
}

/** The monthly tables as the daily rollup and the cases say they must be (zero rows left out). */
async function rollupsAgree() {
  const sums = COLUMNS.map((c) => `sum(${c})::bigint as ${c}`).join(', ');
  const nonZero = COLUMNS.map((c) => `${c} <> 0`).join(' or ');
  const months = await sql
    .raw(`
    (select district, date_trunc('month', day)::date as month, indicator_rollup_path(unit_path), ${sums} from indicator_day group by 1, 2, 3
     except select district, month, unit_path, ${COLUMNS.map((c) => `${c}::bigint`).join(', ')} from indicator_month)
    union all
    (select district, month, unit_path, ${COLUMNS.map((c) => `${c}::bigint`).join(', ')} from indicator_month where ${nonZero}
     except select district, date_trunc('month', day)::date, indicator_rollup_path(unit_path), ${sums} from indicator_day group by 1, 2, 3)`)
    .execute(db);
  const month = (ts: string) => `date_trunc('month', (${ts} at time zone 'UTC') + interval '8 hours')::date`;
  const expected = `select district, ${month('handle_due_at')} as month, indicator_rollup_path(unit_path),
      case when closed_at is null then 'infinity'::date else greatest(${month('closed_at')}, ${month('handle_due_at')}) end as closed_month,
      coalesce((counters ->> 'deferred')::int, 0) > 0 as deferred,
      count(*)::int as cases, count(*) filter (where closed_at is not null and closed_on_time)::int as closed_on_time
    from cases where handle_due_at is not null group by 1, 2, 3, 4, 5`;
  const stored = `select district, month, unit_path, closed_month, deferred, cases, closed_on_time
    from indicator_due_month where cases <> 0 or closed_on_time <> 0`;
  const due = await sql.raw(`(${expected} except ${stored}) union all (${stored} except ${expected})`).execute(db);
  return { months: months.rows, due: due.rows };
}

describe('monthly rollups and the split of a period', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    t = await makeTerritory(db);
    const category = await makeCategory(db);
    const grids = t.grids.map((code) => unitOf(t, code));
    const ids = sql`${sql.val(grids.map((g) => g.id))}::uuid[]`;
    const paths = sql`${sql.val(grids.map((g) => g.path))}::text[]`;
    // Daily rows over 2024-12 … 2026-04, written twice (the second time adding through ON CONFLICT).
    for (const pass of [1, 2]) {
      await sql`
        insert into indicator_day (district, day, unit_id, unit_path, category_id, department_key, channel,
          ${sql.raw(COLUMNS.join(', '))})
        select ${t.units.get(t.grids[0])?.district}, date '2024-12-01' + (i * 37 % 500), g.id, g.path, ${category.id},
          ${NIL}::uuid, (array['patrol', 'hotline'])[1 + i % 2],
          ${sql.raw(COLUMNS.map((_, k) => `(i * ${k + 3} + ${pass}) % ${k + 4}`).join(', '))}
        from generate_series(1, 500) i
        join unnest(${ids}, ${paths}) with ordinality g(id, path, n) on g.n = 1 + i % 4
        on conflict (district, day, unit_id, unit_path, category_id, department_key, channel) do update set
          ${sql.raw(COLUMNS.map((c) => `${c} = indicator_day.${c} + excluded.${c}`).join(', '))}`.execute(db);
    }
    await sql`delete from indicator_day where day between date '2025-03-05' and date '2025-03-09'`.execute(db);

    // Cases with deadlines and closures around the months' edges; some open, some ever deferred.
    await sql`
      insert into cases (district, id, number, tracking_code, state, channel, category_id, title, description,
        unit_id, unit_path, reporter_kind, handle_due_at, closed_at, closed_on_time, counters)
      select ${grids[0]?.district}, gen_random_uuid(), 'T-' || i, 'UT' || lpad(i::text, 8, '0'), 'closed', 'patrol',
        ${category.id}, '测试', '测试', g.id, g.path, 'staff',
        case when i % 10 <> 0 then timestamptz '2024-12-01 00:00+08' + (i * 7919 % 600) * interval '13 hours' end,
        case when i % 4 <> 0 then timestamptz '2024-12-01 00:00+08' + (i * 7919 % 600) * interval '13 hours'
          + ((i % 9) - 4) * interval '2 days' end,
        i % 3 <> 0,
        case when i % 11 = 0 then '{"deferred": 1}' else '{}' end::jsonb
      from generate_series(1, 900) i
      join unnest(${ids}, ${paths}) with ordinality g(id, path, n) on g.n = 1 + i % 4`.execute(db);
    // Steps move deadlines (extensions), reopen and close cases, defer, re-place; some rows go.
    await sql`update cases set handle_due_at = handle_due_at + interval '9 days' where number like '%5'`.execute(db);
    await sql`update cases set closed_at = null where number like '%7'`.execute(db);
    await sql`update cases set closed_at = handle_due_at + interval '40 days' where closed_at is null and number like '%2'`.execute(
      db,
    );
    await sql`update cases set counters = '{"deferred": 2}' where number like '%13'`.execute(db);
    await sql`update cases set unit_id = ${grids[3]?.id}, unit_path = ${grids[3]?.path} where number like '%19'`.execute(
      db,
    );
    await sql`update cases set closed_on_time = not closed_on_time where number like '%8'`.execute(db);
    await sql`delete from cases where number like '%31'`.execute(db);
  });

  it('splits a range into whole months and the days around them', () => {
    expect(splitMonths({ from: d(2025, 3, 1), to: d(2025, 3, 31) })).toEqual({
      months: { from: d(2025, 3, 1), to: d(2025, 3, 1) },
      days: [],
    });
    expect(splitMonths({ from: d(2025, 1, 15), to: d(2025, 4, 10) })).toEqual({
      months: { from: d(2025, 2, 1), to: d(2025, 3, 1) },
      days: [
        { from: d(2025, 1, 15), to: d(2025, 1, 31) },
        { from: d(2025, 4, 1), to: d(2025, 4, 10) },
      ],
    });
    expect(splitMonths({ from: d(2024, 11, 1), to: d(2025, 1, 31) }).months).toEqual({
      from: d(2024, 11, 1),
      to: d(2025, 1, 1),
    });
    for (const r of [
      { from: d(2025, 3, 2), to: d(2025, 3, 31) },
      { from: d(2025, 3, 1), to: d(2025, 3, 30) },
      { from: d(2025, 1, 20), to: d(2025, 2, 10) },
    ])
      expect(splitMonths(r)).toEqual({ months: null, days: [r] });
  });

  it('rolls months up by community: a path is cut after its community, or kept whole above one', async () => {
    const cut = async (path: string) =>
      (await sql<{ p: string }>`select indicator_rollup_path(${path}) as p`.execute(db)).rows[0]?.p;
    const [city, district, sub, community] = ['310000000000', '310104000000', '310104090000', '310104090001'];
    expect(await cut(`${city}.${district}.${sub}.${community}.${community}001.`)).toBe(
      `${city}.${district}.${sub}.${community}.`,
    );
    expect(await cut(`${city}.${district}.${sub}.${community}.${community}900.${community}001.`)).toBe(
      `${city}.${district}.${sub}.${community}.`,
    );
    expect(await cut(`${city}.${district}.${sub}.${community}.`)).toBe(`${city}.${district}.${sub}.${community}.`);
    expect(await cut(`${city}.${district}.${sub}.`)).toBe(`${city}.${district}.${sub}.`);
    expect(await cut(`${city}.${district}.${sub}.310104090010.`)).toBe(`${city}.${district}.${sub}.310104090010.`);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from indicator_month`.execute(db);
    expect(rows[0]?.n).toBeGreaterThan(0);
    const paths = await sql<{ p: string }>`select distinct unit_path as p from indicator_month order by 1`.execute(db);
    expect(paths.rows.map((r) => r.p)).toEqual(t.communities.map((c) => unitOf(t, c).path).sort());
  });

  it('keeps the monthly tables equal to the daily rollup and the case rows through inserts, updates and deletes', async () => {
    const { months, due } = await rollupsAgree();
    expect(months).toEqual([]);
    expect(due).toEqual([]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from indicator_due_month`.execute(db);
    expect(rows[0]?.n).toBeGreaterThan(50);
  });

  it('answers every period, now and grouping as the daily rollup and the case rows do', async () => {
    let compared = 0;
    const slices = [
      sliceOf(t.subdistrict, 'subdistrict'),
      sliceOf(t.communities[0], 'community'),
      sliceOf(t.grids[1], 'grid'), // below the monthly tables' grain: the daily rollup and the cases
    ];
    for (const slice of slices) {
      for (const r of PERIODS) {
        // Flows of the period with its 环比 and 同比 in one statement, summed range by range.
        const ranges = [r, { from: r.from - 40, to: r.to - 40 }, { from: r.from - 365, to: r.to - 365 }];
        const flows = rangeFlows(slice, ranges);
        const sums = flows.sum((await flows.statement.execute(db)).rows);
        for (const [i, range] of ranges.entries()) {
          const [naive] = (await naiveFlow(slice, range, false).execute(db)).rows;
          expect(camel(sums[i] ?? {}), `${formatDay(range.from)}…${formatDay(range.to)}`).toEqual(camel(naive ?? {}));
        }
        for (const now of NOWS)
          for (const deferredLeave of [false, true]) {
            const label = `${formatDay(r.from)}…${formatDay(r.to)} at ${now.toISOString()} ${deferredLeave}`;
            const due = await dueStatement(slice, [r], now, deferredLeave).execute(db);
            expect(norm(due.rows), label).toEqual(
              norm((await naiveDue(slice, r, now, deferredLeave, false).execute(db)).rows),
            );
            const grouped = groupStatements(slice, r, 'units', now, deferredLeave);
            expect(norm((await grouped.due.execute(db)).rows), label).toEqual(
              norm((await naiveDue(slice, r, now, deferredLeave, true).execute(db)).rows),
            );
            compared += 1;
          }
        const grouped = groupStatements(slice, r, 'units', new Date(), false);
        expect(norm((await grouped.flow.execute(db)).rows)).toEqual(
          norm((await naiveFlow(slice, r, true).execute(db)).rows),
        );
      }
    }
    expect(compared).toBe(slices.length * PERIODS.length * NOWS.length * 2);
  }, 60_000);

  it('ranks every unit of a lower level under a unit (GET /api/indicators/ranking?level=)', async () => {
    const app = await createTestApp(db);
    const leader = await signIn(app, (await makeAccount(db, t, 'leader', t.district)).username, TEST_PASSWORD);
    const district = unitOf(t, t.district).id;
    const rank = (query: string) =>
      leader.request('GET', `/api/indicators/ranking?unitId=${district}&period=month&date=2025-03-01&${query}`);
    const reported = async (level: Slice['unit']['level']) => {
      const res = await rank(`level=${level}&by=closureRate`);
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as { unit: { code: string; level: string }; counts: { reported: number } }[];
      expect(items.every((i) => i.unit.level === level)).toBe(true);
      return Object.fromEntries(items.map((i) => [i.unit.code, i.counts.reported]));
    };
    const expected = async (segment: number) => {
      const { rows } = await sql<{ g: string; n: number }>`
        select split_part(unit_path, '.', ${sql.lit(segment)}) as g, sum(reported)::int as n from indicator_day
        where day between date '2025-03-01' and date '2025-03-31' group by 1`.execute(db);
      return Object.fromEntries(rows.map((r) => [r.g, r.n]));
    };
    // The district's only subdistrict, its two communities, its four grids (path segments 3, 4, 5).
    expect(await reported('subdistrict')).toEqual(await expected(3));
    expect(await reported('community')).toEqual(await expected(4));
    expect(await reported('grid')).toEqual(await expected(5));
    expect(Object.keys(await reported('grid')).sort()).toEqual([...t.grids].sort());
    for (const query of ['level=district', 'level=city', 'level=community&group=departments']) {
      const res = await rank(query);
      expect(res.statusCode, query).toBe(query === 'level=city' ? 400 : 422);
      if (res.statusCode === 422) expect(res.json().error.code).toBe('INDICATOR_LEVEL_INVALID');
    }
  });
});

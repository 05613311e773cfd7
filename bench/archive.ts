/**
 * Archive benchmark (issue 8: "archive | ID-number lookup and scoped name search with 1 M / 5 M / 25 M
 * people | primary-key lookup | p95 ≤ 5 ms / ≤ 50 ms"): at 1 M and 5 M people (25 M with
 * `--scale full`) in the indicator benchmark's city (16 districts, 200 subdistricts, 4,000
 * communities, 40,000 unit grids), how fast through the app (app.inject: session, scope, masking and
 * the archive.read audit row each request writes)
 * - the exact ID-number lookup answers (GET /api/archive/people?idNumber=…, a subdistrict's
 *   administrator finding a person of the subdistrict), target p95 ≤ 5 ms;
 * - a name search answers (GET /api/archive/people?q=<a full name>, and q=<its pinyin initials>) in a
 *   committee's scope (committee staff of one community: ~1/4,000 of the people) and in a
 *   subdistrict's (its administrator: 1/200), target p95 ≤ 50 ms;
 * beside a baseline measured in the same run, warmed the same way: the person's row by primary key
 * (district, id) straight from the pool; and the app's floor, GET /api/session by the same
 * administrator (the session and grants every request reads, no archive query).
 *
 * Before measuring, answers are checked: a lookup finds exactly the person with that number, a
 * lookup from another community finds nobody, and a search returns exactly the people of the scope
 * whose name contains the text (counted in SQL), none outside it.
 *
 * `npx gridloop bench archive [--scale small|medium|full]`: small 20,000 people in one district of 4
 * subdistricts (CI: checks answers and counts, not speed), medium 1 M then 5 M (default), full adds
 * 25 M. Its own embedded cluster in <os tmpdir>/gridloop-bench-bench-archive (or DATABASE_URL's
 * server), durable (fsync and synchronous commit on: every lookup's audit row waits for the disk), a fresh
 * database each run; people from bench/archive-people.ts.
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beijingToday } from '../common/id-number.js';
import type { Role } from '../common/roles.js';
import { loadGrants, SYSTEM_ACTOR } from '../server/accounts/actor.js';
import { createAccount } from '../server/accounts/commands/create-account.js';
import { build } from '../server/app.js';
import { loadArchiveAccess } from '../server/archive/archive.scope.js';
import { searchPeople } from '../server/archive/person.repository.js';
import { progressBar } from '../server/cli/output.js';
import { loadConfig } from '../server/config.js';
import type { Db } from '../server/db/database.js';
import { makeNamePool, writePeople } from './archive-people.js';
import { BENCH_PASSWORD, openBenchDatabase } from './database.js';
import { measure, type Scale, type Timing } from './indicators.js';
import { CITY, type CityShape, makeCity, readCity, TOWN } from './indicators-city.js';

const SIZES: Record<Scale, number[]> = {
  small: [20_000],
  medium: [1_000_000, 5_000_000],
  full: [1_000_000, 5_000_000, 25_000_000],
};
const TARGET = { lookupP95Ms: 5, searchP95Ms: 50 };
/** Samples per measure: a p95 of 1,000 requests moves less from run to run than one of 200. */
const SAMPLES: Record<Scale, number> = { small: 200, medium: 1_000, full: 1_000 };

interface Unit {
  id: string;
  code: string;
  path: string;
  district: string;
}

export interface ArchiveSizeResult {
  people: number;
  generationSeconds: number;
  /** Seconds to write a million people (indexes rebuilt included). */
  secondsPerMillion: number;
  steps: { write: number; index: number };
  rows: Record<string, number>;
  lookup: Timing;
  /** The same lookups as the data layer answers them (searchPeople in the admin's scope): no HTTP, session or audit. */
  lookupQuery: Timing;
  committeeSearch: Timing;
  subdistrictSearch: Timing;
  /** The same scopes searched by the pinyin initials of a full name (`q=zxd`: initials or full pinyin from the start). */
  committeeInitials: Timing;
  subdistrictInitials: Timing;
  primaryKey: Timing;
  /** The app's floor: GET /api/session by the same administrator (session, grants, no query of the archive). */
  session: Timing;
  /** People in the scopes searched, and the average number each search found. */
  scopes: { committeePeople: number; subdistrictPeople: number; committeeHits: number; subdistrictHits: number };
  lookupMet: boolean;
  searchMet: boolean;
  checked: string[];
  load: [number, number];
}

export interface ArchiveBenchResult {
  scale: Scale;
  city: { districts: number; subdistricts: number; communities: number; grids: number };
  sizes: ArchiveSizeResult[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

type Get = (url: string) => Promise<{ items: { id: string }[]; total: number }>;

/** A staff account with one grant, signed in through the app; answers its GET. */
async function staff(db: Db, app: FastifyInstance, username: string, role: Role, unit: Unit): Promise<Get> {
  const existing = await db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirst();
  if (!existing)
    await db.transaction().execute((trx) =>
      createAccount(
        trx,
        { actor: SYSTEM_ACTOR },
        {
          username,
          displayName: username,
          phone: null,
          password: BENCH_PASSWORD,
          mustChangePassword: false,
          grants: [{ role, unit, department: null, grantedBy: null }],
        },
      ),
    );
  const res = await app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { username, password: BENCH_PASSWORD },
  });
  const cookie = res.cookies.find((c) => c.name === 'gridloop_session');
  if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const headers = { cookie: `gridloop_session=${cookie.value}` };
  return async (url) => {
    const r = await app.inject({ method: 'GET', url, headers });
    if (r.statusCode !== 200) throw new Error(`${url} answered ${r.statusCode}: ${r.body}`);
    return r.json();
  };
}

/** The community and subdistrict searched: the first of the city, whatever the size. */
async function scopes(db: Db): Promise<{ community: Unit; subdistrict: Unit; other: Unit }> {
  const units = await db
    .selectFrom('unit')
    .select(['id', 'code', 'path', 'district', 'level'])
    .where('level', 'in', ['subdistrict', 'community'])
    .orderBy('code')
    .limit(60)
    .execute();
  const subdistrict = units.find((u) => u.level === 'subdistrict');
  const communities = units.filter((u) => u.level === 'community');
  const [community, other] = communities;
  if (!subdistrict || !community || !other) throw new Error('no city');
  return { subdistrict, community, other };
}

/**
 * `count` people of a scope, spread over it (by a hash of their id), with their ID number and name; a
 * scope with fewer people (a committee at 1 M holds 250) is gone through again.
 */
async function samplesOf(db: Db, unit: Unit, count = SAMPLES.small) {
  const { rows } = await sql<{ id: string; district: string; idNumber: string; name: string; nameInitials: string }>`
    select id, district, id_number, name, name_initials from person where unit_path like ${`${unit.path}%`}
    order by md5(id::text) limit ${count}`.execute(db);
  return rows.length === 0 ? rows : Array.from({ length: count }, (_, i) => rows[i % rows.length] as (typeof rows)[0]);
}

const encode = encodeURIComponent;

/** The checks that make the figures mean something; throws on the first that fails. */
async function check(
  db: Db,
  s: Awaited<ReturnType<typeof scopes>>,
  get: { admin: Get; committee: Get },
): Promise<{ checked: string[]; hits: [number, number] }> {
  const checked: string[] = [];
  const [target] = await samplesOf(db, s.community);
  const [stranger] = await samplesOf(db, s.other);
  if (!target || !stranger) throw new Error('no people to check');
  const found = await get.admin(`/api/archive/people?idNumber=${target.idNumber}`);
  if (found.total !== 1 || found.items[0]?.id !== target.id) throw new Error(`lookup of ${target.idNumber} failed`);
  checked.push('lookup finds the person');
  const none = await get.committee(`/api/archive/people?idNumber=${stranger.idNumber}`);
  if (none.total !== 0) throw new Error('a committee found a person of another community');
  checked.push('lookup outside the scope finds nobody');
  const hits: [number, number] = [0, 0];
  for (const [i, [who, unit]] of (
    [
      [get.committee, s.community],
      [get.admin, s.subdistrict],
    ] as const
  ).entries()) {
    const q = target.name;
    const page = await who(`/api/archive/people?q=${encode(q)}&pageSize=100`);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from person
      where unit_path like ${`${unit.path}%`} and name like ${`%${q}%`}`.execute(db);
    if (page.total !== rows[0]?.n) throw new Error(`search “${q}” in ${unit.code}: ${page.total} ≠ ${rows[0]?.n}`);
    const ids = page.items.map((p) => p.id);
    const { rows: outside } = await sql<{ n: number }>`select count(*)::int as n from person
      where id = any(${ids}::uuid[]) and unit_path not like ${`${unit.path}%`}`.execute(db);
    if ((outside[0]?.n ?? 1) !== 0) throw new Error(`search in ${unit.code} listed people outside it`);
    hits[i] = page.total;
  }
  checked.push('searches return exactly the people of the scope with the name');
  for (const [who, unit] of [
    [get.committee, s.community],
    [get.admin, s.subdistrict],
  ] as const) {
    const q = target.nameInitials;
    const page = await who(`/api/archive/people?q=${encode(q)}&pageSize=100`);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from person
      where unit_path like ${`${unit.path}%`} and (name_initials like ${`${q}%`} or name_pinyin like ${`${q}%`})`.execute(
      db,
    );
    if (page.total !== rows[0]?.n) throw new Error(`search “${q}” in ${unit.code}: ${page.total} ≠ ${rows[0]?.n}`);
  }
  checked.push('pinyin searches count exactly the people of the scope with those initials');
  return { checked, hits };
}

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*) from person)::int as people,
      round(pg_relation_size('person') / 1048576.0)::int as person_heap_mib,
      round(pg_indexes_size('person') / 1048576.0)::int as person_indexes_mib`.execute(db);
  return rows[0] ?? {};
}

/** The lookup below the HTTP layer: the admin's archive scope, then searchPeople as the route calls it. */
async function queryLookup(db: Db, username: string): Promise<(idNumber: string) => Promise<unknown>> {
  const account = await db
    .selectFrom('account')
    .select(['id', 'displayName'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  const grants = await loadGrants(db, account.id);
  const actor = {
    kind: 'staff',
    id: account.id,
    username,
    displayName: account.displayName,
    mustChangePassword: false,
    grants,
  } as const;
  const access = await loadArchiveAccess(db, actor);
  return (idNumber) => searchPeople(db, access, { idNumber }, { page: 1, pageSize: 20 }, beijingToday());
}

async function measureSize(
  db: Db,
  s: Awaited<ReturnType<typeof scopes>>,
  get: { admin: Get; committee: Get },
  samples: number,
) {
  const inSubdistrict = await samplesOf(db, s.subdistrict, samples);
  const lookupQuery = await queryLookup(db, 'benchadmin');
  const inCommunity = await samplesOf(db, s.community, samples);
  const avgHits = async (g: Get, names: string[]) => {
    let total = 0;
    for (const q of names) total += (await g(`/api/archive/people?q=${encode(q)}`)).total;
    return round(total / Math.max(1, names.length), 1);
  };
  return {
    lookup: await measure(inSubdistrict, (p) => get.admin(`/api/archive/people?idNumber=${p.idNumber}`)),
    lookupQuery: await measure(inSubdistrict, (p) => lookupQuery(p.idNumber)),
    committeeSearch: await measure(inCommunity, (p) => get.committee(`/api/archive/people?q=${encode(p.name)}`)),
    subdistrictSearch: await measure(inSubdistrict, (p) => get.admin(`/api/archive/people?q=${encode(p.name)}`)),
    committeeInitials: await measure(inCommunity, (p) => get.committee(`/api/archive/people?q=${p.nameInitials}`)),
    subdistrictInitials: await measure(inSubdistrict, (p) => get.admin(`/api/archive/people?q=${p.nameInitials}`)),
    primaryKey: await measure(inSubdistrict, (p) =>
      db.selectFrom('person').selectAll().where('district', '=', p.district).where('id', '=', p.id).executeTakeFirst(),
    ),
    session: await measure(inSubdistrict, () => get.admin('/api/session')),
    hits: {
      committeeHits: await avgHits(
        get.committee,
        inCommunity.slice(0, 20).map((p) => p.name),
      ),
      subdistrictHits: await avgHits(
        get.admin,
        inSubdistrict.slice(0, 20).map((p) => p.name),
      ),
    },
  };
}

async function peopleIn(db: Db, unit: Unit): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from person
    where unit_path like ${`${unit.path}%`}`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * `reuse` (`--reuse`): start from the people the last run left in its cluster — measure them again (e.g. the 5 M
 * of a `medium` run, after a change to the lookup or on a quieter machine), or write only the scale's larger sizes
 * on top of them (`--scale full`: 5 M → 25 M); the answers are checked again first.
 */
export async function runArchiveBench(options: { scale?: Scale; reuse?: boolean } = {}): Promise<ArchiveBenchResult> {
  const scale = options.scale ?? 'medium';
  const reuse = options.reuse ?? false;
  const shape: CityShape = scale === 'small' ? TOWN : CITY;
  // CI's small run has a cluster of its own: it must never drop the millions a full run left for --reuse.
  const dir = scale === 'small' ? 'bench-archive-small' : 'bench-archive';
  // Durable as production is: each lookup commits its audit row, and that commit waits for the disk.
  const { db, cluster } = await openBenchDatabase(dir, 'gridloop_bench_archive', 8, { keep: reuse, durable: true });
  let app: FastifyInstance | undefined;
  try {
    const now = new Date();
    const city = reuse ? await readCity(db, now) : await makeCity(db, shape, now);
    if (!reuse) await makeNamePool(db);
    const s = await scopes(db);
    app = await build({
      db,
      config: { ...loadConfig({}), logLevel: 'silent', mediaDir: join(tmpdir(), 'gridloop-bench-media') },
      logger: false,
    });
    const get = {
      admin: await staff(db, app, 'benchadmin', 'admin', s.subdistrict),
      committee: await staff(db, app, 'benchcommittee', 'committee_staff', s.community),
    };
    const sizes: ArchiveSizeResult[] = [];
    let written = reuse ? ((await rowCounts(db)).people ?? 0) : 0;
    // Reusing, the sizes of the scale above what is there are written on top of it (5 M → 25 M with --scale full).
    const larger = SIZES[scale].filter((size) => size > written);
    if (reuse && larger.length > 0) {
      // The helper tables are unlogged: a cluster that was not shut down cleanly comes back without their rows.
      const { rows: pool } = await sql<{ names: number }>`select count(*)::int as names from bench_name`.execute(db);
      if (!pool[0]?.names || city.grids === 0)
        throw new Error('the name pool or the grids are gone: run without --reuse');
    }
    for (const size of reuse ? (larger.length > 0 ? larger : [written]) : SIZES[scale]) {
      const label = `生成人员 people ${written.toLocaleString('en')} → ${size.toLocaleString('en')}`;
      const bar = progressBar(label);
      const started = performance.now();
      const steps =
        size > written
          ? await writePeople(db, city.grids, written, size, now, (done) => {
              bar(done, size - written);
              if (!process.stderr.isTTY) console.error(`${label}: ${done.toLocaleString('en')}`);
            })
          : { write: 0, index: 0 };
      const generationSeconds = round((performance.now() - started) / 1000, 1);
      const added = size - written;
      written = size;
      const rows = await rowCounts(db);
      console.log(
        `${size.toLocaleString('en')} people (+${added.toLocaleString('en')} in ${generationSeconds} s): ${JSON.stringify(rows)}`,
      );
      const { checked, hits } = await check(db, s, get);
      const loadBefore = round(loadavg()[0] ?? 0, 1);
      const t = await measureSize(db, s, get, SAMPLES[scale]);
      const result: ArchiveSizeResult = {
        people: size,
        generationSeconds,
        secondsPerMillion: added > 0 ? round(generationSeconds / (added / 1_000_000), 1) : 0,
        steps: { write: round(steps.write, 1), index: round(steps.index, 1) },
        rows,
        lookup: t.lookup,
        lookupQuery: t.lookupQuery,
        committeeSearch: t.committeeSearch,
        subdistrictSearch: t.subdistrictSearch,
        committeeInitials: t.committeeInitials,
        subdistrictInitials: t.subdistrictInitials,
        primaryKey: t.primaryKey,
        session: t.session,
        scopes: {
          committeePeople: await peopleIn(db, s.community),
          subdistrictPeople: await peopleIn(db, s.subdistrict),
          ...t.hits,
        },
        lookupMet: t.lookup.p95 <= TARGET.lookupP95Ms,
        searchMet:
          Math.max(
            t.committeeSearch.p95,
            t.subdistrictSearch.p95,
            t.committeeInitials.p95,
            t.subdistrictInitials.p95,
          ) <= TARGET.searchP95Ms,
        checked: [...checked, `first search found ${hits.join(' / ')}`],
        load: [loadBefore, round(loadavg()[0] ?? 0, 1)],
      };
      sizes.push(result);
      console.log(
        JSON.stringify({
          people: size,
          lookup: result.lookup,
          committee: result.committeeSearch,
          subdistrict: result.subdistrictSearch,
          pk: result.primaryKey,
        }),
      );
    }
    const { rows } = await sql<{
      communities: number;
    }>`select count(*)::int as communities from unit where level = 'community'`.execute(db);
    return {
      scale,
      city: {
        districts: shape.districts,
        subdistricts: shape.subdistricts,
        communities: rows[0]?.communities ?? 0,
        grids: city.grids,
      },
      sizes,
    };
  } finally {
    await app?.close();
    await db.destroy();
    await cluster?.stop();
  }
}

const ms = (t: Timing) => `${t.p50} / ${t.p95} / ${t.p99}`;
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length));

/** The table: each measure beside the primary-key baseline, PASS / MISS against the targets. */
export function printArchiveBench(result: ArchiveBenchResult): void {
  const head = ['people', 'measure', 'p50 / p95 / p99 ms', 'p95 ÷ PK p95', 'target'];
  const lines = [head];
  for (const s of result.sizes) {
    const n = s.people.toLocaleString('en');
    const ratio = (t: Timing) => `${round(t.p95 / s.primaryKey.p95, 1)}×`;
    lines.push([
      n,
      'ID-number lookup (subdistrict admin)',
      ms(s.lookup),
      ratio(s.lookup),
      `p95 ≤ ${TARGET.lookupP95Ms} ms ${s.lookupMet ? 'PASS' : 'MISS'}`,
    ]);
    lines.push([n, 'ID-number lookup, the query alone (searchPeople)', ms(s.lookupQuery), ratio(s.lookupQuery), '']);
    const searches: [string, Timing][] = [
      [`name search, committee (${s.scopes.committeePeople.toLocaleString('en')} people)`, s.committeeSearch],
      [`name search, subdistrict (${s.scopes.subdistrictPeople.toLocaleString('en')} people)`, s.subdistrictSearch],
      ['pinyin initials, committee', s.committeeInitials],
      ['pinyin initials, subdistrict', s.subdistrictInitials],
    ];
    for (const [label, t] of searches)
      lines.push([
        n,
        label,
        ms(t),
        ratio(t),
        `p95 ≤ ${TARGET.searchP95Ms} ms ${t.p95 <= TARGET.searchP95Ms ? 'PASS' : 'MISS'}`,
      ]);
    lines.push([n, 'baseline: row by primary key (SQL)', ms(s.primaryKey), '1×', '']);
    lines.push([n, 'floor: GET /api/session (same admin: session and grants)', ms(s.session), ratio(s.session), '']);
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => [...(l[i] ?? '')].length)));
  for (const l of lines) console.log(l.map((c, i) => pad(c, widths[i] ?? 0)).join('  '));
  for (const s of result.sizes)
    console.log(
      `${s.people.toLocaleString('en')} people: +${s.generationSeconds} s (${s.secondsPerMillion} s per million: write ${s.steps.write} s, indexes ${s.steps.index} s); load ${s.load.join(' → ')}; rows ${JSON.stringify(s.rows)}; hits per search ${s.scopes.committeeHits} / ${s.scopes.subdistrictHits}; checked: ${s.checked.join(', ')}`,
    );
}

/**
 * Issue 9, point 4: every route of the OpenAPI document fuzzed from its own schemas, through
 * `app.inject()` on the real database. Per route, a batch of invalid requests (one thing broken each:
 * a path parameter, a query parameter, the body, its JSON or its content type) and a batch of valid
 * ones, each from a random actor (anonymous, resident, machine key, every staff role). Checked on
 * every answer: no 5xx, no stack trace or SQL, every refusal the catalogue's coded body; invalid
 * requests are refused with a 4xx and change no row of any table (row count and `xmin` sum per
 * table, before and after the batch).
 *
 * A failure names the route and actor and prints fast-check's seed and path (the seed is FUZZ_SEED
 * plus the route's index, plus 10,000 for the valid batch): pass both to `fc.assert` to replay it, or
 * set FUZZ_SEED to move the whole run. FUZZ_RUNS sets the requests per route and batch. The run's log
 * (the served logger options, into memory) is checked for personal data at the end.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { createTestDatabase } from '../test/harness.js';
import { type FuzzRequest, invalidRequests, type KnownValues, validRequests } from './fuzz-requests.js';
import { createLoggedApp, foundIn, type LoggedApp } from './log-capture.js';
import { answerProblems } from './response-checks.js';
import { type ApiRoute, apiRoutes } from './route-table.js';
import { makeWorld, PLACES, secretsFor, type World } from './security-world.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
/** Requests per route in each batch (invalid, valid): 28 × (171 invalid + 205 valid batches) ≈ 10,500 a run. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 28);

/** Routes whose answers end the asker's session: fuzzed last, so the other routes keep their actors. */
const LAST = new Set(['DELETE /api/session', 'DELETE /api/resident/session']);

let db: Db;
let app: FastifyInstance;
let logged: LoggedApp;
let world: World;
let routes: ApiRoute[];
let known: KnownValues;
let sent = 0;
const statuses = new Map<number, number>();

/** Row count and the sum of row versions (xmin) of every table: any insert, update or delete moves it. */
async function fingerprint(): Promise<Map<string, string>> {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' order by 1`.execute(db);
  const parts = tables.rows.map(
    (t) =>
      `select '${t.name}' as name, count(*)::text || ':' || coalesce(sum(xmin::text::bigint), 0)::text as print from "${t.name}"`,
  );
  const result = await sql<{ name: string; print: string }>`${sql.raw(parts.join(' union all '))}`.execute(db);
  return new Map(result.rows.map((r) => [r.name, r.print]));
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([name, print]) => before.get(name) !== print).map(([name]) => name);
}

async function send(request: FuzzRequest) {
  sent += 1;
  const res = await world.send(request.actor, request.method, request.url, {
    headers: request.headers,
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  });
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  return res;
}

function check(route: ApiRoute, request: FuzzRequest, res: Awaited<ReturnType<typeof send>>) {
  const problems = answerProblems(
    res,
    request.url,
    secretsFor(world, request.actor, `${request.url} ${request.payload ?? ''}`),
  );
  if (request.kind === 'invalid' && (res.statusCode < 400 || res.statusCode >= 500))
    problems.push(`invalid request (${request.broken}) answered ${res.statusCode}`);
  if (problems.length)
    throw new Error(
      `${route.key} as ${request.actor}: ${problems.join('; ')}\n${res.statusCode} ${res.body.slice(0, 300)}`,
    );
}

function report(kind: string, started: number, routesCovered: number) {
  const seconds = (Date.now() - started) / 1000;
  console.info(
    `fuzz (${kind}): ${sent} requests so far, ${routesCovered} routes in ${seconds.toFixed(1)} s, seed ${SEED}; ` +
      `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
  );
}

async function fuzz(route: ApiRoute, index: number, arbitrary: fc.Arbitrary<FuzzRequest>) {
  const seed = SEED + index;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (request) => check(route, request, await send(request))),
    { seed, numRuns: RUNS, endOnFailure: false },
  );
}

describe('fuzzing every route from its schema', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    // Logged like the served app (into memory), so the run's log can be checked for personal data.
    logged = await createLoggedApp(db, 'info');
    app = logged.app;
    world = await makeWorld(db, app);
    routes = apiRoutes(app).sort((x, y) => Number(LAST.has(x.key)) - Number(LAST.has(y.key)));
    known = {
      // Records of every place, but never the actors' own accounts (a PATCH could disable one).
      ids: [
        ...PLACES.flatMap((p) => [
          world.cases[p].id,
          world.people[p],
          world.households[p],
          world.units[p],
          world.accounts[p].id,
          world.accounts[p].grantId,
        ]),
        world.departments.a.id,
        world.departments.b.id,
      ],
      trackingCodes: PLACES.map((p) => world.cases[p].trackingCode),
      numbers: PLACES.map((p) => world.cases[p].number),
      categoryCodes: [world.category.code],
    };
  });

  it('refuses every invalid request with a coded 4xx and writes nothing', async () => {
    const started = Date.now();
    const before = await fingerprint();
    let batches = 0;
    for (const [index, route] of routes.entries()) {
      const invalid = invalidRequests(route, known);
      if (!invalid) continue;
      batches += 1;
      // FUZZ_TRACE=1 checks the tables after each route, to name the one that wrote.
      const routeBefore = process.env.FUZZ_TRACE ? await fingerprint() : undefined;
      await fuzz(route, index, invalid);
      if (routeBefore) expect(changed(routeBefore, await fingerprint()), `${route.key} wrote`).toEqual([]);
    }
    expect(
      changed(before, await fingerprint()),
      'tables written by invalid requests (FUZZ_TRACE=1 names the route)',
    ).toEqual([]);
    report('invalid', started, batches);
  }, 600_000);

  it('answers every valid request (odd text included) without a 5xx, internals or an uncoded refusal', async () => {
    const started = Date.now();
    for (const [index, route] of routes.entries()) await fuzz(route, index + 10_000, validRequests(route, known));
    report('valid', started, routes.length);
    expect(routes.length).toBeGreaterThan(150);
    // The run's log: written, and without the world's personal data or tracking codes.
    expect(logged.lines.length).toBeGreaterThan(sent);
    const secrets = [...world.personalData, ...PLACES.map((p) => world.cases[p].trackingCode)];
    expect(foundIn(logged.lines, secrets), 'personal data in the log').toEqual([]);
    // Both batches together: at least 10,000 requests a run.
    expect(sent).toBeGreaterThanOrEqual(RUNS === 28 ? 10_000 : 0);
  }, 600_000);
});

/**
 * Issue 9, point 5: the permission matrix, generated from the route table. Every route of the OpenAPI
 * document × every actor (anonymous, resident, machine key, and each staff role at the unit it usually
 * holds) × where the record lies (in every actor's scope, outside the community-level actors' scope,
 * in another district), compared with the expected answer written down in permission-matrix.table.ts.
 * A route without a row fails, and so does a row without a route.
 *
 * On every answer, besides its class: no 5xx, no internals, refusals coded, and no identifier or
 * personal data of a record outside the actor's reach (REACH in security-world.ts) anywhere in it.
 *
 * MATRIX_PRINT=1 prints the observed table (to review and paste after a deliberate change).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { answerClass, isPlaced, matrixRequest } from './matrix-requests.js';
import { EXPECTED } from './permission-matrix.table.js';
import { answerProblems } from './response-checks.js';
import { type ApiRoute, apiRoutes } from './route-table.js';
import { ACTORS, makeWorld, PLACES, type Place, secretsFor, type World } from './security-world.js';

/** Routes that end the asker's session: asked last. */
const LAST = new Set(['DELETE /api/session', 'DELETE /api/resident/session']);

let db: Db;
let app: FastifyInstance;
let world: World;
let routes: ApiRoute[];

describe('the permission matrix', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    world = await makeWorld(db, app);
    routes = apiRoutes(app).sort((x, y) => Number(LAST.has(x.key)) - Number(LAST.has(y.key)));
  });

  it('has exactly one row per route of the API', () => {
    const keys = routes.map((r) => r.key);
    expect(
      keys.filter((k) => !(k in EXPECTED)),
      'routes without a row in permission-matrix.table.ts',
    ).toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((k) => !keys.includes(k)),
      'rows without a route',
    ).toEqual([]);
  });

  it('answers every route × actor × place as the table says, leaking nothing', async () => {
    const started = Date.now();
    const observed: Record<string, string> = {};
    const problems: string[] = [];
    let cells = 0;
    for (const route of routes) {
      const places: readonly Place[] = isPlaced(world, route) ? PLACES : ['inScope'];
      const groups: string[] = [];
      for (const place of places) {
        const request = matrixRequest(world, route, place);
        let group = '';
        for (const actor of ACTORS) {
          // Each cell from an address of its own: per-address rate limits would make a cell depend on
          // how many came before it within the minute.
          const remoteAddress = `10.${(cells >> 16) & 255}.${(cells >> 8) & 255}.${cells & 255}`;
          const res: LightMyRequestResponse = await world.send(actor, request.method, request.url, {
            ...request,
            remoteAddress,
          });
          cells += 1;
          group += answerClass(res.statusCode);
          const secrets = secretsFor(world, actor, `${request.url} ${request.payload ?? ''}`);
          for (const p of answerProblems(res, request.url, secrets))
            problems.push(`${route.key} ${place} as ${actor}: ${p} — ${res.body.slice(0, 200)}`);
        }
        groups.push(group);
      }
      observed[route.key] = groups.join(' ');
    }
    if (process.env.MATRIX_PRINT) {
      const rows = Object.entries(observed).map(([key, value]) => `  '${key}': '${value}',`);
      console.info(`export const EXPECTED: Record<string, string> = {\n${rows.join('\n')}\n};`);
    }
    console.info(
      `permission matrix: ${routes.length} routes, ${cells} cells in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(problems).toEqual([]);
    const differing = Object.entries(observed)
      .filter(([key, value]) => EXPECTED[key] !== undefined && EXPECTED[key] !== value)
      .map(([key, value]) => `${key}: expected ${EXPECTED[key]}, got ${value}`);
    expect(differing).toEqual([]);
  }, 600_000);
});

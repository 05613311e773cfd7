/**
 * The one request the permission matrix sends for a route at a place: path parameters naming the
 * world's record of that place (a case, a person, a household, a unit, an account), `unitId` /
 * `caseId` in the query or body pointing there too, everything else a fixed sample of the schema.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { type ApiRoute, fillPath, type JsonSchema } from './route-table.js';
import { validValue } from './schema-arbitrary.js';
import type { Place, World } from './security-world.js';

export interface MatrixRequest {
  method: string;
  url: string;
  payload?: string;
  headers: Record<string, string>;
}

/** The world's record a path parameter names, by the route's path (undefined: not a placed record). */
function placedParam(world: World, route: ApiRoute, name: string, place: Place): string | undefined {
  const path = route.path;
  const record = (prefix: string) => path.startsWith(prefix) && path.indexOf(`{${name}}`) === prefix.length;
  if (record('/api/cases/') && name === 'id') return world.cases[place].id;
  if (record('/api/public/cases/') && name === 'trackingCode') return world.cases[place].trackingCode;
  if (record('/api/public/cases/') && name === 'number') return world.cases[place].number;
  if (record('/api/archive/people/') && name === 'id') return world.people[place];
  if (record('/api/archive/households/') && name === 'id') return world.households[place];
  if (record('/api/units/') && name === 'id') return world.units[place];
  if (record('/api/accounts/') && name === 'id') return world.accounts[place].id;
  if (path.startsWith('/api/accounts/{id}/grants/') && name === 'grantId') return world.accounts[place].grantId;
  return undefined;
}

/** A fixed sample of a schema: the same value every run for the same route. */
function sample(schema: JsonSchema, key: string, name?: string): unknown {
  const seed = createHash('sha256').update(key).digest().readInt32LE(0);
  return fc.sample(validValue(schema, false, 0, name), { seed, numRuns: 1 })[0];
}

const queryText = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** True when the route's request differs by place (a placed record in its path, query or body). */
export function isPlaced(world: World, route: ApiRoute): boolean {
  const body = route.bodies['application/json']?.properties ?? {};
  return (
    route.pathParams.some((p) => placedParam(world, route, p.name, 'inScope') !== undefined) ||
    route.query.some((q) => q.name === 'unitId' || q.name === 'caseId') ||
    'unitId' in body ||
    'caseId' in body
  );
}

export function matrixRequest(world: World, route: ApiRoute, place: Place): MatrixRequest {
  const params: Record<string, string> = {};
  for (const p of route.pathParams)
    params[p.name] =
      placedParam(world, route, p.name, place) ?? String(sample(p.schema, `${route.key} ${p.name}`, p.name));
  const placedValue = (name: string) =>
    name === 'unitId' ? world.units[place] : name === 'caseId' ? world.cases[place].id : undefined;
  const search = new URLSearchParams();
  for (const q of route.query) {
    const placed = placedValue(q.name);
    if (placed) search.set(q.name, placed);
    else if (q.required) search.set(q.name, queryText(sample(q.schema, `${route.key} ?${q.name}`, q.name)));
  }
  const request: MatrixRequest = {
    method: route.method,
    url: fillPath(route, params) + (search.size ? `?${search}` : ''),
    headers: {},
  };
  const jsonSchema = route.bodies['application/json'];
  if (jsonSchema) {
    const body = sample(jsonSchema, route.key);
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const name of ['unitId', 'caseId']) {
        const placed = placedValue(name);
        if (name in (jsonSchema.properties ?? {}) && placed) (body as Record<string, unknown>)[name] = placed;
      }
    }
    request.payload = JSON.stringify(body);
    request.headers['content-type'] = 'application/json';
  }
  return request;
}

/**
 * One character per answer. a = past authorization: answered (2xx) or the sample's content refused
 * (400, 409, 413, 415, 422, 423 — which of them may change with the date or the state, the class
 * does not); u = 401; f = 403; n = 404; r = 429; x = 5xx.
 */
export function answerClass(status: number): string {
  if (status === 401) return 'u';
  if (status === 403) return 'f';
  if (status === 404) return 'n';
  if (status === 429) return 'r';
  if (status >= 200 && status < 500) return 'a';
  return 'x';
}

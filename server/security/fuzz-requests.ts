/**
 * Requests generated from a route's schemas: `valid` ones the schemas accept (free text sometimes
 * odd: NUL bytes, lone surrogates, SQL look-alikes), and `invalid` ones with exactly one thing the
 * schemas must refuse — a path parameter, a query parameter, the body or its content type.
 */
import fc from 'fast-check';
import { type ApiParameter, type ApiRoute, fillPath, type JsonSchema } from './route-table.js';
import { deepJson, invalidValue, validValue } from './schema-arbitrary.js';
import type { ActorName } from './security-world.js';

export interface FuzzRequest {
  kind: 'valid' | 'invalid';
  /** What was made invalid (for the failure message). */
  broken?: string;
  actor: ActorName;
  method: string;
  url: string;
  payload?: string;
  headers: Record<string, string>;
}

/** Known records to put in path parameters, so generated requests reach past the lookups. */
export interface KnownValues {
  ids: readonly string[];
  trackingCodes: readonly string[];
  numbers: readonly string[];
  categoryCodes: readonly string[];
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

function paramValue(param: ApiParameter, known: KnownValues): fc.Arbitrary<string> {
  const generated = validValue(param.schema, false, 0, param.name).map(String);
  const pool =
    param.schema.format === 'uuid'
      ? known.ids
      : param.name === 'trackingCode'
        ? known.trackingCodes
        : param.name === 'number'
          ? known.numbers
          : param.name === 'code' || param.name === 'service_code'
            ? known.categoryCodes
            : [];
  return pool.length ? fc.oneof(fc.constantFrom(...pool), generated) : generated;
}

/** A path parameter no route may take: not a uuid, a traversal, a NUL byte, a long run. */
const badPathValue = (schema: JsonSchema): fc.Arbitrary<string> =>
  fc
    .constantFrom('not-a-uuid', '../../etc/passwd', '\u0000', "1' or '1'='1", 'x'.repeat(3000), '%', '😀', '-1')
    .filter((v) => !(schema.pattern && new RegExp(schema.pattern).test(v)) && !schema.enum?.includes(v));

/** A query value the schema refuses, as text (queries are strings until coerced). */
function badQueryValue(schema: JsonSchema): fc.Arbitrary<string | string[]> | undefined {
  const type = Array.isArray(schema.type) ? undefined : schema.type;
  const options: fc.Arbitrary<string | string[]>[] = [];
  if (schema.enum) options.push(fc.constantFrom('__not_a_choice__', `${String(schema.enum[0])} `));
  if (schema.format === 'uuid') options.push(fc.constantFrom('not-a-uuid', "' or 1=1 --"));
  if (type === 'number' || type === 'integer') {
    options.push(fc.constantFrom('abc', 'NaN', '1e999', '0x'));
    if (schema.maximum !== undefined) options.push(fc.constant(String(schema.maximum + 1)));
    if (schema.minimum !== undefined) options.push(fc.constant(String(schema.minimum - 1)));
  }
  if (type === 'string' && !schema.enum && !schema.format) {
    if (schema.maxLength !== undefined) options.push(fc.constant('长'.repeat(schema.maxLength + 1)));
    const pattern = schema.pattern ? new RegExp(schema.pattern) : undefined;
    if (pattern) options.push(fc.constantFrom('\u0000', 'x y', '../..').filter((v) => !pattern.test(v)));
  }
  // The same scalar parameter twice: the parser makes an array, which no scalar schema takes.
  if (type && type !== 'array' && !schema.anyOf && (schema.enum || schema.format || type !== 'string'))
    options.push(validValue(schema, false).map((v) => [String(v), String(v)]));
  return options.length ? fc.oneof(...options) : undefined;
}

function queryString(entries: [string, string | string[]][]): string {
  const search = new URLSearchParams();
  for (const [name, value] of entries) for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  const text = search.toString();
  return text ? `?${text}` : '';
}

const validQuery = (route: ApiRoute): fc.Arbitrary<[string, string | string[]][]> =>
  fc
    .tuple(
      ...route.query.map((p) =>
        p.required
          ? validValue(p.schema, true, 0, p.name).map((v) => [p.name, queryText(v)] as [string, string | string[]])
          : fc.option(
              validValue(p.schema, true, 0, p.name).map((v) => [p.name, queryText(v)] as [string, string | string[]]),
              { nil: undefined, freq: 2 },
            ),
      ),
    )
    .map((entries) => entries.filter((e): e is [string, string | string[]] => e !== undefined));

const queryText = (v: unknown): string | string[] =>
  Array.isArray(v) ? v.map((x) => String(x)) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);

/** The body of a content type as the wire carries it. */
function encodeBody(type: string, value: unknown): string {
  if (type === FORM_TYPE && value && typeof value === 'object') {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(value)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    return form.toString();
  }
  return JSON.stringify(value) ?? 'null';
}

interface Parts {
  params: Record<string, string>;
  query: [string, string | string[]][];
  body?: { type: string; text: string };
  headers: Record<string, string>;
}

function validParts(route: ApiRoute, known: KnownValues): fc.Arbitrary<Parts> {
  const params = fc.record(Object.fromEntries(route.pathParams.map((p) => [p.name, paramValue(p, known)])));
  const bodyTypes = Object.keys(route.bodies).filter((t) => t === JSON_TYPE || t === FORM_TYPE);
  const body = bodyTypes.length
    ? fc
        .constantFrom(...bodyTypes)
        .chain((type) => validValue(route.bodies[type] ?? {}).map((v) => ({ type, text: encodeBody(type, v) })))
    : fc.constant(undefined);
  const headers = fc.record(
    // Header values stay printable ASCII: anything else is refused by HTTP itself, before Gridloop.
    Object.fromEntries(route.headers.map((h) => [h.name, fc.stringMatching(/^[A-Za-z0-9._-]{1,60}$/)])),
    { requiredKeys: [] },
  );
  return fc.record({ params, query: validQuery(route), body, headers }).map((p) => {
    const parts: Parts = { params: p.params, query: p.query, headers: p.headers as Record<string, string> };
    if (p.body) parts.body = p.body;
    return parts;
  });
}

/** One way to break a request, each guaranteed to be refused by the route's schemas. */
function breakers(route: ApiRoute): fc.Arbitrary<(p: Parts) => Parts & { broken: string }>[] {
  const out: fc.Arbitrary<(p: Parts) => Parts & { broken: string }>[] = [];
  for (const param of route.pathParams) {
    if (param.schema.format !== 'uuid' && !param.schema.enum && !param.schema.pattern) continue;
    out.push(
      badPathValue(param.schema).map((bad) => (p: Parts) => ({
        ...p,
        params: { ...p.params, [param.name]: bad },
        broken: `path ${param.name}`,
      })),
    );
  }
  for (const param of route.query) {
    const bad = badQueryValue(param.schema);
    if (!bad) continue;
    out.push(
      bad.map((value) => (p: Parts) => ({
        ...p,
        query: [...p.query.filter(([n]) => n !== param.name), [param.name, value]],
        broken: `query ${param.name}`,
      })),
    );
  }
  const jsonSchema = route.bodies[JSON_TYPE];
  if (jsonSchema) {
    const bad = invalidValue(jsonSchema);
    const body = (text: string, type = JSON_TYPE) => ({ type, text });
    const bodies: fc.Arbitrary<{ type: string; text: string; broken: string }>[] = [
      fc
        .constantFrom('{"a":', '{,}', "{'a':1}", '\u0000', '[1,]', '{"a":1}}')
        .map((t) => ({ ...body(t), broken: 'malformed JSON' })),
      deepJson.map((t) => ({ ...body(t), broken: 'deep JSON' })),
      fc.constantFrom('text/plain', 'application/xml', 'application/json-patch+json; charset=utf-7').map((type) => ({
        ...body('{}', type),
        broken: `content type ${type}`,
      })),
    ];
    if (bad) bodies.push(bad.map((v) => ({ ...body(JSON.stringify(v) ?? 'null'), broken: 'body' })));
    if (route.bodyRequired) bodies.push(fc.constant({ ...body(''), broken: 'empty body' }));
    out.push(
      fc.oneof(...bodies).map((b) => (p: Parts) => ({ ...p, body: { type: b.type, text: b.text }, broken: b.broken })),
    );
  }
  return out;
}

/** Every actor asks; the widest-reaching ones more often, so more requests get past authorization. */
const WEIGHTS: Record<ActorName, number> = {
  anonymous: 2,
  resident: 1,
  machine: 1,
  cityAdmin: 4,
  districtAdmin: 1,
  admin: 2,
  leader: 1,
  supervisor: 1,
  dispatcher: 2,
  handler: 1,
  committee: 1,
  gridWorker: 2,
};
const anyActor = fc.oneof(
  ...Object.entries(WEIGHTS).map(([actor, weight]) => ({ arbitrary: fc.constant(actor as ActorName), weight })),
);

/** Invalid requests only (the write check runs on batches of these); undefined when none can be made. */
export function invalidRequests(route: ApiRoute, known: KnownValues): fc.Arbitrary<FuzzRequest> | undefined {
  const ways = breakers(route);
  if (ways.length === 0) return undefined;
  return fc
    .tuple(anyActor, validParts(route, known), fc.oneof(...ways))
    .map(([a, p, breakIt]) => toRequest(route, a, 'invalid', breakIt(p)));
}

/** Valid requests only. */
export const validRequests = (route: ApiRoute, known: KnownValues): fc.Arbitrary<FuzzRequest> =>
  fc.tuple(anyActor, validParts(route, known)).map(([a, p]) => toRequest(route, a, 'valid', p));

function toRequest(route: ApiRoute, actor: ActorName, kind: FuzzRequest['kind'], parts: Parts & { broken?: string }) {
  const request: FuzzRequest = {
    kind,
    actor,
    method: route.method,
    url: fillPath(route, parts.params) + queryString(parts.query),
    headers: { ...parts.headers },
  };
  if (parts.broken) request.broken = parts.broken;
  if (parts.body) {
    request.payload = parts.body.text;
    request.headers['content-type'] = parts.body.type;
  }
  return request;
}

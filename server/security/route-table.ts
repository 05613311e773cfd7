/**
 * The route table as the running app publishes it: every operation of the OpenAPI document that
 * `@fastify/swagger` builds from the routes' zod schemas. The fuzzer and the permission matrix both
 * iterate over it, so a route added later is fuzzed and must have a row in the matrix.
 */
import type { FastifyInstance } from 'fastify';

/** A JSON Schema node as zod's OpenAPI transform writes it (only the keywords we read). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiParameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface ApiRoute {
  /** `METHOD /path/{param}`: the key of the permission matrix. */
  key: string;
  method: HttpMethod;
  /** OpenAPI path, parameters in braces (`/api/cases/{id}`). */
  path: string;
  pathParams: ApiParameter[];
  query: ApiParameter[];
  headers: ApiParameter[];
  /** Content type → body schema; empty when the route takes no body. */
  bodies: Record<string, JsonSchema>;
  bodyRequired: boolean;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every API operation of the app (it must be ready), in the document's order. */
export function apiRoutes(app: FastifyInstance): ApiRoute[] {
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, OpenApiOperation>> };
  const routes: ApiRoute[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = operations[method.toLowerCase()];
      if (!op) continue;
      const params = (where: string): ApiParameter[] =>
        (op.parameters ?? [])
          .filter((p) => p.in === where)
          .map((p) => ({ name: p.name, required: p.required ?? where === 'path', schema: p.schema ?? {} }));
      const bodies: Record<string, JsonSchema> = {};
      for (const [type, content] of Object.entries(op.requestBody?.content ?? {})) bodies[type] = content.schema ?? {};
      routes.push({
        key: `${method} ${path}`,
        method,
        path,
        pathParams: params('path'),
        query: params('query'),
        headers: params('header'),
        bodies,
        bodyRequired: op.requestBody?.required ?? false,
      });
    }
  }
  return routes;
}

/** The URL of a route with its path parameters filled in (each encoded). */
export function fillPath(route: ApiRoute, values: Record<string, string>): string {
  return route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(values[name] ?? ''));
}

/** encodeURIComponent, with lone surrogates (which it refuses) sent as U+FFFD like a browser would. */
function encodeSegment(value: string): string {
  return encodeURIComponent(
    value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );
}

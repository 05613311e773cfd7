/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document: values a schema accepts
 * (`validValue`), values it must refuse (`invalidValue`), and strings that are valid but odd
 * (right-to-left marks, combining runs, SQL and HTML look-alikes) for free-text fields.
 */
import fc from 'fast-check';
import { storable } from '../http/text-guard.js';
import type { JsonSchema } from './route-table.js';

/** Depth past which objects stop growing optional members (schemas nest; values should not explode). */
const MAX_DEPTH = 4;

/** Text that is allowed but has broken servers before. */
const ODD_TEXT = [
  '\u202eevil',
  '\ufeff前导',
  'e\u0301\u0301\u0301',
  "'; drop table cases; --",
  '%00%27',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  // Template-injection probe, meant literally.
  '$' + '{7*7}{{7*7}}',
  '\\u0000',
  '🧑‍🤝‍🧑',
  '\r\n\r\nX-Injected: 1',
  '9'.repeat(400),
];

/** Odd text clipped to what the schema allows (so the request stays valid). */
export const oddText = (schema: JsonSchema): fc.Arbitrary<string> =>
  fc.constantFrom(...ODD_TEXT).map((s) => fitLength(s, schema));

function fitLength(s: string, schema: JsonSchema): string {
  let out = s.slice(0, schema.maxLength ?? s.length);
  while (out.length < (schema.minLength ?? 0)) out += '网';
  return out;
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items || schema.prefixItems) return ['array'];
  return [];
}

/** One common Chinese character. */
const HAN = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));

/**
 * Free-text strings whose meaning the JSON Schema lost (zod refinements: dates as text, phones): a
 * plausible value by the field's name, so generated requests get past refinements to the handler.
 */
function byName(name: string, schema: JsonSchema): fc.Arbitrary<string> | undefined {
  const fits = (s: string) =>
    s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY) && s.length >= (schema.minLength ?? 0);
  let hinted: fc.Arbitrary<string> | undefined;
  if (/(^|[a-z])(date|Date|On|From|To|day)$/.test(name))
    hinted = fc
      .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  else if (/At$|since|until/.test(name))
    hinted = fc
      .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  else if (/^purpose(Text)?$/.test(name))
    hinted = fc.constantFrom(
      '入户核实低保申请人的家庭情况，需电话预约',
      'Checking a benefit application before a home visit',
    );
  else if (/phone/i.test(name))
    hinted = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `139${String(n).padStart(8, '0')}`);
  return hinted && fc.sample(hinted, { numRuns: 5, seed: 1 }).every(fits) ? hinted : undefined;
}

function stringFor(schema: JsonSchema, odd: boolean, name?: string): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: 7 });
    case 'date-time':
      return fc
        .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress();
    case 'uri':
    case 'url':
      return fc.webUrl({ validSchemes: ['https'] });
  }
  if (schema.pattern) {
    // fast-check builds strings from the regular expression; clip to the length bounds afterwards.
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter(
        (s) =>
          s.length >= (schema.minLength ?? 0) &&
          s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY) &&
          new RegExp(schema.pattern ?? '').test(s),
      );
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, minLength + 60);
  const hinted = name ? byName(name, schema) : undefined;
  if (hinted) return hinted;
  // Lengths count UTF-16 units and zod trims before min(): keep only strings the schema takes as they are.
  // NUL and unpaired surrogates are refused everywhere (server/http/text-guard.ts): they are invalid values.
  const fits = (s: string) =>
    s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY) && s.trim().length >= minLength && storable(s);
  const plain = fc
    .oneof(
      fc.string({ minLength, maxLength, unit: 'grapheme-ascii' }),
      fc.string({ minLength, maxLength, unit: HAN }),
      fc.string({ minLength, maxLength, unit: 'binary' }),
    )
    .filter(fits);
  if (!odd) return plain;
  return fc.oneof({ arbitrary: plain, weight: 3 }, { arbitrary: oddText(schema), weight: 1 });
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lowOpen = schema.exclusiveMinimum;
  const highOpen = schema.exclusiveMaximum;
  const min = schema.minimum ?? (lowOpen !== undefined ? lowOpen + (integer ? 1 : 1e-6) : -1e6);
  const max = schema.maximum ?? (highOpen !== undefined ? highOpen - (integer ? 1 : 1e-6) : 1e6);
  if (integer)
    return fc.integer({ min: Math.ceil(Math.max(min, -(2 ** 31))), max: Math.floor(Math.min(max, 2 ** 31)) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema accepts. `odd` mixes odd but valid text into free-text strings. */
export function validValue(schema: JsonSchema, odd = true, depth = 0, name?: string): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validValue(s, odd, depth, name)));
  if (schema.allOf?.length === 1 && schema.allOf[0]) return validValue(schema.allOf[0], odd, depth, name);
  const types = typesOf(schema);
  if (types.length === 0) return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
  return fc.oneof(...types.map((t) => validOfType(schema, t, odd, depth, name)));
}

function validOfType(
  schema: JsonSchema,
  type: string,
  odd: boolean,
  depth: number,
  name?: string,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringFor(schema, odd, name);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayFor(schema, odd, depth);
    case 'object':
      return objectFor(schema, odd, depth);
    default:
      return fc.constant(null);
  }
}

function arrayFor(schema: JsonSchema, odd: boolean, depth: number): fc.Arbitrary<unknown[]> {
  if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map((s) => validValue(s, odd, depth + 1)));
  const minLength = schema.minItems ?? 0;
  const maxLength = Math.min(schema.maxItems ?? 4, minLength + (depth >= MAX_DEPTH ? 0 : 4));
  return fc.array(validValue(schema.items ?? {}, odd, depth + 1), { minLength, maxLength });
}

function objectFor(schema: JsonSchema, odd: boolean, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, sub] of Object.entries(properties)) record[name] = validValue(sub, odd, depth + 1, name);
  const fixed = fc.record(record, {
    requiredKeys: depth >= MAX_DEPTH ? required : required.filter((k) => k in properties),
  });
  const extra = schema.additionalProperties;
  if (Object.keys(properties).length > 0 || typeof extra !== 'object') return fixed;
  // A map (propertyNames → values): a few entries.
  const keys = schema.propertyNames ? validValue(schema.propertyNames, false, depth + 1) : fc.string({ maxLength: 8 });
  return fc.dictionary(keys as fc.Arbitrary<string>, validValue(extra, odd, depth + 1), { maxKeys: 3 });
}

/** A value of a JSON type the schema does not allow (or undefined when it allows every type). */
function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const types = new Set(typesOf(schema));
  if (schema.anyOf || schema.oneOf || types.size === 0) return undefined;
  const candidates: fc.Arbitrary<unknown>[] = [];
  if (!types.has('string')) candidates.push(fc.constantFrom('abc', '', '1e309', 'null', '\u0000'));
  if (!types.has('number') && !types.has('integer')) candidates.push(fc.constantFrom(0, -1, 1e308, 3.5));
  if (!types.has('boolean')) candidates.push(fc.boolean());
  if (!types.has('object')) candidates.push(fc.constant({ $ne: 1, constructor: { prototype: { polluted: true } } }));
  if (!types.has('array')) candidates.push(fc.constant([1, 'two', null]));
  if (!types.has('null')) candidates.push(fc.constant(null));
  return candidates.length ? fc.oneof(...candidates) : undefined;
}

/** Values the schema must refuse, by the schema's own constraints. Undefined when none can be made. */
export function invalidValue(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const options: fc.Arbitrary<unknown>[] = [];
  const typed = wrongType(schema);
  if (typed) options.push(typed);
  const types = typesOf(schema);
  if (schema.enum && types.includes('string')) options.push(fc.constantFrom('__not_a_choice__', 'NORMAL '));
  if (types.includes('string') && !schema.enum && !schema.anyOf) {
    if (schema.maxLength !== undefined) {
      const max = schema.maxLength;
      options.push(
        fc.constantFrom('长', 'a', '\u0000').map((c) => c.repeat(Math.max(max + 1, Math.min(max * 4, 100_000)))),
      );
    }
    if (schema.minLength && schema.minLength > 0) options.push(fc.constant(''.padEnd(schema.minLength - 1, 'x')));
    // PostgreSQL cannot store NUL (text) or unpaired surrogates (jsonb): every string field must refuse them.
    options.push(
      fc.constantFrom('a\u0000b', '\u0000', '\ud800', 'x\udfffy', `${'网'.repeat(schema.minLength ?? 0)}\u0000`),
    );
    if (schema.format === 'uuid') options.push(fc.constantFrom('not-a-uuid', '1', "' or 1=1 --", '../etc'));
    const pattern = schema.pattern && !schema.format ? new RegExp(schema.pattern) : undefined;
    if (pattern) options.push(fc.constantFrom('\u0000', '..%2F', ' ', '1'.repeat(13)).filter((s) => !pattern.test(s)));
  }
  if ((types.includes('number') || types.includes('integer')) && !schema.anyOf) {
    if (schema.maximum !== undefined) options.push(fc.constant(schema.maximum + 1));
    if (schema.minimum !== undefined) options.push(fc.constant(schema.minimum - 1));
    if (types.includes('integer') && !types.includes('number')) options.push(fc.constant(1.5));
  }
  if (types.includes('object') && schema.properties) {
    const required = (schema.required ?? []).filter((k) => k in (schema.properties ?? {}));
    const valid = objectFor(schema, false, 0);
    if (required.length) {
      options.push(
        fc.tuple(valid, fc.constantFrom(...required)).map(([v, drop]) => {
          const copy: Record<string, unknown> = { ...v };
          delete copy[drop];
          return copy;
        }),
      );
    }
    if (schema.additionalProperties === false)
      options.push(valid.map((v) => ({ ...v, __unexpected__: 'x', constructor: { prototype: { x: 1 } } })));
    // One member made invalid, the rest valid.
    const broken = Object.entries(schema.properties).flatMap(([name, sub]) => {
      const bad = invalidValue(sub);
      return bad ? [fc.tuple(valid, bad).map(([v, b]) => ({ ...v, [name]: b }))] : [];
    });
    if (broken.length) options.push(fc.oneof(...broken));
  }
  if (types.includes('array')) {
    if (schema.maxItems !== undefined) {
      const max = schema.maxItems;
      options.push(
        fc
          .array(validValue(schema.items ?? {}, false, MAX_DEPTH), { minLength: 1, maxLength: 1 })
          .map((one) => Array.from({ length: max + 1 }, () => one[0])),
      );
    }
    if (schema.minItems) options.push(fc.constant([]));
    const badItem = schema.items ? invalidValue(schema.items) : undefined;
    if (badItem) options.push(fc.array(badItem, { minLength: 1, maxLength: 3 }));
  }
  return options.length ? fc.oneof(...options) : undefined;
}

/** JSON nested deeper than any handler would walk: arrays or objects, thousands of levels. */
export const deepJson = fc
  .tuple(fc.integer({ min: 500, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? '['.repeat(depth) + ']'.repeat(depth) : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

/**
 * What no answer of the API may contain, and the shape every refusal must have. Used by the fuzzer
 * and the permission matrix on every response.
 */
import type { LightMyRequestResponse } from 'fastify';
import { ERRORS } from '../../common/errors.js';

/** Signs of internals: stack frames, module paths, SQL and PostgreSQL's own error texts. */
const INTERNALS: readonly [string, RegExp][] = [
  ['stack frame', /\n\s*at [\w$.<>]+ \(|\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)/],
  ['module path', /node_modules|\/work\/|server\/[\w/-]+\.ts/],
  ['SQL', /\bselect\s+[\w"*,\s.()]+\s+from\s|\binsert\s+into\s|\bupdate\s+"?\w+"?\s+set\s|\bdelete\s+from\s/i],
  ['PostgreSQL error', /relation "|column "[^"]*" (?:of|does not)|syntax error at or near|violates [\w-]+ constraint/i],
  ['PostgreSQL error', /invalid input syntax for|invalid byte sequence|duplicate key value|out of range for type/i],
  ['driver error', /ECONNREFUSED|Connection terminated|TypeError:|RangeError:|ReferenceError:/],
];

/** 5xx by design in the test harness: the live stream needs a LISTEN connection the test app has none of. */
export const EXPECTED_5XX: Readonly<Record<string, string>> = { '/api/events': 'LIVE_UNAVAILABLE' };

/** Problems with one answer (empty when it is fine). `leaks` are strings the asker must never see. */
export function answerProblems(res: LightMyRequestResponse, url: string, leaks: readonly string[] = []): string[] {
  const problems: string[] = [];
  const body = res.body;
  const expected5xx = EXPECTED_5XX[url.split('?')[0] ?? ''];
  if (res.statusCode >= 500 && !(expected5xx && res.body.includes(`"code":"${expected5xx}"`)))
    problems.push(`status ${res.statusCode}`);
  for (const [what, pattern] of INTERNALS) {
    // Internals are looked for in refusals (2xx bodies echo what was filed, which may be anything).
    if (res.statusCode >= 400 && pattern.test(body)) problems.push(`${what} in body: ${excerpt(body, pattern)}`);
  }
  for (const secret of leaks) if (body.includes(secret)) problems.push(`leaks ${secret}`);
  if (res.statusCode >= 400) problems.push(...refusalShapeProblems(res, url));
  return problems;
}

/** A refusal is the catalogue's coded JSON; Open311 answers the spec's error array instead. */
function refusalShapeProblems(res: LightMyRequestResponse, url: string): string[] {
  if (url.startsWith('/open311/')) {
    const header = res.headers['x-error-code'];
    const problems = typeof header === 'string' && header in ERRORS ? [] : [`Open311 error without x-error-code`];
    if (String(res.headers['content-type']).includes('xml'))
      return /<errors>[\s\S]*<code>\d+<\/code>/.test(res.body) ? problems : [...problems, 'no Open311 XML error'];
    const parsed = tryJson(res.body);
    const ok =
      Array.isArray(parsed) &&
      parsed.every((e) => typeof e === 'object' && e !== null && 'code' in e && 'description' in e);
    return ok ? problems : [...problems, `no Open311 error array: ${res.body.slice(0, 200)}`];
  }
  const parsed = tryJson(res.body) as { error?: { code?: string; messages?: Record<string, unknown> } } | undefined;
  const code = parsed?.error?.code;
  if (!code || !(code in ERRORS)) return [`not a coded error: ${res.body.slice(0, 200)}`];
  const entry = ERRORS[code as keyof typeof ERRORS];
  const problems: string[] = [];
  if (entry.status !== res.statusCode)
    problems.push(`${code} answered ${res.statusCode}, catalogue says ${entry.status}`);
  if (parsed?.error?.messages?.['zh-CN'] !== entry.zh || parsed?.error?.messages?.en !== entry.en)
    problems.push(`${code} without both catalogue messages`);
  return problems;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function excerpt(body: string, pattern: RegExp): string {
  const at = body.search(pattern);
  return body.slice(Math.max(0, at - 40), at + 80);
}

/**
 * `application/x-www-form-urlencoded` as Open311 sends it: plain fields, and the answers to a
 * service's questions as `attribute[code]=value`, several values of a multivaluelist as
 * `attribute[code][]=a&attribute[code][]=b`. Parsed with URLSearchParams (UTF-8, `+` as space).
 */
import type { Answers } from '../../common/catalogue.js';
import { AppError } from '../http/app-error.js';

const ATTRIBUTE = /^attribute\[([^[\]]+)\](\[\])?$/;

/**
 * Plain fields by name (a field sent twice keeps its last value) and the answers under `attribute`.
 * A key that starts like an attribute but is not one (`attribute`, `attribute[]`, `attribute[a][b]`)
 * is refused by name (OPEN311_ATTRIBUTE_INVALID): a client that writes them loses answers.
 */
export function parseForm(body: string): Record<string, string | Answers> {
  const fields: Record<string, string> = {};
  const answers: Answers = {};
  const malformed: string[] = [];
  for (const [key, value] of new URLSearchParams(body)) {
    const match = ATTRIBUTE.exec(key);
    const code = match?.[1];
    if (!code) {
      if (key.startsWith('attribute')) malformed.push(key);
      else fields[key] = value;
      continue;
    }
    if (match[2]) {
      const previous = answers[code];
      answers[code] = [...(Array.isArray(previous) ? previous : previous === undefined ? [] : [previous]), value];
    } else {
      answers[code] = value;
    }
  }
  if (malformed.length) {
    throw new AppError('OPEN311_ATTRIBUTE_INVALID', {
      fields: malformed.map((k) => ({ path: k, reason: 'write attribute[code]=value or attribute[code][]=value' })),
    });
  }
  return Object.keys(answers).length ? { ...fields, attribute: answers } : fields;
}

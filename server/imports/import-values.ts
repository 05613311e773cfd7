/**
 * A cell as one of our field types (common/imports.ts `ImportField`): text within its length, a
 * number within its bounds, a time, or a code through the mapping's value table. Each answers the
 * value or the reason it cannot be one, in both languages, naming the value.
 */
import { isCalendarDate } from '../../common/id-number.js';
import type { ImportField } from '../../common/imports.js';
import { OFFSET_MS, parseInstant } from '../calendar/civil.js';
import type { Cell } from './import-file.js';

export type FieldValue = string | number | Date;

export interface ValueProblem {
  code: 'IMPORT_VALUE_INVALID' | 'IMPORT_VALUE_UNKNOWN';
  zh: string;
  en: string;
}

const pad = (n: string) => n.padStart(2, '0');

/**
 * A time as offices write it: ISO 8601 (with or without a zone), `2026/3/1 9:15`, `2026.3.1`,
 * `2026年3月1日 9:15`; without a zone it is Beijing time. A spreadsheet's date cell holds Beijing
 * wall time read as UTC (spreadsheets have no zones), so it moves back by eight hours.
 */
export function parseTime(cell: Cell): Date | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : new Date(cell.getTime() - OFFSET_MS);
  if (typeof cell !== 'string') return null;
  const text = cell.trim();
  const loose =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?)?分?)?$/.exec(text);
  if (loose) {
    const [, y, m, d, h, min, s] = loose as unknown as [string, string, string, string, string?, string?, string?];
    const clock = h === undefined ? '' : ` ${pad(h)}:${pad(min ?? '0')}:${pad(s ?? '0')}`;
    return parseInstant(`${y}-${pad(m)}-${pad(d)}${clock}`);
  }
  return parseInstant(text);
}

/**
 * A calendar day as offices write it: `2026-03-01`, `2026/3/1`, `2026.3.1`, `2026年3月1日`,
 * `20260301`, a spreadsheet date cell (its Beijing day), with a midnight time after it tolerated;
 * `YYYY-MM-DD` when the day exists (no 30 February), else null.
 */
export function parseDay(cell: Cell): string | null {
  const text = cellText(cell).replace(/\s+0{1,2}:00(:00)?$/, '');
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!/[-/.年]/.test(text) && text.length !== 8) return null;
  if (!isCalendarDate(y, mo, d)) return null;
  return `${m[1]}-${pad(String(mo))}-${pad(String(d))}`;
}

/** The text of a cell (a date cell as Beijing wall time, numbers as written). */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) {
    const at = parseTime(cell);
    return at ? new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ') : '';
  }
  return String(cell).trim();
}

const quoted = (text: string) => `“${text.length > 40 ? `${text.slice(0, 40)}…` : text}”`;

/**
 * One cell as the field's type. `codes` are our codes the field accepts, `table` their values → our
 * codes (the mapping's value table for the field).
 */
export function fieldValue(
  field: ImportField,
  cell: Cell,
  lookup: { table?: ReadonlyMap<string, string> | undefined; codes?: ReadonlySet<string> | undefined },
): { value: FieldValue } | { problem: ValueProblem } {
  const text = cellText(cell);
  const invalid = (zh: string, en: string) => ({
    problem: {
      code: 'IMPORT_VALUE_INVALID' as const,
      zh: `${field.label.zh}${quoted(text)}${zh}`,
      en: `${field.label.en} ${quoted(text)}: ${en}`,
    },
  });
  switch (field.type) {
    case 'text': {
      const max = field.maxLength ?? 2_000;
      if ([...text].length > max) return invalid(`超过 ${max} 个字`, `longer than ${max} characters`);
      return { value: text };
    }
    case 'number': {
      const value = typeof cell === 'number' ? cell : /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
      const [min, max] = [field.min ?? -Infinity, field.max ?? Infinity];
      if (!Number.isFinite(value) || value < min || value > max) {
        return invalid(`不是 ${min} 到 ${max} 之间的数`, `not a number from ${min} to ${max}`);
      }
      return { value };
    }
    case 'time': {
      const at = parseTime(cell);
      if (!at) return invalid('不是有效的日期时间', 'not a date and time');
      return { value: at };
    }
    case 'date': {
      const day = parseDay(cell);
      if (!day) return invalid('不是存在的日期', 'not a day of the calendar');
      return { value: day };
    }
    case 'code': {
      const key = text.replace(/\s+/g, ' ');
      const code = lookup.table?.get(key) ?? (lookup.codes?.has(key) ? key : undefined);
      if (code === undefined) {
        return {
          problem: {
            code: 'IMPORT_VALUE_UNKNOWN',
            zh: `${field.label.zh}${quoted(text)}不在映射表中`,
            en: `${field.label.en} ${quoted(text)} is not in the mapping`,
          },
        };
      }
      return { value: code };
    }
  }
}

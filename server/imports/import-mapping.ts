/**
 * Mappings (字段映射): their column for each of our fields, and for each `code` field their values
 * → our codes. A mapping is checked against the kind when it is saved (known fields, required ones
 * mapped, codes that exist) and applied to each row when a file is read.
 */
import { ERRORS } from '../../common/errors.js';
import { type ImportColumns, type ImportField, type ImportValueMap, MAPPING_LIMITS } from '../../common/imports.js';
import { AppError, type FieldProblem } from '../http/app-error.js';
import type { StoredCells, StoredColumn, StoredValue } from './import.tables.js';
import type { Cell, SourceRow } from './import-file.js';
import type { CodeChoices, ImportKind, MappedRecord } from './import-kind.js';
import { fieldValue } from './import-values.js';

/** A mapping in the shape the API speaks: objects keyed by our fields. */
export interface MappingRules {
  columns: ImportColumns;
  values: ImportValueMap;
}

/** A row's problem: a catalogue code, the field (our key), and the message naming the value. */
export interface RowProblem {
  code: 'IMPORT_VALUE_REQUIRED' | 'IMPORT_VALUE_INVALID' | 'IMPORT_VALUE_UNKNOWN';
  field: string;
  zh: string;
  en: string;
}

export const toStored = (rules: MappingRules): { columns: StoredColumn[]; values: StoredValue[] } => ({
  columns: Object.entries(rules.columns).map(([field, column]) => ({ field, column })),
  values: Object.entries(rules.values).flatMap(([field, table]) =>
    Object.entries(table).map(([value, code]) => ({ field, value, code })),
  ),
});

export function fromStored(stored: { columns: StoredColumn[]; values: StoredValue[] }): MappingRules {
  const values: ImportValueMap = {};
  for (const v of stored.values) {
    const table = values[v.field] ?? {};
    table[v.value] = v.code;
    values[v.field] = table;
  }
  return { columns: Object.fromEntries(stored.columns.map((c) => [c.field, c.column])), values };
}

/**
 * Checks a mapping against the kind and the codes of its district; answers the normalised rules
 * (texts trimmed, whitespace in values collapsed) or throws IMPORT_MAPPING_INVALID naming each problem.
 */
export function checkMapping(kind: ImportKind, choices: CodeChoices, rules: MappingRules): MappingRules {
  const problems: FieldProblem[] = [];
  const fields = new Map(kind.fields.map((f) => [f.key, f]));
  const columns: ImportColumns = {};
  for (const [key, column] of Object.entries(rules.columns)) {
    const text = column.trim();
    if (!fields.has(key)) problems.push({ path: `body.columns.${key}`, reason: 'not a field of this import' });
    else if (!text || text.length > MAPPING_LIMITS.text)
      problems.push({ path: `body.columns.${key}`, reason: `a column name of 1–${MAPPING_LIMITS.text} characters` });
    else columns[key] = text;
  }
  for (const f of kind.fields) {
    if (f.required && !(f.key in rules.columns)) problems.push({ path: `body.columns.${f.key}`, reason: 'required' });
  }
  const groups = kind.oneOf ?? [];
  if (groups.length && !groups.some((group) => group.every((key) => key in rules.columns))) {
    problems.push({
      path: 'body.columns',
      reason: `map one of: ${groups.map((group) => group.join(' + ')).join(', or ')}`,
    });
  }
  const values: ImportValueMap = {};
  for (const [key, table] of Object.entries(rules.values)) {
    const field = fields.get(key);
    if (field?.type !== 'code') {
      problems.push({ path: `body.values.${key}`, reason: 'only code fields take a value table' });
      continue;
    }
    const entries = Object.entries(table);
    if (entries.length > MAPPING_LIMITS.values)
      problems.push({ path: `body.values.${key}`, reason: `at most ${MAPPING_LIMITS.values} values` });
    const known = new Set((choices[key] ?? []).map((c) => c.code));
    const cleaned: Record<string, string> = {};
    for (const [theirs, code] of entries) {
      const value = theirs.trim().replace(/\s+/g, ' ');
      if (!value || value.length > MAPPING_LIMITS.text)
        problems.push({ path: `body.values.${key}`, reason: `a value of 1–${MAPPING_LIMITS.text} characters` });
      else if (!known.has(code)) problems.push({ path: `body.values.${key}.${value}`, reason: `unknown code ${code}` });
      else cleaned[value] = code;
    }
    values[key] = cleaned;
  }
  if (problems.length) throw new AppError('IMPORT_MAPPING_INVALID', { fields: problems });
  return { columns, values };
}

/** The columns a mapping reads that the file lacks (checked when a file is uploaded). */
export function missingColumns(rules: MappingRules, header: readonly string[]): string[] {
  const present = new Set(header);
  return [...new Set(Object.values(rules.columns))].filter((column) => !present.has(column));
}

/** A mapping made ready for rows: column lookups and value tables as maps, accepted codes as sets. */
export interface PreparedMapping {
  kind: ImportKind;
  columns: ReadonlyMap<string, string>;
  tables: ReadonlyMap<string, ReadonlyMap<string, string>>;
  codes: ReadonlyMap<string, ReadonlySet<string>>;
}

export function prepareMapping(kind: ImportKind, rules: MappingRules, choices: CodeChoices): PreparedMapping {
  return {
    kind,
    columns: new Map(Object.entries(rules.columns)),
    tables: new Map(Object.entries(rules.values).map(([field, table]) => [field, new Map(Object.entries(table))])),
    codes: new Map(Object.entries(choices).map(([field, list]) => [field, new Set(list.map((c) => c.code))])),
  };
}

/** A row's cells as stored with a report or a record: [column, value], dates as ISO text. */
export const storedCells = (row: SourceRow): StoredCells =>
  row.cells.map(([column, cell]) => [
    column,
    cell instanceof Date ? cell.toISOString() : (cell as Exclude<Cell, Date>),
  ]);

/** One row through the mapping: our fields' values, or every problem found (all of them, not just the first). */
export function mapRow(mapping: PreparedMapping, row: SourceRow): { record: MappedRecord; problems: RowProblem[] } {
  const cells = new Map(row.cells);
  const record: MappedRecord = {};
  const problems: RowProblem[] = [];
  for (const field of mapping.kind.fields) {
    const column = mapping.columns.get(field.key);
    const cell = column === undefined ? null : (cells.get(column) ?? null);
    if (cell === null || (typeof cell === 'string' && cell.trim() === '')) {
      if (field.required) problems.push(requiredProblem(field));
      continue;
    }
    const result = fieldValue(field, cell, {
      table: mapping.tables.get(field.key),
      codes: mapping.codes.get(field.key),
    });
    if ('problem' in result) problems.push({ ...result.problem, field: field.key });
    else record[field.key] = result.value;
  }
  return { record, problems };
}

function requiredProblem(field: ImportField): RowProblem {
  const entry = ERRORS.IMPORT_VALUE_REQUIRED;
  return {
    code: 'IMPORT_VALUE_REQUIRED',
    field: field.key,
    zh: `${entry.zh}：${field.label.zh}`,
    en: `${entry.en}: ${field.label.en}`,
  };
}

/**
 * Mappings checked when saved (fields, required ones, a place, value tables of existing codes) and
 * applied to rows (every problem named with its value; value tables and our own codes both read).
 */
import { describe, expect, it } from 'vitest';
import type { ImportField } from '../../common/imports.js';
import { AppError } from '../http/app-error.js';
import type { CodeChoices, ImportKind } from './import-kind.js';
import { checkMapping, fromStored, mapRow, missingColumns, prepareMapping, toStored } from './import-mapping.js';

const FIELDS: ImportField[] = [
  { key: 'number', label: { zh: '编号', en: 'Number' }, type: 'text', required: true, maxLength: 8 },
  { key: 'kind', label: { zh: '分类', en: 'Kind' }, type: 'code', required: true },
  { key: 'lng', label: { zh: '经度', en: 'Longitude' }, type: 'number', required: false, min: -180, max: 180 },
  { key: 'lat', label: { zh: '纬度', en: 'Latitude' }, type: 'number', required: false, min: -90, max: 90 },
  { key: 'address', label: { zh: '地址', en: 'Address' }, type: 'text', required: false },
  { key: 'at', label: { zh: '时间', en: 'Time' }, type: 'time', required: false },
];

const CHOICES: CodeChoices = {
  kind: [
    { code: '0101', label: { zh: '暴露垃圾', en: 'Rubbish' } },
    { code: '0102', label: { zh: '占道经营', en: 'Street vending' } },
  ],
};

const kind: ImportKind = {
  kind: 'test',
  fields: FIELDS,
  keyField: 'number',
  oneOf: [['address'], ['lng', 'lat']],
  codes: async () => CHOICES,
  write: async () => ({ outcome: 'created', recordId: null }),
};

const problemsOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, paths: error.fields?.map((f) => f.path) };
    throw error;
  }
  return undefined;
};

describe('checking a mapping', () => {
  it('names every problem: unknown field, required field unmapped, no place, a table on a text field, an unknown code', () => {
    const found = problemsOf(() =>
      checkMapping(kind, CHOICES, {
        columns: { number: '编号', colour: '颜色', lng: '经度' },
        values: { number: { x: 'y' }, kind: { 垃圾: '0101', 其他: '9999' } },
      }),
    );
    expect(found?.code).toBe('IMPORT_MAPPING_INVALID');
    expect(found?.paths).toEqual([
      'body.columns.colour',
      'body.columns.kind',
      'body.columns',
      'body.values.number',
      'body.values.kind.其他',
    ]);
  });

  it('answers the rules trimmed, whitespace in their values collapsed, and keeps them through storage', () => {
    const rules = checkMapping(kind, CHOICES, {
      columns: { number: ' 编号 ', kind: '类别', address: '地址' },
      values: { kind: { ' 占道  经营 ': '0102' } },
    });
    expect(rules).toEqual({
      columns: { number: '编号', kind: '类别', address: '地址' },
      values: { kind: { '占道 经营': '0102' } },
    });
    // Stored as lists: keys such as ROAD_WORKS would be renamed by the database layer's camel-casing.
    expect(fromStored(toStored(rules))).toEqual(rules);
    expect(missingColumns(rules, ['编号', '类别'])).toEqual(['地址']);
  });
});

describe('mapping a row', () => {
  const mapping = prepareMapping(
    kind,
    {
      columns: { number: '编号', kind: '类别', lng: '经度', lat: '纬度', at: '时间' },
      values: { kind: { 垃圾: '0101' } },
    },
    CHOICES,
  );

  it('reads value tables and our own codes, numbers and times', () => {
    const row = {
      number: 2,
      cells: [
        ['编号', 'A1'],
        ['类别', '垃圾'],
        ['经度', '121.5'],
        ['纬度', 31.2],
        ['时间', '2026/3/1 9:00'],
      ],
    };
    const { record, problems } = mapRow(mapping, row as never);
    expect(problems).toEqual([]);
    expect(record).toEqual({ number: 'A1', kind: '0101', lng: 121.5, lat: 31.2, at: new Date('2026-03-01T01:00:00Z') });
    expect(
      mapRow(mapping, {
        number: 3,
        cells: [
          ['编号', 'A2'],
          ['类别', '0102'],
        ],
      }).record.kind,
    ).toBe('0102');
  });

  it('names each bad value and the field it is in', () => {
    const row = {
      number: 5,
      cells: [
        ['类别', '乱扔'],
        ['经度', '东经121'],
        ['纬度', '95'],
        ['时间', '昨天'],
      ],
    };
    const { problems } = mapRow(mapping, row as never);
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ['IMPORT_VALUE_REQUIRED', 'number'],
      ['IMPORT_VALUE_UNKNOWN', 'kind'],
      ['IMPORT_VALUE_INVALID', 'lng'],
      ['IMPORT_VALUE_INVALID', 'lat'],
      ['IMPORT_VALUE_INVALID', 'at'],
    ]);
    expect(problems[1]?.zh).toBe('分类“乱扔”不在映射表中');
    expect(problems[1]?.en).toBe('Kind “乱扔” is not in the mapping');
    expect(
      mapRow(mapping, {
        number: 6,
        cells: [
          ['编号', '123456789'],
          ['类别', '垃圾'],
        ],
      }).problems[0]?.zh,
    ).toBe('编号“123456789”超过 8 个字');
  });
});

/**
 * An XLSX workbook → import rows. The first sheet's first row names the columns (English or
 * Chinese: 编码, 名称, 层级, 类型, 上级编码, 边界); the boundary column holds GeoJSON geometry text.
 */
import type * as ExcelJS from 'exceljs';
import { loadExcelJS } from '../../lazy-modules.js';
import type { ImportProblem, ImportRow } from './import-row.js';
import { rowFromProperties } from './parse-geojson.js';

const GEOMETRY_COLUMNS = ['geometry', '边界', '边界坐标', '范围'];

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return String(value.result ?? '');
    if (value instanceof Date) return value.toISOString();
  }
  return String(value);
}

export async function parseXlsx(
  buffer: Buffer | ArrayBuffer,
): Promise<{ rows: ImportRow[]; problems: ImportProblem[] }> {
  const { Workbook } = await loadExcelJS();
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(buffer as ArrayBuffer);
  } catch {
    return {
      rows: [],
      problems: [
        {
          ref: 'file',
          code: null,
          field: 'file',
          problem: 'not_xlsx',
          zh: '不是有效的 XLSX 文件',
          en: 'not a valid XLSX file',
        },
      ],
    };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { rows: [], problems: [] };
  const headers: string[] = [];
  sheet.getRow(1).eachCell((cell, col) => {
    headers[col] = cellText(cell.value).trim();
  });
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const props: Record<string, unknown> = {};
    let geometryText = '';
    row.eachCell((cell, col) => {
      const header = headers[col];
      if (!header) return;
      const text = cellText(cell.value).trim();
      if (GEOMETRY_COLUMNS.includes(header)) geometryText = text;
      else props[header] = text;
    });
    const ref = `row ${number}`;
    let geometry: unknown;
    if (geometryText) {
      try {
        const parsed: unknown = JSON.parse(geometryText);
        geometry = parsed && typeof parsed === 'object' && 'geometry' in parsed ? parsed.geometry : parsed;
      } catch {
        problems.push({
          ref,
          code: null,
          field: 'geometry',
          problem: 'geometry_not_json',
          zh: '边界列不是有效的 GeoJSON',
          en: 'the geometry column is not valid GeoJSON',
        });
        return;
      }
    }
    rows.push(rowFromProperties(ref, props, geometry));
  });
  return { rows, problems };
}

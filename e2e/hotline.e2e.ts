/**
 * 12345 work orders in a real browser, on the demo: the dispatcher saves a mapping (columns and a
 * category value table chosen from the catalogue), previews and imports an XLSX with a bad row,
 * watches the progress bar finish, reads the report naming the bad row's value, finds the cases;
 * the same file again imports nothing new. Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { apiCall, apiSession, choose, DESKTOP, SHOTS, shot, signInAs } from './support.js';

let browser: Browser;
let base: string;

const stamp = Date.now().toString(36).toUpperCase();
const number = (n: number) => `E2E-${stamp}-${n}`;

async function workbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('工单');
  sheet.addRow(['工单编号', '来电人', '联系电话', '诉求分类', '诉求内容', '事发地址']);
  sheet.addRow([number(1), '王先生', '13912345678', '环境卫生-垃圾', '小区门口垃圾堆积三天', '梧桐路 18 号']);
  sheet.addRow([number(2), '李女士', '13812345678', '市容-占道', '早市摊贩占用人行道', '梧桐路菜场门口']);
  sheet.addRow([number(3), '赵先生', '13712345678', '乱扔杂物', '楼道堆放杂物', '梧桐苑 3 号楼']);
  sheet.addRow([number(4), '钱女士', '13612345678', '环境卫生-垃圾', '垃圾桶满溢无人清运', '梧桐公园南门']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const counts = (page: Page, outcome: string) =>
  page.locator(`[data-test="import-counts"] [data-outcome="${outcome}"] strong`).first().textContent();

async function importFile(page: Page, file: Buffer): Promise<void> {
  await page.locator('input[name="hotline-file"]').setInputFiles({
    name: '12345工单.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: file,
  });
  await page.locator('[data-test="import-start"]').click();
  // The progress bar polls the run until it ends.
  await page.locator('[data-test="import-progress"]').waitFor();
  await page.locator('[data-test="import-run"][data-status="done"]').waitFor({ timeout: 90_000 });
}

describe('12345 hotline orders in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('the dispatcher maps, imports a file with a bad row, reads the report; the same file again changes nothing', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, base, 'dispatcher');
    await page.goto(`${base}/hotline`);

    // A mapping: their columns, and their category words against our catalogue.
    await page.getByRole('tab', { name: '字段映射' }).click();
    await page.locator('[data-test="mapping-add"]').click();
    const editor = page.locator('.mapping-editor');
    await editor.waitFor();
    const name = `市热线导出 ${stamp}`;
    await editor.locator('input[name="mappingName"]').fill(name);
    const columns = {
      orderNumber: '工单编号',
      callerName: '来电人',
      callerPhone: '联系电话',
      category: '诉求分类',
      description: '诉求内容',
      address: '事发地址',
    };
    for (const [field, column] of Object.entries(columns))
      await editor.locator(`input[name="column-${field}"]`).fill(column);
    await editor.locator('[data-test="add-value-category"]').click();
    await editor.locator('[data-test="add-value-category"]').click();
    await editor.locator('input[name="value-category-0"]').fill('环境卫生-垃圾');
    await choose(page, 'code-category-0', '暴露垃圾');
    await editor.locator('input[name="value-category-1"]').fill('市容-占道');
    await choose(page, 'code-category-1', '占道经营');
    await shot(page, 'hotline-mapping');
    await editor.locator('[data-test="mapping-save"]').click();
    await editor.waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('[data-test="mappings"]').textContent()).toContain(name);

    // Preview, then import: three orders land, the fourth is reported with its value.
    await page.getByRole('tab', { name: '导入工单' }).click();
    await choose(page, 'import-mapping', name);
    const file = await workbook();
    await page
      .locator('input[name="hotline-file"]')
      .setInputFiles({ name: '12345工单.xlsx', mimeType: 'application/octet-stream', buffer: file });
    await page.locator('[data-test="import-preview"]').click();
    const preview = page.locator('[data-test="import-preview-table"]');
    await expect.poll(() => preview.textContent()).toContain('诉求分类“乱扔杂物”不在映射表中');
    await importFile(page, file);
    expect(await counts(page, 'created')).toBe('3');
    expect(await counts(page, 'rejected')).toBe('1');
    const report = page.locator('[data-test="import-report"]');
    await expect.poll(() => report.textContent()).toContain(number(3));
    expect(await report.textContent()).toContain('诉求分类“乱扔杂物”不在映射表中');
    await page.locator('[data-test="report-csv"]').waitFor();
    await shot(page, 'hotline-import');

    // The cases exist, as hotline reports; the bad row made none.
    const session = await apiSession(base, 'dispatcher');
    for (const n of [1, 2, 4]) {
      const found = await apiCall<{ items: { channel: string; state: string }[] }>(
        base,
        session,
        'GET',
        `/api/cases?q=${number(n)}`,
      );
      expect(found.items.map((c) => [c.channel, c.state])).toEqual([['hotline', 'reported']]);
    }
    expect((await apiCall<{ items: unknown[] }>(base, session, 'GET', `/api/cases?q=${number(3)}`)).items).toEqual([]);

    // The same file again: nothing new, nothing changed.
    await page.locator('[data-test="import-another"]').click();
    await importFile(page, file);
    expect(await counts(page, 'created')).toBe('0');
    expect(await counts(page, 'unchanged')).toBe('3');
    expect(await counts(page, 'rejected')).toBe('1');
    for (const n of [1, 2, 4]) {
      const found = await apiCall<{ items: unknown[] }>(base, session, 'GET', `/api/cases?q=${number(n)}`);
      expect(found.items).toHaveLength(1);
    }

    await page.getByRole('tab', { name: '导入记录' }).click();
    await expect.poll(() => page.locator('[data-test="import-runs"] .el-table__row').count()).toBeGreaterThanOrEqual(2);
    await shot(page, 'hotline-runs');
    await context.close();
  });
});

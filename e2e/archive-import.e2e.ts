/**
 * Departmental imports into the resident archive in a real browser, on the demo: the administrator
 * saves a people mapping (columns, departments and a tag chosen from the district's codes), previews
 * and imports a CSV with a bad row, watches the progress bar finish, reads what changed and the
 * report naming the bad row; the same file again changes nothing; an older file from another
 * department is listed as a conflict and changes nothing. Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { completeIdNumber } from '../common/id-number.js';
import type { ImportFieldsView } from '../common/imports.js';
import { launch } from './browser.js';
import { apiCall, apiSession, choose, DESKTOP, SHOTS, shot, signInAs } from './support.js';

let browser: Awaited<ReturnType<typeof launch>>;
let base: string;

/** Birth dates from the clock, so a second run on the same demo files new people. */
const day = Math.floor(Date.now() / 1000) % 9_000;
const birth = (n: number) => {
  const d = new Date(Date.UTC(1960, 0, 1) + (day + n * 17) * 86_400_000);
  return d.toISOString().slice(0, 10).replace(/-/g, '');
};
const ids = [1, 2, 3].map((n) => completeIdNumber(`110101${birth(n)}${String(900 + n * 2 - 1)}`));
const broken = `${ids[0]?.slice(0, 17)}${ids[0]?.endsWith('1') ? '2' : '1'}`;

const HEADER = ['身份证号', '姓名', '联系电话', '所属网格', '数据来源', '数据日期', '救助类别'];

function csv(rows: string[][]): Buffer {
  const line = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
  return Buffer.from(`\uFEFF${[HEADER, ...rows].map(line).join('\r\n')}\r\n`, 'utf8');
}

const counts = (page: Page, outcome: string) =>
  page.locator(`[data-test="import-counts"] [data-outcome="${outcome}"] strong`).first().textContent();

async function importFile(page: Page, file: Buffer): Promise<void> {
  await page
    .locator('input[name="archive-people-file"]')
    .setInputFiles({ name: '民政名单.csv', mimeType: 'text/csv', buffer: file });
  await page.locator('[data-test="import-start"]').click();
  await page.locator('[data-test="import-progress"]').waitFor();
  await page.locator('[data-test="import-run"][data-status="done"]').waitFor({ timeout: 90_000 });
}

describe('departmental imports into the archive in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('the administrator maps, imports with a bad row, imports again, and sees an older department’s conflict', async () => {
    const session = await apiSession(base, 'admin');
    const fields = await apiCall<ImportFieldsView>(base, session, 'GET', '/api/archive/import/people/fields');
    const choices = (key: string) => fields.fields.find((f) => f.key === key)?.choices ?? [];
    const [civil, other] = choices('sourceDepartment');
    const grid = choices('unit').find((u) => u.code.length === 15);
    if (!civil || !other || !grid) throw new Error('the demo district has no departments or grids');

    const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, base, 'admin');
    await page.goto(`${base}/archive/import`);

    // A mapping: their columns, their department and tag words against the district's codes.
    await page.getByRole('tab', { name: '字段映射' }).click();
    await page.locator('[data-test="mapping-add"]').click();
    const editor = page.locator('.mapping-editor');
    await editor.waitFor();
    const name = `民政名单 ${Date.now().toString(36)}`;
    await editor.locator('input[name="mappingName"]').fill(name);
    const columns = {
      idNumber: '身份证号',
      name: '姓名',
      phones: '联系电话',
      unit: '所属网格',
      sourceDepartment: '数据来源',
      asOf: '数据日期',
      tag: '救助类别',
    };
    for (const [field, column] of Object.entries(columns))
      await editor.locator(`input[name="column-${field}"]`).fill(column);
    await editor.locator('[data-test="add-value-sourceDepartment"]').click();
    await editor.locator('[data-test="add-value-sourceDepartment"]').click();
    await editor.locator('input[name="value-sourceDepartment-0"]').fill('民政');
    await choose(page, 'code-sourceDepartment-0', civil.code);
    await editor.locator('input[name="value-sourceDepartment-1"]').fill('其他部门');
    await choose(page, 'code-sourceDepartment-1', other.code);
    await editor.locator('[data-test="add-value-tag"]').click();
    await editor.locator('input[name="value-tag-0"]').fill('低保户');
    await choose(page, 'code-tag-0', '低保');
    await shot(page, 'archive-import-mapping');
    await editor.locator('[data-test="mapping-save"]').click();
    await editor.waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('[data-test="mappings"]').textContent()).toContain(name);

    // Preview, then import: three people land, the broken ID number is reported.
    const file = csv([
      [ids[0] ?? '', '林晓梅', '13912340001', grid.code, '民政', '2026-03-01', '低保户'],
      [ids[1] ?? '', '周建国', '13912340002', grid.code, '民政', '2026-03-01', ''],
      [broken, '错号人', '13912340009', grid.code, '民政', '2026-03-01', ''],
      [ids[2] ?? '', '吴芳', '13912340003', grid.code, '民政', '2026-03-01', ''],
    ]);
    await page.getByRole('tab', { name: '导入人员' }).click();
    await choose(page, 'import-mapping', name);
    await page
      .locator('input[name="archive-people-file"]')
      .setInputFiles({ name: '民政名单.csv', mimeType: 'text/csv', buffer: file });
    await page.locator('[data-test="import-preview"]').click();
    await expect.poll(() => page.locator('[data-test="import-preview-table"]').textContent()).toContain('林晓梅');
    await importFile(page, file);
    expect(await counts(page, 'created')).toBe('3');
    expect(await counts(page, 'rejected')).toBe('1');
    await expect.poll(() => page.locator('[data-test="import-report"]').textContent()).toContain('身份证号无效');
    expect(await page.locator('[data-test="import-summary"]').textContent()).toContain('标签：低保 1');
    await shot(page, 'archive-import-done');

    // The same file again: nothing changes.
    await page.locator('[data-test="import-another"]').click();
    await importFile(page, file);
    expect(await counts(page, 'created')).toBe('0');
    expect(await counts(page, 'unchanged')).toBe('3');

    // Another department's older phone: kept, and listed as a conflict (masked).
    await page.locator('[data-test="import-another"]').click();
    await importFile(page, csv([[ids[1] ?? '', '周建国', '13700000002', grid.code, '其他部门', '2025-12-01', '']]));
    expect(await counts(page, 'unchanged')).toBe('1');
    const conflicts = page.locator('[data-test="import-conflicts"]');
    await expect.poll(() => conflicts.textContent()).toContain('保留档案中较新的数据');
    expect(await conflicts.textContent()).toContain('137****0002');
    await shot(page, 'archive-import-conflict');

    const found = await apiCall<{ items: { id: string }[]; total: number }>(
      base,
      session,
      'GET',
      `/api/archive/people?idNumber=${ids[1]}`,
    );
    expect(found.total).toBe(1);
    await page.getByRole('tab', { name: '导入记录' }).click();
    await expect.poll(() => page.locator('[data-test="import-runs"] .el-table__row').count()).toBeGreaterThanOrEqual(3);
    await context.close();
  });
});

/**
 * Exports and the monthly assessment in a real browser, on the demo: the dispatcher exports the
 * closed cases from the case list as CSV (the downloaded file's header row and row count against
 * what the server announced), then with reporters' contacts unmasked for a stated purpose; the
 * leader opens the monthly assessment, switches to departments, downloads the XLSX and sees the
 * page as it prints. Screenshots go to test-results/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseCsv } from '../server/exports/csv-parse.js';
import { launch } from './browser.js';
import { DESKTOP, SHOTS, shot, signInAs } from './support.js';

let browser: Browser;
let base: string;

/** Opens the export dialog, lets `fill` set it up, starts it; returns the file and the server's answer. */
async function exportFromList(page: Page, fill?: () => Promise<void>) {
  await page.locator('[data-test="export-open"]').click();
  const dialog = page.locator('.export-dialog');
  await dialog.waitFor();
  await fill?.();
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/cases/export'));
  const downloaded = page.waitForEvent('download', { timeout: 30_000 });
  await dialog.locator('[data-test="export-start"]').click();
  const answer = await answered;
  expect(answer.status()).toBe(200);
  const download = await downloaded;
  const bytes = readFileSync(await download.path());
  await dialog.waitFor({ state: 'hidden' });
  return { answer, download, bytes };
}

describe('exports and the monthly assessment in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('the dispatcher exports the filtered case list as CSV, masked and then unmasked with a purpose', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, base, 'dispatcher');
    await page.goto(`${base}/cases?state=closed`);
    await page.locator('.el-table__row').first().waitFor({ timeout: 20_000 });

    const { answer, download, bytes } = await exportFromList(page);
    const total = Number(answer.headers()['x-total-count']);
    expect(total).toBeGreaterThan(0);
    expect(download.suggestedFilename()).toMatch(/^cases-\d{8}-\d{4}\.csv$/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8'));
    expect(rows[0]?.slice(0, 3)).toEqual(['编号 Number', '上报时间 Reported at', '状态 State']);
    expect(rows.length - 1).toBe(total);
    const state = rows[0]?.indexOf('状态 State') ?? -1;
    expect(new Set(rows.slice(1).map((r) => r[state]))).toEqual(new Set(['已结案']));
    const phone = rows[0]?.indexOf('联系电话 Phone') ?? -1;
    expect(rows.slice(1).every((r) => !r[phone] || r[phone]?.includes('****'))).toBe(true);

    // Unmasked: the purpose is asked for, and too short a one is refused in the dialog.
    const unmasked = await exportFromList(page, async () => {
      const dialog = page.locator('.export-dialog');
      await dialog.locator('.el-checkbox', { hasText: '导出完整的上报人姓名和电话' }).click();
      await dialog.locator('textarea[name="purpose"]').fill('回访');
      await dialog.locator('[data-test="export-start"]').click();
      await expect.poll(() => dialog.locator('[role="alert"]').textContent()).toContain('至少 4 个字');
      await dialog.locator('textarea[name="purpose"]').fill('回访核实结案情况');
      await shot(page, 'exports-dialog');
    });
    const unmaskedRows = parseCsv(unmasked.bytes.toString('utf8'));
    expect(unmasked.answer.headers()['x-unmasked-count']).toBe(String(unmaskedRows.length - 1));
    expect(unmaskedRows.slice(1).some((r) => /^1\d{10}$/.test(r[phone] ?? ''))).toBe(true);
    await context.close();
  });

  it('the leader reads the monthly assessment, by departments too, downloads it and prints it', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, base, 'leader');
    const menu = page.locator('.nav-menu');
    await expect.poll(() => menu.textContent()).toContain('月度考核');
    await menu.getByText('月度考核').click();
    await page.waitForURL(/\/assessment/);
    const sheet = page.locator('[data-test="assessment-sheet"]');
    await sheet.waitFor({ timeout: 20_000 });
    const month = new URL(page.url()).searchParams.get('month') ?? '';
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    await expect.poll(() => sheet.locator('h2').textContent()).toContain(`${month} 月度考核`);
    const units = await sheet.locator('tbody tr').count();
    expect(units).toBeGreaterThan(0);
    expect(await sheet.locator('thead').textContent()).toContain('综合得分');
    expect(await sheet.locator('tfoot').textContent()).toContain('合计');
    await shot(page, 'exports-assessment');

    await page.locator('[data-field="group"]').getByText('职能部门').click();
    await page.waitForURL(/group=departments/);
    await expect.poll(() => sheet.locator('thead th').nth(1).textContent()).toContain('部门');

    const downloaded = page.waitForEvent('download', { timeout: 30_000 });
    await page.locator('[data-test="assessment-xlsx"]').click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(new RegExp(`^assessment-\\d+-${month}-departments\\.xlsx$`));
    expect(
      readFileSync(await download.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    // On paper: the sheet alone.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.shell__aside').isVisible()).toBe(false);
    expect(await page.locator('.assessment__toolbar').isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/exports-assessment-print.png`, fullPage: true });
    await context.close();
  });
});

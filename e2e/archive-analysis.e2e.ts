/**
 * The resident archive's two report screens in a real browser, on the demo's synthetic archive:
 * committee staff open the monthly community analysis of their committee from the menu (the numbers
 * the API gives, the charts, the definitions, the current month marked partial, a bad month's coded
 * message, the page on paper), a subdistrict administrator picks another committee; committee staff
 * export the people of a search as CSV — the file opens with the watermark naming them, then the
 * header; rows and clear rows as the server counted; the export is in a person's access history; a
 * refusal shows the server's coded message. Screenshots (zh-CN, 1280 × 900, and the print media) go
 * to test-results/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MONTHLY_DEFINITIONS, type MonthlyAnalysis } from '../common/monthly-analysis.js';
import { parseCsv } from '../server/exports/csv-parse.js';
import { launch } from './browser.js';
import { apiCall, apiSession, choose, DESKTOP, desktopContext, SHOTS, shot, signInAs } from './support.js';

let browser: Browser;
let base: string;

const MASKED_ID = /^[0-9]{6}\*{8}[0-9X]{4}$/;
const text = async (locator: { textContent(): Promise<string | null> }) => ((await locator.textContent()) ?? '').trim();

describe('the monthly community analysis and the people export in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('committee staff read their committee’s month as the API counts it, with charts, definitions and a print view', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, 'committee');
    const menu = page.locator('.nav-menu');
    await expect.poll(() => menu.textContent()).toContain('社区月度分析');
    await menu.getByText('社区月度分析').click();
    await page.waitForURL(/\/archive\/analysis\?.*unitId=/);
    const sheet = page.locator('[data-test="analysis-sheet"]');
    await sheet.waitFor({ timeout: 20_000 });

    // The last complete month by default, and the committee in the address.
    const url = new URL(page.url());
    const unitId = url.searchParams.get('unitId') ?? '';
    const month = url.searchParams.get('month') ?? '';
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    const session = await apiSession(base, 'committee');
    const api = await apiCall<MonthlyAnalysis>(
      base,
      session,
      'GET',
      `/api/analysis/monthly?unitId=${unitId}&month=${month}`,
    );
    expect(api.partial).toBe(false);
    const [year, m] = month.split('-').map(Number);
    expect(await text(page.locator('[data-test="analysis-heading"]'))).toBe(
      `${api.unit.name} ${year}年${m}月 社区月度分析`,
    );
    expect(await page.locator('[data-test="analysis-partial"]').count()).toBe(0);

    // The numbers are the server's.
    const kpi = (key: string) => text(page.locator(`[data-kpi="${key}"] [data-value]`));
    expect(await kpi('populationEnd')).toBe(String(api.population.end));
    expect(await kpi('households')).toBe(String(api.population.households));
    expect(await kpi('coverage')).toBe(`${(api.visits.coverage.rate * 100).toFixed(1)}%`);
    expect(await kpi('visits')).toBe(String(api.visits.count));
    expect(await kpi('casesReported')).toBe(String(api.cases.reported));
    expect(await kpi('needsOpen')).toBe(String(api.needs.open));
    const number = (key: string) => text(page.locator(`[data-number="${key}"] td`));
    expect(await number('populationStart')).toBe(String(api.population.start));
    expect(await number('added')).toBe(String(api.population.added));
    expect(await number('movedOut')).toBe(String(api.population.movedOut));
    expect(await number('deceased')).toBe(String(api.population.deceased));
    expect(await number('needsNew')).toBe(String(api.needs.new));
    expect(api.population.end).toBeGreaterThan(0);
    expect(await page.locator('[data-test="analysis-grids"] tbody tr').count()).toBe(api.visits.grids.length);
    for (const tag of api.tags.filter((x) => x.active > 0))
      expect(await text(page.locator(`[data-tag="${tag.code}"] td`).first())).toBe(String(tag.active));

    // A chart per figure with something to draw; the definitions, each with its formula.
    await page.locator('[data-figure="population"] [data-chart] canvas').first().waitFor();
    const drawn = api.figures.filter((f) => f.categories.length && f.series.some((s) => s.values.some((v) => v > 0)));
    expect(await page.locator('[data-figure] [data-chart]').count()).toBe(drawn.length);
    expect(await page.locator('[data-definition]').count()).toBe(Object.keys(MONTHLY_DEFINITIONS).length);
    expect(await text(page.locator('[data-definition="coverage"] td'))).toBe(MONTHLY_DEFINITIONS.coverage.formulaZh);
    expect(await page.locator('[data-kpi="coverage"] [title]').getAttribute('title')).toBe(
      MONTHLY_DEFINITIONS.coverage.formulaZh,
    );
    await shot(page, 'archive-analysis');

    // On paper: the report alone, the committee and month in its title, at A4's width (190 mm inside its margins).
    await page.setViewportSize({ width: 718, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.shell__aside').isVisible()).toBe(false);
    expect(await page.locator('.monthly-analysis__toolbar').isVisible()).toBe(false);
    expect(await page.locator('[data-test="analysis-print"]').isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    expect(await page.locator('[data-test="analysis-heading"]').isVisible()).toBe(true);
    // Each chart stays inside its section (the canvas is in the flow, scaled to the column).
    for (const id of ['population', 'coverage']) {
      const section = await page.locator(`[data-section="${id === 'coverage' ? 'visits' : id}"]`).boundingBox();
      const chart = await page.locator(`[data-figure="${id}"] canvas`).first().boundingBox();
      if (!section || !chart) throw new Error(`no ${id} chart on paper`);
      expect(chart.y + chart.height).toBeLessThanOrEqual(section.y + section.height);
      expect(chart.x + chart.width).toBeLessThanOrEqual(section.x + section.width);
    }
    await page.screenshot({ path: `${SHOTS}/archive-analysis-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(DESKTOP);

    // The current month is partial; a month ahead is refused with the server's coded message.
    const now = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    await page.goto(`${base}/archive/analysis?unitId=${unitId}&month=${now}`);
    await page.locator('[data-test="analysis-partial"]').waitFor();
    await page.locator('[data-test="analysis-partial-tag"]').waitFor();
    await page.goto(`${base}/archive/analysis?unitId=${unitId}&month=2999-01`);
    await expect
      .poll(() => page.locator('[data-test="analysis-error"]').textContent())
      .toContain('月份格式须为 yyyy-mm，且不能晚于本月');
    expect(await page.locator('[data-test="analysis-sheet"]').count()).toBe(0);
    await context.close();
  });

  it('a subdistrict administrator picks another committee of the scope; a grid worker has no such page', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, 'admin');
    const admin = await apiSession(base, 'admin');
    const committees = await apiCall<{ items: { id: string; name: string }[] }>(
      base,
      admin,
      'GET',
      '/api/units?level=community&limit=50',
    );
    expect(committees.items.length).toBeGreaterThan(1);
    const [first, second] = committees.items;
    if (!first || !second) throw new Error('the demo subdistrict has fewer than two committees');
    await page.goto(`${base}/archive/analysis`);
    const heading = page.locator('[data-test="analysis-heading"]');
    await expect.poll(() => heading.textContent(), { timeout: 20_000 }).toContain(first.name);
    await choose(page, 'committee', second.name);
    await expect.poll(() => heading.textContent(), { timeout: 20_000 }).toContain(second.name);
    expect(new URL(page.url()).searchParams.get('unitId')).toBe(second.id);
    await context.close();

    // A grid worker's grant reaches grids, never a committee: no such page in the menu.
    const workerContext = await desktopContext(browser);
    const worker = await workerContext.newPage();
    await signInAs(worker, base, 'gridworker');
    const menu = worker.locator('.nav-menu');
    await expect.poll(() => menu.textContent()).toContain('走访清单');
    expect(await menu.textContent()).not.toContain('社区月度分析');
    await workerContext.close();
  });

  it('committee staff export the people of a search as CSV: watermark, header, counts, audit', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, 'committee');
    const session = await apiSession(base, 'committee');
    const me = await apiCall<{ account: { displayName: string; username: string } }>(
      base,
      session,
      'GET',
      '/api/session',
    );

    await page.goto(`${base}/archive?tag=elderly_alone`);
    await page.locator('[data-test="people"] .el-table__body tr').first().waitFor({ timeout: 20_000 });
    await page.locator('[data-test="export-open"]').click();
    const dialog = page.locator('.people-export');
    await dialog.waitFor();
    expect(await text(dialog.locator('[data-test="export-warning"]'))).toContain(me.account.displayName);
    expect(await text(dialog.locator('[data-test="export-warning"]'))).toContain('50,000');
    expect(await text(dialog.locator('[data-test="export-filters"]'))).toContain('独居老人');
    // Committee staff may unmask: the choice is offered (and left off here).
    expect(await dialog.locator('[data-test="export-unmask"]').count()).toBe(1);

    // Without a purpose nothing is asked of the server.
    let asked = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/archive/people/export')) asked += 1;
    });
    await dialog.locator('[data-test="export-start"]').click();
    await dialog.locator('.el-form-item__error').first().waitFor();
    expect(asked).toBe(0);

    await dialog.locator('[data-field="purpose"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '联系本人' }).first().click();
    const purposeText = `走访独居老人名单核对 ${Date.now().toString(36)}`;
    await dialog.locator('textarea[name="purposeText"]').fill(purposeText);
    // A purpose chosen and a text long enough: the earlier refusals are gone.
    await expect.poll(() => dialog.locator('.el-form-item__error').count()).toBe(0);
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/archive/people/export'));
    const downloaded = page.waitForEvent('download', { timeout: 30_000 });
    await dialog.locator('[data-test="export-start"]').click();
    const answer = await answered;
    expect(answer.status()).toBe(200);
    const total = Number(answer.headers()['x-total-count']);
    expect(total).toBeGreaterThan(0);
    expect(answer.headers()['x-unmasked-count']).toBe('0');
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^people-\d{4}-\d{2}-\d{2}\.csv$/);

    const rows = parseCsv(readFileSync(await download.path()).toString('utf8'));
    expect(rows[0]?.[0]).toContain(`导出人 Exported by: ${me.account.displayName} (${me.account.username})`);
    expect(rows[0]?.[0]).toContain(purposeText);
    expect(rows[1]?.[0]).toContain('内部资料');
    expect(rows[2]?.slice(0, 4)).toEqual(['姓名 Name', '性别 Gender', '出生日期 Birth date', '身份证号 ID number']);
    const people = rows.slice(3).filter((r) => r.some((c) => c !== ''));
    expect(people.length).toBe(total);
    const id = rows[2]?.indexOf('身份证号 ID number') ?? -1;
    expect(people.every((r) => !r[id] || MASKED_ID.test(r[id] ?? ''))).toBe(true);
    const tags = rows[2]?.indexOf('标签 Tags') ?? -1;
    expect(people.every((r) => (r[tags] ?? '').includes('独居老人'))).toBe(true);
    await expect
      .poll(() => dialog.locator('[data-test="export-result"]').textContent())
      .toContain(`已导出 ${total} 人，其中明文 0 人`);
    await shot(page, 'archive-export-dialog');

    // The export is in an exported person's access history, with its purpose.
    const listed = await apiCall<{ items: { id: string; name: string }[] }>(
      base,
      session,
      'GET',
      '/api/archive/people?tag=elderly_alone&pageSize=1',
    );
    const someone = listed.items[0];
    if (!someone) throw new Error('no elderly person living alone in the committee');
    const admin = await apiSession(base, 'admin');
    const history = await apiCall<{ items: { via: string; purpose: string | null }[] }>(
      base,
      admin,
      'GET',
      `/api/archive/people/${someone.id}/access-history`,
    );
    expect(history.items.some((e) => e.via === 'export' && (e.purpose ?? '').includes(purposeText))).toBe(true);

    // A refusal is shown with the server's coded message (here: more than the export may carry).
    await page.route('**/api/archive/people/export', (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'ARCHIVE_EXPORT_TOO_LARGE',
            message: '导出人数超过上限，请缩小范围',
            messages: { 'zh-CN': '导出人数超过上限，请缩小范围', en: 'Too many people to export; narrow the filters' },
            fields: [],
          },
        }),
      }),
    );
    await dialog.locator('[data-test="export-start"]').click();
    await expect
      .poll(() => dialog.locator('[data-test="export-error"]').textContent())
      .toContain('导出人数超过上限，请缩小范围');
    await context.close();
  });
});

/**
 * The resident's side in a real browser on a phone-sized screen (390 × 844), no staff sign-in:
 * report with a photo and the phone's location (pin on the grid map), get a tracking code, follow
 * the case and see its state and public timeline, with no personal data on the page; rate it after
 * the dispatcher closes it; the English switch. Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { apiCall, apiSession, submitResidentReport } from './support.js';

const SHOTS = 'test-results';
const PASSWORD = 'Gridloop@2026';
const RESIDENT_PASSWORD = 'Resident@2026';
const PHONE = { width: 390, height: 844 };
/** What the resident types as contact: it must never come back on the public pages. */
const CONTACT = { name: '测试联系人甲', phone: '13912345678' };

let browser: Browser;
let base: string;

interface Grid {
  properties: { name: string };
  geometry: { type: string; coordinates: number[][][] | number[][][][] };
}

/** A point well inside the demo's first unit grid (the mean of its outer ring; the demo's grids are convex). */
async function pointInFirstGrid(): Promise<{ longitude: number; latitude: number; name: string }> {
  const grids = (await (await fetch(`${base}/api/public/grids`)).json()) as { features: Grid[] };
  const grid = grids.features[0];
  if (!grid) throw new Error('the demo has no unit grids');
  const ring = (
    grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0]?.[0]
  ) as number[][];
  const vertices = ring.slice(0, -1);
  const longitude = vertices.reduce((sum, p) => sum + (p[0] ?? 0), 0) / vertices.length;
  const latitude = vertices.reduce((sum, p) => sum + (p[1] ?? 0), 0) / vertices.length;
  return { longitude, latitude, name: grid.properties.name };
}

/** Reporting needs the demo's category catalogue; say plainly when it is missing. */
async function expectCatalogue(): Promise<void> {
  const catalogue = (await (await fetch(`${base}/api/public/categories`)).json()) as { items: unknown[] };
  expect(catalogue.items.length, 'the demo seeded no case categories: nothing can be reported').toBeGreaterThan(0);
}

async function phoneContext(geolocation?: { longitude: number; latitude: number }): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'zh-CN',
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    ...(geolocation ? { geolocation: { ...geolocation, accuracy: 20 }, permissions: ['geolocation'] } : {}),
  });
}

/** Nothing may stick out sideways on a phone. */
async function expectNoSidewaysOverflow(page: Page): Promise<void> {
  // A string: the test code is type-checked without the DOM library.
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  expect(width).toBeLessThanOrEqual(PHONE.width);
}

/** A screenshot of the whole page from its top, once passing toasts have gone. */
async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.locator('.el-message').waitFor({ state: 'detached', timeout: 10_000 });
  if (fullPage) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

/** The demo dispatcher's session for the staff API (the staff pages are tested elsewhere). */
async function dispatcherSession(): Promise<{ cookie: string; csrfToken: string }> {
  const signIn = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'dispatcher', password: PASSWORD }),
  });
  expect(signIn.status).toBe(200);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

async function staffView(caseId: string): Promise<{ version: number; reporter: { kind: string } }> {
  const { cookie } = await dispatcherSession();
  const res = await fetch(`${base}/api/cases/${caseId}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as { version: number; reporter: { kind: string } };
}

/** The dispatcher closes the case as cannot-be-solved, with the explanation residents then read. */
async function closeAsDispatcher(caseId: string): Promise<void> {
  const { cookie, csrfToken } = await dispatcherSession();
  const current = await staffView(caseId);
  const closed = await fetch(`${base}/api/cases/${caseId}/transitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({
      action: 'close',
      version: current.version,
      closeReason: 'unsolvable',
      reason: '产权单位正在申请维修资金，已向居民说明情况',
    }),
  });
  expect(closed.status, await closed.text()).toBe(200);
}

describe('the resident in the browser (phone)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('reports with a photo and their location, gets a tracking code, follows the case, rates it, in Chinese and English', async () => {
    await expectCatalogue();
    const place = await pointInFirstGrid();
    const context = await phoneContext(place);
    const page = await context.newPage();

    // Home: report or track; the residents' own layout, not the staff shell.
    await page.goto(`${base}/public`);
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('随手拍');
    expect(await page.locator('.shell, .nav-menu').count()).toBe(0);
    await expectNoSidewaysOverflow(page);
    await shot(page, 'public-home-zh');
    await page.locator('[data-testid="start-report"]').click();
    await page.waitForURL(/\/public\/report$/);

    // Kind of problem: the bottom sheet, first minor category of the catalogue.
    await page.locator('[data-testid="category-field"]').click();
    const first = page.locator('.category-picker__option').first();
    await first.waitFor();
    const categoryName = ((await first.textContent()) ?? '').trim();
    await page.locator('input[name="category-search"]').fill(categoryName);
    await shot(page, 'public-category-zh', false);
    await page.locator('.category-picker__option', { hasText: categoryName }).first().click();
    await expect.poll(() => page.locator('[data-testid="category-field"]').textContent()).toContain(categoryName);

    await page.locator('textarea[name="description"]').fill('小区东门口的路灯已经坏了一个星期，晚上很黑，老人出行不便');

    // A photo from the "camera": a small JPEG made here.
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 190, g: 90, b: 40 } } })
      .jpeg()
      .toBuffer();
    await page
      .locator('input[name="photos"]')
      .setInputFiles({ name: 'street.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await expect.poll(() => page.locator('.photo-picker__item.is-done').count(), { timeout: 15_000 }).toBe(1);

    // Location: the phone's position puts the pin in a grid of the demo, drawn offline.
    await page.locator('canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: '使用我的位置' }).click();
    await expect.poll(() => page.locator('[data-testid="pin-place"]').textContent()).toContain(`位于：${place.name}`);
    await page.locator('input[name="address"]').fill('梧桐路 88 弄东门');
    await page.locator('input[name="contactName"]').fill(CONTACT.name);
    await page.locator('input[name="contactPhone"]').fill(CONTACT.phone);
    await page.waitForTimeout(800); // the map settles before the screenshot
    await expectNoSidewaysOverflow(page);
    await shot(page, 'public-report-zh');

    // The tracking code, large.
    const { id, trackingCode, number } = await submitResidentReport(page);
    expect(await page.textContent('body')).toContain(number);
    await expectNoSidewaysOverflow(page);
    await shot(page, 'public-done-zh');

    // Follow it: state, kind, timeline; nothing personal.
    await page.getByRole('button', { name: '查看办理进度' }).click();
    await page.waitForURL(new RegExp(`/public/track/${trackingCode}$`));
    await expect.poll(() => page.locator('[data-testid="case-state"]').textContent()).toContain('待立案');
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain(categoryName);
    expect(body).toContain('问题已上报');
    expect(body).not.toContain(CONTACT.name);
    expect(body).not.toContain(CONTACT.phone);
    expect(body).not.toContain('梧桐路 88 弄东门');
    expect(body).not.toMatch(/1\d{10}/);
    expect(await page.locator('[data-testid="callback-form"]').count()).toBe(0);
    await expectNoSidewaysOverflow(page);
    await shot(page, 'public-track-zh');

    // Closed by the dispatcher: the resident rates it on the same page.
    await closeAsDispatcher(id);
    await page.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => page.locator('[data-testid="case-state"]').textContent()).toContain('已结案');
    const staffReason = '产权单位正在申请维修资金';
    expect(await page.textContent('body')).toContain(staffReason);
    const callback = page.locator('[data-testid="callback-form"]');
    await callback.getByText('基本满意', { exact: true }).click();
    await callback.getByText('未解决', { exact: true }).click();
    await callback.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => page.locator('[data-testid="case-summary"]').textContent()).toContain('基本满意');
    expect(await callback.count()).toBe(0);
    expect(await page.locator('[data-testid="dispute-form"]').count()).toBe(1);
    await shot(page, 'public-track-rated-zh');

    // The same page in English.
    await page.locator('.public__header .el-dropdown button').first().click();
    await page.locator('.el-dropdown-menu__item[lang="en"]').click();
    await page.locator('.el-dropdown-menu').waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('Case progress');
    // Seen, not just present: a stray language rule once hid the whole page.
    expect(await page.locator('[data-testid="case-state"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="case-state"]').textContent()).toContain('Closed');
    expect(await page.locator('[data-testid="case-summary"]').textContent()).toContain('Mostly satisfied');
    await expectNoSidewaysOverflow(page);
    await shot(page, 'public-track-en');
    await context.close();
  });

  it('lets a resident sign in by mobile number and pin the place by hand when location is refused', async () => {
    await expectCatalogue();
    const context = await phoneContext();
    const page = await context.newPage();
    await page.goto(`${base}/public/report`);
    await page.getByRole('button', { name: '居民登录' }).click();
    const dialog = page.locator('.el-dialog');
    await dialog.locator('input[name="phone"]').fill('13800000001');
    await dialog.locator('input[name="password"]').fill('not-the-password');
    await dialog.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => dialog.locator('[role="alert"]').textContent()).toContain('错误');
    await dialog.locator('input[name="password"]').fill(RESIDENT_PASSWORD);
    await dialog.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('.report__identity').textContent()).toContain('138****0001');
    // Signed in, the contact fields give way to who is reporting.
    expect(await page.locator('input[name="contactPhone"]').count()).toBe(0);

    await page.locator('[data-testid="category-field"]').click();
    await page.locator('.category-picker__option').first().click();
    await page.locator('textarea[name="description"]').fill('楼道里堆满了杂物，影响通行');
    // Location refused: the page says so, and without a pin or an address the form does too.
    await page.getByRole('button', { name: '使用我的位置' }).click();
    await expect
      .poll(() => page.locator('.location-field [role="status"]').first().textContent())
      .toContain('未能获取您的位置');
    await page.getByRole('button', { name: '提交上报' }).click();
    await expect
      .poll(() => page.locator('.report .el-form-item__error').allTextContents())
      .toContain('请在地图上标出位置，或填写地址');
    // A tap on the grid map puts the pin by hand.
    const canvas = page.locator('canvas.maplibregl-canvas');
    await canvas.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    await canvas.click({ position: { x: 180, y: 120 } });
    await expect.poll(() => page.locator('[data-testid="pin-place"]').textContent()).toMatch(/位于：|不在网格范围内/);
    expect(await page.locator('.maplibregl-marker').count()).toBe(1);
    await page.locator('input[name="address"]').fill('梧桐路 120 号 2 号楼');
    const reported = page.waitForResponse(
      (r) => r.url().endsWith('/api/public/cases') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: '提交上报' }).click();
    const answer = await reported;
    expect(answer.status(), await answer.text()).toBe(201);
    await page.waitForURL(/\/public\/done\//);
    // The report is the signed-in resident's, not anonymous.
    expect((await staffView(((await answer.json()) as { id: string }).id)).reporter.kind).toBe('resident');
    expect((await page.locator('[data-testid="tracking-code"]').textContent())?.trim()).toMatch(/^[0-9A-Z]{10}$/);
    await expectNoSidewaysOverflow(page);
    await shot(page, 'public-done-resident-zh');
    await context.close();
  });

  it('asks the category’s extra questions, requires the required one, and hands the answers to the dispatcher', async () => {
    await expectCatalogue();
    const admin = await apiSession(base, 'districtadmin');
    const catalogue = (await (await fetch(`${base}/api/public/categories`)).json()) as {
      items: { code: string; name: { zh: string } }[];
    };
    const category = catalogue.items.at(-1);
    if (!category) throw new Error('the demo seeded no case categories');
    await apiCall(base, admin, 'PATCH', `/api/categories/${category.code}`, {
      questions: [
        {
          code: 'source',
          datatype: 'singlevaluelist',
          required: true,
          order: 1,
          description: { zh: '问题来源', en: 'Where it comes from' },
          values: [
            { key: 'shop', name: { zh: '沿街商铺', en: 'A shop' } },
            { key: 'site', name: { zh: '建筑工地', en: 'A building site' } },
          ],
        },
        {
          code: 'count',
          datatype: 'number',
          required: false,
          order: 2,
          description: { zh: '涉及数量', en: 'How many' },
          values: [],
        },
      ],
    });
    const context = await phoneContext(await pointInFirstGrid());
    try {
      const page = await context.newPage();
      await page.goto(`${base}/public/report`);
      await page.locator('[data-testid="category-field"]').click();
      await page.locator('input[name="category-search"]').fill(category.name.zh);
      await page.locator('.category-picker__option', { hasText: category.name.zh }).first().click();
      const questions = page.locator('[data-test="category-questions"]');
      await expect.poll(() => questions.textContent()).toContain('问题来源');
      expect(await questions.textContent()).toContain('涉及数量');
      await page.locator('textarea[name="description"]').fill('门口堆放的东西越来越多，挡住了人行道');
      await page.locator('canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: '使用我的位置' }).click();
      await expect.poll(() => page.locator('[data-testid="pin-place"]').textContent()).toContain('位于：');

      // Unanswered, the required question says so at its place and nothing is sent.
      await page.getByRole('button', { name: '提交上报' }).click();
      await expect
        .poll(() => page.locator('[data-question="source"] .el-form-item__error').textContent())
        .toContain('请回答此问题');
      await page.locator('[data-question="source"]').getByText('建筑工地').click();
      await expect.poll(() => page.locator('[data-question="source"] .el-form-item__error').count()).toBe(0);
      await page.locator('input[name="answers.count"]').fill('3');
      await expectNoSidewaysOverflow(page);
      await shot(page, 'public-report-questions-zh');
      const { id } = await submitResidentReport(page);

      const { cookie } = await dispatcherSession();
      const seen = (await (await fetch(`${base}/api/cases/${id}`, { headers: { cookie } })).json()) as {
        description: string;
      };
      expect(seen.description).toContain('问题来源 / Where it comes from: 建筑工地 / A building site');
      expect(seen.description).toContain('涉及数量 / How many: 3');
    } finally {
      await context.close();
      await apiCall(base, admin, 'PATCH', `/api/categories/${category.code}`, { questions: [] });
    }
  });

  it('says so when a tracking code is wrong, and forgives lower case and look-alike letters', async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    await page.goto(`${base}/public/track`);
    await page.locator('input[name="trackingCode"]').fill('abc');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.locator('.code-form__problem').textContent()).toContain('10 位');
    await page.locator('input[name="trackingCode"]').fill('zzzz-zzzz-zo');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/\/public\/track\/ZZZZZZZZZ0$/);
    await expect.poll(() => page.locator('[role="alert"]').first().textContent()).toContain('没有找到');
    await expectNoSidewaysOverflow(page);
    await shot(page, 'public-track-unknown-zh');
    await context.close();
  });
});

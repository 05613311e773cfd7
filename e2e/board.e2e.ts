/**
 * The board of lights and the case map, as the demo dispatcher: figures for the open cases of the
 * demo's history, the red figure opening the filtered list, the map's clusters zooming in until a
 * case can be opened from its popup; the page at 360 px. Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { desktopContext, expectNoSidewaysOverflow, SHOTS, shot, signInAs, stateTag } from './support.js';

let browser: Browser;
let base: string;

describe('the board of lights in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('counts lights, opens the red cases, and reaches a case through the map', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, 'dispatcher');
    await expect.poll(() => page.locator('.nav-menu').textContent()).toContain('红黄灯看板');
    await page.goto(`${base}/board`);
    const total = page.locator('[data-light="total"] .board__number');
    await total.waitFor({ timeout: 15_000 });
    expect(Number(await total.textContent())).toBeGreaterThan(0);
    const stages = (await page.locator('[data-test="board-stages"]').textContent()) ?? '';
    expect(stages).toMatch(/立案|派遣|处置|核查/);

    // The map: markers for clusters or cases appear over the grids.
    const markers = page.locator('.case-map__count, .case-map__case');

    await expect.poll(() => markers.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(600);
    await shot(page, 'board-desktop');

    // Zoom into clusters until a case itself is on the map, then open it from its popup.
    for (let i = 0; i < 8 && (await page.locator('.case-map__case').count()) === 0; i++) {
      await page.locator('.case-map__count').first().click();
      await page.waitForTimeout(700);
    }
    const dot = page.locator('.case-map__case').first();
    await dot.waitFor({ timeout: 10_000 });
    const number = (await dot.getAttribute('data-number')) ?? '';
    expect(number).toMatch(/^\d{6}-\d{8}-\d{5}$/);
    await dot.click();
    const link = page.locator('.case-map__popup a');
    await expect.poll(() => link.textContent()).toBe(number);
    await link.click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('.case-head__number').textContent(), { timeout: 15_000 }).toContain(number);
    expect(await stateTag(page).textContent()).toBeTruthy();

    // The red figure opens the list of overdue open cases.
    await page.goto(`${base}/board`);
    const red = page.locator('[data-light="red"]');
    await red.waitFor();
    const redCount = Number(await red.locator('.board__number').textContent());
    await red.click();
    await page.waitForURL(/\/cases\?/);
    expect(page.url()).toContain('overdue=true');
    if (redCount > 0) await expect.poll(() => page.locator('.case-table').textContent()).toMatch(/\d{6}-\d{8}-\d{5}/);
    await context.close();

    // On a 360 px phone the figures stack and nothing sticks out.
    const phone = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 780 }, isMobile: true });
    const small = await phone.newPage();
    await signInAs(small, base, 'dispatcher');
    await small.goto(`${base}/board`);
    await small.locator('[data-light="total"]').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => small.locator('.case-map__count, .case-map__case').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expectNoSidewaysOverflow(small, 360);
    await shot(small, 'board-360');
    await phone.close();
  });
});

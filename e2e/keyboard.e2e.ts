/**
 * Keyboard and labels: a dispatcher signs in, opens a case from 我的待办 and a step's form without a
 * mouse; every field of the report forms (staff and resident) and of a step form has a name a screen
 * reader can say. Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { apiSession, DESKTOP, SHOTS, shot } from './support.js';

let browser: Browser;
let base: string;

/** Presses Tab until the focused element matches `selector` (or gives up after `max` presses). */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/**
 * Visible form fields without an accessible name (a label, aria-label or aria-labelledby): their
 * name or outer HTML. A string: the test code is type-checked without the DOM library.
 */
function unlabelled(page: Page, scope: string): Promise<string[]> {
  return page.evaluate(`(() => {
    const fields = [...document.querySelectorAll(${JSON.stringify(scope)} + ' :is(input, textarea, select)')];
    return fields
      .filter((el) => el.type !== 'hidden' && el.type !== 'file' && el.offsetParent !== null)
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.name || el.outerHTML.slice(0, 120));
  })()`) as Promise<string[]>;
}

describe('keyboard and labels', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('signs in, opens a case from the inbox and a step form by keyboard alone', async () => {
    // A hotline report waiting to be registered, made through the API.
    const { cookie, csrfToken } = await apiSession(base, 'dispatcher');
    const grids = (await (await fetch(`${base}/api/public/grids`)).json()) as {
      features: { geometry: { type: string; coordinates: number[][][] } }[];
    };
    const ring = grids.features[0]?.geometry.coordinates[0] ?? [];
    const [lng, lat] = [ring[0]?.[0] ?? 0, ring[0]?.[1] ?? 0].map((v, i) => v + (i === 0 ? 0.0001 : -0.0001));
    const categories = (await (await fetch(`${base}/api/public/categories`)).json()) as { items: { code: string }[] };
    const made = await fetch(`${base}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        channel: 'hotline',
        categoryCode: categories.items[0]?.code,
        description: '键盘测试：路口井盖松动，车辆经过有响声',
        lng,
        lat,
      }),
    });
    expect(made.status, await made.clone().text()).toBe(201);
    const { number } = (await made.json()) as { number: string };

    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP })).newPage();
    await page.goto(`${base}/login`);
    await tabTo(page, 'input[name="username"]');
    await page.keyboard.type('dispatcher');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.getAttribute("name")')).toBe('password');
    await page.keyboard.type('Gridloop@2026');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    await page.goto(`${base}/work?tab=toRegister`);
    await page.locator('a.case-table__number', { hasText: number }).waitFor({ timeout: 15_000 });
    // Tab along the links of the queue to this case's number, then open it.
    for (let i = 0; i < 150; i++) {
      const focused = String(await page.evaluate('document.activeElement?.textContent ?? ""'));
      if (focused.trim() === number) break;
      await page.keyboard.press('Tab');
    }
    expect(String(await page.evaluate('document.activeElement?.textContent ?? ""')).trim()).toBe(number);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);

    await tabTo(page, 'button[data-action="register"]');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.step-dialog');
    await dialog.waitFor();
    expect(await unlabelled(page, '.step-dialog')).toEqual([]);
    await shot(page, 'keyboard-step-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.close();
  });

  it('gives every field of the report forms a label', async () => {
    const staff = await (await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP })).newPage();
    const { cookie } = await apiSession(base, 'dispatcher');
    const [name, value] = cookie.split('=') as [string, string];
    await staff.context().addCookies([{ name, value, url: base }]);
    await staff.goto(`${base}/cases/new`);
    await staff.locator('textarea[name="description"]').waitFor({ timeout: 15_000 });
    expect(await unlabelled(staff, '.report')).toEqual([]);

    const resident = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 780 } })
    ).newPage();
    await resident.goto(`${base}/public/report`);
    await resident.locator('textarea[name="description"]').waitFor({ timeout: 15_000 });
    expect(await unlabelled(resident, '.report')).toEqual([]);
    await shot(resident, 'keyboard-resident-report-360');
    await staff.close();
    await resident.close();
  });
});

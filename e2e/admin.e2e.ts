/**
 * The administrator's screens in a real browser, as the demo district administrator: a category's
 * time limit changed and still there after a reload (and an impossible one refused on its cell); a
 * day made a holiday on the calendar, marked there, and the due-time calculator moving past it;
 * the dispute window changed; the pages at 1280 and 360 px. A dispatcher sees none of these menus.
 * The test puts back what it changed, so other browser tests see the demo as seeded.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import {
  apiSession,
  choose,
  desktopContext,
  expectNoSidewaysOverflow,
  SHOTS,
  shot,
  signInAs as signIn,
} from './support.js';

const ADMIN = 'districtadmin';
const NARROW = { width: 360, height: 780 };
/** A plain Wednesday with no statutory meaning; the day before is a plain Tuesday. */
const DAY = '2026-12-16';
const MENUS = ['分类与时限', '派遣规则', '工作日历', '系统设置'];

interface Limit {
  urgency: string;
  stage: string;
  amount: number;
  unit: string;
}

let browser: Browser;
let base: string;
let admin: { cookie: string; csrfToken: string };

const signInAs = (page: Page, username: string) => signIn(page, base, username);

async function adminApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      cookie: admin.cookie,
      'x-csrf-token': admin.csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
}

/** Sets the due-time calculator's start, typed as Beijing wall-clock time. */
async function dueFrom(page: Page, value: string): Promise<void> {
  const input = page.locator('.due__from input');
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await page.keyboard.press('Escape');
}

/** Picks a limit cell's unit from that select's own list (found through its aria-controls). */
async function pickUnit(page: Page, cell: ReturnType<Page['locator']>, label: string): Promise<void> {
  const select = cell.locator('[data-part="unit"]');
  await select.scrollIntoViewIfNeeded();
  await select.click();
  const list = await select.locator('[aria-controls]').first().getAttribute('aria-controls');
  const option = page.locator(`[id="${list}"] .el-select-dropdown__item`, { hasText: new RegExp(`^${label}$`) });
  await option.waitFor({ state: 'visible' });
  await option.click();
  await expect.poll(() => select.textContent()).toContain(label);
}

const dueAt = (page: Page) => page.locator('[data-test="due-at"]').getAttribute('data-iso');
const dayButton = (page: Page, day: string) => page.locator(`[data-day="${day}"]`);

describe('the administrator’s screens in the browser', () => {
  let minor: { code: string; name: { zh: string } };
  let originalLimits: Limit[];
  let originalSettings: { disputeDays: number; warnShare: number };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
    admin = await apiSession(base, ADMIN);
    const list = await adminApi<{ items: (typeof minor & { isMajor: boolean; disabled: boolean; limits: Limit[] })[] }>(
      'GET',
      '/api/categories',
    );
    const found = list.items.find((c) => !c.isMajor && !c.disabled);
    if (!found) throw new Error('the demo seeded no case categories');
    minor = found;
    originalLimits = found.limits;
    originalSettings = await adminApi('GET', '/api/settings/cases');
  });

  afterAll(async () => {
    // Put the demo back: limits, settings and the calendar day.
    if (admin && minor) {
      await adminApi('PUT', `/api/categories/${minor.code}/limits`, { limits: originalLimits }).catch(() => undefined);
      await adminApi('PUT', '/api/settings/cases', originalSettings).catch(() => undefined);
      await fetch(`${base}/api/calendar/days/${DAY}`, {
        method: 'DELETE',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      }).catch(() => undefined);
    }
    await browser?.close();
  });

  it('changes a time limit that stays after a reload, and refuses an impossible one on its cell', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, ADMIN);
    const menu = page.locator('.nav-menu');
    for (const name of MENUS) await expect.poll(() => menu.textContent()).toContain(name);

    await page.goto(`${base}/admin/categories?code=${minor.code}`);
    await expect.poll(() => page.locator('.categories__detail').textContent()).toContain(minor.name.zh);
    const cell = page.locator('[data-cell="urgent/handle"]');
    await pickUnit(page, cell, '工作日');
    // A value the category does not have yet, so the reload proves the save.
    const before = originalLimits.find((l) => l.urgency === 'urgent' && l.stage === 'handle');
    const amount = before?.amount === 5 && before.unit === 'working_days' ? 6 : 5;
    await cell.locator('[data-part="amount"] input').fill(String(amount));
    await cell.locator('[data-part="amount"] input').press('Tab');
    await expect.poll(() => cell.getAttribute('class')).toContain('is-own');

    // 999 working days is past the maximum: the cell says so and nothing is sent.
    const other = page.locator('[data-cell="emergency/verify"]');
    await pickUnit(page, other, '工作日');
    await other.locator('[data-part="amount"] input').fill('999');
    await other.locator('[data-part="amount"] input').press('Tab');
    await page.locator('.limits__save').click();
    await expect.poll(() => other.locator('.limits__error').textContent()).toContain('不能超过 60 工作日');
    await other.getByRole('button', { name: '恢复默认' }).click();

    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`/api/categories/${minor.code}/limits`) && r.request().method() === 'PUT',
    );
    await page.locator('.limits__save').click();
    expect((await saved).status()).toBe(200);

    await page.reload();
    const again = page.locator('[data-cell="urgent/handle"]');
    await expect.poll(() => again.locator('[data-part="amount"] input').inputValue()).toBe(String(amount));
    expect(await again.getAttribute('class')).toContain('is-own');
    expect(await again.textContent()).toContain('本分类');
    expect(await again.locator('[data-part="unit"]').textContent()).toContain('工作日');
    expect(await page.locator('[data-cell="emergency/verify"]').getAttribute('class')).not.toContain('is-own');
    const stored = await adminApi<{ limits: Limit[] }>('GET', `/api/categories/${minor.code}`);
    expect(stored.limits).toContainEqual({ urgency: 'urgent', stage: 'handle', amount, unit: 'working_days' });
    await shot(page, 'admin-categories-desktop');
    await context.close();
  });

  it('makes a day a holiday: the calendar marks it and the due time moves past it; then removes it', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, ADMIN);
    await page.goto(`${base}/admin/calendar?year=2026`);
    await expect.poll(() => page.locator('[data-test="calendar-year"]').textContent()).toContain('2026');

    // One working day from Tuesday 10:00 is Wednesday 10:00.
    await dueFrom(page, '2026-12-15 10:00');
    await page.locator('[data-field="dueAmount"] input').fill('1');
    await page.locator('[data-field="dueAmount"] input').press('Tab');
    await expect.poll(() => dueAt(page)).toMatch(/^2026-12-16T10:00/);
    expect(await dayButton(page, DAY).getAttribute('data-kind')).toBe('workday');

    await dayButton(page, DAY).click();
    const dialog = page.locator('.day-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('[data-test="day-kind"]').textContent()).toContain('工作日');
    await dialog.locator('input[name="note"]').fill('台风停工');
    await dialog.locator('.day-dialog__save').click();
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => dayButton(page, DAY).getAttribute('data-kind')).toBe('override_holiday');
    const name = (await dayButton(page, DAY).getAttribute('aria-label')) ?? '';
    expect(name).toContain('2026年12月16日');
    expect(name).toContain('自定义休息日');
    expect(name).toContain('台风停工');
    expect(await page.locator('[data-test="override-list"]').textContent()).toContain(DAY);
    await expect.poll(() => dueAt(page)).toMatch(/^2026-12-17T10:00/);
    await shot(page, 'admin-calendar-desktop');

    // Taking the override away gives the day back to the statutory calendar.
    await dayButton(page, DAY).click();
    await dialog.waitFor();
    await dialog.locator('.day-dialog__remove').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => dayButton(page, DAY).getAttribute('data-kind')).toBe('workday');
    await expect.poll(() => dueAt(page)).toMatch(/^2026-12-16T10:00/);

    // The keyboard walks the year: one week down from the 16th is the 23rd, Enter opens it.
    await dayButton(page, DAY).focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate('document.activeElement?.getAttribute("data-day")')).toBe('2026-12-23');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await dialog.locator('.el-dialog__title').textContent()).toContain('2026年12月23日');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await context.close();
  });

  it('changes the dispute window', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, ADMIN);
    await page.goto(`${base}/admin/settings`);
    const days = page.locator('[data-field="disputeDays"] input');
    await days.waitFor();
    const next = originalSettings.disputeDays === 10 ? '11' : '10';
    await days.fill(next);
    await days.press('Tab');
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/settings/cases') && r.request().method() === 'PUT',
    );
    await page.locator('[data-test="save-loop"]').click();
    expect((await saved).status()).toBe(200);
    await page.reload();
    await expect.poll(() => page.locator('[data-field="disputeDays"] input').inputValue()).toBe(next);
    const stored = await adminApi<{ disputeDays: number }>('GET', '/api/settings/cases');
    expect(stored.disputeDays).toBe(Number(next));

    // The base map: a template without {x}/{y} is refused on its field, before anything is sent.
    const map = page.locator('.base-map-settings');
    await map.locator('input[name="tileUrl"]').fill('https://tiles.example.cn/{z}.png');
    await map.locator('[data-test="save-map"]').click();
    await expect.poll(() => map.locator('.el-form-item__error').textContent()).toContain('包含 {z}、{x}、{y}');
    expect((await adminApi<{ tileUrl: string | null }>('GET', '/api/public/map-settings')).tileUrl).toBeNull();
    await map.locator('input[name="tileUrl"]').fill('');
    await shot(page, 'admin-settings-desktop');

    await context.close();
  });

  it('shows which dispatch rule wins: the most specific unit', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, ADMIN);
    await page.goto(`${base}/admin/dispatch-rules`);
    const rows = page.locator('.rules__table .el-table__row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(1);

    // The demo routes 1506 at the unit its department serves and, for 梧桐苑, at the committee.
    await choose(page, 'filterCategory', '1506');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => page.locator('.rules__table').textContent()).toContain('覆盖上级规则');
    expect(await rows.filter({ hasText: '梧桐苑居委会' }).textContent()).toContain('覆盖上级规则');
    expect(await rows.filter({ hasNotText: '梧桐苑居委会' }).textContent()).toContain('其下有 1 处更具体的规则优先');

    await choose(page, 'checkCategory', '1506');
    await choose(page, 'checkUnit', '梧桐苑居委会');
    await expect
      .poll(() => page.locator('[data-test="check-answer"]').textContent())
      .toContain('规则设于 梧桐苑居委会');
    await shot(page, 'admin-rules-desktop');
    await context.close();
  });

  it('fits a 360 px screen', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: NARROW, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signInAs(page, ADMIN);
    await page.goto(`${base}/admin/categories?code=${minor.code}`);
    await page.locator('[data-cell="normal/register"]').waitFor();
    await expectNoSidewaysOverflow(page, NARROW.width);
    await shot(page, 'admin-categories-360');
    await page.goto(`${base}/admin/calendar?year=2026`);
    await dayButton(page, DAY).waitFor();
    await expectNoSidewaysOverflow(page, NARROW.width);
    await shot(page, 'admin-calendar-360');
    await page.goto(`${base}/admin/settings`);
    await page.locator('[data-field="disputeDays"]').waitFor();
    await expectNoSidewaysOverflow(page, NARROW.width);

    // The calendar in English, still within the width.
    await page.goto(`${base}/admin/calendar?year=2026`);
    await page.locator('.shell__header').getByRole('button', { name: '语言' }).click();
    await page.locator('.el-dropdown-menu__item[lang="en"]').click();
    await expect.poll(() => page.locator('.year__legend').textContent()).toContain('Statutory holiday');
    expect(await dayButton(page, '2026-10-01').getAttribute('aria-label')).toContain('Statutory holiday');
    expect(await page.locator('.calendar-page').textContent()).toContain('Due-time calculator');
    await expectNoSidewaysOverflow(page, NARROW.width);
    await shot(page, 'admin-calendar-360-en');
    await context.close();
  });

  it('shows a dispatcher none of these menus and keeps the pages closed', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, 'dispatcher');
    const menu = page.locator('.nav-menu');
    await expect.poll(() => menu.textContent()).toContain('我的待办');
    const text = (await menu.textContent()) ?? '';
    for (const name of MENUS) expect(text).not.toContain(name);
    await page.goto(`${base}/admin/calendar`);
    await page.waitForURL((url) => url.pathname === '/');
    await context.close();
  });
});

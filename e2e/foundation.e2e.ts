/**
 * The foundation in a real browser: sign-in (wrong password, then right), menus by role, the
 * territory tree and map of the demo subdistrict, the language switch, a phone-sized screen.
 * Screenshots land in test-results/ (a CI artifact) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';

const SHOTS = 'test-results';
const PASSWORD = 'Gridloop@2026';
let browser: Browser;

async function signInAs(page: Page, username: string, password = PASSWORD) {
  await page.goto(`${inject('baseUrl')}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
}

describe('foundation in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('refuses a wrong password with the server’s message, then signs the administrator in', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    await signInAs(page, 'admin', 'not-the-password-1');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('用户名或密码错误');
    await page.screenshot({ path: `${SHOTS}/login-error.png` });
    await signInAs(page, 'admin');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    const menu = page.locator('.nav-menu');
    await expect.poll(() => menu.textContent()).toContain('辖区');
    expect(await menu.textContent()).toContain('人员账号');
    await page.screenshot({ path: `${SHOTS}/home-admin.png` });
    await page.close();
  });

  it('shows the demo subdistrict in the territory tree and draws its map', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    await signInAs(page, 'admin');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${inject('baseUrl')}/territory`);
    await expect.poll(() => page.locator('.unit-tree').textContent(), { timeout: 15_000 }).toContain('梧桐街道');
    await page.locator('.unit-tree__node', { hasText: '梧桐街道' }).first().click();
    await expect.poll(() => page.locator('.unit-detail').textContent(), { timeout: 15_000 }).toContain('310104090000');
    await page.locator('canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1_500);
    await page.screenshot({ path: `${SHOTS}/territory-admin.png` });
    await page.close();
  });

  it('gives a grid worker only their grid and no administration menus', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true });
    await signInAs(page, 'gridworker');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${inject('baseUrl')}/accounts`);
    await page.waitForURL((url) => !url.pathname.startsWith('/accounts'));
    await page.goto(`${inject('baseUrl')}/territory`);
    await expect.poll(() => page.locator('.unit-tree').textContent(), { timeout: 15_000 }).toContain('责任网格');
    expect(await page.locator('.unit-tree').textContent()).not.toContain('梧桐街道');
    await page.screenshot({ path: `${SHOTS}/territory-gridworker-phone.png` });
    await page.close();
  });

  it('switches to English and keeps the choice', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    await page.goto(`${inject('baseUrl')}/login`);
    await page.locator('.login__language button').click();
    await page.locator('.el-dropdown-menu__item[lang="en"]').click();
    await expect.poll(() => page.locator('button[type="submit"]').textContent()).toMatch(/Sign in/i);
    await page.reload();
    expect(await page.locator('button[type="submit"]').textContent()).toMatch(/Sign in/i);
    await page.screenshot({ path: `${SHOTS}/login-en.png` });
    await page.close();
  });
});

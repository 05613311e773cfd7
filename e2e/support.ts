/**
 * What the browser tests share: signing in, taking a workflow step through its dialog, picking from
 * an Element Plus select, screenshots, the phone-width check, and the API calls a test makes to set
 * the scene (a resident's report, a staff session) when the page for that part is tested elsewhere.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { expect } from 'vitest';

export const SHOTS = 'test-results';
/** The demo staff's password (server/seed/demo-data.ts). */
export const PASSWORD = 'Gridloop@2026';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };
/** The demo handler's department (server/seed/demo-data.ts). */
export const SQUAD = '梧桐街道城管执法中队';

export async function signInAs(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export function desktopContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
}

export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'zh-CN', viewport: PHONE, isMobile: true, hasTouch: true });
}

export const stateTag = (page: Page) => page.locator('[data-test="case-state"]');

/** Opens a step's form from its button, lets `fill` complete it, sends it and waits for the new state. */
export async function takeStep(page: Page, action: string, state: string, fill?: () => Promise<void>): Promise<void> {
  await page.locator(`button[data-action="${action}"]`).click();
  const dialog = page.locator('.step-dialog');
  await dialog.waitFor();
  await fill?.();
  await dialog.locator('.step-dialog__submit').click();
  await expect.poll(() => stateTag(page).textContent(), { timeout: 15_000 }).toContain(state);
  await dialog.waitFor({ state: 'detached' });
}

/** Picks an option of an Element Plus select: open it, type to filter, click the option with the text. */
export async function choose(page: Page, field: string, text: string | null): Promise<void> {
  const select = page.locator(`[data-field="${field}"]`);
  await select.click();
  if (text) await select.locator('input').fill(text);
  const option = page.locator('.el-select-dropdown__item:visible', text ? { hasText: text } : {}).first();
  await option.click();
}

/** A small JPEG, as a phone camera would hand the page one. */
export function photo(colour: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
}

/** Puts a photo into the step dialog's picker for one role (before / after / scene) and waits for its upload. */
export async function addStepPhoto(page: Page, role: string, buffer: Buffer): Promise<void> {
  const dialog = page.locator('.step-dialog');
  const done = await dialog.locator('.step-photos__item.is-done').count();
  await dialog
    .locator(`input[name="photos-${role}"]`)
    .setInputFiles({ name: `${role}.jpg`, mimeType: 'image/jpeg', buffer });
  await expect.poll(() => dialog.locator('.step-photos__item.is-done').count(), { timeout: 15_000 }).toBe(done + 1);
}

/**
 * The whole page from its top, once passing toasts have gone. The staff shell scrolls inside its
 * main area, so the window is made as tall as that content for the shot (same width, same layout).
 */
export async function shot(page: Page, name: string): Promise<void> {
  await page
    .locator('.el-message')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  // From the top: a sticky header scrolled down would be drawn across the middle of a full-page shot.
  await page.evaluate('window.scrollTo(0, 0)');
  const viewport = page.viewportSize() ?? DESKTOP;
  const content = Number(
    await page.evaluate(
      "(() => { const m = document.querySelector('.shell__main'); if (!m) return 0; m.scrollTo(0, 0); return m.scrollHeight; })()",
    ),
  );
  if (content > viewport.height) await page.setViewportSize({ width: viewport.width, height: content + 56 });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  if (content > viewport.height) await page.setViewportSize(viewport);
}

export async function expectNoSidewaysOverflow(page: Page, width = PHONE.width): Promise<void> {
  // A string: the test code is type-checked without the DOM library.
  const scrolled = Number(await page.evaluate('document.documentElement.scrollWidth'));
  expect(scrolled).toBeLessThanOrEqual(width);
}

/** A staff session for API calls: its cookie and CSRF token. */
export async function apiSession(base: string, username: string): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

/** One JSON call of the API with a staff session (apiSession); fails the test on an error answer. */
export async function apiCall<T>(
  base: string,
  session: { cookie: string; csrfToken: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.ok, `${method} ${path}: ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

/** The mean of a polygon's outer ring: inside for the demo's convex grids. */
export function ringCentre(geometry: { type: string; coordinates: unknown }): [number, number] {
  const coordinates = geometry.coordinates as number[][][] | number[][][][];
  const ring = (geometry.type === 'Polygon' ? coordinates[0] : coordinates[0]?.[0]) as number[][];
  const vertices = ring.slice(0, -1);
  return [
    vertices.reduce((sum, p) => sum + (p[0] ?? 0), 0) / vertices.length,
    vertices.reduce((sum, p) => sum + (p[1] ?? 0), 0) / vertices.length,
  ];
}

/**
 * Sends the resident's report form: when similar open cases nearby ask first, says it is a new
 * problem; waits for the done page. Returns what the server answered.
 */
export async function submitResidentReport(page: Page): Promise<{ id: string; number: string; trackingCode: string }> {
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/public/cases') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '提交上报' }).click();
  const confirm = page.locator('.el-message-box');
  const confirmed = confirm
    .waitFor({ timeout: 10_000 })
    .then(() => confirm.getByRole('button', { name: '是新问题，继续上报' }).click())
    .catch(() => undefined);
  await Promise.race([confirmed, sent]);
  const answer = await sent;
  expect(answer.status(), await answer.text()).toBe(201);
  await page.waitForURL(/\/public\/done\//);
  const reported = (await answer.json()) as { id: string; number: string; trackingCode: string };
  expect((await page.locator('[data-testid="tracking-code"]').textContent())?.trim()).toBe(reported.trackingCode);
  return reported;
}

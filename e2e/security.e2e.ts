/**
 * The Content-Security-Policy does not break the web application (issue 9, point 7): the dispatcher's
 * inbox, the leader's dashboard (ECharts), the board's case map and the residents' report page
 * (MapLibre, its worker) and the wall display load with the server's headers and the browser reports
 * no violation — neither a `securitypolicyviolation` event in the page nor a "Refused to …" message
 * in the console (workers included).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { desktopContext, signInAs } from './support.js';

let browser: Browser;
let base: string;

/** Collects what the browser says about the CSP: the page's violation events and console messages. */
async function watch(page: Page): Promise<() => Promise<string[]>> {
  const messages: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) messages.push(`console: ${m.text()}`);
  });
  page.on('worker', (w) => w.on('console', (m) => messages.push(`worker: ${m.text()}`)));
  // Kept in the page for the whole session of each document (text: the tests compile without the DOM's types).
  await page.addInitScript(`
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
  `);
  return async () => [
    ...messages.filter((m) => /Content Security Policy|Refused to/i.test(m)),
    ...((await page.evaluate('window.__cspViolations ?? []')) as string[]),
  ];
}

describe('the Content-Security-Policy in the browser', () => {
  beforeAll(async () => {
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('sends the policy with the page', async () => {
    const res = await fetch(`${base}/login`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('loads the inbox, the board’s map, the dashboard and the wall without a violation', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    const violations = await watch(page);
    await signInAs(page, base, 'dispatcher');
    expect(await violations(), 'sign-in page').toEqual([]);
    await page.goto(`${base}/work?tab=toRegister`);
    await page.locator('.case-table__number').first().waitFor({ timeout: 20_000 });
    expect(await violations(), 'inbox').toEqual([]);

    await page.goto(`${base}/board`);
    await page.locator('canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.locator('.case-map__count, .case-map__case').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await violations(), 'board and its map').toEqual([]);
    await context.close();

    const leader = await (await desktopContext(browser)).newPage();
    const leaderViolations = await watch(leader);
    await signInAs(leader, base, 'leader');
    await leader.goto(`${base}/dashboard?period=year`);
    await leader.locator('[data-test="trend"] canvas').waitFor({ timeout: 20_000 });
    await leader.locator('[data-test="ranking"] canvas').waitFor({ timeout: 20_000 });
    // A tooltip of ECharts is positioned with inline styles: hover the trend to open one.
    await leader.locator('[data-test="trend"] canvas').hover();
    expect(await leaderViolations(), 'dashboard').toEqual([]);
    await leader.goto(`${base}/wall`);
    await leader.locator('[data-test="wall-figures"]').waitFor({ timeout: 20_000 });
    await leader.locator('[data-test="wall-map"] canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
    await leader.waitForTimeout(1_000);
    expect(await leaderViolations(), 'wall display').toEqual([]);
    await leader.context().close();
  });

  it('loads the residents’ report page with its map, and the API documentation, without a violation', async () => {
    const page = await (await desktopContext(browser)).newPage();
    const violations = await watch(page);
    await page.goto(`${base}/public/report`);
    await page.locator('canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1_000);
    expect(await violations(), 'public report').toEqual([]);
    await page.goto(`${base}/api/docs`);
    // The operations appear once the document was fetched and drawn.
    // The document of every route is built on the first request: slow on a loaded machine, not a speed target.
    await page.locator('.swagger-ui .opblock-tag').first().waitFor({ timeout: 60_000 });
    expect(await violations(), 'api docs').toEqual([]);
    await page.context().close();
  });
});

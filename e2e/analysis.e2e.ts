/**
 * Seeing where problems are, in a real browser on the demo: the leader's dashboard (figures equal to
 * the server's panel, the trend and ranking charts drawn, a unit of the ranking opened), the heat
 * map (grids coloured, a grid's cases listed beside it, as many as the grid's figure says), and the
 * repeat problems (three reports at one place listed together). Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { apiCall, apiSession, DESKTOP, SHOTS, shot, signInAs } from './support.js';

let browser: Browser;
let base: string;

const api = <T>(session: { cookie: string; csrfToken: string }, method: string, path: string, body?: unknown) =>
  apiCall<T>(base, session, method, path, body);

describe('dashboard, heat map and repeat problems in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('the leader reads the year’s figures, their trend and ranking, and opens a unit of the ranking', async () => {
    const leader = await apiSession(base, 'leader');
    const panel = await api<{
      scope: { unit: { id: string; name: string } };
      counts: Record<string, { value: number }>;
    }>(leader, 'GET', '/api/indicators?period=year');
    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP })).newPage();
    await signInAs(page, base, 'leader');
    await page.goto(`${base}/dashboard?period=year`);
    const reported = page.locator('[data-kpi="reported"] [data-value]');
    await expect.poll(() => reported.textContent(), { timeout: 20_000 }).toBe(String(panel.counts.reported?.value));
    expect(panel.counts.reported?.value).toBeGreaterThan(0);
    expect(await page.locator('[data-kpi="closed"] [data-value]').textContent()).toBe(
      String(panel.counts.closed?.value),
    );
    await page.locator('[data-test="trend"] canvas').waitFor();
    await page.locator('[data-test="ranking"] canvas').waitFor();
    await page.locator('[data-test="channels"] canvas').waitFor();
    // By post: the grid workers (the first tab), in the server's order, with its figures.
    const posts = await api<{ items: { account: { name: string }; figures: { reports: number } }[] }>(
      leader,
      'GET',
      '/api/indicators/posts?period=year&post=grid_worker',
    );
    expect(posts.items.length).toBeGreaterThan(0);
    const firstRow = page.locator('[data-test="posts"] .el-table__body-wrapper .el-table__row').first();
    await expect.poll(() => firstRow.textContent(), { timeout: 15_000 }).toContain(posts.items[0]?.account.name ?? '?');
    expect(await firstRow.textContent()).toContain(String(posts.items[0]?.figures.reports));
    await shot(page, 'analysis-dashboard');

    // The ranking's first unit, opened (its list twin is the keyboard's way in).
    const first = page.locator('.dashboard ol.visually-hidden button').first();
    const name = ((await first.textContent()) ?? '').replace(/^\s*\d+\.\s*/, '').split(' ')[0] ?? '';
    expect(name).not.toBe('');
    await first.dispatchEvent('click');
    await expect.poll(() => page.locator('[data-field="unit"]').textContent(), { timeout: 15_000 }).toContain(name);
    expect(new URL(page.url()).searchParams.get('unitId')).not.toBe(panel.scope.unit.id);
    await page.getByRole('button', { name: '返回上级' }).click();
    await expect
      .poll(() => new URL(page.url()).searchParams.get('unitId'), { timeout: 10_000 })
      .toBe(panel.scope.unit.id);
    await page.close();
  });

  it('a district ranks every community under it, not only its subdistricts', async () => {
    const admin = await apiSession(base, 'districtadmin');
    const every = await api<{ items: { unit: { name: string } | null }[] }>(
      admin,
      'GET',
      '/api/indicators/ranking?period=year&group=units&by=score&level=community',
    );
    expect(every.items.length).toBeGreaterThan(1);
    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP })).newPage();
    await signInAs(page, base, 'districtadmin');
    await page.goto(`${base}/dashboard?period=year`);
    const ranked = page.locator('.dashboard ol.visually-hidden li');
    // By default the children: the demo district has one subdistrict.
    await expect.poll(() => ranked.count(), { timeout: 20_000 }).toBe(1);
    await page.locator('[data-test="rank-level"]').click();
    await page.locator('.el-select-dropdown__item', { hasText: '全部居委会/村委会' }).click();
    await expect.poll(() => ranked.count(), { timeout: 15_000 }).toBe(every.items.filter((i) => i.unit).length);
    expect(await page.locator('.dashboard').textContent()).toContain('全部居委会/村委会综合得分排名');
    await shot(page, 'analysis-dashboard-communities');
    await page.close();
  });

  it('the heat map colours the grids and lists a clicked grid’s cases', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP })).newPage();
    await signInAs(page, base, 'leader');
    await page.goto(`${base}/heatmap?period=year`);
    const map = page.locator('.grid-heat__map');
    await page.locator('.grid-heat canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
    await expect.poll(async () => Number(await map.getAttribute('data-grids')), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(Number(await map.getAttribute('data-valued'))).toBeGreaterThan(0);
    await page.locator('[data-test="legend"]').waitFor();
    await shot(page, 'analysis-heatmap');

    // The middle of the map lies in one of the subdistrict's grids.
    const box = await map.boundingBox();
    if (!box) throw new Error('no map box');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const side = page.locator('[data-test="grid-cases"]');
    await side.waitFor({ timeout: 15_000 });
    const figures = (await side.locator('.heatmap__figures').textContent()) ?? '';
    const reported = Number(/上报\s*(\d+)/.exec(figures)?.[1] ?? NaN);
    expect(Number.isFinite(reported)).toBe(true);
    await expect
      .poll(() => side.locator('a.case-table__number').count(), { timeout: 15_000 })
      .toBe(Math.min(reported, 100));
    await shot(page, 'analysis-heatmap-grid');

    await page.locator('[data-field="mode"] .el-radio-button', { hasText: '点位密度' }).click();
    await page.locator('.heatmap__note').waitFor();
    await page.close();
  });

  it('lists a place where the same problem was reported three times, with its cases', async () => {
    const dispatcher = await apiSession(base, 'dispatcher');
    const grids = await api<{ features: { geometry: { coordinates: number[][][] } }[] }>(
      dispatcher,
      'GET',
      '/api/public/grids',
    );
    const ring = grids.features.at(-1)?.geometry.coordinates[0] ?? [];
    // Near a corner of the last grid, away from the demo's own points.
    const [lng, lat] = [(ring[0]?.[0] ?? 0) + 0.0002, (ring[0]?.[1] ?? 0) + 0.0002];
    const categories = await api<{ items: { code: string; name: { zh: string } }[] }>(
      dispatcher,
      'GET',
      '/api/public/categories',
    );
    const category = categories.items.at(-1);
    const numbers: string[] = [];
    for (const [i, text] of [
      '井盖松动，车辆经过咣当响',
      '这个井盖又松了，晚上很吵',
      '井盖第三次松动，请彻底修好',
    ].entries()) {
      const made = await api<{ number: string }>(dispatcher, 'POST', '/api/cases', {
        channel: 'hotline',
        categoryCode: category?.code,
        description: text,
        address: '银杏路 66 号门口',
        lng: lng + i * 0.00005,
        lat,
      });
      numbers.push(made.number);
    }

    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP })).newPage();
    await signInAs(page, base, 'leader');
    await page.goto(`${base}/hotspots?days=7&min=3`);
    const row = page.locator('[data-test="hotspots"] .el-table__row', { hasText: '银杏路 66 号门口' });
    await row.waitFor({ timeout: 20_000 });
    expect(Number(await row.locator('[data-count]').textContent())).toBeGreaterThanOrEqual(3);
    for (const n of numbers) expect(await row.locator('.hotspots__case', { hasText: n.slice(-14) }).count()).toBe(1);
    await shot(page, 'analysis-hotspots');
    await page.close();
  });
});

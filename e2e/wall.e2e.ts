/**
 * The wall display (指挥大屏) at 1920 × 1080, as the demo leader: the menu opens it in a tab of its
 * own; outside the shell it fills the screen without scrolling, in type large enough for a room;
 * its key figures and lights say what the API says; the map and the ranking are drawn; a case the
 * dispatcher reports comes to the top of the live feed, highlighted, without a reload. The case is
 * rejected afterwards so the other browser tests find the queue as they left it.
 * Screenshot: test-results/wall-1920.png.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { apiCall, apiSession, SHOTS, signInAs } from './support.js';

type Session = { cookie: string; csrfToken: string };
type Compared = { value: number | null };
type Panel = { scope: { unit: { name: string } }; counts: Record<string, Compared>; rates: Record<string, Compared> };

const WALL = { width: 1920, height: 1080 };

let browser: Browser;
let base: string;
let leader: Session;
let dispatcher: Session;
let reported: { id: string; number: string } | null = null;

/** A figure as the wall writes it: counts with separators, rates with one decimal. */
function written(kind: 'count' | 'rate', value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (kind === 'count') return value.toLocaleString('zh-CN');
  return value >= 1 ? '100%' : `${(Math.floor(value * 1000) / 10).toFixed(1)}%`;
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

/** Every figure on the wall against the API's answer of the same moment ('' when they agree). */
async function figuresDisagree(page: Page): Promise<string> {
  const [day, month, board] = await Promise.all([
    apiCall<Panel>(base, leader, 'GET', '/api/indicators?period=day'),
    apiCall<Panel>(base, leader, 'GET', '/api/indicators?period=month'),
    apiCall<{ total: Record<string, number> }>(base, leader, 'GET', '/api/cases/board'),
  ]);
  const expected: [string, string][] = [];
  for (const [period, panel] of [
    ['day', day],
    ['month', month],
  ] as const) {
    for (const code of ['reported', 'closed'])
      expected.push([`[data-period="${period}"][data-figure="${code}"]`, written('count', panel.counts[code]?.value)]);
    for (const code of ['closureRate', 'onTimeClosureRate'])
      expected.push([`[data-period="${period}"][data-figure="${code}"]`, written('rate', panel.rates[code]?.value)]);
  }
  expected.push(['[data-figure="overdueUnhandled"]', written('count', month.counts.overdueUnhandled?.value)]);
  const l = board.total as Record<'red' | 'yellow' | 'green' | 'paused' | 'none', number>;
  const lights = {
    total: l.red + l.yellow + l.green + l.paused + l.none,
    red: l.red,
    yellow: l.yellow,
    green: l.green,
  };
  for (const [light, n] of Object.entries({ ...lights, paused: l.paused }))
    expected.push([`[data-light="${light}"] .wall-lights__number`, written('count', n)]);
  const wrong: string[] = [];
  for (const [selector, want] of expected) {
    const got = await text(page, selector);
    if (got !== want) wrong.push(`${selector}: ${got} ≠ ${want}`);
  }
  return wrong.join('; ');
}

/** The computed font size of the first element matching, in CSS pixels. */
async function fontSize(page: Page, selector: string): Promise<number> {
  // A string: the test code is type-checked without the DOM library.
  const css = await page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).fontSize`);
  return Number.parseFloat(String(css));
}

describe('the wall display in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    leader = await apiSession(base, 'leader');
    dispatcher = await apiSession(base, 'dispatcher');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    if (!reported) return;
    const { version, state } = await apiCall<{ version: number; state: string }>(
      base,
      dispatcher,
      'GET',
      `/api/cases/${reported.id}`,
    );
    if (state === 'reported')
      await apiCall(base, dispatcher, 'POST', `/api/cases/${reported.id}/transitions`, {
        action: 'reject',
        version,
        rejectReason: 'not_a_case',
        reason: '大屏测试结束，撤下测试案件',
      });
  });

  it('shows the leader’s figures, lights, map and ranking, and a new report at the top of the feed', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: WALL });
    const page = await context.newPage();
    await signInAs(page, base, 'leader');

    // The menu opens the wall in a tab of its own.
    const entry = page.locator('.nav-menu a[href="/wall"]');
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.getAttribute('target')).toBe('_blank');
    expect(await entry.textContent()).toContain('指挥大屏');

    await page.goto(`${base}/wall`);
    await page.locator('[data-test="wall-figures"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('.shell__aside').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe('网格化综合指挥大屏');
    const month = await apiCall<Panel>(base, leader, 'GET', '/api/indicators?period=month');
    await expect.poll(() => text(page, '[data-test="wall-scope"]')).toBe(month.scope.unit.name);
    await expect.poll(() => text(page, '[data-test="wall-clock"]')).toMatch(/^\d{2}:\d{2}:\d{2}$/);

    // Figures and lights as the API answers them (polled: the deadline sweep may move a light meanwhile).
    await expect.poll(() => figuresDisagree(page), { timeout: 20_000 }).toBe('');

    // Legible across a room: figures ≥ 48 px, the feed's text ≥ 20 px; one screen, no scrolling.
    expect(await fontSize(page, '.wall-figures__value')).toBeGreaterThanOrEqual(48);
    expect(await fontSize(page, '.wall-lights__number')).toBeGreaterThanOrEqual(48);
    expect(await fontSize(page, '.wall-figures tbody th')).toBeGreaterThanOrEqual(20);
    await page.locator('.wall-feed__item').first().waitFor({ timeout: 15_000 });
    expect(await fontSize(page, '.wall-feed__number')).toBeGreaterThanOrEqual(20);
    expect(await fontSize(page, '.wall-feed__line.is-second')).toBeGreaterThanOrEqual(20);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(WALL.width);
    expect(Number(await page.evaluate('document.documentElement.scrollHeight'))).toBeLessThanOrEqual(WALL.height);

    // The map: MapLibre's canvas with the open cases on it.
    await page.locator('[data-test="wall-map"] canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
    await expect
      .poll(
        () => page.locator('[data-test="wall-map"] .case-map__count, [data-test="wall-map"] .case-map__case').count(),
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThan(0);

    // The ranking: one bar per unit the API scores this month (at most 8), drawn on a canvas.
    const ranking = await apiCall<{ items: { score: number | null; unit: unknown }[] }>(
      base,
      leader,
      'GET',
      '/api/indicators/ranking?period=month',
    );
    const scored = Math.min(8, ranking.items.filter((i) => i.unit && i.score !== null).length);
    const chart = page.locator('[data-test="wall-ranking"]');
    await expect.poll(() => chart.getAttribute('data-units')).toBe(String(scored));
    if (scored > 0) await chart.locator('canvas').waitFor({ timeout: 15_000 });
    else expect(await chart.textContent()).toContain('本月暂无排名数据');

    // A report by the dispatcher reaches the top of the feed through the event stream, no reload.
    await page.evaluate('window.__sameWall = true');
    const grids = await apiCall<{ features: { geometry: { coordinates: number[][][] } }[] }>(
      base,
      dispatcher,
      'GET',
      '/api/public/grids',
    );
    const ring = grids.features[0]?.geometry.coordinates[0] ?? [];
    const categories = await apiCall<{ items: { code: string }[] }>(base, dispatcher, 'GET', '/api/public/categories');
    reported = await apiCall<{ id: string; number: string }>(base, dispatcher, 'POST', '/api/cases', {
      channel: 'hotline',
      categoryCode: categories.items[0]?.code,
      description: '大屏测试：小区门口路灯不亮',
      caller: { name: '李建国', phone: '13800138000' },
      lng: (ring[0]?.[0] ?? 0) + 0.0001,
      lat: (ring[0]?.[1] ?? 0) - 0.0001,
    });
    const top = page.locator('.wall-feed__item').first();
    await expect.poll(() => top.getAttribute('data-number'), { timeout: 20_000 }).toBe(reported.number);
    expect(await top.getAttribute('data-action')).toBe('report');
    expect(await top.getAttribute('class')).toContain('is-fresh');
    expect(await page.evaluate('window.__sameWall')).toBe(true);
    // Nothing personal reaches the wall.
    const feedText = await text(page, '[data-test="wall-feed"]');
    for (const personal of ['李建国', '13800138000', '路灯不亮']) expect(feedText).not.toContain(personal);
    // The figures follow too.
    await expect.poll(() => figuresDisagree(page), { timeout: 20_000 }).toBe('');

    await page.waitForTimeout(700);
    await page.screenshot({ path: `${SHOTS}/wall-1920.png` });
    await context.close();
  });
});

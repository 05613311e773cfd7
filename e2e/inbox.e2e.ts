/**
 * A long inbox section pages: with more than one page of cases waiting to be registered, the
 * dispatcher turns to the last page, finds the newest report there, and stays on that page while
 * the list reloads itself from the event stream. The cases made here are rejected afterwards, so the
 * other browser tests see the queue as they left it.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { apiCall, apiSession, desktopContext, SHOTS, shot, signInAs } from './support.js';

let browser: Browser;
let base: string;
let session: { cookie: string; csrfToken: string };
const made: { id: string; number: string }[] = [];

const PAGE_SIZE = 50;

const call = <T>(method: string, path: string, body?: unknown) => apiCall<T>(base, session, method, path, body);

const toRegister = async () =>
  (await call<{ sections: { toRegister: { total: number } } }>('GET', '/api/inbox')).sections.toRegister.total;

async function report(index: number): Promise<void> {
  const grids = await call<{ features: { geometry: { coordinates: number[][][] } }[] }>('GET', '/api/public/grids');
  const ring = grids.features[index % grids.features.length]?.geometry.coordinates[0] ?? [];
  const categories = await call<{ items: { code: string }[] }>('GET', '/api/public/categories');
  const c = await call<{ id: string; number: string }>('POST', '/api/cases', {
    channel: 'hotline',
    categoryCode: categories.items[index % categories.items.length]?.code,
    description: `分页测试第 ${index + 1} 件：小区门口路灯不亮`,
    lng: (ring[0]?.[0] ?? 0) + 0.0001,
    lat: (ring[0]?.[1] ?? 0) - 0.0001,
  });
  made.push(c);
}

describe('inbox paging', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    session = await apiSession(base, 'dispatcher');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    // Leave the queue as it was: every case made here is rejected.
    for (const { id } of made) {
      const { version, state } = await call<{ version: number; state: string }>('GET', `/api/cases/${id}`);
      if (state !== 'reported') continue;
      await call('POST', `/api/cases/${id}/transitions`, {
        action: 'reject',
        version,
        rejectReason: 'not_a_case',
        reason: '分页测试结束，撤下测试案件',
      });
    }
  });

  it('turns to the last page of a long section and keeps it through a live reload', async () => {
    // Two pages and a bit: the newest reports are due last, so they sit on the last page.
    const missing = Math.max(0, PAGE_SIZE + 3 - (await toRegister()));
    for (let i = 0; i < missing; i++) await report(i);
    await report(missing);
    const newest = made.at(-1)?.number ?? '';
    const total = await toRegister();
    const lastPage = Math.ceil(total / PAGE_SIZE);
    expect(lastPage).toBeGreaterThan(1);

    const page = await (await desktopContext(browser)).newPage();
    await signInAs(page, base, 'dispatcher');
    await page.goto(`${base}/work?tab=toRegister`);
    const pager = page.locator('[data-pages="toRegister"]');
    await pager.waitFor({ timeout: 15_000 });
    expect(await page.locator('.case-table__number').count()).toBe(PAGE_SIZE);
    expect(await page.locator('a.case-table__number', { hasText: newest }).count()).toBe(0);

    await pager.locator('.el-pager li', { hasText: String(lastPage) }).click();
    await page.locator('a.case-table__number', { hasText: newest }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.case-table__number').count()).toBe(total - (lastPage - 1) * PAGE_SIZE);
    await shot(page, 'inbox-paged');

    // Another report arrives: the list reloads by itself (the badge counts it) and stays on this page.
    await report(missing + 1);
    await expect
      .poll(async () => (await page.locator('[data-section="toRegister"] .el-badge__content').textContent())?.trim(), {
        timeout: 15_000,
      })
      .toBe(String(total + 1));
    expect((await pager.locator('.el-pager li.is-active').textContent())?.trim()).toBe(String(lastPage));
    await page.locator('a.case-table__number', { hasText: newest }).waitFor();
    await page.close();
  });
});

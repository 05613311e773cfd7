/**
 * Importing boundaries from the territory page, as the demo administrator: a file with errors is
 * refused whole, each problem listed in Chinese; a valid file (a grid renamed, "update" ticked) is
 * imported and the tree shows the new name. The demo is put back afterwards.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { apiSession, desktopContext, SHOTS, shot, signInAs } from './support.js';

let browser: Browser;
let base: string;

interface GridFeature {
  type: 'Feature';
  properties: { code: string; name: string };
  geometry: { type: string; coordinates: unknown };
}

const collection = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

async function apiImport(features: unknown[]): Promise<void> {
  const { cookie, csrfToken } = await apiSession(base, 'admin');
  const res = await fetch(`${base}/api/units/import?update=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/geo+json', cookie, 'x-csrf-token': csrfToken },
    body: collection(features),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

describe('importing boundaries in the browser', () => {
  let grid: GridFeature;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
    const grids = (await (await fetch(`${base}/api/public/grids`)).json()) as { features: GridFeature[] };
    const last = grids.features.at(-1);
    if (!last) throw new Error('the demo has no unit grids');
    grid = last;
  });
  afterAll(async () => {
    if (grid) await apiImport([{ type: 'Feature', properties: grid.properties, geometry: grid.geometry }]);
    await browser?.close();
  });

  it('refuses a file with errors, listing each, and imports a valid one', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, 'admin');
    await page.goto(`${base}/territory`);
    await page.locator('[data-test="open-import"]').click();
    const dialog = page.locator('.import-dialog');
    await dialog.waitFor();

    const bad = collection([
      { type: 'Feature', properties: { code: 'abc', name: '坏编码' }, geometry: null },
      {
        type: 'Feature',
        properties: { code: `${grid.properties.code.slice(0, 12)}777`, name: '无边界网格', level: 'grid' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
              [1, 0],
              [0, 1],
              [0, 0],
            ],
          ],
        },
      },
    ]);
    await dialog
      .locator('input[name="importFile"]')
      .setInputFiles({ name: 'bad.geojson', mimeType: '', buffer: Buffer.from(bad) });
    await dialog.locator('[data-test="import-submit"]').click();
    await expect.poll(() => dialog.locator('.el-alert').textContent()).toContain('未导入任何内容');
    const listed = (await dialog.locator('.import-dialog__problems').textContent()) ?? '';
    expect(listed).toContain('abc');
    expect(await dialog.locator('.import-dialog__problems tbody tr').count()).toBeGreaterThanOrEqual(2);
    await shot(page, 'territory-import-problems');
    const { cookie } = await apiSession(base, 'admin');
    const search = await fetch(`${base}/api/units?q=${encodeURIComponent('无边界网格')}`, { headers: { cookie } });
    expect(((await search.json()) as { items: unknown[] }).items).toEqual([]);

    const renamed = `${grid.properties.name}（更名测试）`;
    const good = collection([
      { type: 'Feature', properties: { code: grid.properties.code, name: renamed }, geometry: grid.geometry },
    ]);
    await dialog
      .locator('input[name="importFile"]')
      .setInputFiles({ name: 'good.geojson', mimeType: '', buffer: Buffer.from(good) });
    await dialog.getByText('更新已存在的编码').click();
    await dialog.locator('[data-test="import-submit"]').click();
    await expect.poll(() => page.locator('.el-message--success').textContent()).toContain('更新 1 个');
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.territory__tree input').fill('更名测试');
    const suggestion = page.locator('.unit-tree__suggestion', { hasText: renamed });
    await suggestion.waitFor({ timeout: 15_000 });
    await suggestion.click();
    await expect.poll(() => page.locator('.territory__main').textContent(), { timeout: 15_000 }).toContain(renamed);
    await shot(page, 'territory-imported');
    await context.close();
  });
});

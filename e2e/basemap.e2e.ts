/**
 * A base map from the settings: a district administrator sets a tile template in GCJ-02; the
 * resident's map asks for its tiles and shows its attribution, and a pin tapped on the shifted map
 * is saved back in WGS84 (where it was tapped, not shifted by the ~500 m of the datum).
 * Nothing is fetched from outside: the template points at this server, which answers 404.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { wgs84ToGcj02 } from '../common/gcj02.js';
import { launch } from './browser.js';
import {
  apiSession,
  expectNoSidewaysOverflow,
  PHONE,
  ringCentre,
  SHOTS,
  shot,
  submitResidentReport,
} from './support.js';

let browser: Browser;
let base: string;

async function putMapSettings(body: Record<string, unknown>): Promise<void> {
  const { cookie, csrfToken } = await apiSession(base, 'districtadmin');
  const res = await fetch(`${base}/api/settings/map`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Metres between two points (equirectangular). */
function metres(a: [number, number], b: [number, number]): number {
  const k = Math.PI / 180;
  const x = (b[0] - a[0]) * k * Math.cos(((a[1] + b[1]) / 2) * k);
  const y = (b[1] - a[1]) * k;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

describe('a base map in GCJ-02', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(async () => {
    await putMapSettings({ tileUrl: null, coordinateSystem: 'wgs84', attribution: '', maxZoom: 18 });
    await browser?.close();
  });

  it('draws its tiles under the grids and saves a tapped pin in WGS84', async () => {
    await putMapSettings({
      tileUrl: `${base}/test-tiles/{z}/{x}/{y}.png`,
      coordinateSystem: 'gcj02',
      attribution: '测试底图',
      maxZoom: 18,
    });
    const grids = (await (await fetch(`${base}/api/public/grids`)).json()) as {
      features: { geometry: { type: string; coordinates: unknown } }[];
    };
    const first = grids.features[0];
    if (!first) throw new Error('the demo has no unit grids');
    const [longitude, latitude] = ringCentre(first.geometry);

    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      geolocation: { longitude, latitude, accuracy: 10 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    const tiles: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/test-tiles/')) tiles.push(r.url());
    });
    await page.goto(`${base}/public/report`);
    await page.locator('[data-testid="category-field"]').click();
    await page.locator('.category-picker__option').first().click();
    await page.locator('textarea[name="description"]').fill('人行道井盖缺失，夜间很危险');
    const canvas = page.locator('canvas.maplibregl-canvas');
    await canvas.waitFor({ timeout: 20_000 });
    await expect.poll(() => tiles.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(tiles[0]).toMatch(/\/test-tiles\/\d+\/\d+\/\d+\.png$/);
    await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('测试底图');

    // The phone's position centres the map on the pin; a tap just below it moves the pin a few metres.
    await page.getByRole('button', { name: '使用我的位置' }).click();
    await expect.poll(() => page.locator('[data-testid="pin-place"]').textContent()).toContain('位于：');
    await page.waitForTimeout(500);
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the map has no box');
    // 24 px right of the marker (which covers the centre): about 100 m at zoom 15.
    await canvas.click({ position: { x: box.width / 2 + 24, y: box.height / 2 } });
    await page.locator('input[name="address"]').fill('梧桐路 8 号');
    await expectNoSidewaysOverflow(page);
    await shot(page, 'basemap-gcj02-report');
    const reported = await submitResidentReport(page);

    const { cookie } = await apiSession(base, 'dispatcher');
    const record = (await (await fetch(`${base}/api/cases/${reported.id}`, { headers: { cookie } })).json()) as {
      location: { lng: number; lat: number };
    };
    const distance = metres([longitude, latitude], [record.location.lng, record.location.lat]);
    // Saved where it was tapped, in WGS84: about 100 m from the phone's position. Had the pin been
    // read back in the map's datum, the GCJ-02 offset here (over 400 m) would show.
    const offset = metres([longitude, latitude], wgs84ToGcj02([longitude, latitude]));
    expect(offset).toBeGreaterThan(400);
    expect(distance).toBeGreaterThan(20);
    expect(distance).toBeLessThan(200);
    await context.close();
  });
});

/**
 * Webhooks in a real browser, as the demo subdistrict administrator, against a receiver on this
 * machine: a subscription made (its secret shown once), a test ping, a report arriving signed and
 * without personal data, a failed delivery sent again from the log, switched off and deleted. A
 * dispatcher has no such menu. The test deletes what it made, so other browser tests see the demo.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WebhookPayload } from '../common/webhooks.js';
import { type Receiver, startReceiver } from '../server/test/webhook-receiver.js';
import { verifySignature } from '../server/webhooks/webhook-signature.js';
import { launch } from './browser.js';
import {
  apiCall,
  apiSession,
  choose,
  desktopContext,
  expectNoSidewaysOverflow,
  phoneContext,
  SHOTS,
  shot,
  signInAs,
} from './support.js';

let browser: Browser;
let base: string;
let receiver: Receiver;
let dispatcher: { cookie: string; csrfToken: string };

/** A hotline report in the first demo grid, with a caller whose name and phone must not leave. */
async function report(text: string): Promise<{ id: string; number: string }> {
  const grids = await apiCall<{ features: { geometry: { coordinates: number[][][] } }[] }>(
    base,
    dispatcher,
    'GET',
    '/api/public/grids',
  );
  const ring = grids.features[0]?.geometry.coordinates[0] ?? [];
  const categories = await apiCall<{ items: { code: string }[] }>(base, dispatcher, 'GET', '/api/public/categories');
  return apiCall(base, dispatcher, 'POST', '/api/cases', {
    channel: 'hotline',
    categoryCode: categories.items[0]?.code,
    description: `回调测试：${text}`,
    caller: { name: '赵回调', phone: '13700137000' },
    lng: (ring[0]?.[0] ?? 0) + 0.0001,
    lat: (ring[0]?.[1] ?? 0) - 0.0001,
  });
}

const received = (type: string) =>
  receiver.received
    .filter((r) => r.headers['x-gridloop-event'] === type)
    .map((r) => ({
      ...r,
      payload: JSON.parse(r.body) as WebhookPayload,
    }));

async function confirmBox(page: Page): Promise<void> {
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box.locator('.el-button--primary').click();
  await box.waitFor({ state: 'detached' });
}

describe('webhooks', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    receiver = await startReceiver();
    dispatcher = await apiSession(base, 'dispatcher');
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('subscribes, pings, delivers signed reports, replays from the log, switches off and deletes', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, 'admin');
    await page.locator('.nav-menu').getByText('回调订阅').click();
    await page.waitForURL(/\/admin\/webhooks$/);

    await page.locator('[data-test="webhook-add"]').click();
    const dialog = page.locator('.webhook-dialog');
    await dialog.waitFor();
    await choose(page, 'webhookUnit', '梧桐街道');
    await dialog.locator('input[name="webhookUrl"]').fill(receiver.url);
    await dialog.locator('input[name="webhookDescription"]').fill('区城运中心（测试）');
    await dialog.locator('[data-event="case.reported"]').click();
    await dialog.locator('[data-event="case.closed"]').click();
    // Let the checkboxes' and the drawer's transitions finish before each picture.
    await page.waitForTimeout(400);
    await shot(page, 'webhooks-dialog');
    await dialog.locator('[data-test="webhook-save"]').click();
    await dialog.waitFor({ state: 'hidden' });
    const secret = (await page.locator('[data-test="webhook-secret-value"]').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const row = page.locator(`[data-webhook="${receiver.url}"]`);
    await row.waitFor();
    await shot(page, 'webhooks-admin');

    // The test ping goes out at once and is signed with the secret just shown.
    await row.locator('[data-test="webhook-test"]').click();
    await page.locator('.el-message--success', { hasText: '测试推送成功' }).waitFor();
    const [ping] = received('ping');
    expect(verifySignature(secret, ping?.headers['x-gridloop-signature'] as string, ping?.body ?? '')).toBe(true);

    // A report in scope arrives within a few seconds of its commit, signed, with nothing personal.
    const first = await report('路灯不亮');
    await expect.poll(() => received('case.reported').length, { timeout: 20_000 }).toBe(1);
    const arrived = received('case.reported')[0];
    expect(arrived?.payload.case).toMatchObject({ number: first.number, state: 'reported', channel: 'hotline' });
    expect(verifySignature(secret, arrived?.headers['x-gridloop-signature'] as string, arrived?.body ?? '')).toBe(true);
    for (const personal of ['赵回调', '13700137000', '路灯不亮']) expect(arrived?.body).not.toContain(personal);

    // The receiver goes down: the next report's delivery fails, and is sent again from the log.
    receiver.answer(500);
    const second = await report('井盖缺失');
    await expect.poll(() => received('case.reported').length, { timeout: 20_000 }).toBe(2);
    receiver.answer(200);
    await row.locator('[data-test="webhook-log"]').click();
    const log = page.locator('[data-test="webhook-deliveries"]');
    const failed = log.locator('tr', { hasText: second.number });
    await expect
      .poll(() => failed.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('failed');
    await page.waitForTimeout(400);
    await shot(page, 'webhooks-deliveries');
    await failed.locator('[data-test^="replay-"]').click();
    await page.locator('.el-message--success', { hasText: '已重新推送' }).waitFor();
    await expect.poll(() => failed.locator('[data-status]').getAttribute('data-status')).toBe('succeeded');
    expect(received('case.reported').map((r) => r.payload.case?.number)).toEqual([
      first.number,
      second.number,
      second.number,
    ]);
    await page.keyboard.press('Escape');

    // Off, then gone.
    await row.locator('[data-test="webhook-toggle"]').click();
    await confirmBox(page);
    await expect
      .poll(() => page.locator('tr', { has: row }).locator('[data-test="webhook-state"]').textContent())
      .toContain('已停用');
    await page.locator('tr', { has: row }).getByRole('button', { name: '删除' }).click();
    await confirmBox(page);
    await row.waitFor({ state: 'detached' });
    await context.close();
  });

  it('fits a phone, and is no menu of a dispatcher', async () => {
    const phone = await phoneContext(browser);
    const page = await phone.newPage();
    await signInAs(page, base, 'admin');
    await page.goto(`${base}/admin/webhooks`);
    await page.locator('[data-test="webhooks"]').waitFor();
    await expectNoSidewaysOverflow(page);
    await phone.close();

    const context = await desktopContext(browser);
    const other = await context.newPage();
    await signInAs(other, base, 'dispatcher');
    const menu = other.locator('.nav-menu');
    await expect.poll(() => menu.textContent()).toContain('我的待办');
    expect(await menu.textContent()).not.toContain('回调订阅');
    await other.goto(`${base}/admin/webhooks`);
    await other.waitForURL((url) => url.pathname === '/');
    await context.close();
  });
});

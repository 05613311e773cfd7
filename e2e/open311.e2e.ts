/**
 * Open311 in the browser, as the demo district administrator: an api_key made on the settings page
 * (shown once, with its jurisdiction_id) that an application then uses to submit a request, revoked
 * there and refused afterwards; a category's extra question added on the categories page, kept
 * after a reload and served as the Open311 service definition. The test puts the category back.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import { apiCall, apiSession, choose, desktopContext, SHOTS, shot, signInAs } from './support.js';

const ADMIN = 'districtadmin';
/** The demo's district (徐汇区): its code is the jurisdiction_id. */
const JURISDICTION = '310104';

let browser: Browser;
let base: string;
let admin: { cookie: string; csrfToken: string };
let minor: { code: string; name: { zh: string } };

function submit(key: string, serviceCode: string) {
  return fetch(`${base}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({
      api_key: key,
      jurisdiction_id: JURISDICTION,
      service_code: serviceCode,
      address_string: '梧桐路 1 号东门',
      description: '路口井盖松动，车辆经过有响声',
    }),
  });
}

describe('Open311 keys and extra questions in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
    admin = await apiSession(base, ADMIN);
    const list = await apiCall<{
      items: (typeof minor & { isMajor: boolean; disabled: boolean; questions: unknown[] })[];
    }>(base, admin, 'GET', '/api/categories');
    const found = list.items.find((c) => !c.isMajor && !c.disabled && c.questions.length === 0);
    if (!found) throw new Error('the demo seeded no category without questions');
    minor = found;
  });

  afterAll(async () => {
    if (admin && minor)
      await apiCall(base, admin, 'PATCH', `/api/categories/${minor.code}`, { questions: [] }).catch(() => undefined);
    await browser?.close();
  });

  it('makes an api_key an application reports with, and revokes it', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, ADMIN);
    await page.goto(`${base}/admin/settings`);
    const card = page.locator('[data-test="machine-keys"]');
    await card.scrollIntoViewIfNeeded();
    await card.locator('input[name="keyName"]').fill('市民服务 App');
    await choose(page, 'keyUnit', '徐汇区');
    await card.locator('[data-test="issue-key"]').click();
    const issued = card.locator('[data-test="issued-key"]');
    await expect.poll(() => issued.textContent(), { timeout: 15_000 }).toMatch(/^glk_[A-Za-z0-9_-]{32}$/);
    const key = (await issued.textContent()) ?? '';
    expect(await card.textContent()).toContain(`jurisdiction_id=${JURISDICTION}`);
    await shot(page, 'open311-key-issued');

    const accepted = await submit(key, minor.code);
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    const [answer] = (await accepted.json()) as { service_request_id: string }[];
    const read = await fetch(
      `${base}/open311/v2/requests/${answer?.service_request_id}.xml?jurisdiction_id=${JURISDICTION}`,
    );
    expect(read.status).toBe(200);
    expect(await read.text()).toContain('<status>open</status>');

    const row = card.locator('.el-table__row', { hasText: '市民服务 App' });
    await row.getByRole('button', { name: '吊销' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: '吊销' }).click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('已吊销');
    expect((await submit(key, minor.code)).status).toBe(403);
    await context.close();
  });

  it('adds an extra question that Open311 serves as the service definition', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, ADMIN);
    await page.goto(`${base}/admin/categories?code=${minor.code}`);
    await expect.poll(() => page.locator('.categories__detail').textContent()).toContain(minor.name.zh);
    await page.locator('[data-test="add-question"]').click();
    await page.locator('input[name="question-0-code"]').fill('lid');
    await page.locator('input[name="question-0-zh"]').fill('井盖上的编号');
    await page.locator('input[name="question-0-en"]').fill('Number on the lid');
    await shot(page, 'open311-question-added');

    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`/api/categories/${minor.code}`) && r.request().method() === 'PATCH',
    );
    await page.locator('.category-form__actions').getByRole('button', { name: '保存' }).click();
    expect((await saved).status()).toBe(200);

    await page.reload();
    await expect.poll(() => page.locator('input[name="question-0-code"]').inputValue()).toBe('lid');
    const definition = await fetch(`${base}/open311/v2/services/${minor.code}.json?jurisdiction_id=${JURISDICTION}`);
    expect(await definition.json()).toMatchObject({
      service_code: minor.code,
      attributes: [{ code: 'lid', datatype: 'string', required: false, order: 1, description: '井盖上的编号' }],
    });
    await context.close();
  });
});

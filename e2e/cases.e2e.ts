/**
 * The staff's closed loop in a real browser: the dispatcher enters a hotline call on a desktop,
 * registers and dispatches it from the case page; the handler, on a phone-sized screen, finds it in
 * 我的待办, acknowledges it, is stopped by the note's minimum length and then records progress; the
 * English switch shows the same case page in English. Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import {
  choose,
  expectNoSidewaysOverflow,
  PHONE,
  SHOTS,
  SQUAD,
  shot,
  signInAs as signIn,
  stateTag,
  takeStep,
} from './support.js';

const CALLER = { name: '测试来电人', phone: '13800001234' };

let browser: Browser;
let base: string;

const signInAs = (page: Parameters<typeof signIn>[0], username: string) => signIn(page, base, username);

/** Reporting needs the category catalogue; say plainly when the server has none. */
async function expectCatalogue(): Promise<void> {
  const catalogue = (await (await fetch(`${base}/api/public/categories`)).json()) as { items: unknown[] };
  expect(catalogue.items.length, 'the demo seeded no case categories: nothing can be reported').toBeGreaterThan(0);
}

describe('the closed loop for staff in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('hotline report → register → dispatch by the dispatcher; acknowledge and progress by the handler; in English', async () => {
    await expectCatalogue();

    // The dispatcher at the grid centre enters a caller's report.
    const desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const dispatcher = await desk.newPage();
    await signInAs(dispatcher, 'dispatcher');
    const menu = dispatcher.locator('.nav-menu');
    await expect.poll(() => menu.textContent()).toContain('我的待办');
    expect(await menu.textContent()).toContain('上报案件');
    await dispatcher.goto(`${base}/cases/new`);
    await dispatcher.locator('input[name="callerName"]').fill(CALLER.name);
    await dispatcher.locator('input[name="callerPhone"]').fill(CALLER.phone);
    await dispatcher
      .locator('textarea[name="description"]')
      .fill('菜场门口有流动摊贩占道经营，早高峰行人只能走机动车道');
    // The description suggests its category (learnt from the demo year); one tap takes it.
    const suggestion = dispatcher.locator('[data-suggestions] button').first();
    await suggestion.waitFor({ timeout: 15_000 });
    // Street trading: either of the two categories that name it is a right answer.
    const suggested = (await suggestion.textContent()) ?? '';
    const [taken, other] = suggested.includes('占道经营') ? ['占道经营', '无照游商'] : ['无照游商', '占道经营'];
    expect(suggested).toContain(taken);
    await suggestion.click();
    await expect.poll(() => suggestion.getAttribute('aria-pressed')).toBe('true');
    await dispatcher.locator('input[name="address"]').fill('梧桐路 218 号菜场门口');
    // The caller says where: a tap on the grid map puts the pin and fills the coordinates.
    const canvas = dispatcher.locator('.report canvas.maplibregl-canvas');
    await canvas.waitFor({ timeout: 20_000 });
    await dispatcher.waitForTimeout(500);
    const box = await canvas.boundingBox();
    await canvas.click({ position: { x: (box?.width ?? 400) / 2, y: (box?.height ?? 200) / 2 } });
    await expect.poll(() => dispatcher.locator('[data-testid="pin-place"]').textContent()).toContain('位于：');
    await expect.poll(() => dispatcher.locator('input[name="lng"]').inputValue()).toMatch(/^\d+\.\d{6}$/);
    const lng = await dispatcher.locator('input[name="lng"]').inputValue();
    await shot(dispatcher, 'cases-report-hotline');
    await dispatcher.locator('.report__submit').click();
    await dispatcher.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await expect.poll(() => stateTag(dispatcher).textContent(), { timeout: 15_000 }).toContain('待立案');
    const number = ((await dispatcher.locator('.case-head__number').textContent()) ?? '').trim();
    expect(number).toMatch(/^\d{6}-\d{8}-\d{5}$/);
    // The caller's name and number come back masked.
    const details = (await dispatcher.locator('.case-details').textContent()) ?? '';
    expect(details).toContain('测*');
    expect(details).not.toContain(CALLER.phone);
    expect(details).toContain('138****1234');
    expect(details).toContain(lng);

    // At registration the dispatcher corrects the category (改类); the timeline says so.
    await takeStep(dispatcher, 'register', '待派遣', async () => {
      await expect.poll(() => dispatcher.locator('.step-dialog [data-suggestions]').textContent()).toContain(taken);
      await choose(dispatcher, 'category', other);
      await dispatcher.locator('.step-dialog [data-recategorized]').waitFor();
    });
    await expect.poll(() => dispatcher.locator('.case-timeline').textContent()).toContain(`改类：${taken} → ${other}`);
    await takeStep(dispatcher, 'dispatch', '待签收', () => choose(dispatcher, 'department', SQUAD));
    await expect.poll(() => dispatcher.locator('[data-test="case-department"]').textContent()).toContain(SQUAD);
    const timeline = (await dispatcher.locator('.case-timeline').textContent()) ?? '';
    expect(timeline).toContain('派遣');
    expect(timeline).toContain('立案');
    await shot(dispatcher, 'cases-dispatched');

    // The handler, on a phone, finds it waiting to be acknowledged.
    const phone = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, isMobile: true, hasTouch: true });
    const handler = await phone.newPage();
    await signInAs(handler, 'handler');
    await handler.goto(`${base}/work`);
    const tab = handler.locator('.inbox__tab[data-section="toAcknowledge"]');
    await tab.waitFor({ timeout: 15_000 });
    await tab.click();
    const card = handler.locator('.case-card', { hasText: number });
    await card.waitFor({ timeout: 15_000 });
    await expectNoSidewaysOverflow(handler);
    await shot(handler, 'cases-inbox-handler-phone');
    await card.click();
    await handler.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await expect.poll(() => stateTag(handler).textContent(), { timeout: 15_000 }).toContain('待签收');
    await takeStep(handler, 'acknowledge', '处置中');

    // A progress note shorter than the table's minimum is refused here, before the server sees it.
    await handler.locator('[data-action="note"]').click();
    const dialog = handler.locator('.step-dialog');
    await dialog.locator('textarea[name="reason"]').fill('好');
    await dialog.locator('.step-dialog__submit').click();
    await expect.poll(() => dialog.locator('.el-form-item__error').textContent()).toContain('请至少填写 2 个字');
    await dialog.locator('textarea[name="reason"]').fill('已到场，摊贩已劝离');
    await dialog.locator('.step-dialog__submit').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => handler.locator('.case-timeline').textContent()).toContain('已到场，摊贩已劝离');
    await expectNoSidewaysOverflow(handler);
    await shot(handler, 'cases-acknowledged-phone');

    // The dispatcher's open case page follows by itself (live events).
    await expect.poll(() => stateTag(dispatcher).textContent(), { timeout: 20_000 }).toContain('处置中');

    // The same page in English.
    await handler.locator('.shell__header').getByRole('button', { name: '语言' }).click();
    await handler.locator('.el-dropdown-menu__item[lang="en"]').click();
    await expect.poll(() => stateTag(handler).textContent()).toContain('Being handled');
    const english = (await handler.locator('.case-page').textContent()) ?? '';
    expect(english).toContain('Acknowledge');
    expect(english).toContain('History');
    expect(english).toContain(SQUAD);
    await expectNoSidewaysOverflow(handler);
    await shot(handler, 'cases-en-phone');
    await desk.close();
    await phone.close();
  });
});

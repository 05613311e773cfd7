/**
 * The whole loop in real browsers, each person on their own screen: a resident's report from the phone
 * with a photo and the phone's location as the map pin is registered and dispatched
 * at the grid centre, returned by the department, dispatched again, acknowledged, handled with photos
 * on a phone, sent back for rework by the grid worker, handled again, verified and closed; the
 * resident rates it by the tracking code and sees nobody else's data; a grid worker of another grid
 * cannot open it by its address. Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import {
  addStepPhoto,
  apiSession,
  choose,
  desktopContext,
  expectNoSidewaysOverflow,
  PHONE,
  phoneContext,
  photo,
  ringCentre,
  SHOTS,
  SQUAD,
  shot,
  signInAs,
  stateTag,
  submitResidentReport,
  takeStep,
} from './support.js';

let browser: Browser;
let base: string;

/** What the reporter and a follower type as contact: neither may reach the other's page. */
const REPORTER = { name: '闭环测试居民', phone: '13911112222' };
const FOLLOWER = { name: '关注测试居民', phone: '13933334444' };

/** The centre of a unit grid in the demo grid worker's responsibility grid: the case is theirs to verify. */
async function pointInGridWorkersGrid(): Promise<[number, number]> {
  const { cookie } = await apiSession(base, 'gridworker');
  const session = (await (await fetch(`${base}/api/session`, { headers: { cookie } })).json()) as {
    account: { grants: { unit: { code: string } }[] };
  };
  const code = session.account.grants[0]?.unit.code;
  const grids = (await (await fetch(`${base}/api/public/grids`)).json()) as {
    features: { properties: { code: string }; geometry: { type: string; coordinates: unknown } }[];
  };
  // Its first unit grid: the committee's code + 001 (server/seed/demo-data.ts numbers them so).
  const grid = grids.features.find((f) => f.properties.code === `${code?.slice(0, 12)}001`);
  if (!grid) throw new Error(`the demo grid worker's grid ${code} is not among the public grids`);
  return ringCentre(grid.geometry);
}

/** The resident, on their phone at the place: a photo, their location as the pin, a contact; the page sends it. */
async function residentReport(page: Page): Promise<{ id: string; number: string; trackingCode: string }> {
  await page.goto(`${base}/public/report`);
  await page.locator('[data-testid="category-field"]').click();
  await page.locator('.category-picker__option').first().click();
  await page.locator('textarea[name="description"]').fill('小区北门外人行道塌了一个坑，晚上看不清，已经有人摔倒');
  await page
    .locator('input[name="photos"]')
    .setInputFiles({ name: 'pothole.jpg', mimeType: 'image/jpeg', buffer: await photo({ r: 120, g: 110, b: 100 }) });
  await expect.poll(() => page.locator('.photo-picker__item.is-done').count(), { timeout: 15_000 }).toBe(1);
  await page.locator('canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
  await page.getByRole('button', { name: '使用我的位置' }).click();
  await expect.poll(() => page.locator('[data-testid="pin-place"]').textContent()).toContain('位于：');
  expect(await page.locator('.maplibregl-marker').count()).toBe(1);
  await page.locator('input[name="address"]').fill('梧桐路 66 号北门');
  await page.locator('input[name="contactName"]').fill(REPORTER.name);
  await page.locator('input[name="contactPhone"]').fill(REPORTER.phone);
  return submitResidentReport(page);
}

async function follow(number: string): Promise<void> {
  const res = await fetch(`${base}/api/public/cases/${number}/follow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contact: FOLLOWER }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function openCase(page: Page, id: string, state: string): Promise<void> {
  await page.goto(`${base}/cases/${id}`);
  await expect.poll(() => stateTag(page).textContent(), { timeout: 15_000 }).toContain(state);
}

describe('the whole loop, person by person, in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('report → register → dispatch → return → dispatch → acknowledge → handle → rework → handle → verify → close → rate', async () => {
    // The resident stands in the grid worker's grid; the phone tells the page where.
    const [longitude, latitude] = await pointInGridWorkersGrid();
    const residentPhone = await browser.newContext({
      locale: 'zh-CN',
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      geolocation: { longitude, latitude, accuracy: 20 },
      permissions: ['geolocation'],
    });
    const resident = await residentPhone.newPage();
    const reported = await residentReport(resident);
    await follow(reported.number);

    // The grid centre: the report with its photo, registered and dispatched.
    const desk = await desktopContext(browser);
    const dispatcher = await desk.newPage();
    await signInAs(dispatcher, base, 'dispatcher');
    await openCase(dispatcher, reported.id, '待立案');
    await expect.poll(() => dispatcher.locator('.case-timeline img').count()).toBeGreaterThan(0);
    // Its place on the map over the grids.
    await expect.poll(() => dispatcher.locator('.case-map__case').count(), { timeout: 20_000 }).toBe(1);
    const followers = (await dispatcher.locator('[data-test="case-followers"]').textContent()) ?? '';
    expect(followers).toContain('主动关注');
    expect(followers).not.toContain(FOLLOWER.phone);
    await takeStep(dispatcher, 'register', '待派遣');
    await takeStep(dispatcher, 'dispatch', '待签收', () => choose(dispatcher, 'department', SQUAD));

    // The department's handler, on a phone, returns it: not theirs as described.
    const handlerPhone = await phoneContext(browser);
    const handler = await handlerPhone.newPage();
    await signInAs(handler, base, 'handler');
    await openCase(handler, reported.id, '待签收');
    await takeStep(handler, 'return', '待派遣', () =>
      handler.locator('.step-dialog textarea[name="reason"]').fill('人行道塌陷属道路养护，请核实后再派'),
    );
    // The dispatcher's open page follows by itself, and the return shows in the timeline.
    await expect.poll(() => stateTag(dispatcher).textContent(), { timeout: 20_000 }).toContain('待派遣');
    await expect.poll(() => dispatcher.locator('.case-timeline').textContent()).toContain('请核实后再派');
    await takeStep(dispatcher, 'dispatch', '待签收', () => choose(dispatcher, 'department', SQUAD));

    // Acknowledged, then handled with a photo after the repair.
    await openCase(handler, reported.id, '待签收');
    await takeStep(handler, 'acknowledge', '处置中');
    await takeStep(handler, 'submit_handling', '待核查', async () => {
      await handler.locator('.step-dialog textarea[name="reason"]').fill('已用沥青冷补料填平塌陷处，设置警示桩');
      await addStepPhoto(handler, 'after', await photo({ r: 60, g: 60, b: 60 }));
    });
    await expectNoSidewaysOverflow(handler);

    // The grid worker finds it among the verifications and sends it back: the patch is already sinking.
    const workerPhone = await phoneContext(browser);
    const worker = await workerPhone.newPage();
    await signInAs(worker, base, 'gridworker');
    await worker.goto(`${base}/work`);
    // My grid on the map, with my open cases on it.
    await worker.locator('.inbox__map canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => worker.locator('.inbox__map .case-map__case, .inbox__map .case-map__count').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await shot(worker, 'loop-my-grid-phone');
    // My grids are the ones filled: the two unit grids of my responsibility grid.
    expect(Number(await worker.locator('.inbox__map [data-mine]').getAttribute('data-mine'))).toBe(2);
    const tab = worker.locator('.inbox__tab[data-section="toVerify"]');
    await tab.waitFor({ timeout: 15_000 });
    await tab.click();
    const card = worker.locator('.case-card', { hasText: reported.number });
    await card.waitFor({ timeout: 15_000 });
    await card.click();
    await worker.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await expect.poll(() => stateTag(worker).textContent(), { timeout: 15_000 }).toContain('待核查');
    await takeStep(worker, 'verify_fail', '处置中', async () => {
      await worker.locator('.step-dialog textarea[name="reason"]').fill('补块边缘已下沉，仍有积水，需重新处理');
      await addStepPhoto(worker, 'evidence', await photo({ r: 90, g: 80, b: 70 }));
    });
    await expectNoSidewaysOverflow(worker);

    // Rework, then a pass: the case closes, solved at the level that solved it.
    await openCase(handler, reported.id, '处置中');
    await takeStep(handler, 'submit_handling', '待核查', async () => {
      await handler.locator('.step-dialog textarea[name="reason"]').fill('切除下沉部分，重新铺设并压实，已无积水');
      await addStepPhoto(handler, 'after', await photo({ r: 40, g: 40, b: 45 }));
    });
    await openCase(worker, reported.id, '待核查');
    const passPhoto = await photo({ r: 50, g: 50, b: 50 });
    await takeStep(worker, 'verify_pass', '已结案', () => addStepPhoto(worker, 'evidence', passPhoto));
    const timeline = (await worker.locator('.case-timeline').textContent()) ?? '';
    for (const step of ['退单', '核查不通过', '核查通过并结案']) expect(timeline).toContain(step);
    expect(await worker.locator('.case-timeline img').count()).toBeGreaterThanOrEqual(4);
    await expectNoSidewaysOverflow(worker);
    await shot(worker, 'loop-closed-gridworker-phone');

    // What the record counted: one return, one rework.
    const { cookie } = await apiSession(base, 'dispatcher');
    const record = (await (await fetch(`${base}/api/cases/${reported.id}`, { headers: { cookie } })).json()) as {
      counters: Record<string, number>;
      state: string;
    };
    expect(record.state).toBe('closed');
    expect(record.counters).toMatchObject({ returned: 1, reworked: 1 });

    // A grid worker of another grid cannot open it by its address.
    const otherPhone = await phoneContext(browser);
    const other = await otherPhone.newPage();
    await signInAs(other, base, 'gridworker2');
    await other.goto(`${base}/cases/${reported.id}`);
    await expect.poll(() => other.locator('.case-page').textContent(), { timeout: 15_000 }).toContain('无权查看');
    expect(await other.locator('.case-head__number').count()).toBe(0);
    expect(await other.locator('button[data-action]').count()).toBe(0);

    // The resident rates it by the tracking code; nobody else's data is on the page.
    await resident.goto(`${base}/public/track/${reported.trackingCode}`);
    await expect.poll(() => resident.locator('[data-testid="case-state"]').textContent()).toContain('已结案');
    const page = (await resident.textContent('body')) ?? '';
    for (const personal of [REPORTER.name, REPORTER.phone, FOLLOWER.name, FOLLOWER.phone]) {
      expect(page).not.toContain(personal);
    }
    expect(page).not.toMatch(/1\d{10}/);
    const callback = resident.locator('[data-testid="callback-form"]');
    await callback.getByText('满意', { exact: true }).click();
    await callback.getByText('已解决', { exact: true }).click();
    await callback.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => resident.locator('[data-testid="case-summary"]').textContent()).toContain('满意');
    await expectNoSidewaysOverflow(resident);
    await shot(resident, 'loop-rated-resident-phone');

    // The dispatcher's page shows the rating without a reload.
    await expect
      .poll(() => dispatcher.locator('.case-timeline').textContent(), { timeout: 20_000 })
      .toContain('回访评价');
    await shot(dispatcher, 'loop-closed-dispatcher');
    for (const context of [desk, handlerPhone, workerPhone, otherPhone, residentPhone]) await context.close();
  });
});

/**
 * The resident archive and household visits in a real browser, on the demo's synthetic archive:
 * committee staff find a demo person by name (masked), show the ID number in clear for a stated
 * purpose (and the administrator's access history has the audited row), open the household's file
 * with its members; a grid worker records a visit on a phone — a failed submit keeps the draft
 * through a reload, the next submit lands — and reads the visit list; the coverage map draws.
 * Screenshots (zh-CN) go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import {
  apiCall,
  apiSession,
  choose,
  desktopContext,
  expectNoSidewaysOverflow,
  photo,
  SHOTS,
  shot,
  signInAs,
} from './support.js';

let browser: Browser;
let base: string;

/** Masked as the archive masks: region, eight stars, last four. */
const MASKED_ID = /^[0-9]{6}\*{8}[0-9X]{4}$/;
const CLEAR_ID = /^[0-9]{17}[0-9X]$/;
const SMALL_PHONE = { width: 375, height: 667 };

interface PersonRow {
  id: string;
  name: string;
  idNumber: string | null;
  household: { id: string } | null;
}

describe('the resident archive in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('committee staff find a person masked, unmask with a purpose (audited), and open the household file', async () => {
    // A demo person of the committee with a household and an ID number on file.
    const committee = await apiSession(base, 'committee');
    const listed = await apiCall<{ items: PersonRow[] }>(base, committee, 'GET', '/api/archive/people?pageSize=50');
    // Its household visited at least once (the demo leaves some households unvisited on purpose),
    // so that the file has visits to list.
    let person: PersonRow | undefined;
    let visitCount = 0;
    for (const candidate of listed.items) {
      if (!candidate.household || !candidate.idNumber) continue;
      const visits = await apiCall<{ items: unknown[] }>(
        base,
        committee,
        'GET',
        `/api/visits?householdId=${candidate.household.id}&limit=50`,
      );
      if (visits.items.length > 0) {
        person = candidate;
        visitCount = visits.items.length;
        break;
      }
    }
    if (!person?.household) throw new Error('the demo archive has no visited household with a person in the committee');

    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, 'committee');
    await page.goto(`${base}/archive`);
    await page.locator('[data-test="archive-scope"]').waitFor();
    expect(await page.locator('[data-test="archive-scope"]').textContent()).toContain('你的范围');
    await shot(page, 'archive-search-empty');

    await page.locator('input[name="q"]').fill(person.name);
    await page.locator('[data-test="archive-search"]').click();
    const row = page.locator('[data-test="people"] .el-table__body tr', { hasText: person.name }).first();
    await row.waitFor();
    const shownId = (await row.locator('[data-test="id-number"]').first().textContent())?.trim() ?? '';
    expect(shownId).toMatch(MASKED_ID);
    expect(await page.locator('[data-test="people"]').textContent()).not.toMatch(/[0-9]{17}[0-9X]/);
    await shot(page, 'archive-search');

    // The person's page: masked, then clear after a purpose.
    await page.goto(`${base}/archive/people/${person.id}`);
    const id = page.locator('[data-test="person-id-number"]');
    await id.waitFor();
    expect((await id.textContent())?.trim()).toMatch(MASKED_ID);
    await page.locator('[data-test="unmask-open"]').click();
    const dialog = page.locator('.unmask-dialog');
    await dialog.waitFor();
    // A purpose text too short is refused before anything is asked.
    await page.locator('[data-field="purpose"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '核实身份' }).first().click();
    await dialog.locator('textarea[name="purposeText"]').fill('核对');
    await dialog.locator('[data-test="unmask-submit"]').click();
    await dialog.locator('.el-form-item__error').first().waitFor();
    expect(await id.getAttribute('data-clear')).toBe('false');
    const purposeText = `上门核实身份 ${Date.now().toString(36)}`;
    await dialog.locator('textarea[name="purposeText"]').fill(purposeText);
    const answered = page.waitForResponse((r) => r.url().endsWith('/unmask') && r.request().method() === 'POST');
    await dialog.locator('[data-test="unmask-submit"]').click();
    expect((await answered).status()).toBe(200);
    await expect.poll(() => id.getAttribute('data-clear')).toBe('true');
    expect((await id.textContent())?.trim()).toMatch(CLEAR_ID);
    await page.locator('[data-test="unmasked-until"]').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await shot(page, 'archive-person-unmasked');

    // The audit log has the unmasking with its purpose, as the administrator's access history shows.
    const admin = await apiSession(base, 'admin');
    const history = await apiCall<{ items: { via: string; purpose: string | null }[] }>(
      base,
      admin,
      'GET',
      `/api/archive/people/${person.id}/access-history`,
    );
    expect(history.items.some((e) => e.via === 'unmask' && (e.purpose ?? '').includes(purposeText))).toBe(true);

    // The household's file lists its members, the person among them.
    await page.locator('[data-test="household-link"]').click();
    await page.waitForURL(/\/archive\/households\//);
    const members = page.locator('[data-test="members"] .el-table__body tr');
    await members.first().waitFor();
    expect(await members.count()).toBeGreaterThan(0);
    expect(await page.locator('[data-test="members"]').textContent()).toContain(person.name);
    expect(await page.locator('[data-test="members"]').textContent()).toMatch(/[0-9]{6}\*{8}[0-9X]{4}/);
    const visitItems = page.locator('[data-test="visits"] > li');
    await visitItems.first().waitFor();
    expect(await visitItems.count()).toBe(visitCount);
    await shot(page, 'archive-household');
    await context.close();
  });

  it('a grid worker records a visit on a phone: a failed submit keeps the draft, the next one lands with its case', async () => {
    // The small phone the visit page is made for.
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: SMALL_PHONE,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await signInAs(page, base, 'gridworker');

    await page.goto(`${base}/visits`);
    await page.locator('[data-test="due-summary"]').waitFor();
    await page.locator('[data-test="due-list"] li').first().waitFor();
    await expectNoSidewaysOverflow(page, SMALL_PHONE.width);
    await shot(page, 'archive-visit-list-phone');

    await page.goto(`${base}/visits/new`);
    const first = page.locator('[data-test="due-list"] li').first();
    await first.waitFor();
    const householdId = (await first.getAttribute('data-household')) ?? '';
    await first.locator('.due-list__pick').click();
    await page.locator('[data-test="visit-household"]').waitFor();
    const findings = `独居老人身体尚可，冰箱食物充足 ${Date.now().toString(36)}`;
    await page.locator('textarea[name="findings"]').fill(findings);
    await page.locator('[data-test="add-need"]').click();
    await page.locator('textarea[name="need-0"]').fill('希望社区帮忙联系上门助浴服务');
    await page
      .locator('input[name="photos-evidence"]')
      .setInputFiles({ name: 'visit.jpg', mimeType: 'image/jpeg', buffer: await photo({ r: 90, g: 140, b: 200 }) });
    await expect.poll(() => page.locator('.step-photos__item.is-done').count(), { timeout: 15_000 }).toBe(1);
    await expectNoSidewaysOverflow(page, SMALL_PHONE.width);
    await shot(page, 'archive-visit-record-phone');

    // The network fails on submit: the error is shown and nothing typed is lost, even through a reload.
    await page.route('**/api/visits', (route) => route.abort());
    await page.locator('[data-test="visit-submit"]').click();
    await page.locator('[data-test="visit-error"]').waitFor();
    await page.unroute('**/api/visits');
    await page.reload();
    await page.locator('[data-test="draft-restored"]').waitFor();
    expect(await page.locator('textarea[name="findings"]').inputValue()).toBe(findings);
    expect(await page.locator('textarea[name="need-0"]').inputValue()).toBe('希望社区帮忙联系上门助浴服务');
    expect(await page.locator('.step-photos__item.is-done').count()).toBe(1);
    // The need also becomes a case once the visit lands.
    await page.getByText('同时转为案件').click();
    await choose(page, 'category', '暴露垃圾');

    const sent = page.waitForResponse((r) => r.url().endsWith('/api/visits') && r.request().method() === 'POST');
    await page.locator('[data-test="visit-submit"]').click();
    expect((await sent).status()).toBe(201);
    await page.locator('[data-test="visit-done"]').waitFor();
    expect(await page.locator('[data-test="visit-done"]').textContent()).toContain('1 条诉求已转为案件');
    await shot(page, 'archive-visit-done-phone');
    // The draft is gone once the server has the visit.
    expect(
      await page.evaluate('Object.keys(localStorage).filter((k) => k.startsWith("gridloop.visitDraft")).length'),
    ).toBe(0);

    const worker = await apiSession(base, 'gridworker');
    const visits = await apiCall<{
      items: { findings: string; needs: { status: string; case: { number: string } | null }[]; photos: unknown[] }[];
    }>(base, worker, 'GET', `/api/visits?householdId=${householdId}`);
    const landed = visits.items.find((v) => v.findings === findings);
    expect(landed?.needs).toHaveLength(1);
    expect(landed?.needs[0]?.status).toBe('referred');
    expect(landed?.needs[0]?.case?.number).toMatch(/^[0-9]{6}-[0-9]{8}-[0-9]{5}$/);
    expect(landed?.photos).toHaveLength(1);
    // One visit, not two: the failed submit wrote nothing.
    expect(visits.items.filter((v) => v.findings === findings)).toHaveLength(1);
    await context.close();
  });

  it('the coverage map draws the grids coloured by coverage, with the table beside it', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signInAs(page, base, 'committee');
    await page.goto(`${base}/visits/coverage`);
    const map = page.locator('.grid-heat__map');
    await page.locator('.grid-heat canvas.maplibregl-canvas').waitFor({ timeout: 20_000 });
    await expect.poll(async () => Number(await map.getAttribute('data-grids')), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(Number(await map.getAttribute('data-valued'))).toBeGreaterThan(0);
    const rows = page.locator('[data-test="coverage-grids"] .el-table__body tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await page.locator('[data-test="coverage-grids"]').textContent()).toMatch(/[0-9.]+%/);
    await shot(page, 'archive-coverage');
    await context.close();
  });
});

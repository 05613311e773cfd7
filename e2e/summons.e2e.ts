/**
 * A summons (约请) in the browser: the subdistrict's dispatcher summons the enforcement squad about
 * an open case from its page; the squad's handler, on a phone, answers that they will come; the
 * dispatcher sees the answer and closes the summons with the outcome.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.js';
import {
  apiSession,
  choose,
  desktopContext,
  expectNoSidewaysOverflow,
  phoneContext,
  SHOTS,
  SQUAD,
  shot,
  signInAs,
} from './support.js';

let browser: Browser;
let base: string;

describe('summonses in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    base = inject('baseUrl');
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('dispatcher summons the squad about a case; the handler answers; the dispatcher closes it', async () => {
    const { cookie } = await apiSession(base, 'dispatcher');
    const open = (await (
      await fetch(`${base}/api/cases?state=handling,dispatched&limit=1`, { headers: { cookie } })
    ).json()) as {
      items: { id: string; number: string }[];
    };
    const target = open.items[0];
    if (!target) throw new Error('the demo has no case being handled');
    const subject = `约请测试 ${Date.now() % 100_000}`;
    // Tomorrow in Beijing: a summons may not ask for a time already past.
    const day = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const shown = day.replaceAll('-', '/');
    const weekLater = new Date(Date.now() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);

    const desk = await desktopContext(browser);
    const dispatcher = await desk.newPage();
    await signInAs(dispatcher, base, 'dispatcher');
    await dispatcher.goto(`${base}/cases/${target.id}`);
    await dispatcher.locator('[data-test="open-summons"]').click();
    const dialog = dispatcher.locator('.issue-summons');
    await dialog.waitFor();
    // The case's own department comes chosen; choosing it again would take it off.
    const picked = dialog.locator('[data-field="summonsDepartments"]');
    if (!((await picked.textContent()) ?? '').includes(SQUAD)) {
      await choose(dispatcher, 'summonsDepartments', SQUAD);
      await dispatcher.keyboard.press('Escape');
    }
    await dialog.locator('input[name="subject"]').fill(subject);
    await dialog.locator('input[name="place"]').fill('梧桐路 1 号门口');
    const when = dialog.locator('.el-date-editor input');
    await when.click();
    await when.fill(`${day} 10:00:00`);
    await when.press('Enter');
    await dialog.locator('[data-test="summons-send"]').click();
    await expect.poll(() => dispatcher.locator('.el-message--success').textContent()).toContain('约请已发出');
    await expect.poll(() => dispatcher.locator('.case-page').textContent()).toContain(subject);

    // The handler answers from a phone.
    const phone = await phoneContext(browser);
    const handler = await phone.newPage();
    await signInAs(handler, base, 'handler');
    await handler.goto(`${base}/summons`);
    const card = handler.locator('.summons-card', { hasText: subject });
    await card.waitFor({ timeout: 15_000 });
    const arrival = card.locator('.el-date-editor input');
    await arrival.click();
    await arrival.fill(`${day} 09:30:00`);
    await arrival.press('Enter');
    await card.locator('[data-test="summons-accept"]').click();
    // Times typed are Beijing time whatever the browser's zone (this one runs in UTC).
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain(`到场 ${shown} 09:30`);
    expect(await card.textContent()).toContain(`${shown} 10:00`);
    await expectNoSidewaysOverflow(handler);
    await shot(handler, 'summons-handler-phone');

    // The dispatcher sees the answer and records the outcome.
    await dispatcher.goto(`${base}/summons`);
    await dispatcher.getByRole('tab', { name: '我方发出' }).click();
    const issued = dispatcher.locator('.summons-card', { hasText: subject });
    await issued.waitFor({ timeout: 15_000 });
    expect(await issued.textContent()).toContain(`到场 ${shown}`);
    await issued.locator('input[name="outcome"]').fill('现场会商，城管中队三日内清理完毕');
    await issued.locator('[data-test="summons-close"]').click();
    await expect.poll(() => issued.textContent(), { timeout: 15_000 }).toContain('已办结');
    await shot(dispatcher, 'summons-dispatcher');

    // A joint meeting about the case: the squad attends; a decision is owned by the squad, which marks it done.
    await dispatcher.getByRole('tab', { name: '联席会议' }).click();
    await dispatcher.locator('[data-test="meeting-create"]').click();
    const form = dispatcher.locator('.meeting-dialog');
    await form.locator('input[name="meetingSubject"]').fill(`${subject} 联席会`);
    const held = form.locator('.el-date-editor input');
    await held.click();
    await held.fill(`${day} 14:00:00`);
    await held.press('Enter');
    await form.locator('input[name="meetingPlace"]').fill('梧桐街道会议室');
    await choose(dispatcher, 'meetingDepartments', SQUAD);
    await dispatcher.keyboard.press('Escape');
    await form.locator('input[name="caseNumbers"]').fill(target.number);
    await form.locator('[data-test="meeting-save"]').click();
    const meeting = dispatcher.locator('.meeting-card');
    await meeting.waitFor({ timeout: 15_000 });
    await expect.poll(() => meeting.textContent()).toContain(target.number);
    await meeting.locator('input[name="decisionText"]').fill('城管中队负责清运堆物并恢复通行');
    await choose(dispatcher, 'decisionOwner', SQUAD);
    const due = meeting.locator('.el-date-editor input');
    await due.click();
    await due.fill(weekLater);
    await due.press('Enter');
    await meeting.locator('[data-test="decision-add"]').click();
    await expect.poll(() => meeting.textContent(), { timeout: 15_000 }).toContain('城管中队负责清运堆物');
    // The meeting's row counts it.
    await expect
      .poll(() =>
        dispatcher
          .locator('.el-collapse-item', { hasText: `${subject} 联席会` })
          .locator('.meetings__title')
          .textContent(),
      )
      .toContain('议定事项 1 项，未完成 1 项');
    await shot(dispatcher, 'meeting-dispatcher');

    await handler.goto(`${base}/summons`);
    await handler.getByRole('tab', { name: '联席会议' }).click();
    await handler
      .locator('.el-collapse-item', { hasText: `${subject} 联席会` })
      .locator('.el-collapse-item__header')
      .click();
    const decision = handler.locator('.meeting-card li', { hasText: '城管中队负责清运堆物' });
    await decision.locator('[data-test="decision-done"]').click();
    await expect.poll(() => decision.textContent(), { timeout: 15_000 }).toContain('已完成');
    await expectNoSidewaysOverflow(handler);
    await desk.close();
    await phone.close();
  }, 120_000);
});

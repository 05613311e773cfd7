/**
 * 我的待办 over HTTP, page by page: a section longer than one page is turned with `section` and
 * `page`, soonest due first across the pages, the other sections staying on their first page.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeCategory, makeTerritory, TEST_PASSWORD, type Territory } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';

interface Section {
  total: number;
  items: { id: string; clock: { dueAt: string } }[];
}
type Inbox = { sections: Record<string, Section> };

describe('inbox pages', () => {
  let db: Db;
  let app: FastifyInstance;
  let t: Territory;
  let dispatcher: Client;
  const REPORTS = 53;

  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    t = await makeTerritory(db);
    const category = await makeCategory(db);
    const worker = await signIn(
      app,
      (await makeAccount(db, t, 'grid_worker', t.communities[0])).username,
      TEST_PASSWORD,
    );
    dispatcher = await signIn(app, (await makeAccount(db, t, 'dispatcher', t.subdistrict)).username, TEST_PASSWORD);
    const [lng, lat] = t.gridCentres[0] as [number, number];
    for (let i = 0; i < REPORTS; i++) {
      const res = await worker.request('POST', '/api/cases', {
        channel: 'patrol',
        categoryCode: category.code,
        description: `第 ${i + 1} 处垃圾堆积`,
        lng,
        lat,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  const get = async (query = '') => {
    const res = await dispatcher.request('GET', `/api/inbox${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Inbox;
  };

  it('shows the first 50 and turns to the rest, soonest due first throughout', async () => {
    const first = (await get()).sections.toRegister as Section;
    expect(first.total).toBe(REPORTS);
    expect(first.items).toHaveLength(50);
    const second = (await get('?section=toRegister&page=2')).sections.toRegister as Section;
    expect(second.total).toBe(REPORTS);
    expect(second.items).toHaveLength(REPORTS - 50);
    const ids = [...first.items, ...second.items].map((c) => c.id);
    expect(new Set(ids).size).toBe(REPORTS);
    const dues = [...first.items, ...second.items].map((c) => Date.parse(c.clock.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    // Past the end: an empty page, the total still said.
    const third = (await get('?section=toRegister&page=3')).sections.toRegister as Section;
    expect(third).toEqual({ total: REPORTS, items: [] });
  });

  it('keeps the other sections on their first page', async () => {
    const inbox = await get('?section=overdue&page=2');
    expect(inbox.sections.toRegister?.items).toHaveLength(50);
  });

  it('refuses a page or section that cannot be', async () => {
    for (const query of ['?page=0', '?section=nope', '?page=x', '?other=1']) {
      const res = await dispatcher.request('GET', `/api/inbox${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });
});

/**
 * Open311 GET requests, rule by rule: a district's requests (every channel) with public fields
 * only, status and notes from the workflow, the arguments (ids override the rest, service codes,
 * statuses, a range of at most 90 days defaulting to the last 90), the 1,000 cap with page and
 * page_size, one request by id, the update history with extensions=true; XML and JSON alike.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, makeDepartment, makeTerritory, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { asSpark, sparkOf } from './test-client.js';
import { errorsOf, get, makeWorld, post, useApp, type World } from './test-world.js';

let db: Db;
let app: FastifyInstance;
let w: World;
let dispatcher: Client;
let department: { id: string; code: string };
/** Requests by what happened to them. */
const ids = { open: '', dispatched: '', rejected: '', resident: '', neighbour: '' };

const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

async function submit(extra: Record<string, string> = {}, at = 0): Promise<string> {
  const [lng, lat] = w.t.gridCentres[at] as [number, number];
  const res = await post('json', {
    api_key: w.key,
    jurisdiction_id: w.j,
    service_code: w.category.code,
    lat: String(lat),
    long: String(lng),
    'attribute[kind]': 'bulky',
    first_name: '小明',
    last_name: '王',
    phone: '13800001111',
    email: 'wang@example.com',
    account_id: 'app-user-7',
    device_id: 'android-42',
    description: '旧沙发堆在楼道，请联系 13912345678 或 wang@example.com',
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json()[0].service_request_id;
}

async function step(id: string, body: Record<string, unknown>) {
  const current = (await dispatcher.request('GET', `/api/cases/${id}`)).json();
  const res = await dispatcher.request('POST', `/api/cases/${id}/transitions`, { version: current.version, ...body });
  expect(res.statusCode, res.body).toBe(200);
}

const requests = (query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  get('requests.json', { jurisdiction_id: w.j, ...query }, headers);

const idsOf = async (query: Record<string, string> = {}) =>
  ((await requests(query)).json() as { service_request_id: string }[]).map((r) => r.service_request_id);

describe('Open311 GeoReport v2: GET requests', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    useApp(app);
    w = await makeWorld(db);
    department = await makeDepartment(db, w.t);
    dispatcher = await signIn(app, (await makeAccount(db, w.t, 'dispatcher', w.t.subdistrict)).username, TEST_PASSWORD);
    ids.open = await submit({ media_url: 'https://img.example.com/sofa.jpg', address_string: '梧桐路 1 号' });
    ids.dispatched = await submit({}, 1);
    await step(ids.dispatched, { action: 'register' });
    await step(ids.dispatched, { action: 'dispatch', departmentId: department.id });
    ids.rejected = await submit({}, 2);
    await step(ids.rejected, {
      action: 'reject',
      rejectReason: 'out_of_remit',
      reason: '属物业管理范围，已告知物业（电话 021-64001234）',
    });
    const [lng, lat] = w.t.gridCentres[3] as [number, number];
    const resident = await app.inject({
      method: 'POST',
      url: '/api/public/cases',
      payload: {
        categoryCode: w.plain.code,
        description: '人行道地砖松动',
        lng,
        lat,
        contact: { phone: '13700002222' },
      },
    });
    expect(resident.statusCode, resident.body).toBe(201);
    ids.resident = resident.json().id;
    const [lng2, lat2] = w.t2.gridCentres[0] as [number, number];
    const neighbour = await app.inject({
      method: 'POST',
      url: '/api/public/cases',
      payload: { categoryCode: w.plain.code, description: '邻区的路灯不亮', lng: lng2, lat: lat2 },
    });
    ids.neighbour = neighbour.json().id;
  });

  it('lists the district’s requests of every channel, newest first, alike in XML and JSON', async () => {
    const xml = await get('requests.xml', { jurisdiction_id: w.j });
    const json = await requests();
    expect(xml.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<service_requests>\n  <request>')).toBe(true);
    expect(sparkOf(xml.body)).toEqual(asSpark(json.json()));
    expect(json.json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
      ids.resident,
      ids.rejected,
      ids.dispatched,
      ids.open,
    ]);
    // The spec's elements, in the spec's order.
    const first = /<request>\n([\s\S]*?)\n {2}<\/request>/.exec(xml.body)?.[1] ?? '';
    expect([...first.matchAll(/^ {4}<(\w+)/gm)].map((m) => m[1])).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ]);
  });

  it('never gives out personal data: no reporter, no contact fields, numbers blotted out of the text', async () => {
    for (const format of ['json', 'xml']) {
      const body = (await get(`requests.${format}`, { jurisdiction_id: w.j, extensions: 'true' })).body;
      for (const secret of [
        '王小明',
        '小明',
        '13800001111',
        '13700002222',
        'wang@example.com',
        'app-user-7',
        'android-42',
      ])
        expect(body, secret).not.toContain(secret);
      expect(body).not.toContain('64001234');
      expect(body).not.toMatch(/tracking|reporter/i);
    }
    const open = (await get(`requests/${ids.open}.json`, { jurisdiction_id: w.j })).json()[0];
    expect(open.description).toMatch(/^旧沙发堆在楼道，请联系 \*\*\* 或 \*\*\*\n/);
  });

  it('maps the workflow: status, status_notes, agency, deadline, notice, dates, place', async () => {
    const byId = new Map(
      ((await requests()).json() as Record<string, unknown>[]).map((r) => [r.service_request_id as string, r]),
    );
    const [lng, lat] = w.t.gridCentres[0] as [number, number];
    expect(byId.get(ids.open)).toMatchObject({
      status: 'open',
      status_notes: '上报',
      service_name: '暴露垃圾',
      service_code: w.category.code,
      agency_responsible: null,
      service_notice: '城管将在 24 小时内到场',
      requested_datetime: expect.stringMatching(W3C),
      updated_datetime: expect.stringMatching(W3C),
      expected_datetime: null,
      address: '梧桐路 1 号',
      address_id: null,
      zipcode: null,
      lat,
      long: lng,
      media_url: 'https://img.example.com/sofa.jpg',
    });
    const dispatched = await db
      .selectFrom('cases')
      .select(['handleDueAt', 'createdAt'])
      .where('id', '=', ids.dispatched)
      .executeTakeFirstOrThrow();
    expect(byId.get(ids.dispatched)).toMatchObject({
      status: 'open',
      status_notes: '派遣',
      agency_responsible: '测试城管中队',
      expected_datetime: expect.stringMatching(W3C),
    });
    const expected = byId.get(ids.dispatched)?.expected_datetime as string;
    expect(Date.parse(expected)).toBe(Math.floor((dispatched.handleDueAt?.getTime() ?? 0) / 1000) * 1000);
    const requested = byId.get(ids.dispatched)?.requested_datetime as string;
    expect(Date.parse(requested)).toBe(Math.floor(dispatched.createdAt.getTime() / 1000) * 1000);
    expect(byId.get(ids.rejected)).toMatchObject({
      status: 'closed',
      status_notes: '不予立案：属物业管理范围，已告知物业（电话 ***）',
    });
    expect(byId.get(ids.resident)).toMatchObject({ status: 'open', service_code: w.plain.code, media_url: null });
    const english = (await requests({ service_request_id: ids.rejected }, { 'accept-language': 'en' })).json()[0];
    expect(english).toMatchObject({
      service_name: 'Exposed rubbish',
      status_notes: expect.stringMatching(/^Reject: /),
    });
  });

  it('reads closed as closed, rejected or merged (a cancellation is a closing), open otherwise', async () => {
    const id = await submit({}, 3);
    await step(id, { action: 'close', closeReason: 'cancelled', reason: '报告人撤回' });
    const closed = (await requests({ service_request_id: id })).json()[0];
    const row = await db.selectFrom('cases').select('closedAt').where('id', '=', id).executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ status: 'closed', status_notes: '结案：报告人撤回' });
    expect(Date.parse(closed.updated_datetime)).toBe(Math.floor((row.closedAt?.getTime() ?? 0) / 1000) * 1000);
    const into = await submit({}, 3);
    await step(into, { action: 'merge', mergedIntoId: ids.open });
    expect((await requests({ service_request_id: into })).json()[0]).toMatchObject({ status: 'closed' });
    expect(await idsOf({ status: 'closed' })).toEqual(expect.arrayContaining([id, into, ids.rejected]));
    expect(await idsOf({ status: 'closed' })).not.toContain(ids.open);
    expect(await idsOf({ status: 'open' })).toEqual([ids.resident, ids.dispatched, ids.open]);
    expect((await idsOf({ status: 'open,closed' })).length).toBe(6);
    expect((await idsOf({ status: 'closed', service_code: w.plain.code })).length).toBe(0);
  });

  it('gives the update history with extensions=true only', async () => {
    const plain = (await get(`requests/${ids.dispatched}.json`, { jurisdiction_id: w.j })).json()[0];
    expect(plain).not.toHaveProperty('notes');
    const query = { jurisdiction_id: w.j, extensions: 'true' };
    const json = (await get(`requests/${ids.dispatched}.json`, query)).json()[0];
    expect(json.notes).toEqual([
      { datetime: expect.stringMatching(W3C), type: 'report', description: '上报' },
      { datetime: expect.stringMatching(W3C), type: 'register', description: '立案' },
      { datetime: expect.stringMatching(W3C), type: 'dispatch', description: '派遣' },
    ]);
    const xml = await get(`requests/${ids.dispatched}.xml`, query);
    expect(xml.body).toContain('<notes>\n      <note>\n        <datetime>');
    expect(sparkOf(xml.body)).toEqual(asSpark((await get(`requests/${ids.dispatched}.json`, query)).json()));
    expect(errorsOf(await requests({ extensions: 'yes' }))[0]?.code).toBe(400);
  });

  it('finds one request by id, and 404 for an unknown, malformed or other district’s id', async () => {
    const one = await get(`requests/${ids.rejected}.xml`, { jurisdiction_id: w.j });
    expect(one.statusCode).toBe(200);
    expect(sparkOf(one.body)).toEqual(
      asSpark((await get(`requests/${ids.rejected}.json`, { jurisdiction_id: w.j })).json()),
    );
    const json = (await get(`requests/${ids.rejected}.json`, { jurisdiction_id: w.j })).json();
    expect(json).toHaveLength(1);
    for (const id of [uuidv7(), 'not-a-uuid', ids.neighbour]) {
      const res = await get(`requests/${id}.json`, { jurisdiction_id: w.j });
      expect(res.statusCode).toBe(404);
      expect(res.headers['x-error-code']).toBe('OPEN311_REQUEST_UNKNOWN');
    }
    expect((await get(`requests/${ids.neighbour}.json`, { jurisdiction_id: w.j2 })).statusCode).toBe(200);
  });

  it('takes ids as a list that overrides every other argument, and service codes as a list', async () => {
    const old = await submit();
    await db
      .updateTable('cases')
      .set({ createdAt: new Date(Date.now() - 200 * 86_400_000) })
      .where('id', '=', old)
      .execute();
    expect(await idsOf()).not.toContain(old);
    const listed = await idsOf({
      service_request_id: `${old},${ids.resident}, ${ids.neighbour}`,
      service_code: '9999',
      status: 'closed',
      start_date: '2000-01-01T00:00:00Z',
      end_date: '2000-01-02T00:00:00Z',
    });
    expect(listed.sort()).toEqual([old, ids.resident].sort());
    const repeated = await get(
      `requests.json?jurisdiction_id=${w.j}&service_request_id=${ids.open}&service_request_id=${ids.resident}`,
    );
    expect(repeated.json()).toHaveLength(2);
    expect((await idsOf({ service_code: `${w.plain.code},${w.category.code}` })).length).toBe(6);
    expect(await idsOf({ service_code: w.plain.code })).toEqual([ids.resident]);
    expect((await requests({ service_request_id: 'abc' })).statusCode).toBe(400);
    expect((await requests({ service_code: 'graffiti' })).statusCode).toBe(400);
    expect((await requests({ status: 'pending' })).statusCode).toBe(400);
  });

  it('searches at most 90 days, the last 90 by default, in W3C dates with a zone', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(await idsOf({ start_date: iso(now - 60_000), end_date: iso(now + 60_000) })).toContain(ids.open);
    expect(await idsOf({ start_date: iso(now + 60_000) })).toEqual([]);
    expect(await idsOf({ end_date: iso(now - 3_600_000) })).toEqual([]);
    const beijing = `${new Date(now + 8 * 3_600_000 + 60_000).toISOString().slice(0, 19)}+08:00`;
    expect(await idsOf({ end_date: beijing })).toContain(ids.open);
    const wrong: Record<string, string>[] = [
      { start_date: iso(now - 91 * 86_400_000), end_date: iso(now) },
      { start_date: iso(now), end_date: iso(now - 60_000) },
      { start_date: '2026-01-01' },
      { start_date: '2026-01-01T00:00:00' },
      { end_date: 'yesterday' },
    ];
    for (const query of wrong) {
      const res = await requests(query);
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(res.headers['x-error-code']).toBe('OPEN311_DATE_RANGE_INVALID');
    }
    expect((await requests({ start_date: iso(now - 90 * 86_400_000), end_date: iso(now) })).statusCode).toBe(200);
  });

  it('answers at most 1,000 requests, and pages with page and page_size', async () => {
    const t3 = await makeTerritory(db, [121.8, 31.6]);
    const grid = t3.units.get(t3.grids[0]) as { id: string; path: string };
    const district = t3.district.slice(0, 6);
    await sql`
      insert into cases (district, id, number, tracking_code, state, channel, category_id, title, description,
                         unit_id, unit_path, reporter_kind, created_at, updated_at)
      select ${district}, gen_random_uuid(), ${district} || '-20260101-' || lpad(i::text, 5, '0'),
             'B' || lpad(i::text, 9, '0'), 'reported', 'patrol', ${w.plain.id}, '批量', '批量案件 ' || i,
             ${grid.id}, ${grid.path}, 'staff', now() - make_interval(mins => i), now()
      from generate_series(1, 1005) as i`.execute(db);
    const all = (await get('requests.json', { jurisdiction_id: district })).json();
    expect(all).toHaveLength(1_000);
    expect(all[0].description).toBe('批量案件 1');
    const rest = (await get('requests.json', { jurisdiction_id: district, page: '2' })).json();
    expect(rest.map((r: { description: string }) => r.description)).toEqual(
      [1001, 1002, 1003, 1004, 1005].map((i) => `批量案件 ${i}`),
    );
    const third = (await get('requests.json', { jurisdiction_id: district, page: '3', page_size: '10' })).json();
    expect(third.map((r: { description: string }) => r.description)).toEqual(
      Array.from({ length: 10 }, (_, i) => `批量案件 ${21 + i}`),
    );
    const wrong: Record<string, string>[] = [{ page_size: '1001' }, { page_size: '0' }, { page: '0' }, { page: 'two' }];
    for (const query of wrong) {
      const res = await get('requests.json', { jurisdiction_id: district, ...query });
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(res.headers['x-error-code']).toBe('OPEN311_PARAMETER_INVALID');
    }
  });
});

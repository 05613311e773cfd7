/**
 * Open311 GeoReport v2, rule by rule of the specification: discovery, services and definitions,
 * POST requests (api_key, jurisdiction, location, attributes), every answer in XML with the UTF-8
 * declaration and in JSON saying the same, errors in the spec's format with its HTTP statuses, and
 * nothing written by a refused request. GET requests are in open311.requests.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { asSpark, sparkOf } from './test-client.js';
import {
  countRows,
  districtUnitId,
  errorsOf,
  get,
  makeOpen311Key,
  makeWorld,
  post,
  useApp,
  type World,
} from './test-world.js';

let db: Db;
let url: string;
let app: FastifyInstance;
let w: World;

/** A request the spec accepts: service, location in the first district, the required answer. */
function valid(extra: Record<string, string> = {}): Record<string, string> {
  const [lng, lat] = w.t.gridCentres[0] as [number, number];
  return {
    api_key: w.key,
    jurisdiction_id: w.j,
    service_code: w.category.code,
    lat: String(lat),
    long: String(lng),
    description: '小区东门垃圾桶满溢，三天无人清运',
    'attribute[kind]': 'household',
    ...extra,
  };
}

/** Both formats of a GET say the same thing (the Spark reading of the XML is the JSON). */
async function parity(path: string, query: Record<string, string> = {}) {
  const xml = await get(`${path}.xml`, query);
  const json = await get(`${path}.json`, query);
  expect(xml.statusCode, xml.body).toBe(json.statusCode);
  expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(xml.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  expect(sparkOf(xml.body)).toEqual(asSpark(json.json()));
  return { xml: xml.body, json: json.json() };
}

/** Refused with this status and catalogue code in the spec's format, in both formats alike. */
async function refused(
  status: number,
  code: string,
  send: (format: 'xml' | 'json') => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>,
) {
  const json = await send('json');
  expect(json.statusCode, json.body).toBe(status);
  expect(json.headers['x-error-code']).toBe(code);
  const errors = JSON.parse(json.body);
  expect(Array.isArray(errors)).toBe(true);
  expect(errors[0]).toMatchObject({ code: status, description: expect.any(String) });
  const xml = await send('xml');
  expect(xml.statusCode).toBe(status);
  expect(xml.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<errors>\n {2}<error>/);
  expect(sparkOf(xml.body)).toEqual(asSpark(errors));
  return errors as { code: number; description: string }[];
}

describe('Open311 GeoReport v2: discovery, services, POST requests', () => {
  beforeAll(async () => {
    ({ db, url } = await createTestDatabase());
    app = await createTestApp(db);
    useApp(app);
    w = await makeWorld(db);
  });

  it('discovers the endpoint in XML and JSON without a jurisdiction', async () => {
    const { json, xml } = await parity('discovery');
    expect(xml).toContain('<discovery>');
    expect(json).toMatchObject({
      changeset: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
      contact: expect.any(String),
      key_service: expect.any(String),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: expect.stringMatching(/^http:\/\/[^/]+\/open311\/v2$/),
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
  });

  it('lists the reportable categories as realtime services; metadata says which have questions', async () => {
    const { json, xml } = await parity('services', { jurisdiction_id: w.j });
    expect(Array.isArray(json)).toBe(true);
    expect(xml).toMatch(/<services>\n {2}<service>\n {4}<service_code>/);
    const byCode = new Map((json as { service_code: string }[]).map((s) => [s.service_code, s]));
    expect(byCode.get(w.category.code)).toEqual({
      service_code: w.category.code,
      service_name: '暴露垃圾',
      description: '事件 › 测试大类 › 暴露垃圾',
      metadata: true,
      type: 'realtime',
      keywords: null,
      group: '测试大类',
    });
    expect(byCode.get(w.plain.code)).toMatchObject({ metadata: false, type: 'realtime' });
    // Majors are groups, not services.
    expect([...byCode.keys()].every((c) => /^\d{2}(?!00)\d{2}$/.test(c))).toBe(true);
    const english = (await get('services.json', { jurisdiction_id: w.j }, { 'accept-language': 'en' })).json();
    expect(english.find((s: { service_code: string }) => s.service_code === w.category.code)).toMatchObject({
      service_name: 'Exposed rubbish',
      group: 'Test major',
    });
  });

  it('defines a service by its questions: datatype, required, order, values', async () => {
    const { json, xml } = await parity(`services/${w.category.code}`, { jurisdiction_id: w.j });
    expect(xml).toContain('<service_definition>');
    expect(json.service_code).toBe(w.category.code);
    expect(json.attributes.map((a: { code: string }) => a.code)).toEqual(['kind', 'bins', 'smells', 'seen']);
    expect(json.attributes[0]).toEqual({
      variable: true,
      code: 'kind',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: null,
      order: 1,
      description: '垃圾种类',
      values: [
        { key: 'household', name: '生活垃圾' },
        { key: 'bulky', name: '大件垃圾' },
      ],
    });
    expect(json.attributes[1]).not.toHaveProperty('values');
    expect(json.attributes.map((a: { datatype: string }) => a.datatype)).toEqual([
      'singlevaluelist',
      'number',
      'multivaluelist',
      'datetime',
    ]);
    expect((await get(`services/${w.plain.code}.json`, { jurisdiction_id: w.j })).json()).toEqual({
      service_code: w.plain.code,
      attributes: [],
    });
  });

  it('answers 400 without a jurisdiction and 404 for an unknown one, service or route', async () => {
    for (const path of ['services', `services/${w.category.code}`, 'requests']) {
      const missing = await refused(400, 'OPEN311_JURISDICTION_REQUIRED', (f) => get(`${path}.${f}`));
      expect(missing[0]?.description).toContain('jurisdiction_id');
      await refused(400, 'OPEN311_JURISDICTION_REQUIRED', (f) => get(`${path}.${f}`, { jurisdiction_id: '' }));
      await refused(404, 'OPEN311_JURISDICTION_UNKNOWN', (f) => get(`${path}.${f}`, { jurisdiction_id: '999999' }));
      await refused(404, 'OPEN311_JURISDICTION_UNKNOWN', (f) => get(`${path}.${f}`, { jurisdiction_id: 'city.gov' }));
    }
    for (const code of ['9999', `${w.category.code.slice(0, 2)}00`, 'abc']) {
      await refused(404, 'OPEN311_SERVICE_UNKNOWN', (f) => get(`services/${code}.${f}`, { jurisdiction_id: w.j }));
    }
    await refused(404, 'ROUTE_NOT_FOUND', (f) => get(`tokens/12345.${f}`, { jurisdiction_id: w.j }));
    const html = await get('services.html', { jurisdiction_id: w.j });
    expect(html.statusCode).toBe(400);
    expect(html.headers['x-error-code']).toBe('OPEN311_FORMAT_UNKNOWN');
    expect(html.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<errors>/);
    expect((await get('services', { jurisdiction_id: w.j })).statusCode).toBe(404);
    const english = await get('services.json', { jurisdiction_id: '999999' }, { 'accept-language': 'en-GB' });
    expect(errorsOf(english)[0]?.description).toBe('jurisdiction_id not found (jurisdiction_id: 999999)');
  });

  it('creates a request as an open311 case in its grid, with the answers, in the same answer shape in both formats', async () => {
    const before = await countRows(db, 'cases');
    const res = await post('json', [
      ...Object.entries(
        valid({ email: 'wang@example.com', first_name: '小明', last_name: '王', phone: '13800001111' }),
      ),
      ['attribute[bins]', '3'],
      ['attribute[smells][]', 'rot'],
      ['attribute[smells][]', 'chemical'],
      ['media_url', 'https://img.example.com/1.jpg'],
      ['account_id', 'app-user-7'],
      ['device_id', 'android-42'],
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const [answer, ...more] = res.json();
    expect(more).toEqual([]);
    expect(answer).toEqual({
      service_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      service_notice: '城管将在 24 小时内到场',
      account_id: 'app-user-7',
    });
    expect(await countRows(db, 'cases')).toBe(before + 1);
    const c = await db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', answer.service_request_id)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      channel: 'open311',
      state: 'reported',
      district: w.j,
      unitId: (w.t.units.get(w.t.grids[0]) as { id: string }).id,
      reporterKind: 'anonymous',
      reporterName: '王小明',
      reporterPhone: '13800001111',
    });
    expect(c.description).toContain('垃圾种类 / Kind of rubbish: 生活垃圾 / Household');
    expect(c.description).toContain('异味 / Smells: 腐臭 / Rotting、化学品味 / Chemical');
    const extra = await db
      .selectFrom('open311Request')
      .selectAll()
      .where('caseId', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(extra).toMatchObject({
      machineKeyId: w.keyId,
      attributes: { kind: 'household', bins: '3', smells: ['rot', 'chemical'] },
      email: 'wang@example.com',
      accountId: 'app-user-7',
      deviceId: 'android-42',
      mediaUrl: 'https://img.example.com/1.jpg',
    });
    const events = await db.selectFrom('caseEvent').select(['action', 'actor']).where('caseId', '=', c.id).execute();
    expect(events).toEqual([{ action: 'report', actor: { kind: 'system', name: 'open311:城市服务 App' } }]);
    const audit = await db.selectFrom('auditLog').select('data').where('action', '=', 'case.reported').execute();
    expect(audit.map((a) => a.data)).toContainEqual(expect.objectContaining({ channel: 'open311' }));
    const key = await db
      .selectFrom('machineKey')
      .select('lastUsedAt')
      .where('id', '=', w.keyId)
      .executeTakeFirstOrThrow();
    expect(key.lastUsedAt).not.toBeNull();

    const xml = await post('xml', valid());
    expect(xml.statusCode).toBe(200);
    expect(xml.body).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<service_requests>\n {2}<request>\n {4}<service_request_id>[0-9a-f-]{36}<\/service_request_id>\n {4}<service_notice>城管将在 24 小时内到场<\/service_notice>\n {4}<account_id\/>\n {2}<\/request>\n<\/service_requests>\n$/,
    );
  });

  it('takes jurisdiction_id and api_key from the query string too, as the npm client sends them', async () => {
    const { jurisdiction_id: _j, api_key: _k, ...form } = valid();
    const res = await post('json', form, { query: { jurisdiction_id: w.j, api_key: w.key } });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('places a request with an address only, or an address id, in its own district', async () => {
    const { lat: _lat, long: _long, ...noPoint } = valid();
    const byAddress = await post('json', { ...noPoint, address_string: '梧桐路 88 号东门' });
    expect(byAddress.statusCode, byAddress.body).toBe(200);
    const byId = await post('json', { ...noPoint, address_id: 'ADDR-545483' });
    expect(byId.statusCode, byId.body).toBe(200);
    const rows = await db
      .selectFrom('cases')
      .select(['district', 'unitPath', 'address', 'outsideGrid'])
      .where('id', 'in', [byAddress.json()[0].service_request_id, byId.json()[0].service_request_id])
      .execute();
    const subdistrict = w.t.units.get(w.t.subdistrict) as { path: string };
    for (const row of rows) expect(row).toMatchObject({ district: w.j, unitPath: subdistrict.path, outsideGrid: true });
    expect(rows.map((r) => r.address).sort()).toEqual(['地址编号 address_id ADDR-545483', '梧桐路 88 号东门']);
  });

  it('refuses a missing, unknown, revoked, foreign or sensor api_key with 403, writing nothing', async () => {
    const before = await countRows(db, 'cases');
    await refused(403, 'OPEN311_API_KEY_INVALID', (f) => post(f, valid({ api_key: '' })));
    await refused(403, 'OPEN311_API_KEY_INVALID', (f) => post(f, valid({ api_key: `glk_${'x'.repeat(32)}` })));
    await refused(403, 'OPEN311_API_KEY_INVALID', (f) => post(f, valid({ api_key: 'xyz' })));
    const other = await makeOpen311Key(w.admin, w.t2, '邻区应用');
    const [lng2, lat2] = w.t2.gridCentres[0] as [number, number];
    await refused(403, 'OPEN311_API_KEY_INVALID', (f) => post(f, valid({ api_key: other.key })));
    // The neighbour's key works in its own district.
    const own = await post(
      'json',
      valid({ api_key: other.key, jurisdiction_id: w.j2, lat: String(lat2), long: String(lng2) }),
    );
    expect(own.statusCode, own.body).toBe(200);
    const sensor = await w.admin.request('POST', '/api/machine-keys', {
      name: '烟感网关',
      unitId: districtUnitId(w.t),
    });
    await refused(403, 'OPEN311_API_KEY_INVALID', (f) => post(f, valid({ api_key: sensor.json().key })));
    const revoked = await makeOpen311Key(w.admin, w.t, '已停用应用');
    expect((await w.admin.request('DELETE', `/api/machine-keys/${revoked.id}`)).statusCode).toBe(200);
    const errors = await refused(403, 'OPEN311_API_KEY_INVALID', (f) => post(f, valid({ api_key: revoked.key })));
    expect(errors[0]?.description).toContain('revoked');
    expect(await countRows(db, 'cases')).toBe(before + 1);
  });

  it('binds Open311 keys to districts and keeps the two kinds of machine key apart', async () => {
    const subdistrict = (w.t.units.get(w.t.subdistrict) as { id: string }).id;
    const wrong = await w.admin.request('POST', '/api/machine-keys', {
      name: '街道应用',
      channel: 'open311',
      unitId: subdistrict,
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('OPEN311_KEY_UNIT_INVALID');
    const listed = (await w.admin.request('GET', '/api/machine-keys')).json().items;
    expect(listed).toContainEqual(expect.objectContaining({ id: w.keyId, channel: 'open311', district: w.j }));
    // An Open311 key is no sensor key.
    const alarm = await app.inject({
      method: 'POST',
      url: '/api/intake/alarms',
      headers: { authorization: `Bearer ${w.key}`, 'idempotency-key': 'x-1' },
      payload: {
        deviceId: 'd1',
        categoryCode: w.plain.code,
        lng: w.t.gridCentres[0]?.[0],
        lat: w.t.gridCentres[0]?.[1],
        description: '烟感报警测试',
      },
    });
    expect(alarm.statusCode).toBe(401);
    expect(alarm.json().error.code).toBe('MACHINE_KEY_INVALID');
  });

  it('answers 404 for an unknown service and 400 for whatever else is wrong, writing nothing', async () => {
    const before = { cases: await countRows(db, 'cases'), extra: await countRows(db, 'open311Request') };
    const [lng2, lat2] = w.t2.gridCentres[1] as [number, number];
    const cases: [number, string, Record<string, string> | [string, string][]][] = [
      [400, 'OPEN311_SERVICE_REQUIRED', valid({ service_code: '' })],
      [404, 'OPEN311_SERVICE_UNKNOWN', valid({ service_code: '9999' })],
      [404, 'OPEN311_JURISDICTION_UNKNOWN', valid({ jurisdiction_id: '000000' })],
      [400, 'OPEN311_JURISDICTION_REQUIRED', valid({ jurisdiction_id: '' })],
      [400, 'OPEN311_LOCATION_REQUIRED', valid({ lat: '', long: '' })],
      [400, 'OPEN311_PARAMETER_INVALID', valid({ long: '' })],
      [400, 'OPEN311_PARAMETER_INVALID', valid({ lat: '91' })],
      [400, 'OPEN311_PARAMETER_INVALID', valid({ long: 'east' })],
      [400, 'OPEN311_LOCATION_OUTSIDE', valid({ lat: String(lat2), long: String(lng2) })],
      [400, 'OPEN311_LOCATION_OUTSIDE', valid({ lat: '39.9', long: '116.4' })],
      [400, 'OPEN311_PARAMETER_INVALID', valid({ description: 'x'.repeat(4_001) })],
      [400, 'OPEN311_PARAMETER_INVALID', valid({ media_url: 'javascript:alert(1)' })],
      [400, 'OPEN311_PARAMETER_INVALID', valid({ email: 'not-an-address' })],
      [400, 'OPEN311_ATTRIBUTE_INVALID', valid({ 'attribute[kind]': '' })],
      [400, 'OPEN311_ATTRIBUTE_INVALID', valid({ 'attribute[kind]': 'glass' })],
      [400, 'OPEN311_ATTRIBUTE_INVALID', valid({ 'attribute[bins]': 'many' })],
      [400, 'OPEN311_ATTRIBUTE_INVALID', valid({ 'attribute[seen]': 'yesterday' })],
      [400, 'OPEN311_ATTRIBUTE_INVALID', valid({ 'attribute[colour]': 'red' })],
      [400, 'OPEN311_ATTRIBUTE_INVALID', valid({ 'attribute[]': 'x' })],
      [400, 'OPEN311_ATTRIBUTE_INVALID', [...Object.entries(valid()), ['attribute[smells][]', 'roses']]],
      [
        400,
        'OPEN311_ATTRIBUTE_INVALID',
        [...Object.entries(valid({ 'attribute[kind]': '' })), ['attribute[kind][]', 'household']],
      ],
    ];
    for (const [status, code, form] of cases) {
      const errors = await refused(status, code, (f) => post(f, form));
      expect(errors.every((e) => e.code === status)).toBe(true);
    }
    const json = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: valid(),
    });
    expect(json.statusCode).toBe(400);
    expect(errorsOf(json)[0]?.description).toContain('application/x-www-form-urlencoded');
    expect({ cases: await countRows(db, 'cases'), extra: await countRows(db, 'open311Request') }).toEqual(before);
  });

  it('needs no CSRF token: a staff cookie on a machine call changes nothing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: w.admin.cookie },
      payload: new URLSearchParams(valid()).toString(),
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('limits reading per address in the spec’s error format', async () => {
    const from = { remoteAddress: '10.9.8.7' };
    const answers = [];
    for (let i = 0; i < 121; i++)
      answers.push(await app.inject({ method: 'GET', url: '/open311/v2/discovery.json', ...from }));
    expect(answers.slice(0, 120).every((r) => r.statusCode === 200)).toBe(true);
    const last = answers[120];
    expect(last?.statusCode).toBe(429);
    expect(last && errorsOf(last)).toEqual([{ code: 429, description: expect.any(String) }]);
  });

  it('documents every endpoint in the OpenAPI under the open311 tag, in both languages', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const [path, method] of [
      ['/open311/v2/discovery.{format}', 'get'],
      ['/open311/v2/services.{format}', 'get'],
      ['/open311/v2/services/{service_code}.{format}', 'get'],
      ['/open311/v2/requests.{format}', 'post'],
      ['/open311/v2/requests.{format}', 'get'],
      ['/open311/v2/requests/{service_request_id}.{format}', 'get'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      expect(op?.tags, `${method} ${path}`).toEqual(['open311']);
      expect(op?.summary, path).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(Object.keys(doc.paths['/open311/v2/requests.{format}'].post.requestBody.content)).toEqual([
      'application/x-www-form-urlencoded',
    ]);
  });

  // A child process that starts Node and tsx: seconds on an idle machine, more on a loaded one (not a speed target).
  it('issues a working key from the terminal and prints the jurisdiction it serves', async () => {
    const bin = resolve(import.meta.dirname, '../../bin/gridloop.mjs');
    const run = spawnSync(process.execPath, [bin, 'open311', 'key', 'add', '市民热线 App', '--jurisdiction', w.j], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`jurisdiction_id: ${w.j}`);
    const printed = /glk_[A-Za-z0-9_-]{32}/.exec(run.stdout)?.[0] ?? '';
    const res = await post('json', valid({ api_key: printed }));
    expect(res.statusCode, res.body).toBe(200);
    const bad = spawnSync(process.execPath, [bin, 'open311', 'key', 'add', '无区应用'], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(w.j2);
  }, 120_000);
});

/**
 * The public reads behind the resident's report page: the catalogue shows enabled categories only,
 * with public fields only; the grid map answers unit-grid polygons, narrowed by a box; both work
 * without sign-in and are rate limited.
 */
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeTerritory, type Territory } from '../test/factories.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';

let db: Db;
let app: FastifyInstance;
let near: Territory;
let far: Territory;

async function category(
  code: string,
  values: { nameZh: string; nameEn: string; disabled?: boolean; notice?: [string, string]; keywords?: string[] },
) {
  await db
    .insertInto('category')
    .values({
      id: uuidv7(),
      code,
      majorCode: code.slice(0, 2),
      kind: code.startsWith('1') ? 'component' : 'event',
      nameZh: values.nameZh,
      nameEn: values.nameEn,
      departmentKind: 'greening_sanitation',
      disabled: values.disabled ?? false,
      keywords: values.keywords ?? [],
      serviceNoticeZh: values.notice?.[0] ?? null,
      serviceNoticeEn: values.notice?.[1] ?? null,
      duplicateRadiusM: 123,
      createdAt: new Date(),
      updatedAt: new Date(),
    })
    .execute();
}

describe('public catalogue and grid map', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    near = await makeTerritory(db, [121.4, 31.2]);
    far = await makeTerritory(db, [116.3, 39.9]);
    await category('9100', { nameZh: '市容环境', nameEn: 'City appearance' });
    await category('9101', { nameZh: '暴露垃圾', nameEn: 'Exposed rubbish', keywords: ['垃圾', '乱扔'] });
    await category('9102', {
      nameZh: '燃气泄漏',
      nameEn: 'Gas leak',
      notice: ['紧急情况请先拨打 119', 'In an emergency call 119 first'],
    });
    await category('9103', { nameZh: '已停用小类', nameEn: 'Disabled minor', disabled: true });
    await category('9200', { nameZh: '停用大类', nameEn: 'Disabled major', disabled: true });
    await category('9201', { nameZh: '停用大类下的小类', nameEn: 'Minor of a disabled major' });
    await category('9300', { nameZh: '无小类的大类', nameEn: 'Major without minors' });
  });

  it('lists enabled minors under enabled majors, with public fields only and no sign-in', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/public/categories' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.majors).toEqual([{ code: '91', kind: 'event', name: { zh: '市容环境', en: 'City appearance' } }]);
    expect(body.items.map((c: { code: string }) => c.code)).toEqual(['9101', '9102']);
    expect(body.items[0]).toEqual({
      code: '9101',
      major: '91',
      kind: 'event',
      name: { zh: '暴露垃圾', en: 'Exposed rubbish' },
      keywords: ['垃圾', '乱扔'],
      serviceNotice: null,
      questions: [],
    });
    expect(body.items[1].serviceNotice).toEqual({ zh: '紧急情况请先拨打 119', en: 'In an emergency call 119 first' });
    // Internal settings (routing, duplicate radius, ids) stay on the server.
    expect(res.body).not.toContain('greening_sanitation');
    expect(res.body).not.toContain('123');
  });

  it('answers unit-grid polygons, narrowed by a bounding box, without anything but id, code and name', async () => {
    const all = await app.inject({ method: 'GET', url: '/api/public/grids' });
    expect(all.statusCode, all.body).toBe(200);
    const codes = all.json().features.map((f: { properties: { code: string } }) => f.properties.code);
    expect(codes).toEqual(expect.arrayContaining([...near.grids, ...far.grids]));
    // Only unit grids: no subdistrict or community outlines.
    expect(codes).not.toContain(near.subdistrict);
    expect(codes).not.toContain(near.communities[0]);
    const feature = all
      .json()
      .features.find((f: { properties: { code: string } }) => f.properties.code === near.grids[0]);
    expect(Object.keys(feature.properties).sort()).toEqual(['code', 'id', 'name']);
    expect(feature.geometry.type).toBe('Polygon');
    expect(all.json().truncated).toBe(false);

    // A box around the Shanghai territory's first grid touches its neighbours but not Beijing.
    const boxed = await app.inject({ method: 'GET', url: '/api/public/grids?bbox=121.401,31.201,121.404,31.204' });
    expect(boxed.statusCode, boxed.body).toBe(200);
    const boxedCodes = boxed.json().features.map((f: { properties: { code: string } }) => f.properties.code);
    expect(boxedCodes).toEqual([near.grids[0]]);

    for (const bad of ['1,2,3', 'a,b,c,d', '121.5,31.2,121.4,31.3', '200,0,201,1']) {
      const res = await app.inject({ method: 'GET', url: `/api/public/grids?bbox=${bad}` });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('is rate limited per client like the other public routes', async () => {
    const limited = await createTestApp(db);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      statuses.push((await limited.inject({ method: 'GET', url: '/api/public/categories' })).statusCode);
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    const refused = await limited.inject({ method: 'GET', url: '/api/public/categories' });
    expect(refused.json().error.code).toBe('RATE_LIMITED');
  });
});

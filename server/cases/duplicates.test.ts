/**
 * Duplicate suggestion: how alike two Chinese descriptions are, and which open cases the search
 * finds (radius, window, category, state, scope) in which order.
 */
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGrants } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import { GridLocator } from '../territory/placement.js';
import { makeAccount, makeCategory, makeTerritory } from '../test/factories.js';
import { createTestDatabase } from '../test/harness.js';
import { reportCase } from './commands/report-case.js';
import { textSimilarity } from './duplicate-text.js';
import { findDuplicates } from './duplicates.js';

describe('text similarity (jieba)', () => {
  const alike: [string, string][] = [
    ['楼道灯坏了一个星期，晚上很黑', '楼道里的灯不亮了，晚上出入不方便'],
    ['小区门口垃圾桶满了没人清理', '门口的垃圾箱满溢，垃圾散落一地，臭味很大'],
    ['3号楼下水道堵塞，污水漫到路上', '3号楼附近下水道堵了，污水冒出来'],
    ['共享单车乱停放堵住人行道', '人行道上共享单车停放杂乱，行人无法通过'],
    ['井盖缺失，存在安全隐患', '人行道井盖丢了，很危险'],
  ];
  const unlike: [string, string][] = [
    ['楼道灯坏了一个星期，晚上很黑', '共享单车乱停放堵住人行道'],
    ['小区门口垃圾桶满了没人清理', '路面有个大坑，电动车容易摔'],
    ['3号楼下水道堵塞，污水漫到路上', '夜里施工噪音扰民'],
    ['井盖缺失，存在安全隐患', '路灯不亮，晚上很黑'],
  ];

  it('scores reports of the same problem well above reports of different problems', async () => {
    const same = await Promise.all(alike.map(([a, b]) => textSimilarity(a, b)));
    const different = await Promise.all(unlike.map(([a, b]) => textSimilarity(a, b)));
    for (const [i, s] of same.entries()) expect(s, alike[i]?.join(' / ')).toBeGreaterThanOrEqual(0.15);
    for (const [i, s] of different.entries()) expect(s, unlike[i]?.join(' / ')).toBeLessThan(0.05);
    expect(Math.min(...same)).toBeGreaterThan(3 * Math.max(...different));
  });

  it('is symmetric, 1 for the same text, and ignores punctuation and stop words', async () => {
    const a = '小区门口垃圾桶满了没人清理';
    const b = '门口的垃圾箱满溢，垃圾散落一地';
    expect(await textSimilarity(a, b)).toBeCloseTo(await textSimilarity(b, a), 10);
    expect(await textSimilarity(a, a)).toBeCloseTo(1, 10);
    expect(await textSimilarity(a, `${a}！！请尽快处理，谢谢。`)).toBeCloseTo(1, 10);
    // Only politeness and punctuation: nothing to compare, not a match.
    expect(await textSimilarity('请尽快处理，谢谢！', '请尽快处理，谢谢！')).toBe(0);
    expect(await textSimilarity('', a)).toBe(0);
  });

  it('ranks a close paraphrase above a loose one', async () => {
    const query = '3号楼门口垃圾桶满溢，臭味很大';
    const close = await textSimilarity(query, '3号楼门口的垃圾桶满了，很臭');
    const loose = await textSimilarity(query, '小区里垃圾没有及时清运');
    expect(close).toBeGreaterThan(loose);
    expect(loose).toBeGreaterThan(0);
  });
});

let db: Db;
let locator: GridLocator;
let origin = 0;

/** Metres to degrees at a latitude. */
const offset = ([lng, lat]: [number, number], east: number, north: number): [number, number] => [
  lng + east / (111_195 * Math.cos((lat * Math.PI) / 180)),
  lat + north / 111_195,
];
const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

async function report(categoryCode: string, at: [number, number], description: string, now = new Date()) {
  const { id, number } = await reportCase(
    { db, locator, actor: null, now },
    {
      channel: 'resident',
      categoryCode,
      urgency: 'normal',
      description,
      lng: at[0],
      lat: at[1],
      reporter: { kind: 'anonymous', name: '李先生', phone: '13800001234' },
    },
  );
  return { id, number };
}

/** A territory of its own (away from the others) and a category of its own, radius 50 m, window 7 days. */
async function setting() {
  origin += 1;
  const t = await makeTerritory(db, [121 + origin * 0.1, 31.2]);
  const category = await makeCategory(db);
  const centre = t.gridCentres[0] as [number, number];
  return { t, category, centre };
}

/** Another category of the same major (a related category). */
async function relatedCategory(code: string) {
  const related = `${code.slice(0, 2)}99`;
  await db
    .insertInto('category')
    .values({
      id: uuidv7(),
      code: related,
      majorCode: code.slice(0, 2),
      kind: 'event',
      nameZh: '垃圾满溢',
      nameEn: 'Overflowing bin',
      departmentKind: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    })
    .execute();
  return related;
}

const categoryId = async (code: string) =>
  (await db.selectFrom('category').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

describe('findDuplicates', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    locator = new GridLocator(db, 0);
  });

  it('keeps only cases inside the radius, with their distance in metres', async () => {
    const { category, centre } = await setting();
    const near = await report(category.code, offset(centre, 30, 0), '垃圾桶满了');
    await report(category.code, offset(centre, 0, 80), '垃圾桶满了');
    const found = await findDuplicates(db, { categoryId: category.id, ...point(centre), text: '垃圾桶满了' }, 10);
    expect(found.map((d) => d.id)).toEqual([near.id]);
    expect(found[0]?.distanceM).toBeGreaterThan(29);
    expect(found[0]?.distanceM).toBeLessThan(31);

    // A wider radius for the category takes the farther one in.
    await db.updateTable('category').set({ duplicateRadiusM: 100 }).where('id', '=', category.id).execute();
    const wider = await findDuplicates(db, { categoryId: category.id, ...point(centre), text: '' }, 10);
    expect(wider).toHaveLength(2);
  });

  it('keeps only cases inside the time window around the given instant', async () => {
    const { category, centre } = await setting();
    const now = new Date('2026-11-20T04:00:00Z');
    const recent = await report(category.code, offset(centre, 5, 0), '路面塌陷', daysAgo(now, 6));
    await report(category.code, offset(centre, 5, 5), '路面塌陷', daysAgo(now, 8));
    const found = await findDuplicates(db, { categoryId: category.id, ...point(centre), text: '路面塌陷', now }, 10);
    expect(found.map((d) => d.id)).toEqual([recent.id]);
    expect(found[0]?.ageHours).toBeCloseTo(144, 0);
    await db.updateTable('category').set({ duplicateWindowDays: 10 }).where('id', '=', category.id).execute();
    expect(await findDuplicates(db, { categoryId: category.id, ...point(centre), text: '', now }, 10)).toHaveLength(2);
  });

  it('takes the same major at a lower weight, and never another major', async () => {
    const { category, centre } = await setting();
    const relatedCode = await relatedCategory(category.code);
    const other = await makeCategory(db);
    const text = '小区门口垃圾桶满了，垃圾散落';
    const same = await report(category.code, offset(centre, 10, 0), text);
    const related = await report(relatedCode, offset(centre, 0, 10), text);
    await report(relatedCode, offset(centre, -10, 0), '绿化带里的树枝断了');
    await report(other.code, offset(centre, 0, -10), text);

    const found = await findDuplicates(db, { categoryId: category.id, ...point(centre), text }, 10);
    expect(found.map((d) => [d.id, d.relation])).toEqual([
      [same.id, 'same_category'],
      [related.id, 'related_category'],
    ]);
    expect(found[1]?.score).toBeCloseTo((found[0]?.score ?? 0) * 0.6, 2);
    // Without text, nearness alone brings the related case with unrelated words too.
    const untexted = await findDuplicates(db, { categoryId: category.id, ...point(centre), text: '' }, 10);
    expect(untexted).toHaveLength(3);
    expect(await categoryId(relatedCode)).toBe(untexted.find((d) => d.relation === 'related_category')?.category.id);
  });

  it('leaves out closed, rejected and merged cases, and the case being checked', async () => {
    const { category, centre } = await setting();
    const text = '单元门禁坏了';
    const open = await report(category.code, offset(centre, 1, 0), text);
    const checked = await report(category.code, offset(centre, 2, 0), text);
    for (const state of ['closed', 'rejected', 'merged'] as const) {
      const c = await report(category.code, offset(centre, 3, 0), text);
      await db.updateTable('cases').set({ state }).where('id', '=', c.id).execute();
    }
    const handling = await report(category.code, offset(centre, 4, 0), text);
    await db.updateTable('cases').set({ state: 'handling' }).where('id', '=', handling.id).execute();

    const found = await findDuplicates(
      db,
      { categoryId: category.id, ...point(centre), text, excludeCaseId: checked.id },
      10,
    );
    expect(found.map((d) => d.id).sort()).toEqual([open.id, handling.id].sort());
  });

  it('ranks by nearness, time and text: text outweighs a little distance', async () => {
    const { category, centre } = await setting();
    const now = new Date();
    const text = '3号楼下水道堵塞，污水漫到路上';
    const nearAlike = await report(category.code, offset(centre, 10, 0), '3号楼附近下水道堵了，污水冒出来', now);
    const nearOther = await report(category.code, offset(centre, 0, 10), '楼道里堆满杂物', now);
    const farAlike = await report(category.code, offset(centre, 40, 0), '3号楼下水道堵塞，污水冒到路上', now);
    const oldAlike = await report(
      category.code,
      offset(centre, 0, -10),
      '3号楼附近下水道堵了，污水冒出来',
      daysAgo(now, 6),
    );

    const found = await findDuplicates(db, { categoryId: category.id, ...point(centre), text, now }, 10);
    expect(found.map((d) => d.id)).toEqual([nearAlike.id, farAlike.id, oldAlike.id, nearOther.id]);
    expect(found[0]?.similarity).toBeGreaterThan(0.3);
    expect(found[3]?.similarity).toBeLessThan(0.1);
    for (const d of found) expect(d.score).toBeLessThanOrEqual(1);
    // The limit keeps the best.
    expect(
      (await findDuplicates(db, { categoryId: category.id, ...point(centre), text, now }, 2)).map((d) => d.id),
    ).toEqual([nearAlike.id, farAlike.id]);
  });

  it('for staff, keeps only cases in the actor’s scope', async () => {
    const { t, category } = await setting();
    // Either side of the line between the two communities, 22 m apart.
    const [x, y] = t.gridCentres[0] as [number, number];
    const inside = await report(category.code, [x, y + 0.0049], '路灯不亮');
    const across = await report(category.code, [x, y + 0.0051], '路灯不亮');
    const account = await makeAccount(db, t, 'dispatcher', t.communities[0]);
    const actor = {
      kind: 'staff' as const,
      id: account.id,
      username: account.username,
      displayName: '测试',
      mustChangePassword: false,
      grants: await loadGrants(db, account.id),
    };
    const query = { categoryId: category.id, lng: x, lat: y + 0.005, text: '路灯不亮' };
    expect((await findDuplicates(db, query, 10)).map((d) => d.id).sort()).toEqual([inside.id, across.id].sort());
    expect((await findDuplicates(db, { ...query, actor }, 10)).map((d) => d.id)).toEqual([inside.id]);
  });
});

function point([lng, lat]: [number, number]) {
  return { lng, lat };
}

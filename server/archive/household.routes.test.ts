/**
 * Households (一户一档) over HTTP: exactly one head (refused otherwise, nothing written, also at the
 * database), one household per person, changing the head in one step, scope (a grid worker of
 * another grid gets 404 and an audit row), reads audited naming the members, household tags
 * opening members to a granted department, and the file's attachments.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HouseholdView, PersonView } from '../../common/archive.js';
import type { Db } from '../db/database.js';
import { uploadPhoto } from '../media/test-upload.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { type ArchiveWorld, filePerson, idNumberFor, makeArchiveWorld } from './archive-fixtures.js';

let db: Db;
let app: FastifyInstance;
let w: ArchiveWorld;

const count = async (table: 'household' | 'householdMember') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('households', () => {
  let father: string;
  let mother: string;
  let son: string;
  let household: HouseholdView;
  let grid0: string;

  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    w = await makeArchiveWorld(db, app);
    grid0 = w.unit(w.t.grids[0]).id;
    father = await filePerson(w.gridA, { name: '刘强', unitId: grid0, idNumber: idNumberFor('19700101', 11) });
    mother = await filePerson(w.gridA, { name: '陈静', unitId: grid0, idNumber: idNumberFor('19720202', 12) });
    son = await filePerson(w.gridA, { name: '刘洋', unitId: grid0, idNumber: idNumberFor('20000303', 13) });
  });

  const file = (members: { personId: string; relation: string }[], client = w.gridA) =>
    client.request('POST', '/api/archive/households', { unitId: grid0, address: '梧桐路12弄3号501室', members });

  it('refuses a household without a head, or with two, writing nothing', async () => {
    const before = [await count('household'), await count('householdMember')];
    for (const members of [
      [{ personId: father, relation: 'spouse' }],
      [
        { personId: father, relation: 'head' },
        { personId: mother, relation: 'head' },
      ],
    ]) {
      const res = await file(members);
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('ARCHIVE_HOUSEHOLD_HEAD');
    }
    const twice = await file([
      { personId: father, relation: 'head' },
      { personId: father, relation: 'child' },
    ]);
    expect(twice.statusCode).toBe(400);
    expect([await count('household'), await count('householdMember')]).toEqual(before);
  });

  it('files a household with its head and members, who move to its unit and address', async () => {
    const res = await file([
      { personId: father, relation: 'head' },
      { personId: mother, relation: 'spouse' },
      { personId: son, relation: 'child' },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    household = res.json() as HouseholdView;
    expect(household.members.map((m) => [m.person.name, m.relation])).toEqual([
      ['刘强', 'head'],
      ['陈静', 'spouse'],
      ['刘洋', 'child'],
    ]);
    expect(household.members[0]?.person.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const p = (await w.gridA.request('GET', `/api/archive/people/${son}`)).json() as PersonView;
    expect(p.household).toEqual({ id: household.id, relation: 'child' });
    expect(p.address).toBe('梧桐路12弄3号501室');
  });

  it('keeps a person in one household', async () => {
    const res = await file([{ personId: son, relation: 'head' }]);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'ARCHIVE_ALREADY_MEMBER',
      personId: son,
      householdId: household.id,
    });
  });

  it('changes the head in one step; the database refuses a household left without one', async () => {
    const res = await w.gridA.request('PATCH', `/api/archive/households/${household.id}`, {
      version: household.version,
      members: [
        { personId: father, relation: 'spouse' },
        { personId: mother, relation: 'head' },
        { personId: son, relation: 'child' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    household = res.json() as HouseholdView;
    expect(household.members[0]).toMatchObject({ person: { id: mother }, relation: 'head' });
    // Behind the API's back, the deferred constraint still holds at commit.
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`update household_member set relation = 'spouse' where person_id = ${mother}`.execute(trx);
      }),
    ).rejects.toThrow(/has no head/);
    const stale = await w.gridA.request('PATCH', `/api/archive/households/${household.id}`, {
      version: 1,
      notes: '旧',
    });
    expect(stale.statusCode).toBe(409);
  });

  it('answers 404 outside the scope and audits the attempt; reads name every member', async () => {
    const res = await w.gridB.request('GET', `/api/archive/households/${household.id}`);
    expect(res.statusCode).toBe(404);
    const denied = await db
      .selectFrom('auditLog')
      .select(['action', 'subjectType'])
      .where('subjectId', '=', household.id)
      .where('action', '=', 'access.denied')
      .execute();
    expect(denied).toEqual([{ action: 'access.denied', subjectType: 'household' }]);
    expect((await w.committeeOther.request('GET', `/api/archive/households/${household.id}`)).statusCode).toBe(404);

    expect((await w.committee.request('GET', `/api/archive/households/${household.id}`)).statusCode).toBe(200);
    const read = await db
      .selectFrom('auditLog')
      .select('data')
      .where('subjectId', '=', household.id)
      .where('action', '=', 'archive.read')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect((read.data.people as string[]).sort()).toEqual([father, mother, son].sort());
    expect(read.data.via).toBe('household');
  });

  it('finds households by address and tag within scope', async () => {
    const found = await w.committee.request('GET', `/api/archive/households?address=${encodeURIComponent('12弄3号')}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().items).toEqual([
      expect.objectContaining({ id: household.id, head: { id: mother, name: '陈静' }, memberCount: 3 }),
    ]);
    const outside = await w.gridB.request('GET', `/api/archive/households?address=${encodeURIComponent('12弄3号')}`);
    expect(outside.json().items).toEqual([]);
  });

  it('opens a household and its members to a department granted the household’s tag', async () => {
    const tag = await w.gridA.request('POST', `/api/archive/households/${household.id}/tags`, {
      tagType: 'low_income',
      validFrom: '2025-01-01',
      evidence: '民政低收入认定',
    });
    expect(tag.statusCode, tag.body).toBe(201);
    expect((await w.handler.request('GET', `/api/archive/households/${household.id}`)).statusCode).toBe(404);
    const types = (await w.admin.request('GET', '/api/archive/tag-types')).json() as {
      items: { id: string; code: string }[];
    };
    const lowIncome = types.items.find((t) => t.code === 'low_income');
    await w.admin.request('PUT', `/api/archive/tag-types/${lowIncome?.id}/departments/${w.department.id}`);
    const seen = await w.handler.request('GET', `/api/archive/households/${household.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    const view = seen.json() as HouseholdView;
    expect(view.members).toHaveLength(3);
    expect(view.abilities).toEqual({ update: false, tag: false, attach: false });
    expect((await w.handler.request('GET', `/api/archive/people/${son}`)).json()).toMatchObject({ view: 'department' });
    const revoke = await w.admin.request(
      'DELETE',
      `/api/archive/tag-types/${lowIncome?.id}/departments/${w.department.id}`,
    );
    expect(revoke.statusCode).toBe(200);
    expect((await w.handler.request('GET', `/api/archive/people/${son}`)).statusCode).toBe(404);
  });

  it('keeps attachments in the household’s file: only one’s own uploads, served to readers, audited', async () => {
    const key = await uploadPhoto(app, { client: w.gridA });
    const others = await uploadPhoto(app, { client: w.gridB });
    const refused = await w.gridA.request('POST', `/api/archive/households/${household.id}/attachments`, {
      key: others,
      title: '户口簿',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('PHOTO_UNKNOWN');
    const res = await w.gridA.request('POST', `/api/archive/households/${household.id}/attachments`, {
      key,
      title: '户口簿首页',
    });
    expect(res.statusCode, res.body).toBe(201);
    const attachment = (res.json() as HouseholdView).attachments[0];
    expect(attachment).toMatchObject({ key, title: '户口簿首页' });
    const image = await w.committee.request(
      'GET',
      `/api/archive/households/${household.id}/attachments/${attachment?.id}/thumb`,
    );
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    const outside = await w.gridB.request(
      'GET',
      `/api/archive/households/${household.id}/attachments/${attachment?.id}/thumb`,
    );
    expect(outside.statusCode).toBe(404);
  });
});

/**
 * People over HTTP on a real database: filing with ID numbers checked, duplicates, masking, scope
 * (404 and an audit row outside it), leaders read-only, dispatchers nowhere, unmasking with a
 * purpose (audited), department tag grants (tag by tag), optimistic versions, the access history.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccessHistoryEntry, PersonView, UnmaskedPerson } from '../../common/archive.js';
import type { Db } from '../db/database.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { type ArchiveWorld, filePerson, idNumberFor, makeArchiveWorld } from './archive-fixtures.js';

let db: Db;
let app: FastifyInstance;
let w: ArchiveWorld;

const people = async () =>
  Number(
    (
      await db
        .selectFrom('person')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const auditOf = async (subjectId: string) =>
  db
    .selectFrom('auditLog')
    .select(['action', 'data', 'actor'])
    .where('subjectId', '=', subjectId)
    .orderBy('id')
    .execute();

describe('people', () => {
  let zhang: string;
  const zhangId = idNumberFor('19580312', 123);

  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    w = await makeArchiveWorld(db, app);
    zhang = await filePerson(w.gridA, {
      name: '张秀英',
      unitId: w.unit(w.t.grids[0]).id,
      idNumber: zhangId,
      phones: ['138 1234 5678', '021-62345678'],
      address: '梧桐路12弄3号501室',
      notes: '独居，需每周探访',
      politicalStatus: 'party_member',
    });
  });

  it('files a person: birth date and gender come from the ID number; everything personal is masked', async () => {
    const res = await w.gridA.request('GET', `/api/archive/people/${zhang}`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json() as PersonView;
    expect(p).toMatchObject({
      name: '张秀英',
      birthDate: '1958-03-12',
      gender: 'male',
      idNumber: `${zhangId.slice(0, 6)}********${zhangId.slice(14)}`,
      phones: ['138****5678', '021-****5678'],
      masked: true,
      view: 'full',
      notes: '独居，需每周探访',
      abilities: { update: true, unmask: true, tag: true, readHistory: false },
    });
    expect(res.body).not.toContain(zhangId);
    expect(res.body).not.toContain('13812345678');
    const rows = await db
      .selectFrom('person')
      .select(['namePinyin', 'nameInitials', 'idNumber'])
      .where('id', '=', zhang)
      .executeTakeFirstOrThrow();
    expect(rows).toEqual({ namePinyin: 'zhangxiuying', nameInitials: 'zxy', idNumber: zhangId });
  });

  it('refuses bad ID numbers, mismatches, impossible dates and bad phones with coded 422s, writing nothing', async () => {
    const before = await people();
    const unitId = w.unit(w.t.grids[0]).id;
    const wrongCheck = `${zhangId.slice(0, 17)}${zhangId[17] === '0' ? '1' : '0'}`;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ idNumber: wrongCheck }, 'ARCHIVE_ID_NUMBER_INVALID', 'check_digit'],
      [{ idNumber: '31010419580230123X' }, 'ARCHIVE_ID_NUMBER_INVALID', 'birth_date'],
      [{ idNumber: idNumberFor('20991231') }, 'ARCHIVE_ID_NUMBER_INVALID', 'future_birth_date'],
      [{ idNumber: '3101041958031212' }, 'ARCHIVE_ID_NUMBER_INVALID', 'length'],
      [
        { idNumber: idNumberFor('19900101', 11), birthDate: '1990-01-02' },
        'ARCHIVE_ID_MISMATCH',
        'the ID number says 1990-01-01',
      ],
      [{ idNumber: idNumberFor('19900101', 11), gender: 'female' }, 'ARCHIVE_ID_MISMATCH', 'the ID number says male'],
      [{ birthDate: '2023-02-29', gender: 'female' }, 'ARCHIVE_DATE_INVALID', 'not a calendar date (YYYY-MM-DD)'],
      [{ birthDate: '2999-01-01', gender: 'female' }, 'ARCHIVE_DATE_INVALID', 'in the future'],
      [
        { birthDate: '1990-01-01', gender: 'female', phones: ['12812345678'] },
        'ARCHIVE_PHONE_INVALID',
        'neither a mainland mobile nor a landline with area code',
      ],
    ];
    for (const [fields, code, reason] of cases) {
      const res = await w.gridA.request('POST', '/api/archive/people', { name: '李四', unitId, ...fields });
      expect(res.statusCode, JSON.stringify(fields)).toBe(code === 'ARCHIVE_PERSON_DUPLICATE' ? 409 : 422);
      expect(res.json().error).toMatchObject({ code, fields: [{ reason }] });
    }
    const missing = await w.gridA.request('POST', '/api/archive/people', { name: '李四', unitId });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.birthDate', 'body.gender']);
    expect(await people()).toBe(before);
  });

  it('answers a second person with the same ID number in the district with 409 and the existing id', async () => {
    const lower = zhangId.replace('X', 'x');
    const res = await w.committee.request('POST', '/api/archive/people', {
      name: '张秀英',
      unitId: w.unit(w.t.grids[1]).id,
      idNumber: ` ${lower} `,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'ARCHIVE_PERSON_DUPLICATE', existingId: zhang });
  });

  it('answers 404 outside the scope, and records the attempt', async () => {
    for (const outsider of [w.gridB, w.committeeOther, w.dispatcher]) {
      const res = await outsider.request('GET', `/api/archive/people/${zhang}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    const denied = (await auditOf(zhang)).filter((r) => r.action === 'access.denied');
    expect(denied).toHaveLength(3);
    expect(denied[0]?.data).toMatchObject({ reason: 'out_of_scope', route: '/api/archive/people/:id' });
    // Not audited as a read, and no name leaked.
    const unknown = await w.gridB.request('GET', '/api/archive/people/018f0000-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
  });

  it('audits every read: who, which record, which fields, why', async () => {
    const res = await w.committee.request('GET', `/api/archive/people/${zhang}?purpose=benefit_review`);
    expect(res.statusCode).toBe(200);
    const reads = (await auditOf(zhang)).filter((r) => r.action === 'archive.read');
    const last = reads.at(-1);
    expect(last?.data).toMatchObject({ people: [zhang], via: 'detail', purpose: 'benefit_review' });
    expect(last?.data.fields).toEqual(expect.arrayContaining(['idNumber', 'phones', 'notes', 'politicalStatus']));
    expect(last?.actor).toMatchObject({ kind: 'staff', grants: [{ role: 'committee_staff' }] });
  });

  it('lets leaders read masked but not change or unmask; party membership shows only where agreed', async () => {
    const res = await w.leader.request('GET', `/api/archive/people/${zhang}`);
    expect(res.statusCode).toBe(200);
    const p = res.json() as PersonView;
    expect(p.abilities).toEqual({ update: false, unmask: false, tag: false, readHistory: false });
    expect(p.politicalStatus).toBeNull();
    const unmask = await w.leader.request('POST', `/api/archive/people/${zhang}/unmask`, {
      purpose: 'contact',
      purposeText: '联系本人核实情况',
    });
    expect(unmask.statusCode).toBe(403);
    const patch = await w.leader.request('PATCH', `/api/archive/people/${zhang}`, { version: p.version, notes: 'x' });
    expect(patch.statusCode).toBe(403);
    const forbidden = (await auditOf(zhang)).filter(
      (r) => r.action === 'access.denied' && r.data.reason === 'forbidden',
    );
    expect(forbidden).toHaveLength(2);
    // Once the person agrees, leaders see it too.
    const v = ((await w.gridA.request('GET', `/api/archive/people/${zhang}`)).json() as PersonView).version;
    await w.gridA.request('PATCH', `/api/archive/people/${zhang}`, { version: v, politicalStatusShown: true });
    const again = (await w.leader.request('GET', `/api/archive/people/${zhang}`)).json() as PersonView;
    expect(again.politicalStatus).toBe('party_member');
  });

  it('unmasks for a stated purpose, and audits it with the purpose', async () => {
    const none = await w.gridA.request('POST', `/api/archive/people/${zhang}/unmask`, {
      purpose: 'contact',
      purposeText: '打',
    });
    expect(none.statusCode).toBe(422);
    expect(none.json().error.code).toBe('ARCHIVE_PURPOSE_REQUIRED');
    const before = (await auditOf(zhang)).filter((r) => r.action === 'archive.unmasked').length;
    expect(before).toBe(0);
    const res = await w.gridA.request('POST', `/api/archive/people/${zhang}/unmask`, {
      purpose: 'contact',
      purposeText: '电话通知老人接种疫苗',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json() as UnmaskedPerson).toMatchObject({
      idNumber: zhangId,
      phones: ['13812345678', '021-62345678'],
      purpose: 'contact',
    });
    const rows = (await auditOf(zhang)).filter((r) => r.action === 'archive.unmasked');
    expect(rows.map((r) => r.data)).toEqual([
      { people: [zhang], fields: ['idNumber', 'phones'], purpose: 'contact', purposeText: '电话通知老人接种疫苗' },
    ]);
    // A grid worker of another grid cannot, and the answer does not say the person exists.
    const other = await w.gridB.request('POST', `/api/archive/people/${zhang}/unmask`, {
      purpose: 'contact',
      purposeText: '电话通知老人接种疫苗',
    });
    expect(other.statusCode).toBe(404);
  });

  it('lets a department see only people carrying a tag type granted to it, and only those tags', async () => {
    const lonely = await filePerson(w.committee, {
      name: '王建国',
      unitId: w.unit(w.t.grids[1]).id,
      idNumber: idNumberFor('19470101', 15),
      notes: '儿子在外地',
    });
    const tag = (code: string, extra: Record<string, unknown> = {}) =>
      w.committee.request('POST', `/api/archive/people/${lonely}/tags`, {
        tagType: code,
        validFrom: '2024-01-01',
        evidence: '民政局名单',
        ...extra,
      });
    expect((await tag('minimum_income')).statusCode).toBe(201);
    expect((await tag('elderly_alone')).statusCode).toBe(201);
    expect((await w.handler.request('GET', `/api/archive/people/${lonely}`)).statusCode).toBe(404);

    const types = (await w.admin.request('GET', '/api/archive/tag-types')).json() as {
      items: { id: string; code: string }[];
    };
    const dibao = types.items.find((x) => x.code === 'minimum_income');
    const grant = await w.admin.request('PUT', `/api/archive/tag-types/${dibao?.id}/departments/${w.department.id}`);
    expect(grant.statusCode, grant.body).toBe(200);
    expect(grant.json().departments).toEqual([expect.objectContaining({ id: w.department.id })]);
    // A committee worker may not grant.
    const refused = await w.committee.request(
      'PUT',
      `/api/archive/tag-types/${dibao?.id}/departments/${w.department.id}`,
    );
    expect(refused.statusCode).toBe(403);

    const seen = await w.handler.request('GET', `/api/archive/people/${lonely}`);
    expect(seen.statusCode, seen.body).toBe(200);
    const p = seen.json() as PersonView;
    expect(p.view).toBe('department');
    expect(p.notes).toBe('');
    expect(p.tags.map((x) => x.type.code)).toEqual(['minimum_income']);
    expect(p.abilities).toEqual({ update: false, unmask: false, tag: false, readHistory: false });
    // Zhang carries no granted tag: still invisible; and a search lists only the granted.
    expect((await w.handler.request('GET', `/api/archive/people/${zhang}`)).statusCode).toBe(404);
    const list = (await w.handler.request('GET', '/api/archive/people')).json() as { items: { id: string }[] };
    expect(list.items.map((x) => x.id)).toEqual([lonely]);
    // The read audit names only the department's fields.
    const read = (await auditOf(lonely)).filter((r) => r.action === 'archive.read').at(-1);
    expect(read?.data.fields).not.toContain('notes');

    // Ending the tag ends the department's sight of the person.
    const tagId = p.tags[0]?.id;
    const end = await w.committee.request('PATCH', `/api/archive/people/${lonely}/tags/${tagId}`, {
      validTo: '2024-06-30',
    });
    expect(end.statusCode, end.body).toBe(204);
    expect((await w.handler.request('GET', `/api/archive/people/${lonely}`)).statusCode).toBe(404);
  });

  it('refuses tags that do not apply', async () => {
    const id = await filePerson(w.gridA, {
      name: '赵敏',
      unitId: w.unit(w.t.grids[0]).id,
      birthDate: '1990-05-05',
      gender: 'female',
    });
    const add = (body: Record<string, unknown>) =>
      w.gridA.request('POST', `/api/archive/people/${id}/tags`, { validFrom: '2025-01-01', ...body });
    expect((await add({ tagType: 'disability' })).json().error).toMatchObject({ code: 'ARCHIVE_TAG_NOT_APPLICABLE' });
    expect((await add({ tagType: 'elderly_alone', grade: 2 })).json().error.code).toBe('ARCHIVE_TAG_NOT_APPLICABLE');
    expect((await add({ tagType: 'no_such_tag' })).json().error.code).toBe('ARCHIVE_TAG_NOT_APPLICABLE');
    expect((await add({ tagType: 'disability', grade: 2, validTo: '2024-01-01' })).json().error.code).toBe(
      'ARCHIVE_DATE_INVALID',
    );
    expect((await add({ tagType: 'disability', grade: 2 })).statusCode).toBe(201);
    expect((await add({ tagType: 'disability', grade: 3, validFrom: '2025-06-01' })).json().error).toMatchObject({
      code: 'ARCHIVE_TAG_NOT_APPLICABLE',
      fields: [{ reason: 'overlaps a tag of this type already on the record' }],
    });
  });

  it('changes a record only at the version read; a new ID number re-derives birth date and gender', async () => {
    const id = await filePerson(w.gridA, {
      name: '钱多多',
      unitId: w.unit(w.t.grids[0]).id,
      birthDate: '1985-07-07',
      gender: 'male',
    });
    const v1 = ((await w.gridA.request('GET', `/api/archive/people/${id}`)).json() as PersonView).version;
    const newId = idNumberFor('19850708', 22);
    const ok = await w.gridA.request('PATCH', `/api/archive/people/${id}`, { version: v1, idNumber: newId });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ birthDate: '1985-07-08', gender: 'female', version: v1 + 1 });
    const stale = await w.gridA.request('PATCH', `/api/archive/people/${id}`, { version: v1, notes: '迟到的修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('ARCHIVE_VERSION_CONFLICT');
    const taken = await w.gridA.request('PATCH', `/api/archive/people/${id}`, { version: v1 + 1, idNumber: zhangId });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'ARCHIVE_PERSON_DUPLICATE', existingId: zhang });
  });

  it('records relations both ways', async () => {
    const child = await filePerson(w.gridA, {
      name: '张小明',
      unitId: w.unit(w.t.grids[0]).id,
      birthDate: '1990-01-01',
      gender: 'male',
    });
    const res = await w.gridA.request('PUT', `/api/archive/people/${child}/relations`, {
      relatedId: zhang,
      relation: 'parent',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as PersonView).relations).toEqual([
      { person: { id: zhang, name: '张秀英' }, relation: 'parent' },
    ]);
    const parent = (await w.gridA.request('GET', `/api/archive/people/${zhang}`)).json() as PersonView;
    expect(parent.relations).toEqual([{ person: { id: child, name: '张小明' }, relation: 'child' }]);
    const gone = await w.gridA.request('DELETE', `/api/archive/people/${child}/relations/${zhang}`);
    expect(gone.statusCode).toBe(204);
    expect(((await w.gridA.request('GET', `/api/archive/people/${zhang}`)).json() as PersonView).relations).toEqual([]);
  });

  it('produces a person’s access history for an administrator, refused attempts included', async () => {
    const res = await w.admin.request('GET', `/api/archive/people/${zhang}/access-history?pageSize=200`);
    expect(res.statusCode, res.body).toBe(200);
    const history = res.json() as { items: AccessHistoryEntry[]; total: number };
    const vias = new Set(history.items.map((e) => e.via));
    for (const via of ['detail', 'unmask', 'change', 'denied']) expect(vias).toContain(via);
    const unmask = history.items.find((e) => e.via === 'unmask');
    expect(unmask).toMatchObject({ purpose: 'contact: 电话通知老人接种疫苗', fields: ['idNumber', 'phones'] });
    expect(history.total).toBe(history.items.length);
    // Producing it is audited, and grid workers may not.
    expect((await auditOf(zhang)).at(-1)?.action).toBe('archive.history_read');
    expect((await w.gridA.request('GET', `/api/archive/people/${zhang}/access-history`)).statusCode).toBe(403);
  });
});

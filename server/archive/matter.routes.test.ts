/**
 * 一事一表: a form defined by an installation administrator, records filed on people and households
 * with answers checked against the form's fields, records read only by the territory (audited).
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { makeAccount, TEST_PASSWORD } from '../test/factories.js';
import { type Client, createTestApp, createTestDatabase, signIn } from '../test/harness.js';
import { type ArchiveWorld, filePerson, makeArchiveWorld } from './archive-fixtures.js';

let db: Db;
let app: FastifyInstance;
let w: ArchiveWorld;
let districtAdmin: Client;

describe('matter forms', () => {
  let formId: string;
  let person: string;

  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    w = await makeArchiveWorld(db, app);
    const made = await makeAccount(db, w.t, 'admin', w.t.district);
    districtAdmin = await signIn(app, made.username, TEST_PASSWORD);
    person = await filePerson(w.gridA, {
      name: '冯老伯',
      unitId: w.unit(w.t.grids[0]).id,
      birthDate: '1940-04-04',
      gender: 'male',
    });
  });

  it('is defined by installation administrators only, with sound fields', async () => {
    const form = {
      code: 'elderly_care_visit',
      nameZh: '高龄老人关爱登记',
      nameEn: 'Care register of the very old',
      appliesTo: 'person',
      fields: [
        {
          key: 'livesWith',
          labelZh: '同住情况',
          labelEn: 'Lives with',
          type: 'choice',
          required: true,
          options: ['独居', '与子女同住', '养老机构'],
        },
        { key: 'lastCheck', labelZh: '最近体检', labelEn: 'Last check-up', type: 'date' },
        { key: 'needsHelp', labelZh: '需要帮扶', labelEn: 'Needs help', type: 'boolean', required: true },
      ],
    };
    expect((await w.admin.request('POST', '/api/archive/matter-forms', form)).statusCode).toBe(403);
    const badChoice = await districtAdmin.request('POST', '/api/archive/matter-forms', {
      ...form,
      fields: [{ key: 'x', labelZh: 'x', labelEn: 'x', type: 'choice' }],
    });
    expect(badChoice.statusCode).toBe(400);
    const res = await districtAdmin.request('POST', '/api/archive/matter-forms', form);
    expect(res.statusCode, res.body).toBe(201);
    formId = res.json().id;
    expect((await districtAdmin.request('POST', '/api/archive/matter-forms', form)).json().error.code).toBe(
      'ARCHIVE_MATTER_FORM_DUPLICATE',
    );
  });

  it('checks answers against the form, naming each that does not fit', async () => {
    const res = await w.gridA.request('POST', `/api/archive/people/${person}/matter-records`, {
      formId,
      answers: { livesWith: '合租', lastCheck: '2025-02-30', extra: 1 },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('ARCHIVE_MATTER_ANSWERS_INVALID');
    expect(
      res
        .json()
        .error.fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['body.answers.extra', 'body.answers.lastCheck', 'body.answers.livesWith', 'body.answers.needsHelp']);
    const ok = await w.gridA.request('POST', `/api/archive/people/${person}/matter-records`, {
      formId,
      answers: { livesWith: '独居', lastCheck: '2025-03-01', needsHelp: true },
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('shows records to the territory only, and audits the read', async () => {
    const res = await w.committee.request('GET', `/api/archive/people/${person}/matter-records`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        form: expect.objectContaining({ code: 'elderly_care_visit' }),
        answers: { livesWith: '独居', lastCheck: '2025-03-01', needsHelp: true },
      }),
    ]);
    const read = await db
      .selectFrom('auditLog')
      .select('data')
      .where('subjectId', '=', person)
      .where('action', '=', 'archive.read')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(read.data).toMatchObject({ people: [person], fields: ['matterRecords'] });
    expect((await w.gridB.request('GET', `/api/archive/people/${person}/matter-records`)).statusCode).toBe(404);
    const household = await w.gridA.request('POST', `/api/archive/people/${person}/matter-records`, {
      formId: person,
      answers: {},
    });
    expect(household.statusCode).toBe(404);
  });
});

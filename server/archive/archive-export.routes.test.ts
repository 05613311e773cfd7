/**
 * Exporting people: only roles that may (administrators, committee staff), only their scope, always
 * with a purpose, one audit row naming every person exported, a watermark naming the exporter, and
 * ID numbers and phones masked unless asked for by a role that may unmask.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { type ArchiveWorld, filePerson, idNumberFor, makeArchiveWorld } from './archive-fixtures.js';

let db: Db;
let app: FastifyInstance;
let w: ArchiveWorld;
const filed: string[] = [];
const number = idNumberFor('19600606', 21);

describe('exporting people', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    w = await makeArchiveWorld(db, app);
    filed.push(
      await filePerson(w.committee, {
        name: '周末',
        unitId: w.unit(w.t.grids[0]).id,
        idNumber: number,
        phones: ['13600003333'],
      }),
    );
    filed.push(
      await filePerson(w.committee, {
        name: '吴用',
        unitId: w.unit(w.t.grids[1]).id,
        birthDate: '1970-01-01',
        gender: 'male',
      }),
    );
    await filePerson(w.committeeOther, {
      name: '郑和',
      unitId: w.unit(w.t.grids[2]).id,
      birthDate: '1971-01-01',
      gender: 'male',
    });
  });

  const exportAs = (client = w.committee, body: Record<string, unknown> = {}) =>
    client.request('POST', '/api/archive/people/export', {
      format: 'csv',
      purpose: 'benefit_review',
      purposeText: '年度低保复核名单',
      ...body,
    });

  it('exports the scope’s people as CSV, masked, watermarked with the exporter', async () => {
    const res = await exportAs();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-total-count']).toBe('2');
    expect(res.headers['x-unmasked-count']).toBe('0');
    const lines = res.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(
      /^导出人 Exported by: 测试committee_staff \(committeestaff\d+x\d+\) · \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} · 用途 Purpose: 待遇审核 Benefit review 年度低保复核名单$/,
    );
    expect(lines[1]).toContain('禁止外传');
    expect(lines[2]).toContain('身份证号 ID number');
    expect(res.body).toContain(`${number.slice(0, 6)}********${number.slice(14)}`);
    expect(res.body).toContain('136****3333');
    expect(res.body).not.toContain('郑和');
    expect(res.body).not.toContain(number);
    const row = await db
      .selectFrom('auditLog')
      .select(['data'])
      .where('action', '=', 'archive.exported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.data).toMatchObject({
      rows: 2,
      unmasked: false,
      purpose: 'benefit_review',
      purposeText: '年度低保复核名单',
    });
    expect((row.data.people as string[]).sort()).toEqual([...filed].sort());
  });

  it('unmasks on request for a role that may, in its scope', async () => {
    const res = await exportAs(w.committee, { unmask: true, format: 'xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['x-unmasked-count']).toBe('2');
    const csv = await exportAs(w.committee, { unmask: true });
    expect(csv.body).toContain(number);
    expect(csv.body).toContain('13600003333');
  });

  it('refuses roles that may not export, and exports without a purpose', async () => {
    for (const client of [w.gridA, w.leader, w.handler, w.dispatcher])
      expect((await exportAs(client)).statusCode).toBe(403);
    const none = await exportAs(w.committee, { purposeText: '' });
    expect(none.statusCode).toBe(422);
    expect(none.json().error.code).toBe('ARCHIVE_PURPOSE_REQUIRED');
  });
});

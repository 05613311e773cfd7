/**
 * The `gridloop` command, run as a person runs it (a child process) against a test database.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { createTestDatabase } from '../test/database.js';
import { square } from '../test/factories.js';

const BIN = resolve(import.meta.dirname, '../../bin/gridloop.mjs');
const dir = mkdtempSync(join(tmpdir(), 'gridloop-cli-'));
let db: Db;
let url: string;

function gridloop(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const units = async () => (await db.selectFrom('unit').select('code').orderBy('code').execute()).map((u) => u.code);

const SUB = '310104090000';
const base = [
  { code: '310000000000', name: '上海市' },
  { code: '310104000000', name: '徐汇区' },
  { code: SUB, name: '梧桐街道', geometry: square(121.43, 31.17, 0.02) },
  { code: '310104090001', name: '梧桐苑居委会', geometry: square(121.43, 31.17, 0.01) },
  { code: '310104090001001', name: '梧桐苑第1网格', geometry: square(121.43, 31.17, 0.005) },
];
const collection = (rows: typeof base) => ({
  type: 'FeatureCollection',
  features: rows.map(({ geometry, ...properties }) => ({ type: 'Feature', properties, geometry: geometry ?? null })),
});

// Each test spawns the command several times (a Node start and a database connection each): slow on a
// busy 2-core machine, so a test gets more than the default 30 s. Not a speed target.
describe('gridloop command', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ({ db, url } = await createTestDatabase());
  });

  it('prints help for the command and each subcommand; unknown commands exit 2', () => {
    const help = gridloop('--help');
    expect(help.code).toBe(0);
    for (const word of ['serve', 'migrate', 'seed', 'import units', 'user add', 'audit verify'])
      expect(help.out).toContain(word);
    expect(gridloop('import', '--help').out).toContain('--update');
    const unknown = gridloop('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command');
  });

  it('imports GeoJSON all or nothing and reports each problem with its feature', async () => {
    const bad = join(dir, 'bad.geojson');
    const broken = [
      ...base,
      { code: '310104090001002', name: '越界网格', geometry: square(121.6, 31.5, 0.001) },
      { code: '12345', name: '坏编码' },
    ];
    writeFileSync(bad, JSON.stringify(collection(broken)));
    const failed = gridloop('import', 'units', bad);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('2 problem(s)');
    expect(failed.err).toMatch(/feature 7 \[12345\] code: 编码格式不正确/);
    expect(failed.err).toMatch(/feature 6 \[310104090001002\] geometry: 边界超出上级单位范围/);
    expect(await units()).toEqual([]);

    const good = join(dir, 'good.geojson');
    writeFileSync(good, JSON.stringify(collection(base)));
    const ok = gridloop('import', 'units', good);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('5 created');
    expect(await units()).toEqual(base.map((b) => b.code).sort());
    expect(gridloop('import', 'units', join(dir, 'missing.geojson')).code).toBe(2);
  });

  it('imports XLSX with Chinese headers and a GeoJSON boundary column', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('网格');
    sheet.addRow(['编码', '名称', '上级编码', '边界']);
    sheet.addRow(['310104090001002', '梧桐苑第2网格', '', JSON.stringify(square(121.435, 31.17, 0.005))]);
    sheet.addRow(['310104090001003', '梧桐苑第3网格', '310104090001', JSON.stringify(square(121.43, 31.175, 0.005))]);
    const file = join(dir, 'grids.xlsx');
    await workbook.xlsx.writeFile(file);
    const result = gridloop('import', 'units', file);
    expect(result.code, result.err).toBe(0);
    expect(await units()).toContain('310104090001003');
  });

  it('adds a user, changes the password, grants a role; refuses bad input with a clear message', async () => {
    const added = gridloop(
      'user',
      'add',
      'chen.gw',
      '--role',
      'grid_worker',
      '--unit',
      '310104090001001',
      '--name',
      '陈网格',
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/initial password: \S+/);
    const account = await db
      .selectFrom('account')
      .select(['id', 'mustChangePassword', 'displayName'])
      .where('username', '=', 'chen.gw')
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({ mustChangePassword: true, displayName: '陈网格' });
    expect(gridloop('user', 'passwd', 'chen.gw', '--password', 'Chosen-pass-2026').code).toBe(0);
    expect(gridloop('user', 'grant', 'chen.gw', '--role', 'committee_staff', '--unit', '310104090001').code).toBe(0);
    const grants = await db.selectFrom('accountGrant').select('role').where('accountId', '=', account.id).execute();
    expect(grants.map((g) => g.role).sort()).toEqual(['committee_staff', 'grid_worker']);

    const badRole = gridloop('user', 'add', 'x.y', '--role', 'king', '--unit', SUB);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('--role');
    const badUnit = gridloop('user', 'add', 'x.y', '--role', 'admin', '--unit', '999');
    expect(badUnit.err).toContain('no unit with code 999');
    const weak = gridloop('user', 'passwd', 'chen.gw', '--password', 'weak');
    expect(weak.code).toBe(2);
    expect(weak.err).toContain('PASSWORD_WEAK');
    const handlerWithoutDept = gridloop('user', 'add', 'h.x', '--role', 'handler', '--unit', SUB);
    expect(handlerWithoutDept.err).toContain('GRANT_DEPARTMENT_REQUIRED');
  });

  it('verifies the audit chain and exits 3 when a row was altered', async () => {
    const ok = gridloop('audit', 'verify');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/intact: \d+ sealed/);
    await db.connection().execute(async (conn) => {
      await sql`set session_replication_role = replica`.execute(conn);
      await sql`update audit_log set actor = '{"kind":"staff","name":"冒名"}'::jsonb where seq = 2`.execute(conn);
      await sql`set session_replication_role = origin`.execute(conn);
    });
    const broken = gridloop('audit', 'verify');
    expect(broken.code).toBe(3);
    expect(broken.err).toContain('BROKEN at seq 2');
  });
});

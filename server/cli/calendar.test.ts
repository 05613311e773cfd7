/**
 * `gridloop calendar`, run as an administrator runs it (a child process) against a test database.
 * Few spawns: each costs about two seconds.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listOverrides } from '../calendar/calendar.repository.js';
import type { Db } from '../db/database.js';
import { createTestDatabase } from '../test/database.js';

const BIN = resolve(import.meta.dirname, '../../bin/gridloop.mjs');
let db: Db;
let url: string;

function gridloop(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, 'calendar', ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

// Spawns the command several times: slow on a busy machine, so more than the default 30 s. Not a speed target.
describe('gridloop calendar', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ({ db, url } = await createTestDatabase());
  });

  it('prints due times with the server’s overrides; records days; warns about 2027', async () => {
    // Wed 2026-09-30 16:00 + 3 working days is Sat 10-10 16:00 (a make-up working day) — unless an
    // administrator makes 10-10 a holiday: then Thu 10-08, Fri 10-09, (Sun 10-11 off) Mon 10-12.
    const set = gridloop('set-day', '2026-10-10', 'holiday', '--note', '本区调整');
    expect(set.code, set.err).toBe(0);
    expect((await listOverrides(db)).map((d) => [d.day, d.kind, d.note])).toEqual([
      ['2026-10-10', 'holiday', '本区调整'],
    ]);

    const due = gridloop('due', '--from', '2026-09-30T16:00:00+08:00', '--limit', '3', 'working-days');
    expect(due.code, due.err).toBe(0);
    expect(due.out.trim()).toBe('2026-10-12T16:00:00+08:00');

    const check = gridloop('check', '--year', '2027');
    expect(check.code, check.err).toBe(0);
    expect(check.out).toContain('2027 年的法定节假日及调休安排尚未录入');
    expect(check.out).toContain('has not been entered');
  });

  it('refuses bad input with a bilingual message and exit code 2', () => {
    const bad = gridloop('due', '--from', 'tomorrow', '--limit', '3', 'fortnights');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--from 不是有效的 ISO 8601 时间 / --from is not an ISO 8601 time: tomorrow');
  });
});

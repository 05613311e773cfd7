/**
 * The embedded cluster: created on first start, reused afterwards, and a cluster left behind by a
 * killed run is found through its pid file and stopped by the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readPostmasterPid, startCluster } from './embedded.js';

const dir = mkdtempSync(join(tmpdir(), 'gridloop-embedded-'));
const pgDir = join(dir, 'pg');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('keeps data across restarts and stops a server left behind by a killed run', async () => {
    const first = await startCluster({ pgDir, fast: true });
    await query(first.url('postgres'), 'create table kept (x int); insert into kept values (42)');
    const leftover = readPostmasterPid(pgDir);
    expect(leftover && alive(leftover.pid)).toBe(true);

    // Simulate a killed Gridloop: nobody calls first.stop(). The next start must clean up.
    const second = await startCluster({ pgDir, fast: true });
    expect(leftover && alive(leftover.pid)).toBe(false);
    const rows = await query(second.url('postgres'), 'select x from kept');
    expect(rows).toEqual([{ x: 42 }]);
    const pid = readPostmasterPid(pgDir)?.pid;
    await second.stop();
    expect(pid && alive(pid)).toBe(false);
  });

  it('a child process killed with SIGKILL leaves PostgreSQL running for the next start to stop', async () => {
    const script = `
      import { startCluster } from ${JSON.stringify(join(import.meta.dirname, 'embedded.ts'))};
      await startCluster({ pgDir: ${JSON.stringify(pgDir)}, fast: true });
      console.log('ready');
      setInterval(() => {}, 1000);
    `;
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    child.kill('SIGKILL');
    const orphan = readPostmasterPid(pgDir);
    expect(orphan && alive(orphan.pid)).toBe(true);
    const next = await startCluster({ pgDir, fast: true });
    expect(orphan && alive(orphan.pid)).toBe(false);
    await next.stop();
  });
});

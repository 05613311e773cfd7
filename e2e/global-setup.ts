/**
 * Starts Gridloop the way `npm start` does — `gridloop serve` on a fresh data directory, so the
 * embedded PostgreSQL is created, migrated and seeded with the demo — on a free port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../server/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridloop-e2e-'));
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, [resolve('bin/gridloop.mjs'), 'serve', '--skip-web'], {
    // A smaller demo history than npm start's 6,000 cases keeps the server's first start quick.
    env: {
      ...process.env,
      PORT: String(port),
      GRIDLOOP_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      GRIDLOOP_DEMO_CASES: '400',
      // A small synthetic archive (npm start makes ~30,000 people).
      GRIDLOOP_DEMO_PEOPLE: '3000',
      // The webhook test's receiver listens on 127.0.0.1 (docs/webhooks.md: development and tests only).
      GRIDLOOP_WEBHOOK_ALLOW_PRIVATE: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 150_000);
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  project.provide('baseUrl', `http://127.0.0.1:${port}`);
  return async () => {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGINT');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
}

/**
 * `gridloop serve`: database (embedded unless DATABASE_URL), migrations, the demo on first start,
 * the job queue, the web build, and the HTTP server. Ctrl-C drains and stops everything in order.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from '../app.js';
import { sealAll } from '../audit/audit.chain.js';
import { sweepDeadlines } from '../cases/deadline-sweep.js';
import type { Config } from '../config.js';
import { DataDirInUseError, openDatabase } from '../db/open.js';
import { importWorker } from '../imports/import-jobs.js';
import { startJobQueue } from '../jobs/queue.js';
import { DEMO_PASSWORD, generateDemo } from '../seed/demo-data.js';
import { seedDemo } from '../seed/seed-demo.js';
import { sweepSummons } from '../summons/summons-sweep.js';
import { GridLocator } from '../territory/placement.js';
import { startWebhookWorker } from '../webhooks/webhook-worker.js';
import { CliError } from './output.js';

/**
 * The V8 flags the server runs with: `npm start` passes them (package.json's "start" repeats them, a test
 * keeps the two equal), and so do the benchmarks that start a server. A young generation of 2 × 4 MB
 * instead of V8's 2 × 16 MB: under the intake benchmark's load the server's RSS peaked at 318 MB with the
 * default and 277 MB with this, at the same throughput (docs/benchmarks.md, "Intake and memory").
 */
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=4'] as const;

const ROOT = resolve(import.meta.dirname, '../..');
export const WEB_DIST = join(ROOT, 'web/dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the web application when web/dist is missing or older than its sources. */
export async function ensureWebBuilt(log: (line: string) => void, force = false): Promise<void> {
  const index = join(WEB_DIST, 'index.html');
  const sources = [join(ROOT, 'web/src'), join(ROOT, 'common'), join(ROOT, 'vite.config.ts')].filter(existsSync);
  const changed = (path: string) => (statSync(path).isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  const stale = !existsSync(index) || sources.some((path) => changed(path) > statSync(index).mtimeMs);
  if (!force && !stale) return;
  log('building the web application (vite) …');
  const vite = await import('vite');
  await vite.build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, host, () => probe.close(() => resolvePort(true)));
  });
}

export async function serve(config: Config, options: { skipWeb?: boolean } = {}): Promise<void> {
  const log = (line: string) => console.log(line);
  if (!(await portFree(config.port, config.host))) {
    throw new CliError(
      `端口 ${config.port} 已被占用，请关闭占用它的程序，或用 PORT=3001 npm start 换一个端口。\n` +
        `Port ${config.port} is in use: stop whatever holds it, or choose another with PORT=3001 npm start.`,
    );
  }
  if (!options.skipWeb) await ensureWebBuilt(log);
  const database = await openDatabase(config, { log, serve: true }).catch((error: unknown) => {
    throw error instanceof DataDirInUseError ? new CliError(error.message) : error;
  });
  const units = await database.db.selectFrom('unit').select('id').limit(1).execute();
  if (units.length === 0) {
    log('seeding the demo subdistrict …');
    await seedDemo(database.db, undefined, { log, mediaDir: config.mediaDir });
  }
  const locator = new GridLocator(database.db);
  const jobs = await startJobQueue({
    connectionString: database.url,
    db: database.db,
    log: { error: console.error, info: () => {} },
    schedules: [
      { name: 'deadline-sweep', cron: '* * * * *', run: () => sweepDeadlines(database.db) },
      { name: 'summons-sweep', cron: '* * * * *', run: () => sweepSummons(database.db) },
    ],
    // Import runs (12345 work orders …) are processed by a queued job: server/imports.
    workers: [importWorker({ db: database.db, locator, log: { error: console.error } })],
  });
  const app = await build({ db: database.db, config, jobs, locator, listenUrl: database.url, webDir: WEB_DIST });
  // Webhooks go out after commit, from the case event log (server/webhooks, docs/webhooks.md).
  const webhooks = startWebhookWorker(database.db, {
    log: { error: console.error },
    send: { allowPrivate: config.webhookAllowPrivate },
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: stopping … / 正在停止 …`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    await app.close().catch(() => {});
    await webhooks.stop().catch(() => {});
    await jobs.stop().catch(() => {});
    await sealAll(database.db).catch(() => {});
    await database.close();
    log('stopped. / 已停止。');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  // The documented logins only, not the demo's whole workforce.
  const documented = new Set(generateDemo().accounts.map((a) => a.username));
  const demo = (await database.db.selectFrom('account').select('username').orderBy('createdAt').execute()).filter((a) =>
    documented.has(a.username),
  );
  log('');
  log(`网格闭环 Gridloop 已启动 / is running:  http://localhost:${config.port}`);
  log(`接口文档 API docs:                     http://localhost:${config.port}/api/docs`);
  log(
    `数据库 Database: ${database.embedded ? `embedded PostgreSQL in ${join(config.dataDir, 'pg')}` : 'DATABASE_URL'}`,
  );
  if (demo.some((a) => a.username === 'admin')) {
    log(`演示账号 Demo logins (password 密码 ${DEMO_PASSWORD}): ${demo.map((a) => a.username).join(', ')}`);
  }
  log('按 Ctrl-C 停止 / Press Ctrl-C to stop.');
}

/**
 * Web benchmark: what a browser downloads before the first screen, and how long the dispatcher's
 * inbox (我的待办) takes to show cold — a fresh browser profile, nothing cached — on localhost,
 * against the demo with its year of history (6,000 cases, seeded once into .tmp/bench-web-data and
 * reused). The baseline in the same run is the sign-in page, cold: the shell without any data.
 *
 * Targets (the web issue): initial JavaScript ≤ 500 kB gzip; the inbox's first screen ≤ 1.5 s cold.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch } from '../e2e/browser.js';
import { ensureWebBuilt, WEB_DIST } from '../server/cli/serve.js';
import { freePort } from '../server/db/embedded.js';

const ROOT = resolve(import.meta.dirname, '..');
const ROUNDS = 5;

export interface WebBenchResult {
  initialJsFiles: number;
  initialJsKB: number;
  initialJsGzipKB: number;
  initialCssGzipKB: number;
  largestLazyChunk: string;
  largestLazyChunkGzipKB: number;
  inboxColdMsMedian: number;
  inboxColdMsMax: number;
  inboxCases: number;
  loginColdMsMedian: number;
  ratio: number;
  targetJsMet: boolean;
  targetInboxMet: boolean;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const gzipSize = (path: string) =>
  existsSync(`${path}.gz`) ? readFileSync(`${path}.gz`).length : gzipSync(readFileSync(path), { level: 9 }).length;

/** The files index.html loads before any route: the entry script, its preloads and stylesheets. */
function initialFiles(): { js: string[]; css: string[] } {
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const refs = (pattern: RegExp) => [...html.matchAll(pattern)].map((m) => join(WEB_DIST, m[1] as string));
  return {
    js: [...refs(/<script[^>]+src="([^"]+\.js)"/g), ...refs(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)],
    css: refs(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g),
  };
}

function largestLazyChunk(initial: string[]): { name: string; gzip: number } {
  const dir = join(WEB_DIST, 'assets');
  let best = { name: '', gzip: 0 };
  for (const file of readdirSync(dir)) {
    const path = join(dir, file);
    if (!file.endsWith('.js') || initial.includes(path)) continue;
    const gzip = gzipSize(path);
    if (gzip > best.gzip) best = { name: file, gzip };
  }
  return best;
}

/** `gridloop serve` on the bench's own data directory and a free port; resolves once it listens. */
async function startServer(): Promise<{ base: string; stop: () => Promise<void> }> {
  const dataDir = join(ROOT, '.tmp', 'bench-web-data');
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin/gridloop.mjs'), 'serve', '--skip-web'], {
    env: { ...process.env, PORT: String(port), GRIDLOOP_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((ready, fail) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C')) ready();
    });
    server.once('exit', (code) => fail(new Error(`the server exited with ${code}:\n${output}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGINT');
      await exited;
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function runWebBench(): Promise<WebBenchResult> {
  await ensureWebBuilt((line) => console.log(line));
  const { js, css } = initialFiles();
  const initialJsGzip = js.reduce((sum, f) => sum + gzipSize(f), 0);
  const lazy = largestLazyChunk(js);

  const browser = await launch();
  const server = await startServer().catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  try {
    const signIn = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dispatcher', password: 'Gridloop@2026' }),
    });
    const [name, value] = ((signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '').split('=');
    const inbox = (await (
      await fetch(`${server.base}/api/inbox`, { headers: { cookie: `${name}=${value}` } })
    ).json()) as { sections: Record<string, { total: number }> };
    const inboxCases = Object.values(inbox.sections).reduce((sum, s) => sum + s.total, 0);

    const cold = async (path: string, ready: string, signedIn: boolean) => {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
      if (signedIn) await context.addCookies([{ name: name ?? '', value: value ?? '', url: server.base }]);
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(`${server.base}${path}`);
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
      const ms = Date.now() - started;
      await context.close();
      return ms;
    };
    // One unmeasured pass each: the server's own first requests (JIT, connection pool) are not the page's.
    await cold('/login', 'input[name="username"]', false);
    await cold('/work', '.case-card, .el-table__row, .el-empty', true);
    const login: number[] = [];
    const work: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      login.push(await cold('/login', 'input[name="username"]', false));
      work.push(await cold('/work', '.case-card, .el-table__row, .el-empty', true));
    }
    const inboxMedian = median(work);
    return {
      initialJsFiles: js.length,
      initialJsKB: kb(js.reduce((sum, f) => sum + readFileSync(f).length, 0)),
      initialJsGzipKB: kb(initialJsGzip),
      initialCssGzipKB: kb(css.reduce((sum, f) => sum + gzipSize(f), 0)),
      largestLazyChunk: lazy.name,
      largestLazyChunkGzipKB: kb(lazy.gzip),
      inboxColdMsMedian: inboxMedian,
      inboxColdMsMax: Math.max(...work),
      inboxCases,
      loginColdMsMedian: median(login),
      ratio: Math.round((inboxMedian / Math.max(1, median(login))) * 100) / 100,
      targetJsMet: initialJsGzip <= 500 * 1024,
      targetInboxMet: inboxMedian <= 1500,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

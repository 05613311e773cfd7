/**
 * sharp and exceljs stay out of a built server until a photo or a workbook needs them. Checked in a
 * fresh Node process (the test runner itself has loaded both long ago), run with tsx as `gridloop`
 * runs the server: both are CommonJS underneath (sharp's ESM entry requires its native addon), so
 * Node's shared `require.cache` names them once loaded, whatever loader imported them.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './test/harness.js';

const here = import.meta.dirname;
const path = (file: string) => JSON.stringify(join(here, file));

/** An 8 × 6 PNG of one colour, written out so that the child needs no sharp to make it. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAIAAABxZ0isAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEUlEQVQImWMwXlWOFTEMpAQAoiQ/wZE/9iIAAAAASUVORK5CYII=';

const CHILD = `
  import { mkdtempSync, rmSync } from 'node:fs';
  import { createRequire } from 'node:module';
  import { tmpdir } from 'node:os';
  import { join } from 'node:path';
  import { PassThrough } from 'node:stream';
  import { build } from ${path('app.ts')};
  import { loadConfig } from ${path('config.ts')};
  import { createDb } from ${path('db/database.ts')};
  import { xlsxWriter } from ${path('exports/table-writer.ts')};

  const cache = createRequire(${path('app.ts')}).cache;
  const loaded = () => {
    const files = Object.keys(cache);
    return {
      sharp: files.some((f) => /sharp[^/\\\\]*\\.node$/.test(f)),
      exceljs: files.some((f) => /[/\\\\]node_modules[/\\\\]exceljs[/\\\\]/.test(f)),
    };
  };
  const mediaDir = mkdtempSync(join(tmpdir(), 'gridloop-lazy-'));
  const { db } = createDb({ connectionString: process.env.DATABASE_URL, max: 2 });
  const app = await build({ db, config: { ...loadConfig({}), logLevel: 'silent', mediaDir }, logger: false });
  await app.ready();
  const report = { built: loaded() };

  const form = new FormData();
  form.append('file', new Blob([Buffer.from(${JSON.stringify(PNG)}, 'base64')], { type: 'image/png' }), 'a.png');
  const request = new Request('http://gridloop.test/api/media', { method: 'POST', body: form });
  const upload = await app.inject({
    method: 'POST',
    url: '/api/media',
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type') },
    remoteAddress: '10.7.7.7',
  });
  report.upload = upload.statusCode;
  report.afterPhoto = loaded();

  const out = new PassThrough();
  const chunks = [];
  out.on('data', (chunk) => chunks.push(chunk));
  const writer = xlsxWriter(out, [{ header: '编号 Number', type: 'text' }], { sheet: 'S' });
  await writer.rows([['310105-20261122-00042']]);
  await writer.end();
  report.xlsxMagic = Buffer.concat(chunks).subarray(0, 2).toString('latin1');
  report.afterWorkbook = loaded();

  await app.close();
  await db.destroy();
  rmSync(mediaDir, { recursive: true, force: true });
  console.log(JSON.stringify(report));
`;

interface Report {
  built: { sharp: boolean; exceljs: boolean };
  upload: number;
  afterPhoto: { sharp: boolean; exceljs: boolean };
  xlsxMagic: string;
  afterWorkbook: { sharp: boolean; exceljs: boolean };
}

function runChild(databaseUrl: string): Promise<Report> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as Report);
      else reject(new Error(`child exited ${code}: ${stderr.slice(-3000)}`));
    });
  });
}

describe('sharp and exceljs load on first use', () => {
  // A child process that starts Node and tsx: seconds on an idle machine, more on a loaded one (not a speed target).
  it('are absent from a built server, and present once a photo and a workbook were made', async () => {
    const { url } = await createTestDatabase();
    const report = await runChild(url);
    expect(report.built).toEqual({ sharp: false, exceljs: false });
    expect(report.upload).toBe(201);
    expect(report.afterPhoto).toEqual({ sharp: true, exceljs: false });
    expect(report.xlsxMagic).toBe('PK');
    expect(report.afterWorkbook).toEqual({ sharp: true, exceljs: true });
  }, 120_000);
});

/**
 * Export benchmark: a case export of 100,000 and then 1,000,000 rows (CSV and XLSX) through the real
 * route — POST /api/cases/export on a listening server, read by a streaming client that counts and
 * drops the bytes — measuring rows per second and how much the process's memory grows while it
 * streams. Memory should not grow with the rows: the 1 M export should peak like the 100 k one.
 *
 * Baseline, same run: the same query read through the same cursor in the same batches and dropped
 * (no presenting, no formatting, no HTTP), so the ratio is what making the file costs.
 *
 * Its own embedded cluster in <os tmpdir>/gridloop-bench-bench-exports (or DATABASE_URL's server), a fresh database each
 * run; the rows go in with one INSERT … SELECT (server/exports/bulk-cases.ts).
 * `npx gridloop bench exports`; BENCH_EXPORT_ROWS=200000 for a shorter run.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { CompiledQuery, sql } from 'kysely';
import { loadGrants, type StaffActor } from '../server/accounts/actor.js';
import { build } from '../server/app.js';
import { filteredCases } from '../server/cases/case.repository.js';
import { loadConfig } from '../server/config.js';
import type { Db } from '../server/db/database.js';
import { insertBulkCases } from '../server/exports/bulk-cases.js';
import { BATCH } from '../server/exports/case-export.js';
import { makeCategory, makeTerritory, unitOf } from '../server/test/factories.js';
import { BENCH_PASSWORD, createBenchLeader, openBenchDatabase } from './database.js';

const DATABASE = 'gridloop_bench_exports';
const MiB = 2 ** 20;

export interface ExportRun {
  rows: number;
  format: 'csv' | 'xlsx';
  seconds: number;
  rowsPerSecond: number;
  megabytes: number;
  /** Peak resident set and heap above their level just before the export, sampled every 20 ms. */
  peakRssGrowthMiB: number;
  peakHeapGrowthMiB: number;
  /** The cursor alone over the same rows (baseline). */
  cursorOnlySeconds: number;
  ratio: number;
}

export interface ExportBenchResult {
  runs: ExportRun[];
  /** Peak heap growth at the largest size over that at the smallest (≈ 1 means flat). */
  heapGrowthRatio: number;
}

/** Samples memory until stopped; returns the peaks above the level at the start. */
function sampleMemory() {
  global.gc?.();
  const start = process.memoryUsage();
  let rss = 0;
  let heap = 0;
  const take = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss - start.rss);
    heap = Math.max(heap, m.heapUsed - start.heapUsed);
  };
  const timer = setInterval(take, 20);
  return () => {
    clearInterval(timer);
    take();
    return { rss: rss / MiB, heap: heap / MiB };
  };
}

/** The export through HTTP, the body read as it comes and dropped. */
async function exportOver(base: string, session: { cookie: string; csrf: string }, format: 'csv' | 'xlsx') {
  const res = await fetch(`${base}/api/cases/export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify({ format }),
  });
  if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  let bytes = 0;
  let lines = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    // The bulk rows hold no quotes or line breaks: one LF per record.
    if (format === 'csv') for (const b of value) if (b === 10) lines += 1;
  }
  return { total: Number(res.headers.get('x-total-count')), bytes, lines };
}

/** Baseline: the same query through the same cursor and batches, rows dropped. */
async function cursorOnly(db: Db, actor: StaffActor): Promise<number> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const compiled = filteredCases(trx, actor, {}).compile();
      await trx.executeQuery(
        CompiledQuery.raw(`declare c no scroll cursor for ${compiled.sql}`, [...compiled.parameters]),
      );
      let rows = 0;
      for (;;) {
        const fetched = await sql`fetch forward ${sql.lit(BATCH)} from c`.execute(trx);
        rows += fetched.rows.length;
        if (fetched.rows.length < BATCH) return rows;
      }
    });
}

export async function runExportBench(): Promise<ExportBenchResult> {
  const largest = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
  const sizes = [Math.min(100_000, largest), largest].filter((n, i, all) => all.indexOf(n) === i);
  const { db, cluster } = await openBenchDatabase('bench-exports', DATABASE);
  let app: FastifyInstance | undefined;
  try {
    const t = await makeTerritory(db);
    const category = await makeCategory(db);
    const accountId = await createBenchLeader(db, unitOf(t, t.subdistrict));
    const actor: StaffActor = {
      kind: 'staff',
      id: accountId,
      username: 'benchleader',
      displayName: '测试领导',
      mustChangePassword: false,
      grants: await loadGrants(db, accountId),
    };
    app = await build({
      db,
      config: { ...loadConfig({}), logLevel: 'silent', mediaDir: join(tmpdir(), 'gridloop-bench-media') },
      logger: false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const signIn = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'benchleader', password: BENCH_PASSWORD }),
    });
    const session = {
      cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      csrf: ((await signIn.json()) as { csrfToken: string }).csrfToken,
    };

    const runs: ExportRun[] = [];
    let inserted = 0;
    for (const size of sizes) {
      console.log(`inserting ${size - inserted} cases …`);
      // Whole days per batch keep the readable numbers unique (1,440 a day, serials by minute).
      await insertBulkCases(db, {
        count: size - inserted,
        unit: unitOf(t, t.grids[0]),
        categoryId: category.id,
        newest: new Date(Date.UTC(2020, 0, 1) - inserted * 60_000),
        batch: runs.length,
      });
      inserted = size;
      await sql`analyze cases`.execute(db);

      const baselineStart = performance.now();
      const baselineRows = await cursorOnly(db, actor);
      const cursorOnlySeconds = (performance.now() - baselineStart) / 1000;
      if (baselineRows !== size) throw new Error(`the cursor read ${baselineRows} rows, expected ${size}`);

      for (const format of ['csv', 'xlsx'] as const) {
        const stop = sampleMemory();
        const started = performance.now();
        const result = await exportOver(base, session, format);
        const seconds = (performance.now() - started) / 1000;
        const peak = stop();
        if (result.total !== size) throw new Error(`X-Total-Count ${result.total}, expected ${size}`);
        if (format === 'csv' && result.lines !== size + 1)
          throw new Error(`${result.lines} CSV lines for ${size} rows`);
        runs.push({
          rows: size,
          format,
          seconds: Math.round(seconds * 10) / 10,
          rowsPerSecond: Math.round(size / seconds),
          megabytes: Math.round((result.bytes / MiB) * 10) / 10,
          peakRssGrowthMiB: Math.round(peak.rss),
          peakHeapGrowthMiB: Math.round(peak.heap),
          cursorOnlySeconds: Math.round(cursorOnlySeconds * 10) / 10,
          ratio: Math.round((seconds / cursorOnlySeconds) * 100) / 100,
        });
        console.log(runs[runs.length - 1]);
      }
    }
    const heapAt = (rows: number) =>
      Math.max(...runs.filter((r) => r.rows === rows).map((r) => r.peakHeapGrowthMiB), 1);
    return {
      runs,
      heapGrowthRatio: Math.round((heapAt(largest) / heapAt(sizes[0] ?? largest)) * 100) / 100,
    };
  } finally {
    await app?.close();
    await db.destroy();
    await cluster?.stop();
  }
}

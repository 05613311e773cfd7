/**
 * The import engine's background side, with the hotline's orders as the kind: a run enqueued in
 * its transaction is processed by the pg-boss worker, and a run taken up again after a crash
 * resumes after the rows it had recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import { hotlineImport } from '../hotline/hotline-import.js';
import { csvFile, makeWorld, orderRow, type World } from '../hotline/test-world.js';
import { type JobQueue, startJobQueue } from '../jobs/queue.js';
import { createTestDatabase } from '../test/harness.js';
import { startImport } from './commands/start-import.js';
import { findMapping, findRun, type RunRow } from './import.repository.js';
import { importWorker } from './import-jobs.js';
import { processImportRun } from './import-runner.js';

let db: Db;
let url: string;
let w: World;
let jobs: JobQueue | undefined;

const quiet = { error: () => {}, info: () => {} };

async function start(rows: unknown[][], queue: JobQueue | null) {
  const mapping = await findMapping(db, w.mappingId);
  if (!mapping) throw new Error('no mapping');
  return startImport(db, { actor: SYSTEM_ACTOR }, queue, {
    kind: hotlineImport,
    mapping,
    scopePath: mapping.unitPath,
    file: { name: 'orders.csv', bytes: csvFile(rows) },
    createdBy: '00000000-0000-7000-8000-000000000000',
  });
}

async function ended(id: string): Promise<RunRow> {
  for (;;) {
    const run = await findRun(db, id);
    if (run?.status === 'done' || run?.status === 'failed') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ordersLike = async (prefix: string) =>
  (await db.selectFrom('hotlineOrder').select('orderNumber').where('orderNumber', 'like', `${prefix}%`).execute())
    .map((o) => o.orderNumber)
    .sort();

beforeAll(async () => {
  ({ db, url } = await createTestDatabase());
  w = await makeWorld(db);
});

afterAll(async () => {
  await jobs?.stop();
});

describe('import runs in the background', () => {
  it('are processed by the job queue’s worker when there is one', async () => {
    jobs = await startJobQueue({
      connectionString: url,
      db,
      log: quiet,
      sealEveryMs: 60_000,
      workers: [importWorker({ db, locator: w.app.locator, log: quiet })],
    });
    const { id, after } = await start([orderRow(w, 'JOB-1'), orderRow(w, 'JOB-2')], jobs);
    // Enqueued in the run's own transaction: nothing is left for this process to do.
    expect(after).toBeNull();
    const run = await ended(id);
    expect(run).toMatchObject({ status: 'done', totalRows: 2, processedRows: 2, createdCount: 2 });
    expect(await ordersLike('JOB-')).toEqual(['JOB-1', 'JOB-2']);
  }, 120_000);

  it('resume after the rows a crashed run had recorded', async () => {
    const rows = [1, 2, 3, 4, 5].map((n) => orderRow(w, `RES-${n}`));
    const { id } = await start(rows, null);
    // As a worker that died after its first batch of two rows would have left it.
    await db
      .updateTable('importRun')
      .set({ status: 'running', totalRows: 5, processedRows: 2 })
      .where('id', '=', id)
      .execute();
    await processImportRun({ db, locator: w.app.locator, log: quiet }, id);
    const run = await findRun(db, id);
    expect(run).toMatchObject({ status: 'done', processedRows: 5, createdCount: 3, rejectedCount: 0 });
    expect(await ordersLike('RES-')).toEqual(['RES-3', 'RES-4', 'RES-5']);
    // Taken up once more, an ended run is left alone.
    await processImportRun({ db, locator: w.app.locator, log: quiet }, id);
    expect((await findRun(db, id))?.createdCount).toBe(3);
  });
});

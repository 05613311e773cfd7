/**
 * Import runs as pg-boss jobs: a run is enqueued in the transaction that creates it (so a run that
 * rolls back leaves no job, and a committed one always has its job), and the worker processes it.
 * Without a job queue (tests, the command line) runs are processed in this process after commit, one
 * at a time.
 */
import { CompiledQuery } from 'kysely';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Db, Trx } from '../db/database.js';
import type { JobQueue } from '../jobs/queue.js';
import { processImportRun, type RunnerDeps } from './import-runner.js';

export const IMPORT_JOB = 'import-run';

/** A run may take a while (100,000 rows); a job is retried after this long without an answer. */
const JOB_OPTIONS = { expireInSeconds: 4 * 3600, retryLimit: 3, retryDelay: 60 } satisfies PgBoss.SendOptions;

const ZImportJob = z.object({ runId: z.uuid() });

/** pg-boss's statements run inside a Kysely transaction. */
const inTransaction = (trx: Trx): PgBoss.Db => ({
  async executeSql(text, values) {
    const result = await trx.executeQuery(CompiledQuery.raw(text, values));
    return { rows: [...result.rows] };
  },
});

/** Enqueues the run in `trx` when there is a queue; otherwise answers a function to call after commit. */
export async function enqueueImportRun(
  trx: Trx,
  jobs: JobQueue | null,
  runId: string,
): Promise<((deps: RunnerDeps) => void) | null> {
  if (jobs) {
    await jobs.boss.send(IMPORT_JOB, { runId }, { ...JOB_OPTIONS, db: inTransaction(trx) });
    return null;
  }
  return (deps) => {
    // One run at a time, like the queue's worker: each holds a connection for its lock.
    inProcess = inProcess
      .then(() => processImportRun(deps, runId))
      .catch((error) => deps.log.error({ err: error, run: runId }, 'import run failed'));
  };
}

let inProcess: Promise<void> = Promise.resolve();

/** The worker the server registers with its job queue. */
export function importWorker(deps: { db: Db } & Omit<RunnerDeps, 'db'>) {
  return {
    name: IMPORT_JOB,
    run: async (data: unknown) => {
      const { runId } = ZImportJob.parse(data);
      await processImportRun(deps, runId);
      return { runId };
    },
  };
}

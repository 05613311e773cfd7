/**
 * The job queue (pg-boss, in the same database) and the in-process timers that need no queue:
 * the audit sealer runs every few seconds under an advisory lock, so any number of processes may
 * run it. Later issues declare their jobs here (notifications, webhooks, deadline sweeps).
 */
import PgBoss from 'pg-boss';
import { sealAudit } from '../audit/audit.chain.js';
import type { Db } from '../db/database.js';

export interface JobQueue {
  boss: PgBoss;
  health(): Promise<{ ok: boolean; detail: string }>;
  stop(): Promise<void>;
}

export interface QueueOptions {
  connectionString: string;
  db: Db;
  log: { error: (obj: unknown, msg: string) => void; info: (obj: unknown, msg?: string) => void };
  sealEveryMs?: number;
  /** Scheduled jobs (cron in Asia/Shanghai); pg-boss runs each once per tick across all servers. */
  schedules?: { name: string; cron: string; run: () => Promise<unknown> }[];
  /** Queued jobs (enqueued with `boss.send`), one at a time per worker: an import run. */
  workers?: { name: string; run: (data: unknown) => Promise<unknown> }[];
}

export async function startJobQueue(options: QueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({ connectionString: options.connectionString, schema: 'pgboss', max: 4 });
  boss.on('error', (error) => options.log.error({ err: error }, 'job queue error'));
  await boss.start();
  for (const job of options.schedules ?? []) {
    await boss.createQueue(job.name);
    await boss.schedule(job.name, job.cron, undefined, { tz: 'Asia/Shanghai', singletonKey: job.name });
    await boss.work(job.name, async () => {
      const result = await job.run();
      options.log.info({ job: job.name, result }, 'scheduled job done');
    });
  }

  for (const worker of options.workers ?? []) {
    await boss.createQueue(worker.name);
    await boss.work(worker.name, async ([job]) => {
      const result = await worker.run(job?.data);
      options.log.info({ job: worker.name, result }, 'job done');
    });
  }

  let sealing = false;
  const timer = setInterval(async () => {
    if (sealing) return;
    sealing = true;
    try {
      await sealAudit(options.db);
    } catch (error) {
      options.log.error({ err: error }, 'audit sealing failed; will retry');
    } finally {
      sealing = false;
    }
  }, options.sealEveryMs ?? 2_000);
  timer.unref();

  return {
    boss,
    async health() {
      try {
        await boss.getQueues();
        return { ok: true, detail: 'pg-boss running' };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
    async stop() {
      clearInterval(timer);
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}

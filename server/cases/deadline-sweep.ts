/**
 * The deadline sweep (DESIGN rule 8): marks the yellow light once a running stage has used its
 * warning share of the time, and the red light once it is past due — each exactly once, in batches
 * — and issues an automatic supervision order (督办) on every case that just turned red.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { type NoticeCase, notifyCase } from '../notifications/case-notices.js';
import type { GridLocator } from '../territory/placement.js';
import { readCaseSettings } from './case-settings.js';
import { transitionCase } from './commands/transition-case.js';

/** What a light notice needs of a case, as the sweep's UPDATE … RETURNING gives it (camelCased by Kysely). */
const NOTICE_COLUMNS = sql.raw(
  'district, id, number, title, unit_path, state, stage, department_id, handler_account_id, ' +
    'reporter_account_id, reporter_resident_id',
);

export const SYSTEM_SWEEPER = { kind: 'system', id: null, name: 'deadline-sweep' } as const;

export interface SweepOptions {
  /** Share of a stage's time after which the light turns yellow (0–1); the policy setting when absent. */
  warnShare?: number;
  batch?: number;
  now?: Date;
}

export interface SweepResult {
  warned: number;
  overdue: number;
  supervised: number;
}

/**
 * One pass. The share is measured in natural time between the stage's start and its due time, which
 * for working-time limits warns a little early across nights and holidays — on the safe side.
 */
export async function sweepDeadlines(db: Db, locator: GridLocator, options: SweepOptions = {}): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const share = options.warnShare ?? (await readCaseSettings(db)).warnShare;
  const batch = options.batch ?? 1_000;
  let warned = 0;
  let overdue = 0;
  let supervised = 0;
  for (;;) {
    // The light and its notices commit together: a yellow light is never set without telling.
    const count = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<NoticeCase>`
        update cases set warned_at = ${now}
        where (district, id) in (
          select district, id from cases
          where due_at is not null and paused_at is null and warned_at is null and overdue_at is null
            and due_at >= ${now} and ${now} >= stage_started_at + (due_at - stage_started_at) * ${share}::float8
          limit ${batch} for update skip locked)
        returning ${NOTICE_COLUMNS}`.execute(trx);
      for (const row of rows) await notifyCase(trx, { kind: 'warning', case: row, at: now });
      return rows.length;
    });
    warned += count;
    if (count < batch) break;
  }
  for (;;) {
    const rows = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<NoticeCase>`
        update cases set overdue_at = ${now}, warned_at = coalesce(warned_at, ${now})
        where (district, id) in (
          select district, id from cases
          where due_at is not null and paused_at is null and overdue_at is null and due_at < ${now}
          limit ${batch} for update skip locked)
        returning ${NOTICE_COLUMNS}`.execute(trx);
      for (const row of rows) await notifyCase(trx, { kind: 'overdue', case: row, at: now });
      return rows;
    });
    overdue += rows.length;
    for (const row of rows) {
      if (await superviseOverdue(db, locator, row.id, now)) supervised += 1;
    }
    if (rows.length < batch) break;
  }
  return { warned, overdue, supervised };
}

/** An automatic supervision order on a case that just went overdue; a concurrent change is retried once. */
async function superviseOverdue(db: Db, locator: GridLocator, caseId: string, now: Date): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await db
      .selectFrom('cases')
      .select(['version', 'state'])
      .where('id', '=', caseId)
      .executeTakeFirst();
    if (!current) return false;
    try {
      await transitionCase(
        { db, locator, actor: SYSTEM_SWEEPER, now },
        {
          caseId,
          action: 'supervise',
          version: current.version,
          reason: '超过办理时限，系统自动督办 / overdue: automatic supervision order',
        },
      );
      return true;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code !== 'CASE_VERSION_CONFLICT') return false;
    }
  }
  return false;
}

/**
 * The deadline sweep (DESIGN rule 8): marks the yellow light once a running stage has used its
 * warning share of the time, and the red light once it is past due — each exactly once, in batches
 * — and issues an automatic supervision order (督办) on every case that just turned red.
 *
 * What crossed is found by two index ranges (migration 0018): `warn_at <= now` over the clocks not yet
 * lit (the yellow moment is a column, kept by a trigger from the warning share setting) and
 * `due_at < now` over the clocks not yet red. Each is read once per sweep; then, a batch at a time,
 * the rows are locked (skipping rows a step holds: the next sweep takes them), checked again and lit.
 * The share is measured in natural time between the stage's start and its due time, which for
 * working-time limits warns a little early across nights and holidays — on the safe side.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db, Trx } from '../db/database.js';
import { retryOnConflict } from '../db/retry.js';
import { NOTICE_CASE_COLUMNS, type NoticeCase, notifyCases } from '../notifications/case-notices.js';
import { recordSupervision, supervisable, supervisionChanges } from './commands/supervise-cases.js';

export const SYSTEM_SWEEPER = { kind: 'system', id: null, name: 'deadline-sweep' } as const;
const SUPERVISION_REASON = '超过办理时限，系统自动督办 / overdue: automatic supervision order';

export interface SweepOptions {
  /** Cases per transaction (default 1,000). */
  batch?: number;
  now?: Date;
}

export interface SweepResult {
  warned: number;
  overdue: number;
  supervised: number;
}

type Key = { district: string; id: string };

/** Running clocks that reached their yellow moment by `now`, neither yellow nor red yet (still before due). */
const turningYellow = (now: Date) => sql<boolean>`
  due_at is not null and paused_at is null and warned_at is null and overdue_at is null
  and warn_at <= ${now} and due_at >= ${now}`;

/** Running clocks past due by `now`, not red yet. */
const turningRed = (now: Date) => sql<boolean>`
  due_at is not null and paused_at is null and overdue_at is null and due_at < ${now}`;

const crossed = (condition: RawBuilder<boolean>) => sql<Key>`select district, id from cases where ${condition}`;

/** EXPLAIN (ANALYZE, BUFFERS) of the sweep's two selections at `now` (for the benchmark). Reads only. */
export async function sweepProfile(db: Db, now: Date): Promise<Record<string, string>> {
  const plans: Record<string, string> = {};
  for (const [name, condition] of Object.entries({ yellow: turningYellow(now), red: turningRed(now) })) {
    const { rows } = await sql<Record<string, string>>`explain (analyze, buffers) ${crossed(condition)}`.execute(db);
    plans[name] = rows.map((r) => Object.values(r)[0]).join('\n');
  }
  return plans;
}

/** Locks the batch's rows that still meet `condition` (skipping rows held by a step) and sets `changes` on them. */
function light<Row = NoticeCase>(
  trx: Trx,
  keys: Key[],
  condition: RawBuilder<boolean>,
  changes: RawBuilder<unknown>,
  returning: RawBuilder<unknown> = NOTICE_CASE_COLUMNS,
) {
  return sql<Row>`
    update cases set ${changes}
    where (district, id) in (
      select district, id from cases
      where (district, id) in (
        select * from unnest(${keys.map((k) => k.district)}::char(6)[], ${keys.map((k) => k.id)}::uuid[]))
        and ${condition}
      for update skip locked)
    returning ${returning}`.execute(trx);
}

/** Yellow: a batch per transaction, the lights and their notices. */
async function sweepYellow(db: Db, now: Date, batch: number): Promise<number> {
  const keys = (await crossed(turningYellow(now)).execute(db)).rows;
  let warned = 0;
  for (let i = 0; i < keys.length; i += batch) {
    warned += await retryOnConflict(() =>
      db.transaction().execute(async (trx) => {
        const { rows } = await light(trx, keys.slice(i, i + batch), turningYellow(now), sql`warned_at = ${now}`);
        await notifyCases(
          trx,
          rows.map((row) => ({ kind: 'warning', case: row, at: now })),
        );
        return rows.length;
      }),
    );
  }
  return warned;
}

/** Red: a batch per transaction, the lights, their notices and the supervision orders. */
async function sweepRed(db: Db, now: Date, batch: number): Promise<{ overdue: number; supervised: number }> {
  const keys = (await crossed(turningRed(now)).execute(db)).rows;
  const result = { overdue: 0, supervised: 0 };
  for (let i = 0; i < keys.length; i += batch) {
    // The orders' events move the indicator rollups that concurrent steps move too: a deadlock runs again.
    const counts = await retryOnConflict(() =>
      db.transaction().execute(async (trx) => {
        // Red and the supervision order's changes to the case (counters, version) in one UPDATE.
        const changes = sql`overdue_at = ${now}, warned_at = coalesce(warned_at, ${now}), ${supervisionChanges(now)}`;
        const returning = sql`${NOTICE_CASE_COLUMNS}, ${supervisable} as supervised`;
        const { rows } = await light<NoticeCase & { supervised: boolean }>(
          trx,
          keys.slice(i, i + batch),
          turningRed(now),
          changes,
          returning,
        );
        const lit = rows.map(({ supervised: _, ...row }) => row);
        await notifyCases(
          trx,
          lit.map((row) => ({ kind: 'overdue', case: row, at: now })),
        );
        const supervised = await recordSupervision(trx, {
          cases: lit.filter((_, k) => rows[k]?.supervised),
          actor: SYSTEM_SWEEPER,
          reason: SUPERVISION_REASON,
          now,
        });
        return { overdue: rows.length, supervised };
      }),
    );
    result.overdue += counts.overdue;
    result.supervised += counts.supervised;
  }
  return result;
}

/**
 * One pass. Yellow and red go side by side on two connections: their cases are disjoint (due or not
 * by `now`) and so are the rows they write, and a second core does the other half (1 M open cases,
 * 3,000 crossed: ~0.6 s instead of ~0.95 s on two quiet cores). On a single connection they queue.
 */
export async function sweepDeadlines(db: Db, options: SweepOptions = {}): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const batch = options.batch ?? 1_000;
  const [warned, red] = await Promise.all([sweepYellow(db, now, batch), sweepRed(db, now, batch)]);
  return { warned, ...red };
}

/**
 * The reply sweep (DESIGN rule 8), the summonses' counterpart of the cases' deadline sweep: each
 * summoned department still silent turns yellow once it has used the warning share of its reply
 * time, and red (overdue) once the reply time has passed — each exactly once, in batches, rows
 * another sweeper holds skipped. A late reply is still taken; the marks stay as the record.
 */
import { sql } from 'kysely';
import { readCaseSettings } from '../cases/case-settings.js';
import type { Db } from '../db/database.js';
import { notifySummons } from './summons-notices.js';

export interface SummonsSweepOptions {
  now?: Date;
  /** Share of the reply time after which the light turns yellow; the loop's policy setting when absent. */
  warnShare?: number;
  batch?: number;
}

export interface SummonsSweepResult {
  warned: number;
  overdue: number;
}

/**
 * Marks the rows that `condition` selects (locked, skipping locked ones), tells the people
 * concerned in the same transaction, and returns how many were marked.
 */
async function mark(
  db: Db,
  set: ReturnType<typeof sql>,
  condition: ReturnType<typeof sql>,
  batch: number,
  kind: 'summons_warning' | 'summons_overdue',
) {
  let total = 0;
  for (;;) {
    const count = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ district: string; summonsId: string; departmentId: string }>`
        update summons_department set ${set}
        where (district, summons_id, department_id) in (
          select sd.district, sd.summons_id, sd.department_id
          from summons_department sd
          join summons s on s.district = sd.district and s.id = sd.summons_id
          where s.state = 'sent' and sd.reply is null and ${condition}
          limit ${batch} for update of sd skip locked)
        returning district, summons_id, department_id`.execute(trx);
      for (const row of rows) {
        await notifySummons(trx, {
          kind,
          district: row.district,
          summonsId: row.summonsId,
          departmentIds: [row.departmentId],
        });
        // A late department is the issuer's business too.
        if (kind === 'summons_overdue')
          await notifySummons(trx, { kind, district: row.district, summonsId: row.summonsId, issuer: true });
      }
      return rows.length;
    });
    total += count;
    if (count < batch) return total;
  }
}

/** One pass: yellow then red, each set once per department and summons. */
export async function sweepSummons(db: Db, options: SummonsSweepOptions = {}): Promise<SummonsSweepResult> {
  const now = options.now ?? new Date();
  const share = options.warnShare ?? (await readCaseSettings(db)).warnShare;
  const batch = options.batch ?? 1_000;
  const warned = await mark(
    db,
    sql`warned_at = ${now}`,
    // Already past due: straight to red in the next pass, one notice rather than two.
    sql`sd.warned_at is null and sd.overdue_at is null and s.reply_due_at >= ${now}
      and ${now} >= s.sent_at + (s.reply_due_at - s.sent_at) * ${share}::float8`,
    batch,
    'summons_warning',
  );
  const overdue = await mark(
    db,
    sql`overdue_at = ${now}, warned_at = coalesce(warned_at, ${now})`,
    sql`sd.overdue_at is null and s.reply_due_at < ${now}`,
    batch,
    'summons_overdue',
  );
  return { warned, overdue };
}

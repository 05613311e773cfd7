/**
 * Policy settings of the closed loop, kept in the `setting` table with defaults: how many days a
 * reporter may dispute a closure, and at what share of a stage's time the light turns yellow.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db, Trx } from '../db/database.js';

export const CASE_SETTING_KEYS = {
  disputeDays: 'cases.disputeDays',
  warnShare: 'cases.warnShare',
} as const;

export const ZCaseSettings = z.strictObject({
  /** Days after closing within which the reporter may dispute it (重新办理). */
  disputeDays: z.number().int().min(1).max(90),
  /** Share of a stage's time after which the light turns yellow. */
  warnShare: z.number().min(0.5).max(0.95),
});
export type CaseSettings = z.infer<typeof ZCaseSettings>;

export const DEFAULT_CASE_SETTINGS: CaseSettings = { disputeDays: 7, warnShare: 0.75 };

/** The SQL for the dispute window, so case rows carry it and the policy stays a pure function. */
export const disputeDaysSql = sql<number>`coalesce((select (value #>> '{}')::int from setting where key = ${CASE_SETTING_KEYS.disputeDays}), ${DEFAULT_CASE_SETTINGS.disputeDays})`;

export async function readCaseSettings(db: Db | Trx): Promise<CaseSettings> {
  const rows = await db
    .selectFrom('setting')
    .select(['key', 'value'])
    .where('key', 'in', Object.values(CASE_SETTING_KEYS))
    .execute();
  const settings = { ...DEFAULT_CASE_SETTINGS };
  for (const [name, key] of Object.entries(CASE_SETTING_KEYS) as [keyof CaseSettings, string][]) {
    const value = rows.find((r) => r.key === key)?.value;
    if (typeof value === 'number') settings[name] = value;
  }
  return ZCaseSettings.parse(settings);
}

/**
 * Writes the settings. A new warning share moves the yellow moment (`warn_at`, migration 0018) of every
 * running clock not yet lit, in the same transaction: one UPDATE of the open cases (about a minute per
 * million on modest hardware), so the sweep keeps finding yellow lights by an index range.
 */
export async function writeCaseSettings(trx: Trx, settings: CaseSettings): Promise<void> {
  const before = await readCaseSettings(trx);
  for (const [name, key] of Object.entries(CASE_SETTING_KEYS) as [keyof CaseSettings, string][]) {
    const value = JSON.stringify(settings[name]);
    await trx
      .insertInto('setting')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt: sql`now()` }))
      .execute();
  }
  if (settings.warnShare !== before.warnShare)
    await sql`
      update cases set warn_at = stage_started_at + (due_at - stage_started_at) * ${settings.warnShare}::float8
      where due_at is not null and stage_started_at is not null and warned_at is null and overdue_at is null`.execute(
      trx,
    );
}

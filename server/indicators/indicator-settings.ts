/**
 * Settings of the indicators, in the `setting` table with defaults:
 * - whether deferred cases (缓办) leave the denominators, as some cities count (default: no);
 * - the weights of the composite score (综合得分) over rates (default 30 closure rate, 35 on-time
 *   closure rate, 35 satisfaction rate: the grid centre is judged on closing, and on time, and the
 *   public on how it felt; a 12345 hotline may weigh responseRate / resolutionRate /
 *   satisfactionRate instead).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db, Trx } from '../db/database.js';
import { RATE_CODES } from './definitions.js';

export const INDICATOR_SETTING_KEYS = {
  deferredLeaveDenominators: 'indicators.deferredLeaveDenominators',
  scoreWeights: 'indicators.scoreWeights',
} as const;

export const ZScoreWeights = z
  .partialRecord(z.enum(RATE_CODES), z.number().min(0).max(100))
  .refine((w) => Object.values(w).some((v) => (v ?? 0) > 0), { message: 'at least one weight above 0' });

export const ZIndicatorSettings = z.strictObject({
  /** Deferred cases leave the denominators (缓办案件不计入分母). */
  deferredLeaveDenominators: z.boolean(),
  /** Weights of the score over rates; only the rates named count. */
  scoreWeights: ZScoreWeights,
});
export type IndicatorSettings = z.infer<typeof ZIndicatorSettings>;

export const DEFAULT_INDICATOR_SETTINGS: IndicatorSettings = {
  deferredLeaveDenominators: false,
  scoreWeights: { closureRate: 30, onTimeClosureRate: 35, satisfactionRate: 35 },
};

export async function readIndicatorSettings(db: Db | Trx): Promise<IndicatorSettings> {
  const rows = await db
    .selectFrom('setting')
    .select(['key', 'value'])
    .where('key', 'in', Object.values(INDICATOR_SETTING_KEYS))
    .execute();
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const deferred = value(INDICATOR_SETTING_KEYS.deferredLeaveDenominators);
  const weights = ZScoreWeights.safeParse(value(INDICATOR_SETTING_KEYS.scoreWeights));
  return {
    deferredLeaveDenominators:
      typeof deferred === 'boolean' ? deferred : DEFAULT_INDICATOR_SETTINGS.deferredLeaveDenominators,
    scoreWeights: weights.success ? weights.data : DEFAULT_INDICATOR_SETTINGS.scoreWeights,
  };
}

export async function writeIndicatorSettings(trx: Trx, settings: IndicatorSettings): Promise<void> {
  for (const [name, key] of Object.entries(INDICATOR_SETTING_KEYS) as [keyof IndicatorSettings, string][]) {
    const value = JSON.stringify(settings[name]);
    await trx
      .insertInto('setting')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt: sql`now()` }))
      .execute();
  }
}

/** Reading alarms: how many machine alarms a case gathered, from how many devices, the latest when. */
import type { Db } from '../db/database.js';

export async function alarmsOf(
  db: Db,
  district: string,
  caseId: string,
): Promise<{ count: number; devices: number; lastAt: string } | null> {
  const row = await db
    .selectFrom('alarm')
    .select((eb) => [
      eb.fn.countAll<string>().as('count'),
      eb.fn.count<string>('deviceId').distinct().as('devices'),
      eb.fn.max('receivedAt').as('lastAt'),
    ])
    .where('district', '=', district)
    .where('caseId', '=', caseId)
    .executeTakeFirst();
  if (!row || Number(row.count) === 0 || !row.lastAt) return null;
  return { count: Number(row.count), devices: Number(row.devices), lastAt: new Date(row.lastAt).toISOString() };
}

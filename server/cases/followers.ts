/**
 * Reading followers (关注): what a tracking code stands for, how many follow a case, and where a
 * merged case's progress now lives.
 */
import type { Db, Trx } from '../db/database.js';
import { type CaseRow, findCase } from './case.repository.js';

/** Merges chain (A into B, B into C); the public view follows at most this many links. */
const MAX_MERGE_HOPS = 5;

/**
 * The case a tracking code shows: its reporter's case, else the case its follower follows. A
 * reporter's code is looked up first, so a merged reporter (whose follower row carries the merged
 * case's code) keeps seeing their own case, which shows the target's progress.
 */
export async function resolveTrackingCode(
  db: Db,
  trackingCode: string,
): Promise<{ caseId: string; follower: boolean } | undefined> {
  const reporter = await db
    .selectFrom('cases')
    .select('id')
    .where('trackingCode', '=', trackingCode)
    .executeTakeFirst();
  if (reporter) return { caseId: reporter.id, follower: false };
  const follower = await db
    .selectFrom('caseFollower')
    .select('caseId')
    .where('trackingCode', '=', trackingCode)
    .executeTakeFirst();
  return follower ? { caseId: follower.caseId, follower: true } : undefined;
}

/** Whether some case or follower already holds the code (a fresh code must stand for one thing only). */
export async function trackingCodeTaken(db: Db | Trx, trackingCode: string): Promise<boolean> {
  const reporter = await db
    .selectFrom('cases')
    .select('id')
    .where('trackingCode', '=', trackingCode)
    .executeTakeFirst();
  if (reporter) return true;
  const follower = await db
    .selectFrom('caseFollower')
    .select('id')
    .where('trackingCode', '=', trackingCode)
    .executeTakeFirst();
  return Boolean(follower);
}

/** Followers per case id. */
export async function countFollowers(db: Db, cases: { district: string; id: string }[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (cases.length === 0) return counts;
  const rows = await db
    .selectFrom('caseFollower')
    .select(['caseId', (eb) => eb.fn.countAll<string>().as('n')])
    .where('district', 'in', [...new Set(cases.map((c) => c.district))])
    .where(
      'caseId',
      'in',
      cases.map((c) => c.id),
    )
    .groupBy('caseId')
    .execute();
  for (const row of rows) counts.set(row.caseId, Number(row.n));
  return counts;
}

/** Where a merged case went: the end of its merge chain (undefined for a case not merged). */
export async function mergeTarget(db: Db, c: CaseRow): Promise<CaseRow | undefined> {
  let current: CaseRow | undefined = c;
  for (let hop = 0; hop < MAX_MERGE_HOPS && current?.state === 'merged' && current.mergedIntoId; hop++) {
    current = await findCase(db, current.mergedIntoId);
  }
  return current && current.id !== c.id ? current : undefined;
}

export interface FollowerRow {
  via: 'follow' | 'merge';
  mergedCaseNumber: string | null;
  contactName: string | null;
  contactPhone: string | null;
  resident: boolean;
  createdAt: Date;
}

/** The people who follow a case besides its reporter, oldest first (a case page's "reporters"). */
export async function listFollowers(db: Db, district: string, caseId: string): Promise<FollowerRow[]> {
  const rows = await db
    .selectFrom('caseFollower as f')
    .leftJoin('cases as m', (join) => join.onRef('m.district', '=', 'f.district').onRef('m.id', '=', 'f.mergedCaseId'))
    .select(['f.via', 'm.number as mergedCaseNumber', 'f.contactName', 'f.contactPhone', 'f.residentId', 'f.createdAt'])
    .where('f.district', '=', district)
    .where('f.caseId', '=', caseId)
    .orderBy('f.createdAt')
    .execute();
  return rows.map((r) => ({
    via: r.via as FollowerRow['via'],
    mergedCaseNumber: r.mergedCaseNumber,
    contactName: r.contactName,
    contactPhone: r.contactPhone,
    resident: r.residentId !== null,
    createdAt: r.createdAt,
  }));
}

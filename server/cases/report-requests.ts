/**
 * Idempotent reports: a report sent with an `Idempotency-Key` header is made once per sender and
 * key. The key is kept beside the case (`report_request`) with a SHA-256 of the request, in the
 * report's own transaction, so:
 *
 * - a retry (same sender, key and request) answers the case the first one made and writes nothing;
 * - two identical requests at the same moment make one case: the second one's insert of the key
 *   waits for the first transaction and fails on the primary key, and it answers the winner's case;
 * - the same key with a different request is refused (422 IDEMPOTENCY_KEY_REUSED), writing nothing;
 * - a request that was refused (bad input) stored nothing, so the key may be sent again, corrected.
 *
 * Keys belong to their sender (an account, a resident, an anonymous sender's keyed address hash, a
 * machine key): one person's key never finds another's case, and a guessed key finds nothing.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../audit/audit.chain.js';
import type { Db, Trx } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { hashIp } from '../media/uploader.js';
import type { CaseActor } from './case.policy.js';

/** The `Idempotency-Key` request header of the report routes (up to 100 characters). */
export const ZIdempotencyHeaders = z.object({ 'idempotency-key': z.string().trim().min(1).max(100).optional() });

/** The OpenAPI description's sentence on the header, the same on every report route. */
export const IDEMPOTENCY_DESCRIPTION =
  'Send an Idempotency-Key header (up to 100 characters, e.g. a UUID made once per submission) and repeat it on ' +
  'every retry: a retry answers the first report’s case (200, created: false) and writes nothing, also when two ' +
  'identical requests arrive at once. Keys are per sender (account, resident session, or an anonymous sender’s ' +
  'address). The same key with a different body is refused: 422 IDEMPOTENCY_KEY_REUSED, nothing written.';

export interface ReportIdempotency {
  /** Whose key it is: `account:<id>`, `resident:<id>`, `anonymous:<address hash>`, `machine:<key id>`. */
  owner: string;
  key: string;
  /** SHA-256 of the request as validated (canonical JSON). */
  requestHash: string;
}

export interface ReportedCase {
  id: string;
  number: string;
  trackingCode: string;
}

/** SHA-256 (hex) of a request body as canonical JSON: key order does not matter, values do. */
export const requestHash = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

/** The owner of a person's keys: their account or resident id, else their keyed address hash. */
export async function reportKeyOwner(db: Db, actor: CaseActor, ip: string | undefined): Promise<string> {
  if (actor?.kind === 'staff') return `account:${actor.id}`;
  if (actor?.kind === 'resident') return `resident:${actor.id}`;
  return `anonymous:${await hashIp(db, ip)}`;
}

/** The idempotency of a request, or undefined when it came without a key. */
export async function reportIdempotency(
  db: Db,
  actor: CaseActor,
  ip: string | undefined,
  key: string | undefined,
  body: unknown,
): Promise<ReportIdempotency | undefined> {
  if (!key) return undefined;
  return { owner: await reportKeyOwner(db, actor, ip), key, requestHash: requestHash(body) };
}

/**
 * The case a key already made, or undefined. The same key with another request is refused
 * (IDEMPOTENCY_KEY_REUSED).
 */
export async function findReported(db: Db | Trx, idem: ReportIdempotency): Promise<ReportedCase | undefined> {
  const row = await db
    .selectFrom('reportRequest')
    .innerJoin('cases', (join) =>
      join.onRef('cases.district', '=', 'reportRequest.district').onRef('cases.id', '=', 'reportRequest.caseId'),
    )
    .select(['reportRequest.requestHash', 'cases.id', 'cases.number', 'cases.trackingCode'])
    .where('reportRequest.owner', '=', idem.owner)
    .where('reportRequest.idempotencyKey', '=', idem.key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.requestHash !== idem.requestHash)
    throw new AppError('IDEMPOTENCY_KEY_REUSED', { fields: [{ path: 'headers.idempotency-key', reason: 'reused' }] });
  return { id: row.id, number: row.number, trackingCode: row.trackingCode };
}

/** Keeps the key beside the case it made, in the report's transaction (a racing twin fails on the key). */
export async function recordReported(
  trx: Trx,
  idem: ReportIdempotency,
  reported: { district: string; id: string },
): Promise<void> {
  await trx
    .insertInto('reportRequest')
    .values({
      owner: idem.owner,
      idempotencyKey: idem.key,
      requestHash: idem.requestHash,
      district: reported.district,
      caseId: reported.id,
    })
    .execute();
}

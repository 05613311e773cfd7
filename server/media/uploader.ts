/**
 * Who uploads a photo, and so who may later attach it to a case or preview it: a staff account, a
 * resident, the system, or an anonymous resident recognised by a keyed hash of their address.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { CaseActor } from '../cases/case.policy.js';
import type { Db } from '../db/database.js';

export type Uploader =
  | { kind: 'staff'; accountId: string; ipHash: string }
  | { kind: 'resident'; residentId: string; ipHash: string }
  | { kind: 'anonymous'; ipHash: string }
  | { kind: 'system' };

/** The installation's secret for address hashes: a bare SHA-256 of an IPv4 address is reversed by trying them all. */
const SALT_KEY = 'media.ipSalt';
const salts = new WeakMap<Db, Promise<string>>();

async function loadSalt(db: Db): Promise<string> {
  // Concurrent first calls (or processes) may both insert; the first row wins and both read it.
  await db
    .insertInto('setting')
    .values({ key: SALT_KEY, value: JSON.stringify(randomBytes(32).toString('hex')) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('setting').select('value').where('key', '=', SALT_KEY).executeTakeFirstOrThrow();
  return String(row.value);
}

/** The keyed hash of a client address (32 hex digits); the address itself is never stored with a photo. */
export async function hashIp(db: Db, ip: string | undefined): Promise<string> {
  let salt = salts.get(db);
  if (!salt) {
    salt = loadSalt(db);
    salts.set(db, salt);
    salt.catch(() => salts.delete(db));
  }
  return createHmac('sha256', await salt)
    .update(ip ?? 'unknown')
    .digest('hex')
    .slice(0, 32);
}

/** The uploader an actor stands for; anyone not signed in (a tracking-code holder too) is anonymous. */
export async function uploaderOf(db: Db, actor: CaseActor, ip: string | undefined): Promise<Uploader> {
  if (actor?.kind === 'system') return { kind: 'system' };
  const ipHash = await hashIp(db, ip);
  if (actor?.kind === 'staff') return { kind: 'staff', accountId: actor.id, ipHash };
  if (actor?.kind === 'resident') return { kind: 'resident', residentId: actor.id, ipHash };
  return { kind: 'anonymous', ipHash };
}

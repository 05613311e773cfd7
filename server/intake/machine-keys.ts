/**
 * Machine keys (设备密钥): one per device group — a district's sensor gateway, a video analytics
 * platform — bound to the unit it may report into. The key is shown once when made; only its
 * SHA-256 is stored, and its first characters find the row.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../accounts/actor.js';
import { writeAudit } from '../audit/audit.writer.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';

/**
 * `sensor`: alarms into a unit's grids; `open311`: Open311 requests into a district (its jurisdiction);
 * `hotline`: the 12345 hotline's system pushing work orders into the unit's subtree (server/hotline).
 */
export const MACHINE_CHANNELS = ['sensor', 'open311', 'hotline'] as const;
export type MachineChannel = (typeof MACHINE_CHANNELS)[number];

/** `glk_` + 32 base64url characters (192 random bits); the first 12 characters are the lookup prefix. */
const PREFIX_LENGTH = 12;

export interface MachineKeyRow {
  id: string;
  district: string;
  name: string;
  channel: MachineChannel;
  unitId: string;
  unitPath: string;
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const COLUMNS = [
  'id',
  'district',
  'name',
  'channel',
  'unitId',
  'unitPath',
  'keyPrefix',
  'createdAt',
  'revokedAt',
  'lastUsedAt',
] as const;

const hashOf = (key: string) => createHash('sha256').update(key).digest();

interface AuditWho {
  actor: Actor | { kind: 'system'; id: null; name: string } | null;
  requestId?: string | undefined;
  ip?: string | undefined;
}

/**
 * Makes a key for a unit; returns the row and the key itself, which is never readable again. An
 * Open311 key is bound to a district: the district is the jurisdiction it reports into.
 */
export async function createMachineKey(
  db: Db,
  who: AuditWho,
  props: {
    name: string;
    channel: MachineChannel;
    unit: { id: string; path: string; district: string; code: string; level: string };
  },
): Promise<{ row: MachineKeyRow; key: string }> {
  if (props.channel === 'open311' && props.unit.level !== 'district') {
    throw new AppError('OPEN311_KEY_UNIT_INVALID', {
      fields: [{ path: 'body.unitId', reason: `a ${props.unit.level}, not a district` }],
    });
  }
  if (props.channel === 'hotline' && props.unit.level === 'city') {
    throw new AppError('HOTLINE_KEY_UNIT_INVALID', {
      fields: [{ path: 'body.unitId', reason: 'a city, not a district' }],
    });
  }
  const key = `glk_${randomBytes(24).toString('base64url')}`;
  const row = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('machineKey')
      .values({
        id: uuidv7(),
        district: props.unit.district,
        name: props.name,
        channel: props.channel,
        unitId: props.unit.id,
        unitPath: props.unit.path,
        keyPrefix: key.slice(0, PREFIX_LENGTH),
        keyHash: hashOf(key).toString('hex'),
        createdBy: who.actor?.kind === 'staff' ? who.actor.id : null,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await writeAudit(
      trx,
      who,
      {
        action: 'machine_key.created',
        data: { name: props.name, channel: props.channel, unit: props.unit.code, prefix: inserted.keyPrefix },
      },
      { type: 'machine_key', id: inserted.id, district: inserted.district },
    );
    return inserted;
  });
  return { row, key };
}

/** Revokes a key (idempotent: a revoked key stays revoked at its first time). */
export async function revokeMachineKey(db: Db, who: AuditWho, row: MachineKeyRow): Promise<MachineKeyRow> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('machineKey')
      .set({ revokedAt: new Date() })
      .where('id', '=', row.id)
      .where('revokedAt', 'is', null)
      .returning(COLUMNS)
      .executeTakeFirst();
    if (!updated) return row;
    await writeAudit(
      trx,
      who,
      { action: 'machine_key.revoked', data: { name: row.name, prefix: row.keyPrefix } },
      { type: 'machine_key', id: row.id, district: row.district },
    );
    return updated;
  });
}

export async function findMachineKey(db: Db, id: string): Promise<MachineKeyRow | undefined> {
  return db.selectFrom('machineKey').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Keys whose unit lies under one of the paths (an administrator's scope), newest first. */
export async function listMachineKeys(db: Db, paths: string[]): Promise<MachineKeyRow[]> {
  if (paths.length === 0) return [];
  return db
    .selectFrom('machineKey')
    .select(COLUMNS)
    .where((eb) => eb.or(paths.map((p) => eb('unitPath', 'like', `${p}%`))))
    .orderBy('createdAt', 'desc')
    .execute();
}

/** The shape of a key: `glk_` and 32 base64url characters. */
export const MACHINE_KEY_PATTERN = /^glk_[A-Za-z0-9_-]{32}$/;

/** The row of a presented key (revoked ones too), or undefined when no key matches. */
export async function findPresentedKey(db: Db, key: string): Promise<MachineKeyRow | undefined> {
  if (!MACHINE_KEY_PATTERN.test(key)) return undefined;
  const row = await db
    .selectFrom('machineKey')
    .select([...COLUMNS, 'keyHash'])
    .where('keyPrefix', '=', key.slice(0, PREFIX_LENGTH))
    .executeTakeFirst();
  const stored = row ? Buffer.from(row.keyHash, 'hex') : Buffer.alloc(32);
  const matches = timingSafeEqual(stored, hashOf(key)) && Boolean(row);
  if (!row || !matches) return undefined;
  const { keyHash: _hash, ...rest } = row;
  return rest;
}

/** The key a machine presents (`Authorization: Bearer glk_…`) for a channel, or a coded 401. */
export async function authenticateMachine(
  db: Db,
  authorization: string | undefined,
  channel: MachineChannel,
): Promise<MachineKeyRow> {
  const key = /^Bearer\s+(glk_[A-Za-z0-9_-]{32})\s*$/.exec(authorization ?? '')?.[1];
  const row = key ? await findPresentedKey(db, key) : undefined;
  // A key of another channel (an Open311 key at the alarm intake) is no key here.
  if (!row || row.channel !== channel) throw new AppError('MACHINE_KEY_INVALID');
  if (row.revokedAt) throw new AppError('MACHINE_KEY_REVOKED');
  return row;
}

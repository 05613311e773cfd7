/**
 * Whose uploads an actor may attach: their own (staff, resident), an anonymous sender's from the
 * same address for a day, anything for the system — and the seed's photo pool, recorded as a staff
 * member's upload without touching the files again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { createTestDatabase } from '../test/harness.js';
import { storePhotoPool } from './demo-photos.js';
import { hasMedia, type SavedImage } from './media.store.js';
import { ANONYMOUS_ATTACH_HOURS, assertPhotosUsable, recentlyUploadedBy, recordUploads } from './photo.repository.js';
import { hashIp, type Uploader } from './uploader.js';

let db: Db;
let mediaDir: string;
let pool: SavedImage[];
const at = new Date('2026-03-02T02:00:00Z');
const hours = (n: number) => new Date(at.getTime() + n * 3_600_000);

/** The PHOTO_UNKNOWN field paths `assertPhotosUsable` answers, or [] when every key is usable. */
async function refused(uploader: Uploader, keys: string[], now = at): Promise<string[]> {
  try {
    await assertPhotosUsable(db, uploader, keys, { path: (i) => `photos.${i}`, now });
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('PHOTO_UNKNOWN');
    return ((err as AppError).fields ?? []).map((f) => f.path);
  }
}

describe('who may attach an upload', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    mediaDir = await mkdtemp(join(tmpdir(), 'gridloop-pool-'));
    pool = await storePhotoPool(mediaDir, 4);
  });
  afterAll(() => rm(mediaDir, { recursive: true, force: true }));

  it('stores the same generated pool every time, whole', async () => {
    const again = await storePhotoPool(mediaDir, 4);
    expect(again.map((p) => p.key)).toEqual(pool.map((p) => p.key));
    expect(new Set(pool.map((p) => p.key)).size).toBe(4);
    for (const p of pool) expect(await hasMedia(mediaDir, p.key)).toBe(true);
  });

  it('lets staff attach their own uploads only, at any later time', async () => {
    const [a, b] = pool as [SavedImage, SavedImage];
    const alice: Uploader = { kind: 'staff', accountId: uuidv7(), ipHash: 'x' };
    const bob: Uploader = { kind: 'staff', accountId: uuidv7(), ipHash: 'x' };
    await recordUploads(db, alice, [a], at);
    await recordUploads(db, bob, [b], at);
    expect(await refused(alice, [a.key], hours(24 * 90))).toEqual([]);
    expect(await refused(alice, [a.key, b.key, 'e'.repeat(64)])).toEqual(['photos.1', 'photos.2']);
    expect(await refused({ kind: 'system' }, [a.key, b.key])).toEqual([]);
  });

  it('lets an anonymous sender (or the resident they sign in as) attach from the same address for a day', async () => {
    const [, , c] = pool as [SavedImage, SavedImage, SavedImage];
    const here = await hashIp(db, '10.0.0.1');
    expect(await hashIp(db, '10.0.0.1')).toBe(here);
    const elsewhere = await hashIp(db, '10.0.0.2');
    expect(elsewhere).not.toBe(here);
    await recordUploads(db, { kind: 'anonymous', ipHash: here }, [c], at);
    expect(await refused({ kind: 'anonymous', ipHash: here }, [c.key], hours(1))).toEqual([]);
    expect(await refused({ kind: 'anonymous', ipHash: elsewhere }, [c.key], hours(1))).toEqual(['photos.0']);
    const resident: Uploader = { kind: 'resident', residentId: uuidv7(), ipHash: here };
    expect(await refused(resident, [c.key], hours(1))).toEqual([]);
    expect(await refused({ kind: 'anonymous', ipHash: here }, [c.key], hours(ANONYMOUS_ATTACH_HOURS + 1))).toEqual([
      'photos.0',
    ]);
  });

  it('keeps the preview of an unattached upload to its uploader for an hour', async () => {
    const [, , , d] = pool as [SavedImage, SavedImage, SavedImage, SavedImage];
    const carol: Uploader = { kind: 'staff', accountId: uuidv7(), ipHash: 'x' };
    await recordUploads(db, carol, [d], at);
    expect(await recentlyUploadedBy(db, carol, d.key, hours(0.5))).toBe(true);
    expect(await recentlyUploadedBy(db, carol, d.key, hours(2))).toBe(false);
    expect(await recentlyUploadedBy(db, { ...carol, accountId: uuidv7() }, d.key, hours(0.5))).toBe(false);
    expect(await recentlyUploadedBy(db, { kind: 'system' }, d.key, hours(0.5))).toBe(false);
  });
});

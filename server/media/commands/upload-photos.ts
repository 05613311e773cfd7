import type { AuditContext } from '../../audit/audit.writer.js';
import { writeAudit } from '../../audit/audit.writer.js';
import type { Db } from '../../db/database.js';
import { type SavedImage, saveBatch, type UploadedFile } from '../media.store.js';
import { recordUploads } from '../photo.repository.js';
import type { Uploader } from '../uploader.js';

export interface UploadContext {
  db: Db;
  /** The photo store's directory (`config.mediaDir`). */
  mediaDir: string;
  uploader: Uploader;
  audit: AuditContext;
  now?: Date | undefined;
}

/**
 * 上传照片: judges every file by its content and stores the batch (all or nothing: the first bad file
 * throws its `MediaError` naming it, and nothing is stored), then records one `photo` row per file
 * and one audit row in a transaction. Files stored before a failed transaction are harmless
 * (content-addressed, unreferenced) and a later save of the same content reuses them.
 */
export async function uploadPhotos(ctx: UploadContext, files: readonly UploadedFile[]): Promise<SavedImage[]> {
  const saved = await saveBatch(ctx.mediaDir, files);
  if (saved.length === 0) return saved;
  const now = ctx.now ?? new Date();
  await ctx.db.transaction().execute(async (trx) => {
    await recordUploads(trx, ctx.uploader, saved, now);
    await writeAudit(
      trx,
      ctx.audit,
      {
        action: 'media.uploaded',
        data: {
          keys: saved.map((s) => s.key),
          bytes: saved.reduce((sum, s) => sum + s.bytes, 0),
          uploader: ctx.uploader.kind,
        },
      },
      { type: 'photo', id: saved[0]?.key ?? '' },
    );
  });
  return saved;
}

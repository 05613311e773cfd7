/**
 * `gridloop backup <dir>` and `gridloop restore <dir> [--force]` (docs/operations.md).
 */
import { resolve } from 'node:path';
import { verifyAudit } from '../audit/audit.chain.js';
import { backupDatabase } from '../backup/backup.js';
import { restoreDatabase } from '../backup/restore.js';
import type { Config } from '../config.js';
import { DataDirInUseError, openDatabase } from '../db/open.js';
import { AppError } from '../http/app-error.js';
import { CliError } from './output.js';

/** A coded failure as the terminal shows it: code, both languages, what was wrong. */
function explain(error: unknown): never {
  if (error instanceof AppError) {
    const fields = error.fields?.map((f) => `  ${f.path}: ${f.reason}`) ?? [];
    const details = error.details ? [`  ${JSON.stringify(error.details)}`] : [];
    throw new CliError([`${error.code}: ${error.message}`, ...fields, ...details].join('\n'), 2);
  }
  if (error instanceof DataDirInUseError) throw new CliError(`${error.message}\n先停止服务 / stop the server first`, 2);
  throw error;
}

export async function backupCommand(config: Config, dir: string | undefined): Promise<void> {
  if (!dir) throw new CliError('用法 usage: gridloop backup <directory>', 2);
  const target = resolve(dir);
  const database = await openDatabase(config, { migrate: false, poolSize: 2, log: (l) => console.error(l) });
  try {
    const manifest = await backupDatabase(database.pool, {
      dir: target,
      mediaDir: config.mediaDir,
      log: (l) => console.error(l),
    }).catch(explain);
    const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    console.log(
      `备份完成 / backup written to ${target}: ${manifest.tables.length} tables, ${rows.toLocaleString('en')} rows, ` +
        `${manifest.media.files.toLocaleString('en')} media files (PostgreSQL ${manifest.server})`,
    );
  } finally {
    await database.close();
  }
}

export async function restoreCommand(config: Config, dir: string | undefined, force: boolean): Promise<void> {
  if (!dir) throw new CliError('用法 usage: gridloop restore <directory> [--force]', 2);
  // Like serve, restore owns the embedded cluster: it refuses while a server runs on it.
  const database = await openDatabase(config, {
    migrate: false,
    serve: true,
    poolSize: 3,
    log: (l) => console.error(l),
  }).catch(explain);
  try {
    const summary = await restoreDatabase(database.db, database.pool, {
      dir: resolve(dir),
      mediaDir: config.mediaDir,
      force,
      log: (l) => console.error(l),
    }).catch(explain);
    console.log(
      `恢复完成 / restored: ${summary.tables} tables, ${summary.rows.toLocaleString('en')} rows, ` +
        `${summary.mediaFiles.toLocaleString('en')} media files` +
        (summary.migratedAfter.length ? `; then migrated: ${summary.migratedAfter.join(', ')}` : ''),
    );
    const audit = await verifyAudit(database.db);
    if (!audit.ok)
      throw new CliError(`审计链被破坏 / audit chain BROKEN in the restored copy: ${JSON.stringify(audit.problem)}`, 3);
    console.log(`审计链完整 / audit chain intact: ${audit.sealed} sealed row(s), ${audit.unsealed} not yet sealed`);
  } finally {
    await database.close();
  }
}

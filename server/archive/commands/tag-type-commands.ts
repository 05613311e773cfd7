/**
 * Tag types (administrator-defined, besides the built-in ones) and their grants to departments:
 * a grant lets a department's handlers see the people and households carrying such a tag.
 */
import { v7 as uuidv7 } from 'uuid';
import type { TagSubject } from '../../../common/archive.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { AppError } from '../../http/app-error.js';
import { type ArchiveContext, actingAccount, pgCode } from './archive-context.js';

export interface CreateTagTypeProps {
  code: string;
  nameZh: string;
  nameEn: string;
  appliesTo: TagSubject;
  graded: boolean;
}

export async function createTagType(ctx: ArchiveContext, props: CreateTagTypeProps): Promise<string> {
  const id = uuidv7();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('tagType')
        .values({ id, ...props })
        .execute();
      await writeAudit(trx, ctx.who, {
        action: 'archive.configured',
        data: { kind: 'tag_type', code: props.code, change: 'created', department: null },
      });
    });
  } catch (error) {
    if (pgCode(error) === '23505')
      throw new AppError('ARCHIVE_TAG_TYPE_DUPLICATE', { fields: [{ path: 'body.code', reason: 'taken' }] });
    throw error;
  }
  return id;
}

export async function updateTagType(
  ctx: ArchiveContext,
  type: { id: string; code: string },
  changes: { nameZh?: string | undefined; nameEn?: string | undefined; disabled?: boolean | undefined },
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('tagType')
      .set({ ...changes, updatedAt: ctx.now ?? new Date() })
      .where('id', '=', type.id)
      .execute();
    await writeAudit(trx, ctx.who, {
      action: 'archive.configured',
      data: { kind: 'tag_type', code: type.code, change: 'updated', department: null },
    });
  });
}

/** Grants (or revokes) one department the sight of records carrying tags of one type. */
export async function setTagGrant(
  ctx: ArchiveContext,
  type: { id: string; code: string },
  department: { id: string; code: string },
  granted: boolean,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (granted)
      await trx
        .insertInto('tagGrant')
        .values({ tagTypeId: type.id, departmentId: department.id, grantedBy: actingAccount(ctx) })
        .onConflict((oc) => oc.columns(['tagTypeId', 'departmentId']).doNothing())
        .execute();
    else
      await trx
        .deleteFrom('tagGrant')
        .where('tagTypeId', '=', type.id)
        .where('departmentId', '=', department.id)
        .execute();
    await writeAudit(trx, ctx.who, {
      action: 'archive.configured',
      data: {
        kind: 'tag_grant',
        code: type.code,
        change: granted ? 'granted' : 'revoked',
        department: department.code,
      },
    });
  });
}

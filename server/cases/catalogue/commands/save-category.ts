/**
 * Creating, changing, disabling and enabling a category. A code is fixed at creation (cases, rules
 * and statistics refer to it); a minor shares its major's kind. Disabling takes a category out of new
 * reports only: cases already under it keep it.
 */
import { v7 as uuidv7 } from 'uuid';
import { CATEGORY_CODE_PATTERN, type CategoryKind, isMajorCode } from '../../../../common/catalogue.js';
import { type AuditContext, writeAudit } from '../../../audit/audit.writer.js';
import type { Trx } from '../../../db/database.js';
import { AppError } from '../../../http/app-error.js';
import { type CategoryRow, countOpenCases, findCategoryByCode } from '../catalogue.repository.js';
import type { CreateCategoryRequest, UpdateCategoryRequest } from '../catalogue.schema.js';

/** JSON with object keys sorted, so two equal values print alike whatever their key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

const uniqueWords = (words: readonly string[]) => [...new Set(words.map((w) => w.trim()).filter(Boolean))];

/** The columns an edit may set, from the request's shape. */
function columns(props: Omit<UpdateCategoryRequest, 'code'>) {
  return Object.fromEntries(
    Object.entries({
      nameZh: props.name?.zh,
      nameEn: props.name?.en,
      departmentKind: props.departmentKind,
      selfRegister: props.selfRegister,
      selfHandle: props.selfHandle,
      duplicateRadiusM: props.duplicateRadiusM,
      duplicateWindowDays: props.duplicateWindowDays,
      serviceNoticeZh: props.serviceNotice === undefined ? undefined : (props.serviceNotice?.zh ?? null),
      serviceNoticeEn: props.serviceNotice === undefined ? undefined : (props.serviceNotice?.en ?? null),
      keywords: props.keywords ? uniqueWords(props.keywords) : undefined,
      questions: props.questions ? JSON.stringify([...props.questions].sort((a, b) => a.order - b.order)) : undefined,
    }).filter(([, v]) => v !== undefined),
  );
}

export async function createCategory(trx: Trx, audit: AuditContext, props: CreateCategoryRequest): Promise<string> {
  const code = props.code;
  if (!CATEGORY_CODE_PATTERN.test(code)) {
    throw new AppError('CATEGORY_CODE_INVALID', {
      fields: [{ path: 'body.code', reason: 'two-digit major (01–99) + two-digit minor' }],
    });
  }
  const majorCode = code.slice(0, 2);
  let kind: CategoryKind;
  if (isMajorCode(code)) {
    if (!props.kind)
      throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body.kind', reason: 'required for a major' }] });
    kind = props.kind;
  } else {
    const major = await findCategoryByCode(trx, `${majorCode}00`);
    if (!major || (props.kind && props.kind !== major.kind)) {
      throw new AppError('CATEGORY_MAJOR_INVALID', {
        fields: [
          major
            ? { path: 'body.kind', reason: `the major ${major.code} is a ${major.kind}` }
            : { path: 'body.code', reason: `no major ${majorCode}00` },
        ],
      });
    }
    kind = major.kind;
  }
  const id = uuidv7();
  const now = new Date();
  // Race-safe: of two creations of one code, the second finds the first here.
  const inserted = await trx
    .insertInto('category')
    .values({
      id,
      code,
      majorCode,
      kind,
      nameZh: props.name.zh,
      nameEn: props.name.en,
      departmentKind: null,
      ...columns(props),
      createdAt: now,
      updatedAt: now,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new AppError('CATEGORY_CODE_DUPLICATE', { fields: [{ path: 'body.code', reason: 'taken' }] });
  await writeAudit(
    trx,
    audit,
    { action: 'category.created', data: { code, name: props.name.zh, kind } },
    { type: 'category', id },
  );
  return id;
}

export async function updateCategory(
  trx: Trx,
  audit: AuditContext,
  category: CategoryRow,
  props: UpdateCategoryRequest,
): Promise<void> {
  if (props.code !== undefined && props.code !== category.code) {
    throw new AppError('CATEGORY_CODE_IMMUTABLE', {
      fields: [{ path: 'body.code', reason: `stays ${category.code}` }],
    });
  }
  const wanted = columns(props);
  const before = category as unknown as Record<string, unknown>;
  // Only what really changes is written and audited (questions compared by content: jsonb reorders keys).
  const changes = Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) =>
      key === 'questions'
        ? canonical(before[key]) !== canonical(JSON.parse(String(value)))
        : JSON.stringify(before[key] ?? null) !== JSON.stringify(value),
    ),
  );
  if (Object.keys(changes).length === 0) return;
  await trx
    .updateTable('category')
    .set({ ...changes, updatedAt: new Date() })
    .where('id', '=', category.id)
    .execute();
  await writeAudit(
    trx,
    audit,
    { action: 'category.updated', data: { code: category.code, changes: Object.keys(changes) } },
    { type: 'category', id: category.id },
  );
}

/** Disables or enables; returns the open cases under the category (they keep it either way). */
export async function setCategoryDisabled(
  trx: Trx,
  audit: AuditContext,
  category: CategoryRow,
  disabled: boolean,
): Promise<number> {
  const openCases = await countOpenCases(trx, category.id);
  if (category.disabled === disabled) return openCases;
  await trx.updateTable('category').set({ disabled, updatedAt: new Date() }).where('id', '=', category.id).execute();
  await writeAudit(
    trx,
    audit,
    { action: disabled ? 'category.disabled' : 'category.enabled', data: { code: category.code, openCases } },
    { type: 'category', id: category.id },
  );
  return openCases;
}

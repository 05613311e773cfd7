/**
 * Installs the built-in catalogue and its time limits: upsert by code, a few statements in all (the
 * demo seeds it on every fresh database). Re-running restores the built-in names, flags and limits;
 * an administrator's `disabled` choice and categories of their own are kept, and nothing is deleted —
 * cases may point at any category.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Trx } from '../../db/database.js';
import { BUILTIN_CATEGORIES, builtinLimitRows } from './builtin-catalogue.js';

export interface SeedCatalogueResult {
  inserted: number;
  updated: number;
  limits: number;
}

/** The conflict target of `time_limit_unique_idx` (category-less rows are the defaults). */
const LIMIT_KEY = sql`(coalesce(category_id, '00000000-0000-0000-0000-000000000000'::uuid)), urgency, stage`;

export async function seedCatalogue(trx: Trx, audit: AuditContext): Promise<SeedCatalogueResult> {
  const now = new Date();
  const saved = await trx
    .insertInto('category')
    .values(
      BUILTIN_CATEGORIES.map(({ handle: _handle, ...c }) => ({ id: uuidv7(), ...c, createdAt: now, updatedAt: now })),
    )
    .onConflict((oc) =>
      oc
        .column('code')
        .doUpdateSet((eb) => ({
          majorCode: eb.ref('excluded.majorCode'),
          kind: eb.ref('excluded.kind'),
          nameZh: eb.ref('excluded.nameZh'),
          nameEn: eb.ref('excluded.nameEn'),
          departmentKind: eb.ref('excluded.departmentKind'),
          selfRegister: eb.ref('excluded.selfRegister'),
          selfHandle: eb.ref('excluded.selfHandle'),
          duplicateRadiusM: eb.ref('excluded.duplicateRadiusM'),
          duplicateWindowDays: eb.ref('excluded.duplicateWindowDays'),
          serviceNoticeZh: eb.ref('excluded.serviceNoticeZh'),
          serviceNoticeEn: eb.ref('excluded.serviceNoticeEn'),
          keywords: eb.ref('excluded.keywords'),
          updatedAt: now,
        }))
        // Rows already as built in stay untouched (no new updated_at, not counted).
        .where(
          sql<boolean>`(category.major_code, category.kind, category.name_zh, category.name_en, category.department_kind,
            category.self_register, category.self_handle, category.duplicate_radius_m, category.duplicate_window_days,
            category.service_notice_zh, category.service_notice_en, category.keywords)
            is distinct from
            (excluded.major_code, excluded.kind, excluded.name_zh, excluded.name_en, excluded.department_kind,
            excluded.self_register, excluded.self_handle, excluded.duplicate_radius_m, excluded.duplicate_window_days,
            excluded.service_notice_zh, excluded.service_notice_en, excluded.keywords)`,
        ),
    )
    .returning(['code', sql<boolean>`xmax = 0`.as('inserted')])
    .execute();
  const inserted = saved.filter((row) => row.inserted).length;

  const ids = new Map(
    (
      await trx
        .selectFrom('category')
        .select(['id', 'code'])
        .where(
          'code',
          'in',
          BUILTIN_CATEGORIES.map((c) => c.code),
        )
        .execute()
    ).map((row) => [row.code, row.id]),
  );
  const limitRows = builtinLimitRows().map((r) => ({
    id: uuidv7(),
    categoryId: r.categoryCode === null ? null : (ids.get(r.categoryCode) ?? null),
    urgency: r.urgency,
    stage: r.stage,
    amount: r.amount,
    unit: r.unit,
  }));
  const limits = await trx
    .insertInto('timeLimit')
    .values(limitRows)
    .onConflict((oc) =>
      oc
        .expression(LIMIT_KEY)
        .doUpdateSet((eb) => ({ amount: eb.ref('excluded.amount'), unit: eb.ref('excluded.unit') }))
        .where(sql<boolean>`(time_limit.amount, time_limit.unit) is distinct from (excluded.amount, excluded.unit)`),
    )
    .returning('id')
    .execute();

  const result = { inserted, updated: saved.length - inserted, limits: limits.length };
  await writeAudit(trx, audit, { action: 'catalogue.seeded', data: result });
  return result;
}

/**
 * Many cases at once, straight into the table (one INSERT … SELECT over generate_series), for the
 * export tests and the export benchmark: the export reads rows, so how they came about does not
 * matter there, only that they are many, in one unit, a minute apart, with contacts to mask.
 * Tracking codes start with U, a letter Crockford base32 never uses, so they cannot meet real ones.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface BulkCases {
  count: number;
  unit: { id: string; path: string; district: string };
  categoryId: string;
  /** The newest case's time; each next one a minute earlier. */
  newest: Date;
  /** Distinguishes the numbers and codes of several batches in one district (0–9). */
  batch?: number;
  departmentId?: string | null;
}

/** Inserts `count` cases: states cycle reported / registered / closed; callers with names and phones. */
export async function insertBulkCases(db: Db, options: BulkCases): Promise<void> {
  const { count, unit, categoryId, newest } = options;
  const batch = options.batch ?? 0;
  await sql`
    insert into cases (district, id, number, tracking_code, state, channel, category_id, urgency, title,
      description, address, lng, lat, unit_id, unit_path, reporter_kind, reporter_name, reporter_phone,
      department_id, closed_at, close_reason, created_at, updated_at)
    select ${unit.district}, gen_random_uuid(),
      ${unit.district} || '-' || to_char(at at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad((${batch}::int * 10000 + i % 10000)::text, 5, '0'),
      'U' || ${batch}::int || lpad(i::text, 8, '0'),
      (array['reported', 'registered', 'closed'])[1 + i % 3], 'hotline', ${categoryId}, 'normal',
      '批量案件 ' || i, '批量生成的案件，第 ' || i || ' 件：路面破损，需要修补', '测试路 ' || i || ' 号',
      121.4 + (i % 100) * 0.0001, 31.2 + (i % 100) * 0.0001, ${unit.id}, ${unit.path}, 'caller',
      '张' || (array['伟', '芳', '娜', '敏'])[1 + i % 4], '139' || lpad(i::text, 8, '0'),
      ${options.departmentId ?? null}::uuid,
      case when i % 3 = 2 then at + interval '1 hour' end, case when i % 3 = 2 then 'solved' end,
      at, at
    from generate_series(1, ${count}::int) as i,
      lateral (select ${newest}::timestamptz - (i - 1) * interval '1 minute' as at) t`.execute(db);
}

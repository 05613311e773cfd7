/**
 * Replaces the time limits of one category, or the installation defaults (category null). A new
 * case is timed by them from its next stage on; running clocks keep the due time they were given.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { TIME_LIMIT_MAX } from '../../../../common/catalogue.js';
import { type AuditContext, writeAudit } from '../../../audit/audit.writer.js';
import type { Trx } from '../../../db/database.js';
import { AppError, type FieldProblem } from '../../../http/app-error.js';
import type { TimeLimitInput } from '../catalogue.schema.js';

export interface SetTimeLimitsProps {
  /** null: the defaults. */
  category: { id: string; code: string } | null;
  limits: readonly TimeLimitInput[];
}

export async function setTimeLimits(trx: Trx, audit: AuditContext, props: SetTimeLimitsProps): Promise<void> {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  props.limits.forEach((l, i) => {
    const key = `${l.urgency}/${l.stage}`;
    if (seen.has(key)) problems.push({ path: `body.limits.${i}`, reason: `${key} given twice` });
    seen.add(key);
    if (l.amount > TIME_LIMIT_MAX[l.unit])
      problems.push({ path: `body.limits.${i}.amount`, reason: `at most ${TIME_LIMIT_MAX[l.unit]} ${l.unit}` });
  });
  if (problems.length) throw new AppError('TIME_LIMIT_INVALID', { fields: problems });

  const categoryId = props.category?.id ?? null;
  // Two replacements of one set queue here instead of colliding on the unique index.
  await sql`select pg_advisory_xact_lock(hashtext(${`time_limit:${categoryId ?? 'default'}`}))`.execute(trx);
  await trx
    .deleteFrom('timeLimit')
    .where((eb) => (categoryId ? eb('categoryId', '=', categoryId) : eb('categoryId', 'is', null)))
    .execute();
  if (props.limits.length) {
    await trx
      .insertInto('timeLimit')
      .values(props.limits.map((l) => ({ id: uuidv7(), categoryId, ...l })))
      .execute();
  }
  await writeAudit(
    trx,
    audit,
    {
      action: 'time_limits.set',
      data: {
        category: props.category?.code ?? null,
        limits: props.limits.map((l) => `${l.urgency}/${l.stage}: ${l.amount} ${l.unit}`),
      },
    },
    props.category ? { type: 'category', id: props.category.id } : undefined,
  );
}

/**
 * Automatic supervision orders (督办) on many cases at once: the deadline sweep's order on every case
 * that just turned red, in the same statement that lights it and the same transaction. It is the step
 * `transitionCase` takes for one case — the workflow table's `supervise` row, taken by the system: its
 * from-states, its counters, a new version, one case event, one audit row, the notices and a live
 * NOTIFY — in a few statements for the whole batch (one by one, a thousand orders took about 25 s).
 * Only a row that keeps the state and the clock and asks for nothing but a reason can be taken this
 * way: the module refuses to load if the table ever says otherwise, so the two paths cannot drift apart.
 */
import { sql } from 'kysely';
import { transitionOf } from '../../../common/workflow.js';
import { writeAudits } from '../../audit/audit.writer.js';
import type { Trx } from '../../db/database.js';
import { type NoticeCase, notifyCases } from '../../notifications/case-notices.js';
import { caseActorSnapshot, type SystemActor } from '../case.policy.js';

const SUPERVISE = transitionOf('supervise');
if (
  SUPERVISE.to !== 'same' ||
  Object.keys(SUPERVISE.clock).length > 0 ||
  !SUPERVISE.actors.includes('system') ||
  Object.keys(SUPERVISE.requires).some((key) => key !== 'reason')
)
  throw new Error('the workflow row of supervise changed: the sweep must order supervision through transitionCase');

/** True for a case whose state the step may be taken from (SQL over a `cases` row). */
export const supervisable = sql<boolean>`(state = any(${SUPERVISE.from}::text[]))`;

/**
 * The step's changes to the case, for the SET list of the UPDATE that selects the cases: its counters
 * and a new version, on the rows that are `supervisable` (the others are left as they are).
 */
export function supervisionChanges(now: Date) {
  const bump = sql.join(SUPERVISE.counts.map((c) => sql`${c}::text, coalesce((counters ->> ${c})::int, 0) + 1`));
  return sql`
    counters = case when ${supervisable} then counters || jsonb_build_object(${bump}) else counters end,
    version = case when ${supervisable} then version + 1 else version end,
    updated_at = case when ${supervisable} then ${now}::timestamptz else updated_at end`;
}

export interface SupervisionProps {
  /** The cases after `supervisionChanges`, still locked by the caller's transaction. */
  cases: NoticeCase[];
  actor: SystemActor;
  reason: string;
  now: Date;
}

/** The rest of the step on cases changed by `supervisionChanges`: events, audit rows, notices, NOTIFY. */
export async function recordSupervision(trx: Trx, props: SupervisionProps): Promise<number> {
  if (props.cases.length === 0) return 0;
  const minLength = SUPERVISE.requires.reason?.minLength ?? 0;
  if (props.reason.trim().length < minLength)
    throw new Error(`a supervision order needs a reason of ${minLength}+ characters`);
  const { rows } = await sql<{ district: string; caseId: string; seq: number }>`
    insert into case_event (district, case_id, seq, action, from_state, to_state, actor, actor_relation, reason, data,
      public, created_at)
    select k.district, k.id,
      coalesce((select max(e.seq) from case_event e where e.district = k.district and e.case_id = k.id), 0) + 1,
      ${SUPERVISE.action}, k.state, k.state, ${JSON.stringify(caseActorSnapshot(props.actor))}::jsonb, 'system',
      ${props.reason.trim()}, '{}'::jsonb, ${SUPERVISE.public}, ${props.now}
    from unnest(${props.cases.map((c) => c.district)}::char(6)[], ${props.cases.map((c) => c.id)}::uuid[],
      ${props.cases.map((c) => c.state)}::text[]) as k(district, id, state)
    returning district, case_id, seq`.execute(trx);
  const seqs = new Map(rows.map((r) => [`${r.district}:${r.caseId}`, r.seq]));
  const ordered = props.cases.map((c) => ({ case: c, seq: seqs.get(`${c.district}:${c.id}`) ?? 0 }));
  await writeAudits(
    trx,
    { actor: props.actor },
    ordered.map(({ case: c }) => ({
      event: {
        action: 'case.transitioned' as const,
        data: { number: c.number, action: SUPERVISE.action, from: c.state, to: c.state },
      },
      subject: { type: 'case', id: c.id, district: c.district },
    })),
  );
  await notifyCases(
    trx,
    ordered.map(({ case: c, seq }) => ({ kind: SUPERVISE.action, case: c, seq, reason: props.reason, at: props.now })),
  );
  const payloads = ordered.map(({ case: c, seq }) => JSON.stringify({ caseId: c.id, district: c.district, seq }));
  await sql`select pg_notify('case_events', p) from unnest(${payloads}::text[]) p`.execute(trx);
  return rows.length;
}

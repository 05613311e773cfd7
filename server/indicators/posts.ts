/**
 * Indicators by post (岗位考核): each grid worker, dispatcher or department handler working in a unit,
 * with what they did in the period — counted from the case event log by the event's actor (the
 * daily rollup has no person in its key). Formulas are data (POST_FIGURES, POST_RATES below) and
 * published with the other definitions.
 *
 * A step counts for a post when its actor held the post's role when taking it (the event keeps the
 * actor's grants): a grid worker registering their own report is not counted as a dispatcher.
 * Who is listed: every account holding the post's role on the unit or below it (for handlers, on a
 * department working there), also with nothing done; plus anyone else holding the role whose steps
 * fell on cases of the unit in the period.
 */
import { sql } from 'kysely';
import type { Role } from '../../common/roles.js';
import type { Db } from '../db/database.js';
import { escapeLike } from '../policies/scope.js';
import { round } from './definitions.js';
import { type DayRange, dayStart } from './period.js';
import type { Slice } from './query.js';

export const POSTS = ['grid_worker', 'dispatcher', 'handler'] as const satisfies readonly Role[];
export type Post = (typeof POSTS)[number];

interface FigureDefinition {
  code: string;
  zh: string;
  en: string;
  definition: string;
}

/** What each post is counted by: steps they took on cases of the unit in the period. */
export const POST_FIGURES: Record<Post, readonly FigureDefinition[]> = {
  grid_worker: [
    { code: 'reports', zh: '上报数', en: 'Reports', definition: 'Cases they reported (report steps).' },
    {
      code: 'validReports',
      zh: '有效上报数',
      en: 'Valid reports',
      definition:
        'Of their reports, the cases since registered or handled on the spot (not rejected, not merged away).',
    },
    { code: 'selfHandled', zh: '自行处置数', en: 'Handled on the spot', definition: 'Cases they handled on the spot.' },
    {
      code: 'verifications',
      zh: '核查数',
      en: 'Verifications',
      definition: 'Verifications they made, passed or failed.',
    },
    {
      code: 'verificationsOnTime',
      zh: '按时核查数',
      en: 'Verifications on time',
      definition: 'Of their verifications, those made within the verification stage’s time limit.',
    },
  ],
  dispatcher: [
    { code: 'registered', zh: '立案数', en: 'Registered', definition: 'Cases they registered.' },
    {
      code: 'registeredOnTime',
      zh: '按时立案数',
      en: 'Registered on time',
      definition: 'Of those, registered within the registration stage’s time limit.',
    },
    { code: 'rejected', zh: '不予立案数', en: 'Rejected', definition: 'Reports they rejected.' },
    { code: 'dispatched', zh: '派遣数', en: 'Dispatched', definition: 'Dispatches and reassignments they made.' },
    { code: 'closed', zh: '结案数', en: 'Closed', definition: 'Cases they closed (closing steps).' },
  ],
  handler: [
    {
      code: 'acknowledged',
      zh: '签收数',
      en: 'Acknowledged',
      definition: 'Cases they acknowledged for their department.',
    },
    { code: 'returned', zh: '退单数', en: 'Returned', definition: 'Cases they returned to the dispatcher.' },
    { code: 'handled', zh: '处置数', en: 'Handled', definition: 'Handling reports they submitted.' },
    {
      code: 'handledOnTime',
      zh: '按期处置数',
      en: 'Handled on time',
      definition: 'Of those, submitted within the handling stage’s time limit.',
    },
  ],
};

interface RateDefinition extends FigureDefinition {
  numerator: string;
  denominator: string;
}

export const POST_RATES: Record<Post, readonly RateDefinition[]> = {
  grid_worker: [
    {
      code: 'validReportRate',
      zh: '有效上报率',
      en: 'Valid report rate',
      numerator: 'validReports',
      denominator: 'reports',
      definition: 'validReports / reports',
    },
    {
      code: 'onTimeVerificationRate',
      zh: '按时核查率',
      en: 'On-time verification rate',
      numerator: 'verificationsOnTime',
      denominator: 'verifications',
      definition: 'verificationsOnTime / verifications',
    },
  ],
  dispatcher: [
    {
      code: 'onTimeRegistrationRate',
      zh: '按时立案率',
      en: 'On-time registration rate',
      numerator: 'registeredOnTime',
      denominator: 'registered',
      definition: 'registeredOnTime / registered',
    },
  ],
  handler: [
    {
      code: 'onTimeHandlingRate',
      zh: '按期处置率',
      en: 'On-time handling rate',
      numerator: 'handledOnTime',
      denominator: 'handled',
      definition: 'handledOnTime / handled',
    },
  ],
};

/** Every post's figures and rates, for the definitions route. */
export function postDefinitions(): Record<Post, { figures: FigureDefinition[]; rates: RateDefinition[] }> {
  const all = {} as Record<Post, { figures: FigureDefinition[]; rates: RateDefinition[] }>;
  for (const p of POSTS)
    all[p] = { figures: POST_FIGURES[p].map((f) => ({ ...f })), rates: POST_RATES[p].map((r) => ({ ...r })) };
  return all;
}

/** The steps each post's figures are counted from. */
const ACTIONS: Record<Post, readonly string[]> = {
  grid_worker: ['report', 'self_handle', 'verify_pass', 'verify_fail'],
  dispatcher: ['register', 'self_register', 'reject', 'dispatch', 'reassign', 'close'],
  handler: ['acknowledge', 'return', 'submit_handling'],
};

export interface PostItem {
  account: { id: string; name: string };
  /** Where they hold the post (unit or department names), as granted. */
  where: string[];
  figures: Record<string, number>;
  rates: Record<string, number | null>;
}

interface Row {
  account: string;
  action: string;
  n: number;
  timely: number;
  valid: number;
}

function figuresOf(post: Post, rows: readonly Row[]): Record<string, number> {
  const sum = (actions: string[], field: 'n' | 'timely' | 'valid' = 'n') =>
    rows.filter((r) => actions.includes(r.action)).reduce((s, r) => s + Number(r[field]), 0);
  switch (post) {
    case 'grid_worker':
      return {
        reports: sum(['report']),
        validReports: sum(['report'], 'valid'),
        selfHandled: sum(['self_handle']),
        verifications: sum(['verify_pass', 'verify_fail']),
        verificationsOnTime: sum(['verify_pass', 'verify_fail'], 'timely'),
      };
    case 'dispatcher':
      return {
        registered: sum(['register', 'self_register']),
        registeredOnTime: sum(['register', 'self_register'], 'timely'),
        rejected: sum(['reject']),
        dispatched: sum(['dispatch', 'reassign']),
        closed: sum(['close']),
      };
    case 'handler':
      return {
        acknowledged: sum(['acknowledge']),
        returned: sum(['return']),
        handled: sum(['submit_handling']),
        handledOnTime: sum(['submit_handling'], 'timely'),
      };
  }
}

export async function postIndicators(db: Db, slice: Slice, period: DayRange, post: Post): Promise<PostItem[]> {
  const path = `${escapeLike(slice.unit.path)}%`;
  const actions = ACTIONS[post];
  const { rows } = await sql<Row>`
    select e.actor ->> 'id' as account, e.action, count(*)::int as n,
      count(*) filter (where (e.data #>> '{stopped,onTime}')::boolean is true)::int as timely,
      count(*) filter (where e.action = 'report' and exists (
        select 1 from case_event r
        where r.district = e.district and r.case_id = e.case_id
          and r.action in ('register', 'self_register', 'self_handle')))::int as valid
    from case_event e
    join cases c on c.district = e.district and c.id = e.case_id
    where e.district in (${sql.join(slice.districts)})
      and e.action in (${sql.join([...actions])})
      and e.created_at >= ${dayStart(period.from)} and e.created_at < ${dayStart(period.to + 1)}
      and e.actor ->> 'kind' = 'staff'
      and e.actor -> 'grants' @> ${JSON.stringify([{ role: post }])}::jsonb
      and c.unit_path like ${path}
      ${slice.category ? sql`and c.category_id in (${sql.join(slice.category.ids)})` : sql``}
      ${slice.department ? sql`and c.department_id = ${slice.department.id}` : sql``}
    group by 1, 2`.execute(db);

  // Those holding the post here, also with nothing done.
  const grants = await db
    .selectFrom('accountGrant')
    .innerJoin('account', 'account.id', 'accountGrant.accountId')
    .innerJoin('unit', 'unit.id', 'accountGrant.unitId')
    .leftJoin('department', 'department.id', 'accountGrant.departmentId')
    .select(['account.id', 'account.displayName', 'unit.name as unitName', 'department.name as departmentName'])
    .where('accountGrant.role', '=', post)
    .where('accountGrant.unitPath', 'like', path)
    .where('account.disabled', '=', false)
    .execute();
  const people = new Map<string, { name: string; where: Set<string> }>();
  for (const g of grants) {
    const person = people.get(g.id) ?? { name: g.displayName, where: new Set<string>() };
    person.where.add(g.departmentName ?? g.unitName);
    people.set(g.id, person);
  }
  const others = [...new Set(rows.map((r) => r.account))].filter((id) => id && !people.has(id));
  if (others.length) {
    const accounts = await db.selectFrom('account').select(['id', 'displayName']).where('id', 'in', others).execute();
    for (const a of accounts) people.set(a.id, { name: a.displayName, where: new Set() });
  }

  const rates = POST_RATES[post];
  return [...people]
    .map(([id, person]): PostItem => {
      const figures = figuresOf(
        post,
        rows.filter((r) => r.account === id),
      );
      return {
        account: { id, name: person.name },
        where: [...person.where].sort(),
        figures,
        rates: Object.fromEntries(
          rates.map((r) => {
            const d = figures[r.denominator] ?? 0;
            return [r.code, d > 0 ? round((figures[r.numerator] ?? 0) / d, 4) : null];
          }),
        ),
      };
    })
    .sort((a, b) => {
      const first = POST_FIGURES[post][0]?.code ?? '';
      return (b.figures[first] ?? 0) - (a.figures[first] ?? 0) || a.account.name.localeCompare(b.account.name, 'zh-CN');
    });
}

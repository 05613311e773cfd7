/**
 * The dispatch centre's overview of open cases in scope: the board of lights (how many are green,
 * yellow, red or paused, per stage and per department) and the case map (points with their light,
 * for clustering on the client). The light is worked out in SQL exactly as the presenter does it:
 * paused when the clock is stopped, red once overdue or past due, yellow once warned, else green.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { CaseState, Stage } from '../../common/cases.js';
import type { Actor } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { caseScope } from './case.repository.js';
import { OPEN_STATES } from './duplicates.js';

export const LIGHTS = ['green', 'yellow', 'red', 'paused', 'none'] as const;
export type Light = (typeof LIGHTS)[number];

/** The running stage's light in SQL (over `cases`), as the presenter works it out. */
export const lightSql = (now: Date) => sql<Light>`case
  when cases.stage is null then 'none'
  when cases.paused_at is not null then 'paused'
  when cases.overdue_at is not null or cases.due_at < ${now} then 'red'
  when cases.warned_at is not null then 'yellow'
  else 'green' end`;

type LightCounts = Record<Light, number>;
const noLights = (): LightCounts => ({ green: 0, yellow: 0, red: 0, paused: 0, none: 0 });

export interface Board {
  total: LightCounts;
  byStage: { stage: Stage | null; lights: LightCounts }[];
  byDepartment: { departmentId: string | null; name: string | null; lights: LightCounts }[];
}

export async function caseBoard(db: Db, actor: Actor, now = new Date()): Promise<Board> {
  const light = lightSql(now);
  const open = db
    .selectFrom('cases')
    .leftJoin('department', 'department.id', 'cases.departmentId')
    .select(['cases.stage', 'cases.departmentId', 'department.name as departmentName', light.as('light')])
    .where(caseScope(actor))
    .where('cases.state', 'in', OPEN_STATES);
  // Grouped outside: the light's expression carries the time as a parameter, which GROUP BY cannot repeat.
  const rows = await db
    .selectFrom(open.as('c'))
    .select(['c.stage', 'c.departmentId', 'c.departmentName', 'c.light', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['c.stage', 'c.departmentId', 'c.departmentName', 'c.light'])
    .execute();
  const total = noLights();
  const stages = new Map<Stage | null, LightCounts>();
  const departments = new Map<string | null, { name: string | null; lights: LightCounts }>();
  for (const row of rows) {
    const n = Number(row.n);
    total[row.light] += n;
    const stage = stages.get(row.stage) ?? noLights();
    stage[row.light] += n;
    stages.set(row.stage, stage);
    const department = departments.get(row.departmentId) ?? { name: row.departmentName, lights: noLights() };
    department.lights[row.light] += n;
    departments.set(row.departmentId, department);
  }
  const urgency = (l: LightCounts) => l.red * 1_000_000 + l.yellow * 1_000 + l.green;
  return {
    total,
    byStage: (['register', 'dispatch', 'handle', 'verify', null] as const)
      .filter((s) => stages.has(s))
      .map((stage) => ({ stage, lights: stages.get(stage) ?? noLights() })),
    byDepartment: [...departments.entries()]
      .map(([departmentId, d]) => ({ departmentId, name: d.name, lights: d.lights }))
      .sort((a, b) => urgency(b.lights) - urgency(a.lights)),
  };
}

export interface MapQuery {
  bbox?: [number, number, number, number] | undefined;
  states?: CaseState[] | undefined;
  lights?: Light[] | undefined;
  /** Reported at or after / before these instants (the heat map's period). */
  since?: Date | undefined;
  until?: Date | undefined;
  limit: number;
}

export interface CasePoint {
  id: string;
  number: string;
  state: CaseState;
  light: Light;
  categoryCode: string;
  lng: number;
  lat: number;
}

/** Points of cases in scope (open ones unless states are given), most urgent first, at most `limit`. */
export async function casePoints(
  db: Db,
  actor: Actor,
  query: MapQuery,
  now = new Date(),
): Promise<{ points: CasePoint[]; truncated: boolean }> {
  const light = lightSql(now);
  const inBox = (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
    if (!query.bbox) return sql<SqlBool>`true`;
    const [w, s, e, n] = query.bbox;
    return eb.and([
      eb('cases.lng', '>=', w),
      eb('cases.lng', '<=', e),
      eb('cases.lat', '>=', s),
      eb('cases.lat', '<=', n),
    ]);
  };
  let select = db
    .selectFrom('cases')
    .innerJoin('category', 'category.id', 'cases.categoryId')
    .select([
      'cases.id',
      'cases.number',
      'cases.state',
      'category.code as categoryCode',
      'cases.lng',
      'cases.lat',
      light.as('light'),
    ])
    .where(caseScope(actor))
    .where('cases.state', 'in', query.states?.length ? query.states : OPEN_STATES)
    .where('cases.lng', 'is not', null)
    .where('cases.lat', 'is not', null)
    .where(inBox)
    .orderBy(sql`case ${light} when 'red' then 0 when 'yellow' then 1 else 2 end`)
    .orderBy('cases.createdAt', 'desc')
    .limit(query.limit + 1);
  if (query.lights?.length) select = select.where(light, 'in', query.lights);
  if (query.since) select = select.where('cases.createdAt', '>=', query.since);
  if (query.until) select = select.where('cases.createdAt', '<', query.until);
  const rows = await select.execute();
  const truncated = rows.length > query.limit;
  return {
    points: rows.slice(0, query.limit).map((r) => ({ ...r, lng: r.lng as number, lat: r.lat as number })),
    truncated,
  };
}

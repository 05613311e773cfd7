/**
 * A year of household visits (走访) for the demo archive, so the half-year list and the coverage
 * figures show something real: every grid has its own diligence — a few grids well behind (half
 * their households unvisited for six months), most keeping up, a few ahead — elderly people living
 * alone are seen every month or two, floating tenants more often at night; some visits found needs,
 * most of them met since. The survey-channel cases of the demo history each get the visit that
 * found them: a need referred to that very case, by its reporter, minutes before it was reported.
 *
 * Deterministic for a seed and an end instant. Rows are written in bulk (bulk-insert.ts), every
 * visit `synthetic`.
 */
import { type Selectable, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { isNightTime, type NeedKind, VISIT_INTERVAL_MONTHS } from '../../../common/visits.js';
import { SYSTEM_ACTOR } from '../../accounts/actor.js';
import { writeAudit } from '../../audit/audit.writer.js';
import type { Db } from '../../db/database.js';
import { escapeLike } from '../../policies/scope.js';
import type { VisitNeedTable, VisitTable } from '../../visits/visit.tables.js';
import { createRng, type Rng, WeightedPicker } from '../random.js';
import { bulkInsert } from './bulk-insert.js';

const DAY_MS = 86_400_000;

export interface DemoVisitsOptions {
  seed: number;
  subdistrictCode: string;
  /** The demo's "now" (default: the moment of the call). */
  end?: Date | undefined;
  log?: ((line: string) => void) | undefined;
}

export interface DemoVisitsResult {
  visits: number;
  needs: number;
  referred: number;
  ms: number;
}

interface HouseholdInfo {
  district: string;
  id: string;
  unitId: string;
  unitPath: string;
  createdAt: Date;
  dissolvedAt: Date | null;
  members: number;
  elderlyAlone: boolean;
  floating: boolean;
  oldest: number;
}

/** A visit row as the seeder writes it. */
type VisitPlan = Omit<Selectable<VisitTable>, 'synthetic' | 'createdAt'>;
/** A need row as the seeder writes it. */
type NeedPlan = Omit<Selectable<VisitNeedTable>, 'version' | 'updatedAt'>;

const FINDINGS = {
  elderly: [
    '老人独自在家，精神状态良好，饮食正常',
    '老人腿脚不便，已提醒注意防滑防跌倒',
    '老人血压偏高，已提醒按时服药',
    '检查了燃气灶和电器，使用安全',
    '老人表示子女每周来看望，生活无困难',
    '帮老人调试了紧急呼叫设备',
  ],
  family: [
    '家庭成员均在家，情况正常',
    '核实了家庭成员信息，无变化',
    '宣传了垃圾分类和反诈知识',
    '了解了孩子入学情况',
    '住户反映楼道照明不足，已记录',
    '家中无人，已留联系卡，电话回访情况正常',
  ],
  tenant: [
    '租客在家，核对了居住登记信息',
    '提醒租客办理居住证',
    '检查了电动车充电情况，未发现室内充电',
    '出租屋消防通道畅通',
    '房东已签订治安责任书',
    '晚间走访，租客均已回家，情况正常',
  ],
} as const;

/** Needs a visit finds, by household: kind and what was said. */
const NEEDS: Record<'elderly' | 'family' | 'tenant', readonly (readonly [NeedKind, string, number])[]> = {
  elderly: [
    ['elderly_care', '希望申请社区助餐服务', 3],
    ['elderly_care', '需要居家养老上门服务', 2],
    ['health', '希望家庭医生上门随访', 3],
    ['disability', '需要申请轮椅等辅具', 1],
    ['housing', '卫生间需要加装扶手', 2],
    ['assistance', '医疗费用负担较重，咨询救助政策', 1],
  ],
  family: [
    ['policy', '咨询孩子入学和积分政策', 2],
    ['employment', '家中有人失业，希望推荐工作', 2],
    ['dispute', '与楼上邻居有噪声纠纷', 2],
    ['environment', '楼道堆物较多，希望清理', 2],
    ['housing', '屋顶渗水，需要维修', 1],
    ['assistance', '家庭收入下降，咨询低保申请', 1],
  ],
  tenant: [
    ['policy', '咨询居住证办理', 3],
    ['safety', '楼道电动车停放，存在消防隐患', 2],
    ['employment', '希望了解技能培训', 1],
    ['dispute', '与房东就押金退还有纠纷', 1],
    ['environment', '出租屋周边垃圾未及时清运', 1],
  ],
};

const RESOLUTIONS: Record<NeedKind, string> = {
  elderly_care: '已为老人登记社区助餐，每日送餐上门',
  health: '已联系社区卫生服务中心，家庭医生上门随访',
  disability: '已协助向残联申请辅具，已发放',
  assistance: '已协助提交救助申请，民政审核通过',
  employment: '已推荐至街道就业服务站，参加招聘会',
  housing: '已联系物业维修，住户确认修好',
  safety: '已协调物业清理，张贴消防提示',
  environment: '已通知保洁清运，现场已整洁',
  dispute: '已组织双方调解，达成一致',
  policy: '已当面解答并发放政策告知单',
  other: '已记录并答复住户',
};

/** Need kind a survey case's category suggests (by the department kind that handles it). */
const KIND_BY_DEPARTMENT: Record<string, NeedKind> = {
  housing: 'housing',
  civil_affairs: 'elderly_care',
  greening_sanitation: 'environment',
  environment: 'environment',
  urban_enforcement: 'environment',
  police_station: 'safety',
  emergency: 'safety',
  market_regulation: 'safety',
  water: 'housing',
};

/** A working-hours or evening instant on the day that contains `at` (Beijing), before `end`. */
function visitTime(rng: Rng, at: number, night: boolean, end: number): Date {
  const dayStart = Math.floor((at + 8 * 3_600_000) / DAY_MS) * DAY_MS - 8 * 3_600_000;
  const minutes = night ? rng.int(19 * 60, 21 * 60 + 30) : rng.int(9 * 60, 17 * 60);
  const t = dayStart + minutes * 60_000;
  return new Date(Math.min(t, end - rng.int(10, 120) * 60_000));
}

async function loadHouseholds(db: Db, path: string, end: Date): Promise<HouseholdInfo[]> {
  const { rows } = await sql<HouseholdInfo>`
    select h.district, h.id, h.unit_id, h.unit_path, h.created_at, h.dissolved_at,
      count(m.person_id)::int as members,
      bool_or(p.residency = 'floating') as floating,
      coalesce(max(extract(year from age(${end}::timestamptz, p.birth_date::timestamptz)))::int, 0) as oldest,
      exists (select 1 from person_tag t join tag_type tt on tt.id = t.tag_type_id
        join household_member x on x.district = t.district and x.person_id = t.person_id
        where x.district = h.district and x.household_id = h.id and tt.code = 'elderly_alone') as elderly_alone
    from household h
    left join household_member m on m.district = h.district and m.household_id = h.id
    left join person p on p.district = m.district and p.id = m.person_id
    where h.unit_path like ${`${escapeLike(path)}%`} and h.synthetic
    group by h.district, h.id order by h.unit_path, h.id`.execute(db);
  return rows;
}

/** Visitors of a grid: its grid workers (most visits) and its committee's staff. */
async function loadVisitors(db: Db) {
  return db
    .selectFrom('accountGrant as g')
    .innerJoin('account as a', 'a.id', 'g.accountId')
    .select(['a.id', 'g.role', 'g.unitPath'])
    .where('g.role', 'in', ['grid_worker', 'committee_staff'])
    .where('a.disabled', '=', false)
    .orderBy('a.username')
    .execute();
}

export async function seedDemoVisits(db: Db, options: DemoVisitsOptions): Promise<DemoVisitsResult> {
  const started = Date.now();
  const end = (options.end ?? new Date()).getTime();
  const subdistrict = await db
    .selectFrom('unit')
    .select('path')
    .where('code', '=', options.subdistrictCode)
    .executeTakeFirst();
  const none = { visits: 0, needs: 0, referred: 0, ms: 0 };
  if (!subdistrict) return none;
  const already = await db
    .selectFrom('visit')
    .select('id')
    .where('unitPath', 'like', `${escapeLike(subdistrict.path)}%`)
    .limit(1)
    .executeTakeFirst();
  if (already) return { ...none, ms: Date.now() - started };
  const households = await loadHouseholds(db, subdistrict.path, new Date(end));
  if (households.length === 0) return { ...none, ms: Date.now() - started };
  const visitors = await loadVisitors(db);
  const rng = createRng(options.seed).fork('visits');
  const visits: VisitPlan[] = [];
  const needs: NeedPlan[] = [];

  // Diligence per grid: a quarter behind, half keeping up, a quarter ahead.
  const grids = [...new Set(households.map((h) => h.unitPath))].sort();
  const diligence = new Map(
    grids.map((g) => {
      const r = rng.fork(`diligence ${g}`);
      const roll = r.next();
      return [g, roll < 0.25 ? r.float(0.42, 0.65) : roll < 0.75 ? r.float(0.75, 0.9) : r.float(0.94, 1)] as const;
    }),
  );
  const yearAgo = end - 365 * DAY_MS;
  const halfYear = (VISIT_INTERVAL_MONTHS * 365 * DAY_MS) / 12;

  for (const h of households) {
    const r = rng.fork(`household ${h.id}`);
    const workers = visitors.filter((v) => v.role === 'grid_worker' && h.unitPath.startsWith(v.unitPath));
    const staff = visitors.filter((v) => v.role === 'committee_staff' && h.unitPath.startsWith(v.unitPath));
    if (workers.length + staff.length === 0) continue;
    const from = Math.max(yearAgo, h.createdAt.getTime());
    const until = Math.min(end - DAY_MS / 2, h.dissolvedAt ? h.dissolvedAt.getTime() : end);
    if (until <= from) continue;
    const d = diligence.get(h.unitPath) ?? 0.8;
    const group = h.elderlyAlone || h.oldest >= 70 ? 'elderly' : h.floating ? 'tenant' : 'family';
    // The latest visit: within the half year with the grid's diligence, else earlier in the year or never.
    const covered = h.elderlyAlone || r.chance(d);
    let last: number | null = covered
      ? until - r.float(0, Math.min(halfYear - 2 * DAY_MS, until - from))
      : r.chance(0.55) && until - halfYear > from
        ? r.float(from, until - halfYear)
        : null;
    const interval = h.elderlyAlone ? [25, 60] : [120, 200];
    while (last !== null && last >= from) {
      const evening = r.chance(group === 'tenant' ? 0.25 : 0.05);
      const visitor = workers.length && (r.chance(0.8) || staff.length === 0) ? r.pick(workers) : r.pick(staff);
      const visitedAt = visitTime(r, last, evening, until);
      const visit: VisitPlan = {
        district: h.district,
        id: uuidv7(),
        householdId: h.id,
        unitId: h.unitId,
        unitPath: h.unitPath,
        visitorId: visitor.id,
        visitedAt,
        // As the web records it: by the time (a visit moved before "now" may no longer be in the evening).
        night: isNightTime(visitedAt),
        findings: r.pick(FINDINGS[group]),
      };
      visits.push(visit);
      if (r.chance(0.08)) needs.push(planNeed(r, visit, group, end, visitor.id));
      last -= r.int(interval[0] as number, interval[1] as number) * DAY_MS;
    }
  }

  const referred = await surveyVisits(db, rng.fork('survey cases'), subdistrict.path, households, visits, needs);
  await db.transaction().execute(async (trx) => {
    await bulkInsert(
      trx,
      'visit',
      [
        { name: 'district', type: 'text', value: (v: VisitPlan) => v.district },
        { name: 'id', type: 'uuid', value: (v) => v.id },
        { name: 'household_id', type: 'uuid', value: (v) => v.householdId },
        { name: 'unit_id', type: 'uuid', value: (v) => v.unitId },
        { name: 'unit_path', type: 'text', value: (v) => v.unitPath },
        { name: 'visitor_id', type: 'uuid', value: (v) => v.visitorId },
        { name: 'visited_at', type: 'timestamptz', value: (v) => v.visitedAt },
        { name: 'night', type: 'bool', value: (v) => v.night },
        { name: 'findings', type: 'text', value: (v) => v.findings },
        { name: 'synthetic', type: 'bool', value: () => true },
        { name: 'created_at', type: 'timestamptz', value: (v) => v.visitedAt },
      ],
      visits,
    );
    await bulkInsert(
      trx,
      'visit_need',
      [
        { name: 'district', type: 'text', value: (n: NeedPlan) => n.district },
        { name: 'id', type: 'uuid', value: (n) => n.id },
        { name: 'visit_id', type: 'uuid', value: (n) => n.visitId },
        { name: 'household_id', type: 'uuid', value: (n) => n.householdId },
        { name: 'unit_path', type: 'text', value: (n) => n.unitPath },
        { name: 'kind', type: 'text', value: (n) => n.kind },
        { name: 'description', type: 'text', value: (n) => n.description },
        { name: 'status', type: 'text', value: (n) => n.status },
        { name: 'case_district', type: 'text', value: (n) => n.caseDistrict },
        { name: 'case_id', type: 'uuid', value: (n) => n.caseId },
        { name: 'referred_by', type: 'uuid', value: (n) => n.referredBy },
        { name: 'referred_at', type: 'timestamptz', value: (n) => n.referredAt },
        { name: 'resolution', type: 'text', value: (n) => n.resolution },
        { name: 'resolved_by', type: 'uuid', value: (n) => n.resolvedBy },
        { name: 'resolved_at', type: 'timestamptz', value: (n) => n.resolvedAt },
        { name: 'created_at', type: 'timestamptz', value: (n) => n.createdAt },
        { name: 'updated_at', type: 'timestamptz', value: (n) => n.resolvedAt ?? n.referredAt ?? n.createdAt },
      ],
      needs,
    );
    await writeAudit(
      trx,
      { actor: SYSTEM_ACTOR },
      { action: 'demo.visits_seeded', data: { visits: visits.length, needs: needs.length, referred } },
    );
  });
  const result = { visits: visits.length, needs: needs.length, referred, ms: Date.now() - started };
  options.log?.(
    `demo visits: ${result.visits} visits, ${result.needs} needs (${referred} referred to survey cases) in ${Math.round(result.ms / 100) / 10} s`,
  );
  return result;
}

function planNeed(rng: Rng, visit: VisitPlan, group: keyof typeof NEEDS, end: number, visitorId: string): NeedPlan {
  const [kind, description] = new WeightedPicker(NEEDS[group].map(([k, t, w]) => [[k, t] as const, w] as const)).pick(
    rng,
  );
  const age = (end - visit.visitedAt.getTime()) / DAY_MS;
  // Older needs have mostly been met; recent ones are often still open.
  const resolved = rng.chance(age > 60 ? 0.85 : age > 14 ? 0.5 : 0.15);
  const resolvedAt = resolved
    ? new Date(
        Math.min(end - 3_600_000, visit.visitedAt.getTime() + rng.int(1, Math.max(2, Math.min(40, age))) * DAY_MS),
      )
    : null;
  return {
    district: visit.district,
    id: uuidv7(),
    visitId: visit.id,
    householdId: visit.householdId,
    unitPath: visit.unitPath,
    kind,
    description,
    status: resolved ? 'resolved' : 'open',
    caseDistrict: null,
    caseId: null,
    referredBy: null,
    referredAt: null,
    resolution: resolved ? RESOLUTIONS[kind] : null,
    resolvedBy: resolved ? visitorId : null,
    resolvedAt,
    createdAt: visit.visitedAt,
  };
}

/**
 * The visit behind each survey-channel case reported by a grid worker or committee staff member:
 * a household of the case's grid visited by the reporter minutes before, with the need referred to
 * the case. Returns how many were linked.
 */
async function surveyVisits(
  db: Db,
  rng: Rng,
  path: string,
  households: readonly HouseholdInfo[],
  visits: VisitPlan[],
  needs: NeedPlan[],
): Promise<number> {
  const cases = await db
    .selectFrom('cases as c')
    .innerJoin('category as k', 'k.id', 'c.categoryId')
    .select(['c.district', 'c.id', 'c.unitId', 'c.title', 'c.createdAt', 'c.reporterAccountId', 'k.departmentKind'])
    .where('c.channel', '=', 'survey')
    .where('c.reporterAccountId', 'is not', null)
    .where('c.unitPath', 'like', `${escapeLike(path)}%`)
    .orderBy('c.createdAt')
    .orderBy('c.id')
    .execute();
  const byGrid = new Map<string, HouseholdInfo[]>();
  for (const h of households) byGrid.set(h.unitId, [...(byGrid.get(h.unitId) ?? []), h]);
  let linked = 0;
  for (const c of cases) {
    const candidates = (byGrid.get(c.unitId) ?? []).filter(
      (h) => h.createdAt < c.createdAt && (!h.dissolvedAt || h.dissolvedAt > c.createdAt),
    );
    if (candidates.length === 0 || !c.reporterAccountId) continue;
    const h = rng.pick(candidates);
    const visitedAt = new Date(c.createdAt.getTime() - rng.int(5, 90) * 60_000);
    const visit: VisitPlan = {
      district: h.district,
      id: uuidv7(),
      householdId: h.id,
      unitId: h.unitId,
      unitPath: h.unitPath,
      visitorId: c.reporterAccountId,
      visitedAt,
      night: isNightTime(visitedAt),
      findings: `走访中发现问题，已现场上报：${c.title}`,
    };
    visits.push(visit);
    needs.push({
      district: h.district,
      id: uuidv7(),
      visitId: visit.id,
      householdId: h.id,
      unitPath: h.unitPath,
      kind: KIND_BY_DEPARTMENT[c.departmentKind ?? ''] ?? 'other',
      description: c.title,
      status: 'referred',
      caseDistrict: c.district,
      caseId: c.id,
      referredBy: c.reporterAccountId,
      referredAt: c.createdAt,
      resolution: null,
      resolvedBy: null,
      resolvedAt: null,
      createdAt: visitedAt,
    });
    linked += 1;
  }
  return linked;
}

/**
 * What the leader dashboard, the heat map and the repeat-problem list read: a unit's panel with 环比
 * and 同比, its trend period by period, its breakdown by grid, category, major or channel, the
 * ranking of its children, the indicators' names and formulas, and the repeat problems. Shapes
 * follow server/indicators/indicator.schema.ts and server/cases/hotspots.routes.ts.
 */
import type { UnitRef } from '@common/api';
import type { CaseState, Channel } from '@common/cases';
import type { Bilingual } from '@common/public-api';
import type { UnitLevel } from '@common/territory';
import { api } from './client';

export type TrendKind = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const TREND_KINDS: readonly TrendKind[] = ['day', 'week', 'month', 'quarter', 'year'];

export const RATE_CODES = [
  'closureRate',
  'onTimeClosureRate',
  'handlingRate',
  'onTimeHandlingRate',
  'reworkRate',
  'extensionRate',
  'accurateDispatchRate',
  'onTimeRegistrationRate',
  'firstTimeCompletionRate',
  'responseRate',
  'resolutionRate',
  'satisfactionRate',
] as const;
export type RateCode = (typeof RATE_CODES)[number];

/** Rates where less is better (a rise is shown as a worsening). */
export const LOWER_IS_BETTER: readonly string[] = ['reworkRate', 'extensionRate', 'overdueUnhandled', 'handledOverdue'];

export interface Compared {
  value: number | null;
  previous: number | null;
  lastYear: number | null;
  /** Relative change for counts and averages, difference for rates. */
  vsPrevious: number | null;
  vsLastYear: number | null;
}

export interface DashboardScope {
  unit: UnitRef;
  department: { id: string; code: string; name: string } | null;
}

export interface Panel {
  scope: DashboardScope;
  period: { kind: TrendKind | 'custom'; from: string; to: string; previous: { from: string; to: string } };
  asOf: string;
  counts: Record<string, Compared>;
  rates: Record<RateCode, Compared & { numerator: number; denominator: number }>;
  averages: Record<string, Compared>;
}

export interface TrendPoint {
  from: string;
  to: string;
  counts: Record<string, number>;
  rates: Record<RateCode, number | null>;
  score: number | null;
}

export interface Trend {
  scope: DashboardScope;
  kind: TrendKind;
  items: TrendPoint[];
}

export type BreakdownBy = 'places' | 'categories' | 'majors' | 'channels';

export interface BreakdownItem {
  key: string;
  unit: UnitRef | null;
  category: { code: string; kind: 'component' | 'event'; name: Bilingual } | null;
  channel: Channel | null;
  counts: Record<string, number>;
  rates: Record<RateCode, number | null>;
  score: number | null;
}

export interface Breakdown {
  scope: DashboardScope;
  period: { kind: string; from: string; to: string };
  by: BreakdownBy;
  items: BreakdownItem[];
}

export interface Ranked {
  rank: number | null;
  value: number | null;
  score: number | null;
  unit: UnitRef | null;
  department: { id: string; code: string; name: string } | null;
  rates: Record<RateCode, number | null>;
  counts: Record<string, number>;
}

export interface Ranking {
  scope: DashboardScope;
  weights: Record<string, number>;
  items: Ranked[];
}

export const POSTS = ['grid_worker', 'dispatcher', 'handler'] as const;
export type Post = (typeof POSTS)[number];

interface Named {
  code: string;
  zh: string;
  en: string;
  definition: string;
}

export interface Definitions {
  counts: Named[];
  rates: (Named & { code: RateCode })[];
  averages: Named[];
  posts: Record<Post, { figures: Named[]; rates: Named[] }>;
}

export interface PostItem {
  account: { id: string; name: string };
  where: string[];
  figures: Record<string, number>;
  rates: Record<string, number | null>;
}

/** Where and when: a unit (default: mine), a kind of period and a day inside it (default: today). */
export interface Slice {
  unitId?: string | undefined;
  period: TrendKind;
  date?: string | undefined;
}

const sliceQuery = (s: Slice) => ({ unitId: s.unitId, period: s.period, date: s.date });

export const getPanel = (s: Slice, signal?: AbortSignal) =>
  api.get<Panel>('/api/indicators', { query: sliceQuery(s), signal });

export const getTrend = (s: Slice, count: number, signal?: AbortSignal) =>
  api.get<Trend>('/api/indicators/trend', { query: { ...sliceQuery(s), count }, signal });

export const getBreakdown = (s: Slice, by: BreakdownBy, signal?: AbortSignal) =>
  api.get<Breakdown>('/api/indicators/breakdown', { query: { ...sliceQuery(s), by }, signal });

/** The units below ranked by score: the children, or every unit of `level` under the slice's unit. */
export const getRanking = (s: Slice, level: UnitLevel | null, signal?: AbortSignal) =>
  api.get<Ranking>('/api/indicators/ranking', {
    query: { ...sliceQuery(s), group: 'units', by: 'score', ...(level ? { level } : {}) },
    signal,
  });

/** Each grid worker, dispatcher or handler of the unit with what they did in the period (岗位考核). */
export const getPosts = (s: Slice, post: Post, signal?: AbortSignal) =>
  api.get<{ items: PostItem[] }>('/api/indicators/posts', { query: { ...sliceQuery(s), post }, signal });

export const getDefinitions = (signal?: AbortSignal) => api.get<Definitions>('/api/indicators/definitions', { signal });

export interface Hotspot {
  category: { code: string; name: Bilingual };
  centre: { lng: number; lat: number };
  count: number;
  open: number;
  firstAt: string;
  lastAt: string;
  unit: { id: string; name: string };
  address: string | null;
  cases: { id: string; number: string; state: CaseState; title: string; createdAt: string }[];
}

export interface HotspotQuery {
  unitId?: string | undefined;
  category?: string | undefined;
  days: number;
  min: number;
  radius: number;
}

export const getHotspots = (q: HotspotQuery, signal?: AbortSignal) =>
  api.get<{ days: number; min: number; radius: number; asOf: string; items: Hotspot[] }>('/api/cases/hotspots', {
    query: { unitId: q.unitId, category: q.category, days: q.days, min: q.min, radius: q.radius },
    signal,
  });

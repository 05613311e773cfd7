/**
 * Duplicate suggestion (重复案件提示): open cases that may report the same problem as a new report
 * (or as a case at intake), so that the resident can follow one instead and the dispatcher can merge.
 *
 * SQL keeps what can be a duplicate at all: open, of the same major category, inside the category's
 * radius (a bounding box, then the equirectangular distance — exact enough at tens or hundreds of
 * metres, and no PostGIS) and inside its time window. TypeScript then ranks those few by score:
 *
 *   score = categoryFactor × (DISTANCE_WEIGHT × closeness + TIME_WEIGHT × recency + TEXT_WEIGHT × similarity)
 *
 * - closeness  = 1 − distance / radius (1 on the spot, 0 at the edge of the radius)
 * - recency    = 1 − |age| / window (1 at the same moment, 0 at the edge of the window)
 * - similarity = cosine of the two texts' jieba features (duplicate-text.ts), titles and descriptions
 * - categoryFactor = 1 for the same category, RELATED_CATEGORY_FACTOR for another of the same major
 *
 * Without query text the text term is left out and the other two are rescaled to 0–1, so scores stay
 * comparable. A related-category case needs some textual likeness once text is given: nearness alone
 * says little when the kind of problem differs.
 */
import { type RawBuilder, sql } from 'kysely';
import { CASE_STATES, type CaseState, FINAL_STATES } from '../../common/cases.js';
import type { StaffActor } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import { caseScope } from './case.repository.js';
import { cosine, segmenter, type TextFeatures, textFeatures } from './duplicate-text.js';

/** Share of the score from being near (see the file's comment). */
export const DISTANCE_WEIGHT = 0.35;
/** Share of the score from being reported about the same time. */
export const TIME_WEIGHT = 0.15;
/** Share of the score from saying the same thing. */
export const TEXT_WEIGHT = 0.5;
/** A case of another category of the same major counts this much of one of the same category. */
export const RELATED_CATEGORY_FACTOR = 0.6;
/** With query text, a related-category case is suggested only from this similarity up. */
export const RELATED_MIN_SIMILARITY = 0.15;
/** At most this many nearest cases are ranked (a crowded spot must not make a search slow). */
export const MAX_RANKED = 200;

/** Mean Earth radius (m). */
const EARTH_RADIUS_M = 6_371_008.8;
const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;

/** States in which a case is still being worked on, so a new report may duplicate it (cases_open_point_idx lists them too). */
export const OPEN_STATES: CaseState[] = CASE_STATES.filter((s) => !FINAL_STATES.includes(s));

export interface DuplicateQuery {
  categoryId: string;
  lng: number;
  lat: number;
  /** What the reporter wrote (title and description). */
  text: string;
  /** The case being checked, at intake: never its own duplicate. */
  excludeCaseId?: string | undefined;
  /** The instant the time window is centred on: now for a new report, the report time of a case at intake. */
  now?: Date | undefined;
  /** Only cases this staff member may see; without it every open case counts (the public search). */
  actor?: StaffActor | undefined;
}

export interface DuplicateCandidate {
  id: string;
  district: string;
  number: string;
  title: string;
  state: CaseState;
  category: { id: string; code: string; nameZh: string; nameEn: string };
  relation: 'same_category' | 'related_category';
  distanceM: number;
  createdAt: Date;
  /** Hours between the candidate's report and the query's instant (either way). */
  ageHours: number;
  /** 0–1, see duplicate-text.ts. */
  similarity: number;
  /** 0–1, see the file's comment. */
  score: number;
}

/** Distance in metres from (lng, lat) to a case's point, by the equirectangular approximation. */
function distanceSql(lng: number, lat: number): RawBuilder<number> {
  return sql<number>`(${EARTH_RADIUS_M}::float8 * sqrt(
    power(radians(cases.lng - ${lng}::float8) * cos(radians((cases.lat + ${lat}::float8) / 2)), 2) +
    power(radians(cases.lat - ${lat}::float8), 2)))`;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Open cases that may duplicate the query, best first (at most `limit`). Radius and window are the
 * query category's (`duplicate_radius_m`, `duplicate_window_days`).
 */
export async function findDuplicates(db: Db, query: DuplicateQuery, limit = 5): Promise<DuplicateCandidate[]> {
  const category = await db
    .selectFrom('category')
    .select(['id', 'majorCode', 'duplicateRadiusM', 'duplicateWindowDays'])
    .where('id', '=', query.categoryId)
    .executeTakeFirst();
  if (!category || limit <= 0) return [];
  const radius = category.duplicateRadiusM;
  const windowMs = category.duplicateWindowDays * 86_400_000;
  const now = query.now ?? new Date();
  const dLat = radius / METRES_PER_DEGREE;
  // The box widens towards the poles; a floor on the cosine keeps it finite.
  const dLng = dLat / Math.max(Math.cos((query.lat * Math.PI) / 180), 0.01);
  const distance = distanceSql(query.lng, query.lat);

  let select = db
    .selectFrom('cases')
    .innerJoin('category', 'category.id', 'cases.categoryId')
    .select([
      'cases.id',
      'cases.district',
      'cases.number',
      'cases.title',
      'cases.description',
      'cases.state',
      'cases.createdAt',
      'category.id as categoryId',
      'category.code as categoryCode',
      'category.nameZh as categoryNameZh',
      'category.nameEn as categoryNameEn',
      distance.as('distanceM'),
    ])
    .where('category.majorCode', '=', category.majorCode)
    .where('cases.state', 'in', OPEN_STATES)
    .where('cases.lat', '>=', query.lat - dLat)
    .where('cases.lat', '<=', query.lat + dLat)
    .where('cases.lng', '>=', query.lng - dLng)
    .where('cases.lng', '<=', query.lng + dLng)
    .where('cases.createdAt', '>=', new Date(now.getTime() - windowMs))
    .where('cases.createdAt', '<=', new Date(now.getTime() + windowMs))
    .where(distance, '<=', radius)
    .orderBy('distanceM')
    .orderBy('cases.id')
    .limit(MAX_RANKED);
  if (query.excludeCaseId) select = select.where('cases.id', '!=', query.excludeCaseId);
  if (query.actor) select = select.where(caseScope(query.actor));
  const rows = await select.execute();
  if (rows.length === 0) return [];

  // The dictionary is loaded only when there is text to compare.
  let features: { jieba: Awaited<ReturnType<typeof segmenter>>; query: TextFeatures } | undefined;
  if (query.text.trim()) {
    const jieba = await segmenter();
    const q = textFeatures(jieba, query.text);
    if (q.size > 0) features = { jieba, query: q };
  }

  const candidates: DuplicateCandidate[] = [];
  for (const row of rows) {
    const same = row.categoryId === category.id;
    const distanceM = Number(row.distanceM);
    const ageMs = Math.abs(now.getTime() - new Date(row.createdAt).getTime());
    const closeness = Math.max(0, 1 - distanceM / Math.max(radius, 1));
    const recency = Math.max(0, 1 - ageMs / Math.max(windowMs, 1));
    let similarity = 0;
    let base: number;
    if (features) {
      similarity = cosine(features.query, textFeatures(features.jieba, `${row.title}\n${row.description}`));
      if (!same && similarity < RELATED_MIN_SIMILARITY) continue;
      base = DISTANCE_WEIGHT * closeness + TIME_WEIGHT * recency + TEXT_WEIGHT * similarity;
    } else {
      base = (DISTANCE_WEIGHT * closeness + TIME_WEIGHT * recency) / (DISTANCE_WEIGHT + TIME_WEIGHT);
    }
    candidates.push({
      id: row.id,
      district: row.district,
      number: row.number,
      title: row.title,
      state: row.state,
      category: { id: row.categoryId, code: row.categoryCode, nameZh: row.categoryNameZh, nameEn: row.categoryNameEn },
      relation: same ? 'same_category' : 'related_category',
      distanceM: round(distanceM, 1),
      createdAt: new Date(row.createdAt),
      ageHours: round(ageMs / 3_600_000, 1),
      similarity: round(similarity, 3),
      score: round((same ? 1 : RELATED_CATEGORY_FACTOR) * base, 3),
    });
  }
  return candidates
    .sort((a, b) => b.score - a.score || a.distanceM - b.distanceM || a.id.localeCompare(b.id))
    .slice(0, limit);
}

/**
 * The live feed of the wall display (大屏): the latest committed steps (case events) of cases in the
 * actor's scope, newest first. What a room full of people may read off a wall: the case's number,
 * category, grid, the step and the light — no reporter, no description, no title (a title is free
 * text, by default the description's first words, and may carry a name or a phone number).
 *
 * The walk is `case_event_recent_idx` backwards (migration 0012), each event's case fetched by its
 * key and kept when in scope, until `limit` are found; a small scope (few cases) is found the other
 * way round, through `cases_scope_idx`, as the planner judges. See ARCHITECTURE.md for the numbers.
 */

import type { CaseState } from '../../common/cases.js';
import type { CaseAction } from '../../common/workflow.js';
import type { Actor } from '../accounts/actor.js';
import type { Db } from '../db/database.js';
import { caseScope } from './case.repository.js';
import { type Light, lightSql } from './case-board.js';

export const FEED_LIMIT = { default: 30, max: 100 } as const;

export interface FeedStep {
  caseId: string;
  number: string;
  seq: number;
  action: CaseAction;
  toState: CaseState;
  categoryCode: string;
  categoryNameZh: string;
  categoryNameEn: string;
  unitName: string | null;
  light: Light;
  at: Date;
}

/** The newest `limit` steps of cases the actor may see (the case list's scope), newest first. */
export function caseFeed(db: Db, actor: Actor, limit: number, now = new Date()): Promise<FeedStep[]> {
  return feedQuery(db, actor, limit, now).execute();
}

/** The feed's statement, for caseFeed and for reading its plan (EXPLAIN). */
export function feedQuery(db: Db, actor: Actor, limit: number, now = new Date()) {
  return db
    .selectFrom('caseEvent as e')
    .innerJoin('cases', (j) => j.onRef('cases.district', '=', 'e.district').onRef('cases.id', '=', 'e.caseId'))
    .innerJoin('category', 'category.id', 'cases.categoryId')
    .leftJoin('unit', (j) => j.onRef('unit.district', '=', 'cases.district').onRef('unit.id', '=', 'cases.unitId'))
    .select([
      'cases.id as caseId',
      'cases.number',
      'e.seq',
      'e.action',
      'e.toState',
      'category.code as categoryCode',
      'category.nameZh as categoryNameZh',
      'category.nameEn as categoryNameEn',
      'unit.name as unitName',
      lightSql(now).as('light'),
      'e.createdAt as at',
    ])
    .where(caseScope(actor))
    .orderBy('e.createdAt', 'desc')
    .orderBy('e.caseId', 'desc')
    .orderBy('e.seq', 'desc')
    .limit(limit);
}

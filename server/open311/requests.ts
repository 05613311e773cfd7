/**
 * Cases as Open311 service requests, public fields only: never the reporter (name, phone, contact
 * fields, tracking code), and personal numbers blotted out of the case's own words.
 *
 * - `status`: closed when the loop is over for the case (closed — a cancellation is a closing too —
 *   rejected, merged), open otherwise;
 * - `status_notes`: the latest public step, with its reason where the public timeline shows one
 *   (rejecting, closing);
 * - `agency_responsible`: the handling department; `expected_datetime`: the handling deadline;
 * - `service_notice`: the category's notice; `updated_datetime`: the closing time once closed;
 * - `notes` (extension, with `extensions=true`): every public step.
 * Dates are W3C times in Beijing time (+08:00).
 */
import type { CaseState } from '../../common/cases.js';
import { type CaseAction, transitionOf } from '../../common/workflow.js';
import type { Db } from '../db/database.js';
import { list, type Rec } from './document.js';
import type { Jurisdiction } from './jurisdiction.js';
import type { Open311Status, RequestQuery } from './request-query.js';
import { scrubPersonalData } from './scrub.js';
import type { Lang } from './services.js';

/** States in which the request is over for the person who sent it. */
export const CLOSED_STATES: readonly CaseState[] = ['closed', 'rejected', 'merged'];

export const statusOf = (state: CaseState): Open311Status => (CLOSED_STATES.includes(state) ? 'closed' : 'open');

/** A W3C date-time with its zone: Beijing time, `+08:00` (China keeps no daylight saving). */
export function w3cTime(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

function selectRequests(db: Db, jurisdiction: Jurisdiction) {
  return db
    .selectFrom('cases')
    .innerJoin('category', 'category.id', 'cases.categoryId')
    .leftJoin('department', 'department.id', 'cases.departmentId')
    .leftJoin('open311Request as o', (join) =>
      join.onRef('o.district', '=', 'cases.district').onRef('o.caseId', '=', 'cases.id'),
    )
    .select([
      'cases.id',
      'cases.district',
      'cases.state',
      'cases.description',
      'cases.address',
      'cases.lng',
      'cases.lat',
      'cases.handleDueAt',
      'cases.closedAt',
      'cases.createdAt',
      'cases.updatedAt',
      'category.code as serviceCode',
      'category.nameZh',
      'category.nameEn',
      'category.serviceNoticeZh',
      'category.serviceNoticeEn',
      'department.name as departmentName',
      'o.mediaUrl',
      'o.addressId',
    ])
    .where('cases.district', '=', jurisdiction.id);
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof selectRequests>['execute']>>[number];

interface PublicStep {
  caseId: string;
  action: CaseAction;
  reason: string | null;
  createdAt: Date;
}

/** The rows a query asks for, newest first, at most one page. */
export async function findRequests(db: Db, jurisdiction: Jurisdiction, query: RequestQuery): Promise<RequestRow[]> {
  let select = selectRequests(db, jurisdiction);
  if (query.kind === 'ids') {
    select = select.where('cases.id', 'in', query.ids);
  } else {
    select = select.where('cases.createdAt', '>=', query.start).where('cases.createdAt', '<=', query.end);
    if (query.serviceCodes) select = select.where('category.code', 'in', query.serviceCodes);
    if (query.statuses?.length === 1) {
      select = select.where('cases.state', query.statuses[0] === 'closed' ? 'in' : 'not in', [...CLOSED_STATES]);
    }
    select = select.limit(query.pageSize).offset((query.page - 1) * query.pageSize);
  }
  return select.orderBy('cases.createdAt', 'desc').orderBy('cases.id', 'desc').execute();
}

export async function findRequest(db: Db, jurisdiction: Jurisdiction, id: string): Promise<RequestRow | undefined> {
  return selectRequests(db, jurisdiction).where('cases.id', '=', id).executeTakeFirst();
}

async function publicSteps(db: Db, district: string, caseIds: string[]): Promise<Map<string, PublicStep[]>> {
  const steps = new Map<string, PublicStep[]>();
  if (caseIds.length === 0) return steps;
  const rows = await db
    .selectFrom('caseEvent')
    .select(['caseId', 'action', 'reason', 'createdAt'])
    .where('district', '=', district)
    .where('caseId', 'in', caseIds)
    .where('public', '=', true)
    .orderBy('caseId')
    .orderBy('seq')
    .execute();
  for (const row of rows) {
    const list = steps.get(row.caseId) ?? [];
    list.push(row);
    steps.set(row.caseId, list);
  }
  return steps;
}

/** A public step in words: its label, and the reason where the public timeline shows it. */
function stepText(step: PublicStep, lang: Lang): string {
  const label = transitionOf(step.action).label[lang];
  const reason = (step.action === 'reject' || step.action === 'close') && step.reason?.trim();
  return reason ? `${label}${lang === 'en' ? ': ' : '：'}${scrubPersonalData(reason)}` : label;
}

const pick = (lang: Lang, zh: string | null, en: string | null) => (lang === 'en' ? en || zh : zh || en) ?? null;

function present(row: RequestRow, steps: PublicStep[], lang: Lang, extensions: boolean): Rec {
  const status = statusOf(row.state);
  const latest = steps.at(-1);
  return {
    service_request_id: row.id,
    status,
    status_notes: latest ? stepText(latest, lang) : null,
    service_name: pick(lang, row.nameZh, row.nameEn),
    service_code: row.serviceCode,
    description: scrubPersonalData(row.description),
    agency_responsible: row.departmentName,
    service_notice: pick(lang, row.serviceNoticeZh, row.serviceNoticeEn),
    requested_datetime: w3cTime(row.createdAt),
    updated_datetime: w3cTime(status === 'closed' ? (row.closedAt ?? row.updatedAt) : row.updatedAt),
    expected_datetime: row.handleDueAt ? w3cTime(row.handleDueAt) : null,
    address: row.address ? scrubPersonalData(row.address) : null,
    address_id: row.addressId,
    zipcode: null,
    lat: row.lat,
    long: row.lng,
    media_url: row.mediaUrl,
    notes: extensions
      ? list(
          'note',
          steps.map((s) => ({ datetime: w3cTime(s.createdAt), type: s.action, description: stepText(s, lang) })),
        )
      : undefined,
  };
}

/** The rows as `<request>` records, with their public steps read in one query. */
export async function presentRequests(
  db: Db,
  jurisdiction: Jurisdiction,
  rows: RequestRow[],
  lang: Lang,
  extensions: boolean,
): Promise<Rec[]> {
  const steps = await publicSteps(
    db,
    jurisdiction.id,
    rows.map((r) => r.id),
  );
  return rows.map((row) => present(row, steps.get(row.id) ?? [], lang, extensions));
}

/**
 * Visits and needs as the API shows them: no raw row leaves (DESIGN rule 10). A visit's photos are
 * served through the visit (GET /api/visits/:id/photos/:key/:variant), so whoever may read the
 * visit sees them and nobody else; needs carry what the actor may do with them.
 */
import { type CaseState, FINAL_STATES } from '../../common/cases.js';
import type { NeedView, VisitView } from '../../common/visits.js';
import type { Actor } from '../accounts/actor.js';
import { needAbilities } from './visit.policy.js';
import type { NeedRow, VisitRow } from './visit.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Is the need still to be met: open, or referred to a case not yet in a final state? */
export function needIsOpen(n: Pick<NeedRow, 'status' | 'caseState'>): boolean {
  if (n.status === 'open') return true;
  return n.status === 'referred' && !FINAL_STATES.includes(n.caseState as CaseState);
}

export function presentNeed(actor: Actor | null, n: NeedRow): NeedView {
  return {
    id: n.id,
    kind: n.kind,
    description: n.description,
    status: n.status,
    open: needIsOpen(n),
    case: n.caseId && n.caseNumber ? { id: n.caseId, number: n.caseNumber, state: n.caseState ?? '' } : null,
    referredAt: iso(n.referredAt),
    resolution: n.resolution,
    resolvedBy: n.resolvedBy ? { id: n.resolvedBy, name: n.resolvedByName ?? '' } : null,
    resolvedAt: iso(n.resolvedAt),
    createdAt: n.createdAt.toISOString(),
    abilities: needAbilities(actor, n),
  };
}

export function presentVisit(
  actor: Actor | null,
  v: VisitRow,
  needs: readonly NeedRow[],
  photos: readonly { key: string }[],
): VisitView {
  const photo = (key: string, variant: 'thumb' | 'public') => `/api/visits/${v.id}/photos/${key}/${variant}`;
  return {
    id: v.id,
    household: { id: v.householdId, address: v.address, dissolved: v.dissolvedAt !== null },
    unit: { id: v.unitId, code: v.unitCode, name: v.unitName },
    visitor: { id: v.visitorId, name: v.visitorName },
    visitedAt: v.visitedAt.toISOString(),
    night: v.night,
    findings: v.findings,
    needs: needs.map((n) => presentNeed(actor, n)),
    photos: photos.map((p) => ({ key: p.key, thumbUrl: photo(p.key, 'thumb'), publicUrl: photo(p.key, 'public') })),
    synthetic: v.synthetic,
    createdAt: v.createdAt.toISOString(),
  };
}

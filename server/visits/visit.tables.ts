/**
 * Kysely's view of the visit tables (migration 0017), merged into `Database` by server/db/schema.ts.
 */
import type { ColumnType, Generated } from 'kysely';
import type { NeedKind, NeedStatus } from '../../common/visits.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface VisitTable {
  district: string;
  id: string;
  householdId: string;
  /** The household's grid on the day of the visit. */
  unitId: string;
  unitPath: string;
  visitorId: string;
  visitedAt: Timestamp;
  night: Generated<boolean>;
  findings: Generated<string>;
  synthetic: Generated<boolean>;
  createdAt: Timestamp;
}

export interface VisitNeedTable {
  district: string;
  id: string;
  visitId: string;
  householdId: string;
  unitPath: string;
  kind: NeedKind;
  description: string;
  status: Generated<NeedStatus>;
  caseDistrict: string | null;
  caseId: string | null;
  referredBy: string | null;
  referredAt: Date | null;
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface VisitPhotoTable {
  district: string;
  visitId: string;
  key: string;
  createdAt: Timestamp;
}

/** The visit tables, keyed as Kysely names them. */
export interface VisitTables {
  visit: VisitTable;
  visitNeed: VisitNeedTable;
  visitPhoto: VisitPhotoTable;
}

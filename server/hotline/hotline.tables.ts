/**
 * Kysely's view of the hotline's tables (migration 0015), merged into `Database` by
 * server/db/schema.ts.
 */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { StoredCells } from '../imports/import.tables.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type OrderSource = 'import' | 'push';

/** A 12345 work order: its number in the district, its case, its latest version and that version's hash. */
export interface HotlineOrderTable {
  district: string;
  orderNumber: string;
  caseId: string;
  version: number;
  contentHash: string;
  calledAt: Date | null;
  deadlineAt: Date | null;
  firstSource: OrderSource;
  lastSource: OrderSource;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

/** Every version of an order received: the mapped fields and the row as it came. */
export interface HotlineOrderVersionTable {
  district: string;
  orderNumber: string;
  version: number;
  contentHash: string;
  /** Our field names (camelCase, safe from the CamelCasePlugin) → the mapped values. */
  fields: JSONColumnType<Record<string, unknown>, string, string>;
  raw: JSONColumnType<StoredCells, string, string>;
  source: OrderSource;
  runId: string | null;
  machineKeyId: string | null;
  receivedAt: Generated<Date>;
}

/** The answer to each pushed order, by machine key and Idempotency-Key: a retry gets it again. */
export interface HotlinePushTable {
  machineKeyId: string;
  idempotencyKey: string;
  requestHash: string;
  district: string;
  orderNumber: string;
  status: number;
  answer: JSONColumnType<Record<string, unknown>, string, string>;
  createdAt: Generated<Date>;
}

export interface HotlineTables {
  hotlineOrder: HotlineOrderTable;
  hotlineOrderVersion: HotlineOrderVersionTable;
  hotlinePush: HotlinePushTable;
}

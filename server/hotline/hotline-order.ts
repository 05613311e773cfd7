/**
 * A 12345 work order as our fields hold it (common/hotline.ts HOTLINE_FIELDS), its content hash,
 * and how it reads on its case: the order's own text, then its number, times and unit as extra
 * lines a dispatcher reads.
 */
import { createHash } from 'node:crypto';
import { URGENCIES, type Urgency } from '../../common/cases.js';
import { HOTLINE_FIELDS } from '../../common/hotline.js';
import { toShanghaiIso } from '../calendar/civil.js';
import type { MappedRecord } from '../imports/import-kind.js';

export interface HotlineOrder {
  orderNumber: string;
  calledAt?: Date | undefined;
  callerName?: string | undefined;
  callerPhone?: string | undefined;
  /** Our category code. */
  category: string;
  title?: string | undefined;
  description: string;
  address?: string | undefined;
  lng?: number | undefined;
  lat?: number | undefined;
  /** Our unit code (承办单位). */
  unit?: string | undefined;
  deadline?: Date | undefined;
  urgency?: Urgency | undefined;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
const time = (value: unknown) => (value instanceof Date ? value : undefined);

/** A mapped record as an order (the mapping has checked each field's type; required ones are there). */
export function orderOf(record: MappedRecord): HotlineOrder {
  const urgency = text(record.urgency);
  return {
    orderNumber: text(record.orderNumber) ?? '',
    calledAt: time(record.calledAt),
    callerName: text(record.callerName),
    callerPhone: text(record.callerPhone),
    category: text(record.category) ?? '',
    title: text(record.title),
    description: text(record.description) ?? '',
    address: text(record.address),
    lng: number(record.lng),
    lat: number(record.lat),
    unit: text(record.unit),
    deadline: time(record.deadline),
    urgency: URGENCIES.find((u) => u === urgency),
  };
}

/** The order's fields as stored with each version: our names, times as ISO text, absent ones left out. */
export function orderFields(order: HotlineOrder): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  for (const { key } of HOTLINE_FIELDS) {
    const value = order[key];
    if (value === undefined) continue;
    fields[key] = value instanceof Date ? value.toISOString() : value;
  }
  return fields;
}

/** SHA-256 of the mapped fields in a fixed order: the same content hashes the same however the file was laid out. */
export function contentHash(order: HotlineOrder): string {
  return createHash('sha256')
    .update(JSON.stringify(Object.entries(orderFields(order))))
    .digest('hex');
}

/** The fields whose values differ between two versions. */
export function changedFields(before: Record<string, unknown>, after: Record<string, string | number>) {
  return HOTLINE_FIELDS.filter((f) => before[f.key] !== after[f.key]);
}

const beijing = (at: Date) => toShanghaiIso(at).slice(0, 16).replace('T', ' ');

/** The lines a case's description gets under its extra-information heading. */
export function orderLines(order: HotlineOrder, unitName: string | undefined): string[] {
  return [
    `12345 工单编号 Order number: ${order.orderNumber}`,
    ...(order.calledAt ? [`来电时间 Call time: ${beijing(order.calledAt)}`] : []),
    ...(order.deadline ? [`办理时限 Deadline: ${beijing(order.deadline)}`] : []),
    ...(unitName ? [`承办单位 Handling unit: ${unitName}`] : []),
  ];
}

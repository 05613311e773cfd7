/**
 * Venues from a department's register as a kind of import (archive_venues): each row is matched by
 * its unified social credit code (GB 32100) among the licences of the district's open venues. A venue
 * not on file is filed in the row's community or grid with a business licence of that code; one on
 * file has each field the row carries (name, kind, address, unit, risk level, contact) decided by
 * provenance.ts. One transaction per row.
 */
import { type SqlBool, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { RISK_LEVELS, type RiskLevel, VENUE_KINDS, type VenueKind } from '../../../common/archive.js';
import { ARCHIVE_VENUE_FIELDS } from '../../../common/archive-imports.js';
import { parsePhone } from '../../../common/id-number.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { ImportKind, MappedRecord, RowContext, RowResult } from '../../imports/import-kind.js';
import type { VenueContact } from '../archive.tables.js';
import {
  decideClaims,
  placedUnit,
  type RowSource,
  rowSource,
  settleRow,
  sourceCodes,
  today,
  unitCodes,
} from './import-parts.js';
import { claimsFrom, type FieldClaim } from './provenance.js';

export const VENUES_KIND = 'archive_venues';

const KIND_LABELS: Record<VenueKind, { zh: string; en: string }> = {
  shop: { zh: '商店', en: 'Shop' },
  restaurant: { zh: '餐饮', en: 'Restaurant' },
  school: { zh: '学校', en: 'School' },
  kindergarten: { zh: '幼儿园', en: 'Kindergarten' },
  clinic: { zh: '诊所', en: 'Clinic' },
  workshop: { zh: '作坊', en: 'Workshop' },
  warehouse: { zh: '仓库', en: 'Warehouse' },
  hotel: { zh: '旅馆', en: 'Hotel' },
  elderly_care: { zh: '养老机构', en: 'Elderly care' },
  entertainment: { zh: '娱乐场所', en: 'Entertainment' },
  other: { zh: '其他', en: 'Other' },
};
const RISK_LABELS: Record<RiskLevel, { zh: string; en: string }> = {
  low: { zh: '低', en: 'Low' },
  medium: { zh: '中', en: 'Medium' },
  high: { zh: '高', en: 'High' },
};

// GB 32100-2015: 31 characters (no I, O, S, V, Z), weights 3^i mod 31.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A unified social credit code normalised (upper-case, no spaces), or null when its check fails. */
export function parseCreditCode(raw: string): string | null {
  const code = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-HJ-NP-RTUW-Y]{18}$/.test(code)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(code[i] ?? '') * (USCC_WEIGHTS[i] ?? 0);
  return code[17] === USCC_CHARS[(31 - (sum % 31)) % 31] ? code : null;
}

async function venueCodes(db: Db, district: string) {
  const [sources, units] = await Promise.all([sourceCodes(db, district, 'household'), unitCodes(db, district)]);
  return {
    sourceDepartment: sources.sourceDepartment ?? [],
    unit: units,
    kind: VENUE_KINDS.map((k) => ({ code: k, label: KIND_LABELS[k] })),
    riskLevel: RISK_LEVELS.map((r) => ({ code: r, label: RISK_LABELS[r] })),
  };
}

interface VenueRowData {
  creditCode: string;
  name: string;
  kind?: VenueKind;
  address?: string;
  unitCode?: string;
  riskLevel?: RiskLevel;
  contact?: VenueContact;
}

function readRow(record: MappedRecord): VenueRowData {
  const creditCode = parseCreditCode(String(record.creditCode));
  if (!creditCode)
    throw new AppError('IMPORT_VALUE_INVALID', {
      fields: [{ path: 'body.creditCode', reason: 'not a unified social credit code (GB 32100)' }],
    });
  const row: VenueRowData = { creditCode, name: String(record.name).trim() };
  if (record.kind !== undefined) row.kind = String(record.kind) as VenueKind;
  if (record.address !== undefined) row.address = String(record.address);
  if (record.unit !== undefined) row.unitCode = String(record.unit);
  if (record.riskLevel !== undefined) row.riskLevel = String(record.riskLevel) as RiskLevel;
  if (record.contactName !== undefined || record.contactPhone !== undefined) {
    const phone = record.contactPhone === undefined ? '' : parsePhone(String(record.contactPhone));
    if (phone !== '' && !phone.ok)
      throw new AppError('ARCHIVE_PHONE_INVALID', { fields: [{ path: 'body.contactPhone', reason: 'not a phone' }] });
    const name = record.contactName === undefined ? '' : String(record.contactName);
    row.contact = { name, phone: phone === '' ? '' : phone.normalized, role: '' };
  }
  return row;
}

const contactText = (c: VenueContact | undefined) => (c ? `${c.name} ${c.phone}`.trim() : '');

function claimsOf(row: VenueRowData, current: Record<string, string>): FieldClaim[] {
  const incoming: Record<string, string | undefined> = {
    name: row.name,
    kind: row.kind,
    address: row.address,
    unit: row.unitCode,
    riskLevel: row.riskLevel,
    contact: row.contact && contactText(row.contact),
  };
  return claimsFrom(incoming, current);
}

async function createVenue(trx: Trx, ctx: RowContext, row: VenueRowData, source: RowSource): Promise<RowResult> {
  if (!row.unitCode)
    throw new AppError('ARCHIVE_IMPORT_UNIT_NEEDED', {
      fields: [{ path: 'body.unit', reason: 'needed for a new venue' }],
    });
  const unit = await placedUnit(trx, ctx, row.unitCode);
  const id = uuidv7();
  const district = ctx.run.district;
  await trx
    .insertInto('venue')
    .values({
      district,
      id,
      unitId: unit.id,
      unitPath: unit.path,
      buildingId: null,
      name: row.name,
      kind: row.kind ?? 'other',
      address: row.address ?? '',
      lng: null,
      lat: null,
      licences: JSON.stringify([{ kind: 'business', number: row.creditCode, validTo: null }]),
      contacts: JSON.stringify(row.contact ? [row.contact] : []),
      riskLevel: row.riskLevel ?? 'low',
      closedAt: null,
    })
    .execute();
  const claims = claimsOf(row, {});
  const target = { subject: 'venue' as const, id, district };
  const decided = await decideClaims(trx, target, source, null, claims);
  return settleRow(trx, ctx, { target, created: true, people: [] }, decided, claims);
}

async function updateVenue(
  trx: Trx,
  ctx: RowContext,
  row: VenueRowData,
  source: RowSource,
  venue: { id: string; unitPath: string; changedOn: string },
): Promise<RowResult> {
  const district = ctx.run.district;
  if (!venue.unitPath.startsWith(ctx.run.scopePath))
    throw new AppError('ARCHIVE_IMPORT_OUTSIDE_SCOPE', {
      fields: [{ path: 'body.creditCode', reason: 'on file outside the scope' }],
    });
  const on = await trx
    .selectFrom('venue as v')
    .innerJoin('unit as u', (j) => j.onRef('u.id', '=', 'v.unitId').onRef('u.district', '=', 'v.district'))
    .select(['v.name', 'v.kind', 'v.address', 'v.riskLevel', 'v.contacts', 'u.code'])
    .where('v.district', '=', district)
    .where('v.id', '=', venue.id)
    .executeTakeFirstOrThrow();
  const current = {
    name: on.name,
    kind: on.kind,
    address: on.address,
    unit: on.code,
    riskLevel: on.riskLevel,
    contact: contactText(on.contacts[0]),
  };
  const claims = claimsOf(row, current);
  const target = { subject: 'venue' as const, id: venue.id, district };
  const decided = await decideClaims(trx, target, source, venue.changedOn, claims);
  const { taken } = decided;
  const unit = taken.has('unit') && row.unitCode ? await placedUnit(trx, ctx, row.unitCode) : null;
  if (taken.size > 0)
    await trx
      .updateTable('venue')
      .set((eb) => ({
        ...(taken.has('name') ? { name: row.name } : {}),
        ...(taken.has('kind') && row.kind ? { kind: row.kind } : {}),
        ...(taken.has('address') && row.address !== undefined ? { address: row.address } : {}),
        ...(taken.has('riskLevel') && row.riskLevel ? { riskLevel: row.riskLevel } : {}),
        ...(taken.has('contact') && row.contact
          ? { contacts: JSON.stringify([row.contact, ...on.contacts.slice(1)]) }
          : {}),
        ...(unit ? { unitId: unit.id, unitPath: unit.path } : {}),
        version: eb('version', '+', 1),
        updatedAt: new Date(),
      }))
      .where('district', '=', district)
      .where('id', '=', venue.id)
      .execute();
  return settleRow(trx, ctx, { target, created: false, people: [] }, decided, claims);
}

export const venuesImport: ImportKind = {
  kind: VENUES_KIND,
  fields: ARCHIVE_VENUE_FIELDS,
  keyField: 'creditCode',
  uniqueKey: (text) => text.replace(/\s+/g, '').toUpperCase(),
  codes: venueCodes,
  async write(ctx, record) {
    const row = readRow(record);
    const source = await rowSource(ctx, record, today());
    return ctx.db.transaction().execute(async (trx) => {
      const venue = await trx
        .selectFrom('venue')
        .select(['id', 'unitPath'])
        .select(sql<string>`(updated_at at time zone 'Asia/Shanghai')::date::text`.as('changedOn'))
        .where('district', '=', ctx.run.district)
        .where('closedAt', 'is', null)
        .where(sql<SqlBool>`licences @> ${JSON.stringify([{ number: row.creditCode }])}::jsonb`)
        .orderBy('createdAt')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      return venue ? updateVenue(trx, ctx, row, source, venue) : createVenue(trx, ctx, row, source);
    });
  },
};

/** The archive API's shapes for buildings, dwellings and venues. */
import { z } from 'zod';
import { BUILDING_KINDS, OCCUPANCIES, RISK_LEVELS, VENUE_KINDS } from '../../common/archive.js';
import { ZDateText } from './archive.schema.js';

const ZUnitRef = z.object({ id: z.string(), code: z.string(), name: z.string() });
const page = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

/** GeoJSON (WGS84): a Point or a Polygon; checked by the command (422 ARCHIVE_GEOMETRY_INVALID). */
export const ZPlaceGeometry = z.object({ type: z.enum(['Point', 'Polygon']), coordinates: z.unknown() });

export const ZCreateBuildingRequest = z.strictObject({
  /** The grid (or community) the building stands in. */
  unitId: z.uuid(),
  name: z.string().trim().min(1).max(100),
  address: z.string().trim().min(1).max(200),
  kind: z.enum(BUILDING_KINDS).default('residential'),
  geometry: ZPlaceGeometry.nullable().default(null),
  floors: z.number().int().min(1).max(200).nullable().default(null),
  entrances: z.number().int().min(1).max(100).nullable().default(null),
});

const dwellingFields = {
  floor: z.number().int().min(-10).max(200).nullable(),
  areaM2: z.number().positive().max(100_000).nullable(),
  ownerPersonId: z.uuid().nullable(),
  ownerName: z.string().trim().max(64).nullable(),
  ownerPhone: z.string().trim().max(32).nullable(),
  tenantPersonId: z.uuid().nullable(),
  tenantName: z.string().trim().max(64).nullable(),
  tenantPhone: z.string().trim().max(32).nullable(),
  occupancy: z.enum(OCCUPANCIES),
  /** 群租: rented out to several unrelated tenants. */
  groupRental: z.boolean(),
};

export const ZCreateDwellingRequest = z.strictObject({
  entrance: z.string().trim().max(20).default(''),
  room: z.string().trim().min(1).max(20),
  floor: dwellingFields.floor.default(null),
  areaM2: dwellingFields.areaM2.default(null),
  ownerPersonId: dwellingFields.ownerPersonId.default(null),
  ownerName: dwellingFields.ownerName.default(null),
  ownerPhone: dwellingFields.ownerPhone.default(null),
  tenantPersonId: dwellingFields.tenantPersonId.default(null),
  tenantName: dwellingFields.tenantName.default(null),
  tenantPhone: dwellingFields.tenantPhone.default(null),
  occupancy: dwellingFields.occupancy.default('unknown'),
  groupRental: dwellingFields.groupRental.default(false),
});
export type TCreateDwellingRequest = z.infer<typeof ZCreateDwellingRequest>;

export const ZUpdateDwellingRequest = z
  .strictObject({
    version: z.number().int().min(1),
    floor: dwellingFields.floor.optional(),
    areaM2: dwellingFields.areaM2.optional(),
    ownerPersonId: dwellingFields.ownerPersonId.optional(),
    ownerName: dwellingFields.ownerName.optional(),
    ownerPhone: dwellingFields.ownerPhone.optional(),
    tenantPersonId: dwellingFields.tenantPersonId.optional(),
    tenantName: dwellingFields.tenantName.optional(),
    tenantPhone: dwellingFields.tenantPhone.optional(),
    occupancy: dwellingFields.occupancy.optional(),
    groupRental: dwellingFields.groupRental.optional(),
  })
  .refine((b) => Object.keys(b).length > 1, { message: 'nothing to change' });
export type TUpdateDwellingRequest = z.infer<typeof ZUpdateDwellingRequest>;

export const ZDwellingView = z.object({
  id: z.string(),
  buildingId: z.string(),
  entrance: z.string(),
  room: z.string(),
  floor: z.number().nullable(),
  areaM2: z.number().nullable(),
  owner: z.object({ personId: z.string().nullable(), name: z.string().nullable(), phone: z.string().nullable() }),
  tenant: z.object({ personId: z.string().nullable(), name: z.string().nullable(), phone: z.string().nullable() }),
  occupancy: z.enum(OCCUPANCIES),
  groupRental: z.boolean(),
  version: z.number(),
});

export const ZBuildingSummary = z.object({
  id: z.string(),
  district: z.string(),
  unit: ZUnitRef,
  name: z.string(),
  address: z.string(),
  kind: z.enum(BUILDING_KINDS),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  floors: z.number().nullable(),
  entrances: z.number().nullable(),
  synthetic: z.boolean(),
});

export const ZBuildingView = ZBuildingSummary.extend({
  geometry: ZPlaceGeometry.nullable(),
  dwellings: z.array(ZDwellingView),
  version: z.number(),
  abilities: z.object({ update: z.boolean() }),
});

export const ZBuildingQuery = z.strictObject({
  q: z.string().trim().max(80).optional(),
  unitId: z.uuid().optional(),
  kind: z.enum(BUILDING_KINDS).optional(),
  ...page,
});

export const ZBuildingPage = z.object({
  items: z.array(ZBuildingSummary.extend({ dwellingCount: z.number() })),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

const ZLicence = z.strictObject({
  kind: z.string().trim().min(1).max(40),
  number: z.string().trim().min(1).max(60),
  validTo: ZDateText.nullable().default(null),
});
const ZContact = z.strictObject({
  name: z.string().trim().min(1).max(64),
  phone: z.string().trim().max(32),
  role: z.string().trim().max(40).default(''),
});

export const ZVenueFields = z.strictObject({
  unitId: z.uuid(),
  buildingId: z.uuid().nullable().default(null),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(VENUE_KINDS),
  address: z.string().trim().min(1).max(200),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable().default(null),
  licences: z.array(ZLicence).max(20).default([]),
  contacts: z.array(ZContact).max(10).default([]),
  /** For safety and food inspections. */
  riskLevel: z.enum(RISK_LEVELS).default('low'),
  notes: z.string().trim().max(2000).default(''),
});
export type TVenueFields = z.infer<typeof ZVenueFields>;

export const ZUpdateVenueRequest = z
  .strictObject({
    version: z.number().int().min(1),
    name: ZVenueFields.shape.name.optional(),
    kind: ZVenueFields.shape.kind.optional(),
    address: ZVenueFields.shape.address.optional(),
    location: z.object({ lng: z.number(), lat: z.number() }).nullable().optional(),
    licences: z.array(ZLicence).max(20).optional(),
    contacts: z.array(ZContact).max(10).optional(),
    riskLevel: z.enum(RISK_LEVELS).optional(),
    notes: z.string().trim().max(2000).optional(),
    closed: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 1, { message: 'nothing to change' });
export type TUpdateVenueRequest = z.infer<typeof ZUpdateVenueRequest>;

export const ZVenueView = z.object({
  id: z.string(),
  district: z.string(),
  unit: ZUnitRef,
  buildingId: z.string().nullable(),
  name: z.string(),
  kind: z.enum(VENUE_KINDS),
  address: z.string(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  licences: z.array(z.object({ kind: z.string(), number: z.string(), validTo: z.string().nullable() })),
  contacts: z.array(z.object({ name: z.string(), phone: z.string().describe('Masked'), role: z.string() })),
  riskLevel: z.enum(RISK_LEVELS),
  notes: z.string(),
  closedAt: z.string().nullable(),
  synthetic: z.boolean(),
  version: z.number(),
  abilities: z.object({ update: z.boolean() }),
});

export const ZVenueQuery = z.strictObject({
  q: z.string().trim().max(80).optional(),
  unitId: z.uuid().optional(),
  kind: z.enum(VENUE_KINDS).optional(),
  riskLevel: z.enum(RISK_LEVELS).optional(),
  ...page,
});

export const ZVenuePage = z.object({
  items: z.array(ZVenueView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/** Buildings, dwellings and venues as the API shows them: owners', tenants' and contacts' phones masked. */
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { maskPhone } from '../../common/id-number.js';
import type { Actor } from '../accounts/actor.js';
import type { BuildingTable } from './archive.tables.js';
import type { BuildingDetail, VenueRow } from './place.repository.js';
import { placePolicy } from './place.repository.js';
import type { ZBuildingSummary, ZBuildingView, ZDwellingView, ZVenueView } from './place.schema.js';

const masked = (phone: string | null) => (phone ? maskPhone(phone) : null);

export function presentDwelling(w: BuildingDetail['dwellings'][number]): z.infer<typeof ZDwellingView> {
  return {
    id: w.id,
    buildingId: w.buildingId,
    entrance: w.entrance,
    room: w.room,
    floor: w.floor,
    areaM2: w.areaM2 === null ? null : Number(w.areaM2),
    owner: { personId: w.ownerPersonId, name: w.ownerName, phone: masked(w.ownerPhone) },
    tenant: { personId: w.tenantPersonId, name: w.tenantName, phone: masked(w.tenantPhone) },
    occupancy: w.occupancy,
    groupRental: w.groupRental,
    version: w.version,
  };
}

type BuildingRow = Selectable<BuildingTable> & { unitCode: string; unitName: string };

export function presentBuildingSummary(b: BuildingRow): z.infer<typeof ZBuildingSummary> {
  return {
    id: b.id,
    district: b.district,
    unit: { id: b.unitId, code: b.unitCode, name: b.unitName },
    name: b.name,
    address: b.address,
    kind: b.kind,
    location: b.lng !== null && b.lat !== null ? { lng: b.lng, lat: b.lat } : null,
    floors: b.floors,
    entrances: b.entrances,
    synthetic: b.synthetic,
  };
}

export function presentBuilding(actor: Actor, d: BuildingDetail): z.infer<typeof ZBuildingView> {
  return {
    ...presentBuildingSummary(d.building),
    geometry: d.building.geometry,
    dwellings: d.dwellings.map(presentDwelling),
    version: d.building.version,
    abilities: { update: placePolicy.write(actor, d.building) },
  };
}

export function presentVenue(actor: Actor, v: VenueRow): z.infer<typeof ZVenueView> {
  return {
    id: v.id,
    district: v.district,
    unit: { id: v.unitId, code: v.unitCode, name: v.unitName },
    buildingId: v.buildingId,
    name: v.name,
    kind: v.kind,
    address: v.address,
    location: v.lng !== null && v.lat !== null ? { lng: v.lng, lat: v.lat } : null,
    licences: v.licences,
    contacts: v.contacts.map((c) => ({ ...c, phone: maskPhone(c.phone) })),
    riskLevel: v.riskLevel,
    notes: v.notes,
    closedAt: v.closedAt?.toISOString() ?? null,
    synthetic: v.synthetic,
    version: v.version,
    abilities: { update: placePolicy.write(actor, v) },
  };
}

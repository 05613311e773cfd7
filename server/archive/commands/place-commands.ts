/**
 * Buildings, dwellings and venues: filing and changing them, each in one transaction with its audit
 * row. Phones are checked and normalized; a building's geometry is a GeoJSON Point or Polygon.
 */
import { v7 as uuidv7 } from 'uuid';
import type { BuildingKind } from '../../../common/archive.js';
import { AppError } from '../../http/app-error.js';
import { CHINA_BOX, validateGeometry } from '../../territory/geo/geometry.js';
import type { BuildingGeometry, VenueContact } from '../archive.tables.js';
import { checkDate, checkPhones } from '../person-fields.js';
import type { PlaceRef } from '../place.repository.js';
import type {
  TCreateDwellingRequest,
  TUpdateDwellingRequest,
  TUpdateVenueRequest,
  TVenueFields,
} from '../place.schema.js';
import { type ArchiveContext, assertOneUpdated, auditChange, type PlacedUnit, pgCode } from './archive-context.js';

const geometryProblem = (reason: string) =>
  new AppError('ARCHIVE_GEOMETRY_INVALID', { fields: [{ path: 'body.geometry', reason }] });

const inChina = (lng: number, lat: number) =>
  Number.isFinite(lng) &&
  Number.isFinite(lat) &&
  lng >= CHINA_BOX[0] &&
  lng <= CHINA_BOX[2] &&
  lat >= CHINA_BOX[1] &&
  lat <= CHINA_BOX[3];

/** A checked building geometry and its representative point (a polygon's box centre). */
export function checkBuildingGeometry(input: { type: 'Point' | 'Polygon'; coordinates: unknown }): {
  geometry: BuildingGeometry;
  lng: number;
  lat: number;
} {
  if (input.type === 'Point') {
    const c = input.coordinates;
    if (!Array.isArray(c) || c.length !== 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number')
      throw geometryProblem('a point is [lng, lat]');
    const [lng, lat] = c;
    if (!inChina(lng, lat)) throw geometryProblem('outside China (longitude and latitude swapped?)');
    return { geometry: { type: 'Point', coordinates: [lng, lat] }, lng, lat };
  }
  const checked = validateGeometry(input);
  if (!checked.ok || checked.geometry.type !== 'Polygon')
    throw geometryProblem(checked.ok ? 'bad_type' : checked.reason);
  const [minLng, minLat, maxLng, maxLat] = checked.bbox;
  return { geometry: checked.geometry, lng: (minLng + maxLng) / 2, lat: (minLat + maxLat) / 2 };
}

export interface CreateBuildingProps {
  unit: PlacedUnit;
  name: string;
  address: string;
  kind: BuildingKind;
  geometry: { type: 'Point' | 'Polygon'; coordinates: unknown } | null;
  floors: number | null;
  entrances: number | null;
}

export async function createBuilding(ctx: ArchiveContext, props: CreateBuildingProps): Promise<string> {
  const place = props.geometry ? checkBuildingGeometry(props.geometry) : null;
  const id = uuidv7();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('building')
      .values({
        district: props.unit.district,
        id,
        unitId: props.unit.id,
        unitPath: props.unit.path,
        name: props.name,
        address: props.address,
        kind: props.kind,
        geometry: place ? JSON.stringify(place.geometry) : null,
        lng: place?.lng ?? null,
        lat: place?.lat ?? null,
        floors: props.floors,
        entrances: props.entrances,
      })
      .execute();
    await auditChange(
      trx,
      ctx,
      { people: [], record: 'building', change: 'created', fields: ['name', 'address'] },
      { type: 'building', id, district: props.unit.district },
    );
  });
  return id;
}

/** Owner and tenant person ids must be people of the building's district. */
async function checkPeopleOfDistrict(ctx: ArchiveContext, district: string, ids: (string | null | undefined)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return;
  const found = await ctx.db
    .selectFrom('person')
    .select('id')
    .where('district', '=', district)
    .where('id', 'in', wanted)
    .execute();
  if (found.length !== wanted.length) throw new AppError('ARCHIVE_NOT_SAME_DISTRICT');
}

const phoneOrNull = (value: string | null | undefined, path: string) =>
  value ? (checkPhones([value], path)[0] ?? null) : value === undefined ? undefined : null;

/** The owner and tenant on file, for the audit row. */
const occupants = (d: { ownerPersonId?: string | null | undefined; tenantPersonId?: string | null | undefined }) =>
  [d.ownerPersonId, d.tenantPersonId].filter((p): p is string => Boolean(p));

const duplicateDwelling = (error: unknown) =>
  pgCode(error) === '23505' ? new AppError('ARCHIVE_DWELLING_DUPLICATE') : error;

export async function createDwelling(ctx: ArchiveContext, building: PlaceRef, props: TCreateDwellingRequest) {
  await checkPeopleOfDistrict(ctx, building.district, occupants(props));
  const id = uuidv7();
  const ownerPhone = phoneOrNull(props.ownerPhone, 'body.ownerPhone') ?? null;
  const tenantPhone = phoneOrNull(props.tenantPhone, 'body.tenantPhone') ?? null;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('dwelling')
        .values({
          ...props,
          ownerPhone,
          tenantPhone,
          district: building.district,
          id,
          buildingId: building.id,
          unitPath: building.unitPath,
        })
        .execute();
      await auditChange(
        trx,
        ctx,
        {
          people: occupants(props),
          record: 'dwelling',
          change: 'created',
          fields: Object.keys(props).sort(),
        },
        { type: 'dwelling', id, district: building.district },
      );
    });
  } catch (error) {
    throw duplicateDwelling(error);
  }
  return id;
}

export async function updateDwelling(ctx: ArchiveContext, dwelling: PlaceRef, props: TUpdateDwellingRequest) {
  await checkPeopleOfDistrict(ctx, dwelling.district, occupants(props));
  const { version, ...changes } = props;
  const ownerPhone = phoneOrNull(changes.ownerPhone, 'body.ownerPhone');
  const tenantPhone = phoneOrNull(changes.tenantPhone, 'body.tenantPhone');
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('dwelling')
      .set((eb) => ({
        ...changes,
        ...(ownerPhone !== undefined ? { ownerPhone } : {}),
        ...(tenantPhone !== undefined ? { tenantPhone } : {}),
        version: eb('version', '+', 1),
        updatedAt: ctx.now ?? new Date(),
      }))
      .where('district', '=', dwelling.district)
      .where('id', '=', dwelling.id)
      .where('version', '=', version)
      .executeTakeFirst();
    assertOneUpdated(updated);
    await auditChange(
      trx,
      ctx,
      {
        people: occupants(changes),
        record: 'dwelling',
        change: 'updated',
        fields: Object.keys(changes).sort(),
      },
      { type: 'dwelling', id: dwelling.id, district: dwelling.district },
    );
  });
}

function checkVenueParts(props: {
  contacts?: VenueContact[] | undefined;
  licences?: { validTo: string | null }[] | undefined;
}) {
  const contacts = props.contacts?.map((c, i) => ({
    ...c,
    phone: checkPhones([c.phone], `body.contacts.${i}.phone`)[0] ?? '',
  }));
  props.licences?.forEach((l, i) => {
    if (l.validTo) checkDate(l.validTo, `body.licences.${i}.validTo`, { future: true });
  });
  return contacts;
}

export async function createVenue(
  ctx: ArchiveContext,
  unit: PlacedUnit,
  building: PlaceRef | undefined,
  props: Omit<TVenueFields, 'unitId' | 'buildingId'>,
) {
  if (building && building.district !== unit.district) throw new AppError('ARCHIVE_NOT_SAME_DISTRICT');
  const contacts = checkVenueParts(props) ?? [];
  if (props.location && !inChina(props.location.lng, props.location.lat))
    throw new AppError('ARCHIVE_GEOMETRY_INVALID', { fields: [{ path: 'body.location', reason: 'outside China' }] });
  const id = uuidv7();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('venue')
      .values({
        district: unit.district,
        id,
        unitId: unit.id,
        unitPath: unit.path,
        buildingId: building?.id ?? null,
        name: props.name,
        kind: props.kind,
        address: props.address,
        lng: props.location?.lng ?? null,
        lat: props.location?.lat ?? null,
        licences: JSON.stringify(props.licences),
        contacts: JSON.stringify(contacts),
        riskLevel: props.riskLevel,
        notes: props.notes,
        closedAt: null,
      })
      .execute();
    await auditChange(
      trx,
      ctx,
      { people: [], record: 'venue', change: 'created', fields: Object.keys(props).sort() },
      { type: 'venue', id, district: unit.district },
    );
  });
  return id;
}

export async function updateVenue(ctx: ArchiveContext, venue: PlaceRef, props: TUpdateVenueRequest) {
  const { version, location, closed, licences, contacts: rawContacts, ...changes } = props;
  const contacts = checkVenueParts({ contacts: rawContacts, licences });
  if (location && !inChina(location.lng, location.lat))
    throw new AppError('ARCHIVE_GEOMETRY_INVALID', { fields: [{ path: 'body.location', reason: 'outside China' }] });
  const now = ctx.now ?? new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('venue')
      .set((eb) => ({
        ...changes,
        ...(location !== undefined ? { lng: location?.lng ?? null, lat: location?.lat ?? null } : {}),
        ...(licences !== undefined ? { licences: JSON.stringify(licences) } : {}),
        ...(contacts !== undefined ? { contacts: JSON.stringify(contacts) } : {}),
        ...(closed !== undefined ? { closedAt: closed ? now : null } : {}),
        version: eb('version', '+', 1),
        updatedAt: now,
      }))
      .where('district', '=', venue.district)
      .where('id', '=', venue.id)
      .where('version', '=', version)
      .executeTakeFirst();
    assertOneUpdated(updated);
    await auditChange(
      trx,
      ctx,
      {
        people: [],
        record: 'venue',
        change: 'updated',
        fields: Object.keys(props)
          .filter((k) => k !== 'version')
          .sort(),
      },
      { type: 'venue', id: venue.id, district: venue.district },
    );
  });
}

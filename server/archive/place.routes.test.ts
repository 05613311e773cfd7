/**
 * Buildings, dwellings and venues over HTTP: geometry checked (a point or a closed polygon in
 * China), a room once per building entrance, owners' and contacts' phones masked, scope (404
 * outside), versions, and a venue readable by the handlers of a department serving the territory.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { square } from '../test/factories.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { type ArchiveWorld, filePerson, makeArchiveWorld } from './archive-fixtures.js';

let db: Db;
let app: FastifyInstance;
let w: ArchiveWorld;

describe('buildings, dwellings and venues', () => {
  let building: string;

  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    w = await makeArchiveWorld(db, app);
  });

  it('adds a building as a point or a polygon, and refuses other shapes', async () => {
    const unitId = w.unit(w.t.grids[0]).id;
    const [lng, lat] = w.t.gridCentres[0] ?? [0, 0];
    const point = await w.gridA.request('POST', '/api/archive/buildings', {
      unitId,
      name: '梧桐新村12号楼',
      address: '梧桐路12弄12号',
      geometry: { type: 'Point', coordinates: [lng, lat] },
      floors: 6,
    });
    expect(point.statusCode, point.body).toBe(201);
    building = point.json().id;
    expect(point.json()).toMatchObject({ location: { lng, lat }, floors: 6, dwellings: [] });
    const polygon = await w.gridA.request('POST', '/api/archive/buildings', {
      unitId,
      name: '梧桐新村13号楼',
      address: '梧桐路12弄13号',
      geometry: square(lng, lat, 0.0002),
    });
    expect(polygon.statusCode, polygon.body).toBe(201);
    expect(polygon.json().location).toEqual({ lng: lng + 0.0001, lat: lat + 0.0001 });
    for (const geometry of [
      { type: 'Point', coordinates: [lat, lng] },
      { type: 'Point', coordinates: [lng] },
      {
        type: 'Polygon',
        coordinates: [
          [
            [lng, lat],
            [lng + 0.001, lat],
            [lng, lat + 0.001],
          ],
        ],
      },
    ]) {
      const res = await w.gridA.request('POST', '/api/archive/buildings', {
        unitId,
        name: 'x',
        address: 'y',
        geometry,
      });
      expect(res.statusCode, JSON.stringify(geometry)).toBe(422);
      expect(res.json().error.code).toBe('ARCHIVE_GEOMETRY_INVALID');
    }
    const community = await w.admin.request('POST', '/api/archive/buildings', {
      unitId: w.unit(w.t.subdistrict).id,
      name: 'x',
      address: 'y',
    });
    expect(community.json().error.code).toBe('ARCHIVE_UNIT_INVALID');
    const outside = await w.gridB.request('POST', '/api/archive/buildings', { unitId, name: 'x', address: 'y' });
    expect(outside.statusCode).toBe(404);
  });

  it('adds dwellings once per entrance and room, phones masked, owners named in the read audit', async () => {
    const owner = await filePerson(w.gridA, {
      name: '孙丽',
      unitId: w.unit(w.t.grids[0]).id,
      birthDate: '1966-06-06',
      gender: 'female',
    });
    const room = {
      entrance: '2单元',
      room: '301',
      ownerPersonId: owner,
      ownerName: '孙丽',
      ownerPhone: '13900001111',
      occupancy: 'rented',
      groupRental: true,
    };
    const res = await w.gridA.request('POST', `/api/archive/buildings/${building}/dwellings`, room);
    expect(res.statusCode, res.body).toBe(201);
    const dwelling = res.json().dwellings[0];
    expect(dwelling).toMatchObject({
      owner: { personId: owner, name: '孙丽', phone: '139****1111' },
      groupRental: true,
    });
    const again = await w.gridA.request('POST', `/api/archive/buildings/${building}/dwellings`, room);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ARCHIVE_DWELLING_DUPLICATE');
    const badPhone = await w.gridA.request('POST', `/api/archive/buildings/${building}/dwellings`, {
      ...room,
      room: '302',
      ownerPhone: '123',
    });
    expect(badPhone.json().error.code).toBe('ARCHIVE_PHONE_INVALID');

    const patch = await w.gridA.request('PATCH', `/api/archive/dwellings/${dwelling.id}`, {
      version: dwelling.version,
      occupancy: 'vacant',
      groupRental: false,
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toMatchObject({ occupancy: 'vacant', groupRental: false, version: dwelling.version + 1 });
    const stale = await w.gridA.request('PATCH', `/api/archive/dwellings/${dwelling.id}`, {
      version: 1,
      occupancy: 'rented',
    });
    expect(stale.statusCode).toBe(409);

    expect((await w.committee.request('GET', `/api/archive/buildings/${building}`)).statusCode).toBe(200);
    const read = await db
      .selectFrom('auditLog')
      .select('data')
      .where('subjectId', '=', building)
      .where('action', '=', 'archive.read')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(read.data.people).toEqual([owner]);
    expect((await w.gridB.request('GET', `/api/archive/buildings/${building}`)).statusCode).toBe(404);
    const list = await w.gridA.request('GET', `/api/archive/buildings?q=${encodeURIComponent('新村')}`);
    expect(
      list
        .json()
        .items.map((b: { name: string }) => b.name)
        .sort(),
    ).toEqual(['梧桐新村12号楼', '梧桐新村13号楼']);
  });

  it('adds venues with licences and contacts (masked), readable by the territory and its departments', async () => {
    const res = await w.committee.request('POST', '/api/archive/venues', {
      unitId: w.unit(w.t.grids[1]).id,
      name: '老王面馆',
      kind: 'restaurant',
      address: '梧桐路30号',
      licences: [{ kind: '食品经营许可证', number: 'JY13101040000001', validTo: '2028-12-31' }],
      contacts: [{ name: '王老板', phone: '13700002222', role: '负责人' }],
      riskLevel: 'medium',
    });
    expect(res.statusCode, res.body).toBe(201);
    const venue = res.json();
    expect(venue.contacts).toEqual([{ name: '王老板', phone: '137****2222', role: '负责人' }]);
    expect((await w.handler.request('GET', `/api/archive/venues/${venue.id}`)).statusCode).toBe(200);
    expect((await w.gridA.request('GET', `/api/archive/venues/${venue.id}`)).statusCode).toBe(404);
    const found = await w.handler.request(
      'GET',
      `/api/archive/venues?q=${encodeURIComponent('面馆')}&riskLevel=medium`,
    );
    expect(found.json().items.map((v: { id: string }) => v.id)).toEqual([venue.id]);
    const refused = await w.handler.request('PATCH', `/api/archive/venues/${venue.id}`, {
      version: 1,
      riskLevel: 'high',
    });
    expect(refused.statusCode).toBe(403);
    const changed = await w.committee.request('PATCH', `/api/archive/venues/${venue.id}`, {
      version: 1,
      riskLevel: 'high',
    });
    expect(changed.json()).toMatchObject({ riskLevel: 'high', version: 2 });
    const badLicence = await w.committee.request('POST', '/api/archive/venues', {
      unitId: w.unit(w.t.grids[1]).id,
      name: '小卖部',
      kind: 'shop',
      address: '梧桐路31号',
      licences: [{ kind: '营业执照', number: '91310104', validTo: '2027-02-30' }],
    });
    expect(badLicence.json().error.code).toBe('ARCHIVE_DATE_INVALID');
  });
});

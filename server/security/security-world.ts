/**
 * The world the fuzzer and the permission matrix run in: two districts (A and B, apart on the map),
 * one signed-in actor per role in district A at the unit the role usually holds, a resident, a machine
 * key, and records in three places — in every A actor's scope (grid 0), outside the community-level
 * actors' scope (grid 3, the other community) and in district B. Everything is filed through the API
 * or the factories, with personal data the log check looks for.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../common/roles.js';
import { idNumberFor } from '../archive/archive-fixtures.js';
import type { Db } from '../db/database.js';
import {
  makeAccount,
  makeCategory,
  makeDepartment,
  makeResident,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
  unitOf,
} from '../test/factories.js';
import { type Client, signIn, signInResident } from '../test/harness.js';

/** The columns of the permission matrix: who is asking. */
export const ACTORS = [
  'anonymous',
  'resident',
  'machine',
  'cityAdmin',
  'districtAdmin',
  'admin',
  'leader',
  'supervisor',
  'dispatcher',
  'handler',
  'committee',
  'gridWorker',
] as const;
export type ActorName = (typeof ACTORS)[number];

/** Where the record of a request lies, seen from district A's actors. */
export const PLACES = ['inScope', 'outOfScope', 'otherDistrict'] as const;
export type Place = (typeof PLACES)[number];

/** Records of one kind, one per place. */
export type Placed<T> = Record<Place, T>;

export interface CaseRecord {
  id: string;
  number: string;
  trackingCode: string;
}

export interface World {
  a: Territory;
  b: Territory;
  category: { id: string; code: string };
  departments: { a: { id: string; code: string }; b: { id: string; code: string } };
  /** Everyone who asks; `anonymous` and `machine` send no cookie. */
  send(
    actor: ActorName,
    method: string,
    url: string,
    options?: { payload?: string | Buffer; headers?: Record<string, string>; remoteAddress?: string },
  ): Promise<LightMyRequestResponse>;
  /** Staff ids of the signed-in actors (never used as records to change). */
  actorAccountIds: Set<string>;
  machineKey: string;
  cases: Placed<CaseRecord>;
  people: Placed<string>;
  households: Placed<string>;
  units: Placed<string>;
  /** Accounts that no actor signs in with, so changing them disturbs no column of the matrix. */
  accounts: Placed<{ id: string; grantId: string; username: string }>;
  /** Personal data filed in this world (names, phones, ID numbers): it must never reach a log. */
  personalData: string[];
  /** The caller's name and phone of each place's case. */
  casePersonalData: Placed<string[]>;
  /** The name, ID number and phone of each place's person. */
  archivePersonalData: Placed<string[]>;
}

/** Which places' records of each kind an actor may see (cases, the resident archive, staff accounts). */
export const REACH: Record<
  ActorName,
  { cases: readonly Place[]; archive: readonly Place[]; accounts: readonly Place[] }
> = {
  anonymous: { cases: [], archive: [], accounts: [] },
  resident: { cases: [], archive: [], accounts: [] },
  machine: { cases: [], archive: [], accounts: [] },
  cityAdmin: { cases: PLACES, archive: PLACES, accounts: PLACES },
  districtAdmin: {
    cases: ['inScope', 'outOfScope'],
    archive: ['inScope', 'outOfScope'],
    accounts: ['inScope', 'outOfScope'],
  },
  admin: { cases: ['inScope', 'outOfScope'], archive: ['inScope', 'outOfScope'], accounts: ['inScope', 'outOfScope'] },
  leader: { cases: ['inScope', 'outOfScope'], archive: ['inScope', 'outOfScope'], accounts: [] },
  // The closed loop does not need the archive (archive.policy.ts).
  supervisor: { cases: ['inScope', 'outOfScope'], archive: [], accounts: [] },
  dispatcher: { cases: ['inScope', 'outOfScope'], archive: [], accounts: [] },
  // Any staff grant covering a case's unit reads it (case.policy.ts); a department reads archive records
  // only through tags granted to it (none here).
  handler: { cases: ['inScope', 'outOfScope'], archive: [], accounts: [] },
  committee: { cases: ['inScope'], archive: ['inScope'], accounts: [] },
  gridWorker: { cases: ['inScope'], archive: ['inScope'], accounts: [] },
};

/**
 * What the actor must never be shown: the identifiers and personal data of records outside its
 * reach. A case's own identifiers are not secret from a request that names its tracking code or
 * number (the tracking code is the reporter's capability; numbers are what a follower types).
 */
export function secretsFor(world: World, actor: ActorName, request: string): string[] {
  const reach = REACH[actor];
  return PLACES.flatMap((place) => {
    const out: string[] = [];
    if (!reach.cases.includes(place)) {
      const c = world.cases[place];
      const named = request.includes(c.trackingCode) || request.includes(c.number);
      if (!named) out.push(c.id, c.number, c.trackingCode);
      out.push(...world.casePersonalData[place]);
    }
    if (!reach.archive.includes(place))
      out.push(world.people[place], world.households[place], ...world.archivePersonalData[place]);
    if (!reach.accounts.includes(place)) out.push(world.accounts[place].id, world.accounts[place].username);
    return out;
  });
}

/** The unit each actor's grant names, in district A. */
const STAFF: Record<
  Exclude<ActorName, 'anonymous' | 'resident' | 'machine'>,
  { role: Role; unit: (t: Territory) => string }
> = {
  cityAdmin: { role: 'admin', unit: (t) => t.city },
  districtAdmin: { role: 'admin', unit: (t) => t.district },
  admin: { role: 'admin', unit: (t) => t.subdistrict },
  leader: { role: 'leader', unit: (t) => t.subdistrict },
  supervisor: { role: 'supervisor', unit: (t) => t.subdistrict },
  dispatcher: { role: 'dispatcher', unit: (t) => t.subdistrict },
  handler: { role: 'handler', unit: (t) => t.subdistrict },
  committee: { role: 'committee_staff', unit: (t) => t.communities[0] },
  gridWorker: { role: 'grid_worker', unit: (t) => t.grids[0] },
};

let personSerial = 0;

export async function makeWorld(db: Db, app: FastifyInstance): Promise<World> {
  const a = await makeTerritory(db);
  const b = await makeTerritory(db, [121.6, 31.4]);
  const category = await makeCategory(db);
  const departments = { a: await makeDepartment(db, a), b: await makeDepartment(db, b) };
  const clients = new Map<ActorName, Client>();
  const actorAccountIds = new Set<string>();
  for (const [name, spec] of Object.entries(STAFF)) {
    const dep = spec.role === 'handler' ? { departmentId: departments.a.id, departmentCode: departments.a.code } : {};
    const made = await makeAccount(db, a, spec.role, spec.unit(a), dep);
    actorAccountIds.add(made.id);
    clients.set(name as ActorName, await signIn(app, made.username, TEST_PASSWORD));
  }
  const resident = await makeResident(db);
  clients.set('resident', await signInResident(app, resident.phone, TEST_PASSWORD));

  const staff = (name: ActorName) => {
    const client = clients.get(name);
    if (!client) throw new Error(`no client ${name}`);
    return client;
  };
  const adminB = await signIn(app, (await makeAccount(db, b, 'admin', b.subdistrict)).username, TEST_PASSWORD);
  const dispatcherB = await signIn(
    app,
    (await makeAccount(db, b, 'dispatcher', b.subdistrict)).username,
    TEST_PASSWORD,
  );

  const keyRes = await staff('admin').request('POST', '/api/machine-keys', {
    name: '烟感网关',
    unitId: unitOf(a, a.subdistrict).id,
  });
  if (keyRes.statusCode !== 201) throw new Error(`machine key: ${keyRes.body}`);
  const machineKey = (keyRes.json() as { key: string }).key;

  const personalData: string[] = [];
  const report = async (client: Client, t: Territory, grid: number): Promise<CaseRecord & { personal: string[] }> => {
    const [lng, lat] = t.gridCentres[grid] as [number, number];
    const caller = { name: `来电人${++personSerial}号`, phone: `1391234${String(personSerial).padStart(4, '0')}` };
    personalData.push(caller.name, caller.phone);
    const res = await client.request('POST', '/api/cases', {
      channel: 'hotline',
      categoryCode: category.code,
      description: '楼道堆物，影响通行',
      lng,
      lat,
      caller,
    });
    if (res.statusCode !== 201) throw new Error(`report: ${res.statusCode} ${res.body}`);
    return { ...(res.json() as CaseRecord), personal: [caller.name, caller.phone] };
  };
  const file = async (client: Client, t: Territory, grid: number) => {
    personSerial += 1;
    const name = `档案测试人${personSerial}`;
    const idNumber = idNumberFor('19800101', personSerial);
    const phone = `1380013${String(personSerial).padStart(4, '0')}`;
    personalData.push(name, idNumber, phone);
    const unitId = unitOf(t, t.grids[grid] as string).id;
    const person = await client.request('POST', '/api/archive/people', { name, unitId, idNumber, phones: [phone] });
    if (person.statusCode !== 201) throw new Error(`person: ${person.statusCode} ${person.body}`);
    const personId = (person.json() as { id: string }).id;
    const household = await client.request('POST', '/api/archive/households', {
      unitId,
      address: `测试路${personSerial}号`,
      members: [{ personId, relation: 'head' }],
    });
    if (household.statusCode !== 201) throw new Error(`household: ${household.statusCode} ${household.body}`);
    return { personId, householdId: (household.json() as { id: string }).id, personal: [name, idNumber, phone] };
  };
  const victim = async (t: Territory, unit: string) => {
    const made = await makeAccount(db, t, 'grid_worker', unit);
    const grant = await db
      .selectFrom('accountGrant')
      .select('id')
      .where('accountId', '=', made.id)
      .executeTakeFirstOrThrow();
    return { id: made.id, grantId: grant.id, username: made.username };
  };

  const reported = {
    inScope: await report(staff('dispatcher'), a, 0),
    outOfScope: await report(staff('dispatcher'), a, 3),
    otherDistrict: await report(dispatcherB, b, 0),
  };
  const filed = {
    inScope: await file(staff('admin'), a, 0),
    outOfScope: await file(staff('admin'), a, 3),
    otherDistrict: await file(adminB, b, 0),
  };
  const pick = <T>(f: (p: Place) => T): Placed<T> => ({
    inScope: f('inScope'),
    outOfScope: f('outOfScope'),
    otherDistrict: f('otherDistrict'),
  });
  return {
    a,
    b,
    category,
    departments,
    actorAccountIds,
    machineKey,
    cases: pick((p) => ({ id: reported[p].id, number: reported[p].number, trackingCode: reported[p].trackingCode })),
    casePersonalData: pick((p) => reported[p].personal),
    archivePersonalData: pick((p) => filed[p].personal),
    people: pick((p) => filed[p].personId),
    households: pick((p) => filed[p].householdId),
    units: {
      inScope: unitOf(a, a.grids[0]).id,
      outOfScope: unitOf(a, a.grids[3]).id,
      otherDistrict: unitOf(b, b.grids[0]).id,
    },
    accounts: {
      inScope: await victim(a, a.grids[0]),
      outOfScope: await victim(a, a.grids[3]),
      otherDistrict: await victim(b, b.grids[0]),
    },
    personalData,
    send: (actor, method, url, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      const client = clients.get(actor);
      if (client) Object.assign(headers, { cookie: client.cookie, 'x-csrf-token': client.csrf }, options.headers);
      if (actor === 'machine') headers.authorization ??= `Bearer ${machineKey}`;
      return app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
        ...(options.payload === undefined ? {} : { payload: options.payload }),
      });
    },
  };
}

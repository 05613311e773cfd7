/**
 * Test fixtures of the archive: a territory with the staff the access rules talk about, and
 * people filed through the real API. Each call builds its own territory (no shared fixtures).
 */
import type { FastifyInstance } from 'fastify';
import { completeIdNumber } from '../../common/id-number.js';
import type { Db } from '../db/database.js';
import {
  makeAccount,
  makeDepartment,
  makeTerritory,
  TEST_PASSWORD,
  type Territory,
  unitOf,
} from '../test/factories.js';
import { type Client, signIn } from '../test/harness.js';

let serial = 0;

/** A valid ID number (check digit computed) for a birth date YYYYMMDD; odd `seq` men, even women. */
export function idNumberFor(birth: string, seq?: number, region = '310104'): string {
  serial += 1;
  const n = seq ?? serial;
  return completeIdNumber(`${region}${birth}${String(n % 1000).padStart(3, '0')}`);
}

export interface ArchiveWorld {
  t: Territory;
  department: { id: string; code: string };
  /** Grid worker of grid 0 (community 0). */
  gridA: Client;
  /** Grid worker of grid 1 (community 0). */
  gridB: Client;
  /** Committee staff of community 0 and of community 1. */
  committee: Client;
  committeeOther: Client;
  admin: Client;
  leader: Client;
  dispatcher: Client;
  /** A handler of `department`, granted at the subdistrict. */
  handler: Client;
  unit(code: string): { id: string; path: string; district: string; code: string };
}

export async function makeArchiveWorld(db: Db, app: FastifyInstance): Promise<ArchiveWorld> {
  const t = await makeTerritory(db);
  const department = await makeDepartment(db, t);
  const as = async (role: Parameters<typeof makeAccount>[2], unit: string, dep?: { id: string; code: string }) => {
    const made = await makeAccount(db, t, role, unit, dep ? { departmentId: dep.id, departmentCode: dep.code } : {});
    return signIn(app, made.username, TEST_PASSWORD);
  };
  return {
    t,
    department,
    gridA: await as('grid_worker', t.grids[0]),
    gridB: await as('grid_worker', t.grids[1]),
    committee: await as('committee_staff', t.communities[0]),
    committeeOther: await as('committee_staff', t.communities[1]),
    admin: await as('admin', t.subdistrict),
    leader: await as('leader', t.subdistrict),
    dispatcher: await as('dispatcher', t.subdistrict),
    handler: await as('handler', t.subdistrict, department),
    unit: (code) => unitOf(t, code),
  };
}

export interface PersonInput {
  name: string;
  unitId: string;
  idNumber?: string | null;
  birthDate?: string;
  gender?: 'male' | 'female';
  phones?: string[];
  address?: string;
  notes?: string;
  [key: string]: unknown;
}

/** Files a person through the API; throws unless 201. Returns the created view's id. */
export async function filePerson(client: Client, body: PersonInput): Promise<string> {
  const res = await client.request('POST', '/api/archive/people', body);
  if (res.statusCode !== 201) throw new Error(`filing ${body.name} failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

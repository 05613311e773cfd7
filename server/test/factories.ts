/**
 * Factories: each call builds its own small territory (a fresh district code), so tests in one
 * database never share mutable fixtures.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../../common/roles.js';
import type { UnitGeometry } from '../../common/territory.js';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import { createAccount } from '../accounts/commands/create-account.js';
import { hashPassword } from '../accounts/password.js';
import type { Db } from '../db/database.js';
import { createDepartment } from '../departments/commands/save-department.js';
import { importUnits } from '../territory/commands/import-units.js';

let districtSerial = 0;
export const TEST_PASSWORD = 'Testing12345';

/** An axis-aligned square polygon (lng/lat), counter-clockwise. */
export function square(lng: number, lat: number, size: number): UnitGeometry {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
      ],
    ],
  };
}

export interface Territory {
  city: string;
  district: string;
  subdistrict: string;
  communities: [string, string];
  grids: [string, string, string, string];
  /** Centre of each unit grid. */
  gridCentres: [number, number][];
  units: Map<string, { id: string; path: string; district: string }>;
}

/**
 * City → district → subdistrict → 2 communities → 2 unit grids each. The subdistrict is a 0.02°
 * square; each community its half; each grid a quarter of the community.
 */
export async function makeTerritory(db: Db, origin: [number, number] = [121.4, 31.2]): Promise<Territory> {
  districtSerial += 1;
  const districtNo = String(10 + ((process.pid * 7 + districtSerial) % 89)).padStart(2, '0');
  const city = '310000000000';
  const district = `3101${districtNo}000000`;
  const subdistrict = `3101${districtNo}001000`;
  const communities: [string, string] = [`3101${districtNo}001001`, `3101${districtNo}001002`];
  const [x, y] = origin;
  const grids: Territory['grids'] = [
    `${communities[0]}001`,
    `${communities[0]}002`,
    `${communities[1]}001`,
    `${communities[1]}002`,
  ];
  const gridGeometry = [
    square(x, y, 0.01),
    square(x + 0.01, y, 0.01),
    square(x, y + 0.01, 0.01),
    square(x + 0.01, y + 0.01, 0.01),
  ];
  const rows = [
    { ref: 'city', code: city, name: '上海市' },
    { ref: 'district', code: district, name: `测试${districtNo}区` },
    { ref: 'subdistrict', code: subdistrict, name: '测试街道', geometry: square(x, y, 0.02) },
    {
      ref: 'c1',
      code: communities[0],
      name: '东苑居委会',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x, y],
            [x + 0.02, y],
            [x + 0.02, y + 0.01],
            [x, y + 0.01],
            [x, y],
          ],
        ],
      },
    },
    {
      ref: 'c2',
      code: communities[1],
      name: '西苑居委会',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x, y + 0.01],
            [x + 0.02, y + 0.01],
            [x + 0.02, y + 0.02],
            [x, y + 0.02],
            [x, y + 0.01],
          ],
        ],
      },
    },
    ...grids.map((code, i) => ({ ref: `g${i}`, code, name: `第${i + 1}网格`, geometry: gridGeometry[i] })),
  ];
  const summary = await importUnits(db, { actor: SYSTEM_ACTOR }, { rows, source: 'factory', allowUpdate: true });
  const units = new Map<string, { id: string; path: string; district: string }>();
  const found = await db
    .selectFrom('unit')
    .select(['id', 'code', 'path', 'district'])
    .where(
      'code',
      'in',
      summary.units.map((u) => u.code),
    )
    .execute();
  for (const u of found) units.set(u.code, u);
  const gridCentres: [number, number][] = [
    [x + 0.005, y + 0.005],
    [x + 0.015, y + 0.005],
    [x + 0.005, y + 0.015],
    [x + 0.015, y + 0.015],
  ];
  return { city, district, subdistrict, communities, grids, gridCentres, units };
}

export function unitOf(territory: Territory, code: string) {
  const unit = territory.units.get(code);
  if (!unit) throw new Error(`no unit ${code} in this territory`);
  return { ...unit, code };
}

let accountSerial = 0;

/** A staff account with one grant; returns its username (password TEST_PASSWORD). */
export async function makeAccount(
  db: Db,
  territory: Territory,
  role: Role,
  unitCode: string,
  options: { departmentId?: string; departmentCode?: string } = {},
): Promise<{ id: string; username: string }> {
  accountSerial += 1;
  const username = `${role.replace('_', '')}${accountSerial}x${process.pid % 1000}`;
  const id = await db.transaction().execute((trx) =>
    createAccount(
      trx,
      { actor: SYSTEM_ACTOR },
      {
        username,
        displayName: `测试${role}`,
        phone: null,
        password: TEST_PASSWORD,
        mustChangePassword: false,
        grants: [
          {
            role,
            unit: unitOf(territory, unitCode),
            department: options.departmentId ? { id: options.departmentId, code: options.departmentCode ?? 'D' } : null,
            grantedBy: null,
          },
        ],
      },
    ),
  );
  return { id, username };
}

let departmentSerial = 0;

export async function makeDepartment(db: Db, territory: Territory): Promise<{ id: string; code: string }> {
  departmentSerial += 1;
  const code = `T${territory.district.slice(4, 6)}-${departmentSerial}`;
  const id = await db.transaction().execute((trx) =>
    createDepartment(
      trx,
      { actor: SYSTEM_ACTOR },
      {
        code,
        name: '测试城管中队',
        kind: 'urban_enforcement',
        level: 'subdistrict',
        servesUnit: unitOf(territory, territory.subdistrict),
        deployedToUnitId: null,
      },
    ),
  );
  return { id, code };
}

let residentSerial = 0;

/** A resident account (phone-based); password TEST_PASSWORD. */
export async function makeResident(db: Db): Promise<{ id: string; phone: string }> {
  residentSerial += 1;
  const phone = `137${String(process.pid % 10_000).padStart(4, '0')}${String(residentSerial).padStart(4, '0')}`;
  const id = uuidv7();
  await db
    .insertInto('resident')
    .values({
      id,
      phone,
      displayName: '测试居民',
      passwordHash: await hashPassword(TEST_PASSWORD),
      createdAt: new Date(),
      updatedAt: new Date(),
    })
    .execute();
  return { id, phone };
}

let categorySerial = 0;

/** A case category (and its major), with optional self-register / self-handle permissions. */
export async function makeCategory(
  db: Db,
  options: { selfRegister?: boolean; selfHandle?: boolean; nameZh?: string; nameEn?: string; keywords?: string[] } = {},
): Promise<{ id: string; code: string }> {
  categorySerial += 1;
  const major = String(40 + (categorySerial % 50)).padStart(2, '0');
  const code = `${major}${String(categorySerial).padStart(2, '0')}`;
  await db
    .insertInto('category')
    .values({
      id: uuidv7(),
      code: `${major}00`,
      majorCode: major,
      kind: 'event',
      nameZh: '测试大类',
      nameEn: 'Test major',
      departmentKind: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const id = uuidv7();
  await db
    .insertInto('category')
    .values({
      id,
      code,
      majorCode: major,
      kind: 'event',
      nameZh: options.nameZh ?? '暴露垃圾',
      nameEn: options.nameEn ?? 'Exposed rubbish',
      keywords: options.keywords ?? [],
      departmentKind: 'greening_sanitation',
      selfRegister: options.selfRegister ?? false,
      selfHandle: options.selfHandle ?? false,
      createdAt: new Date(),
      updatedAt: new Date(),
    })
    .execute();
  return { id, code };
}

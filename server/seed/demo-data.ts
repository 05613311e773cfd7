/**
 * The demo subdistrict, as pure data: a fictional 梧桐街道 in Shanghai's Xuhui district with ten
 * residents' committees, twenty responsibility grids and forty unit grids (with polygons), the
 * district and subdistrict departments (条) that serve it, one documented staff account per role, a
 * few residents, and the workforce behind them (who act in the demo history). Deterministic: the
 * same seed always gives the same data. `seed-demo.ts` writes it into a database.
 *
 * Territory codes follow China's statistical division codes padded to 12 digits (city … community);
 * grids append 3 digits to their committee's code: responsibility grids 901, 902; unit grids 001–004.
 */

import type { Role } from '../../common/roles.js';
import type { DepartmentKind, DepartmentLevel, UnitGeometry, UnitKind, UnitLevel } from '../../common/territory.js';
import { blockRing, buildLattice, type Lattice, polygon } from './demo-geometry.js';
import { randomMobile, randomPersonName } from './demo-names.js';
import { createRng, type Rng } from './random.js';

export interface DemoUnit {
  code: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  parentCode: string | null;
  geometry: UnitGeometry | null;
}

export interface DemoDepartment {
  code: string;
  name: string;
  kind: DepartmentKind;
  level: DepartmentLevel;
  servesUnitCode: string;
  deployedToUnitCode: string | null;
}

export interface DemoGrant {
  role: Role;
  unitCode: string;
  departmentCode: string | null;
}

export interface DemoAccount {
  username: string;
  displayName: string;
  phone: string;
  password: string;
  grants: DemoGrant[];
  note: { zh: string; en: string };
}

export interface DemoResident {
  phone: string;
  displayName: string;
  password: string;
}

export interface DemoData {
  units: DemoUnit[];
  departments: DemoDepartment[];
  accounts: DemoAccount[];
  residents: DemoResident[];
  /**
   * The rest of the subdistrict's staff, behind the documented logins: a grid worker for every
   * responsibility grid, committee staff for every committee, handlers for every department, more
   * dispatchers and a second supervisor. The demo history acts through them.
   */
  workforce: DemoAccount[];
  /** More residents, who report through the public pages in the demo history. */
  neighbours: DemoResident[];
}

/** The default seed: the same demo everywhere unless asked otherwise. */
export const DEMO_SEED = 20261122;
/** Password of every demo staff account. */
export const DEMO_PASSWORD = 'Gridloop@2026';
/** Password of every demo resident. */
export const DEMO_RESIDENT_PASSWORD = 'Resident@2026';

export const DEMO_CITY_CODE = '310000000000';
export const DEMO_DISTRICT_CODE = '310104000000';
/** The fictional subdistrict (090 is not a real Xuhui subdistrict code). */
export const DEMO_SUBDISTRICT_CODE = '310104090000';
export const DEMO_SUBDISTRICT_NAME = '梧桐街道';

/** Residents' committees, west to east then north to south (see the lattice below). */
const COMMITTEE_NAMES = [
  '梧桐苑',
  '枫林新村',
  '丁香花园',
  '康宁小区',
  '香樟里',
  '玉兰坊',
  '银杏新村',
  '海棠苑',
  '紫藤公寓',
  '桂园',
] as const;

/** Extent of the subdistrict (WGS84), in central Xuhui. */
const EXTENT = { west: 121.425, east: 121.455, south: 31.17, north: 31.19 };
/** Cells across and down; a committee is a 2 × 2 block of cells, so 5 × 2 committees. */
const COLUMNS = 10;
const ROWS = 4;
const BLOCK = 2;

const CHINESE_ORDINALS = ['一', '二', '三', '四'] as const;

/** The code of a committee by index 0…9. */
export function demoCommitteeCode(index: number): string {
  return `310104090${String(index + 1).padStart(3, '0')}`;
}

interface Cell {
  column: number;
  row: number;
}

interface ResponsibilityGridPlan {
  /** Block in lattice cells. */
  column: number;
  row: number;
  width: number;
  height: number;
  /** Its two unit grids, in numbering order. */
  cells: [Cell, Cell];
}

/**
 * How a committee's 2 × 2 block splits into two responsibility grids. Committees alternate in a
 * checkerboard: some split into a western and an eastern column (1 × 2 each), the others into a
 * northern and a southern row (2 × 1 each). Unit grids are numbered 1–2 in the first responsibility
 * grid and 3–4 in the second.
 */
function planCommittee(blockColumn: number, blockRow: number): [ResponsibilityGridPlan, ResponsibilityGridPlan] {
  const c = blockColumn * BLOCK;
  const r = blockRow * BLOCK;
  const byColumns = (blockColumn + blockRow) % 2 === 0;
  if (byColumns) {
    return [
      {
        column: c,
        row: r,
        width: 1,
        height: 2,
        cells: [
          { column: c, row: r },
          { column: c, row: r + 1 },
        ],
      },
      {
        column: c + 1,
        row: r,
        width: 1,
        height: 2,
        cells: [
          { column: c + 1, row: r },
          { column: c + 1, row: r + 1 },
        ],
      },
    ];
  }
  return [
    {
      column: c,
      row: r,
      width: 2,
      height: 1,
      cells: [
        { column: c, row: r },
        { column: c + 1, row: r },
      ],
    },
    {
      column: c,
      row: r + 1,
      width: 2,
      height: 1,
      cells: [
        { column: c, row: r + 1 },
        { column: c + 1, row: r + 1 },
      ],
    },
  ];
}

function generateUnits(lattice: Lattice): DemoUnit[] {
  const city: DemoUnit = {
    code: DEMO_CITY_CODE,
    name: '上海市',
    level: 'city',
    kind: 'standard',
    parentCode: null,
    geometry: null,
  };
  const district: DemoUnit = {
    code: DEMO_DISTRICT_CODE,
    name: '徐汇区',
    level: 'district',
    kind: 'standard',
    parentCode: DEMO_CITY_CODE,
    geometry: null,
  };
  const subdistrict: DemoUnit = {
    code: DEMO_SUBDISTRICT_CODE,
    name: DEMO_SUBDISTRICT_NAME,
    level: 'subdistrict',
    kind: 'standard',
    parentCode: DEMO_DISTRICT_CODE,
    geometry: polygon(blockRing(lattice, 0, 0, COLUMNS, ROWS)),
  };

  const communities: DemoUnit[] = [];
  const responsibilityGrids: DemoUnit[] = [];
  const grids: DemoUnit[] = [];
  const blocksAcross = COLUMNS / BLOCK;
  COMMITTEE_NAMES.forEach((short, index) => {
    const blockColumn = index % blocksAcross;
    const blockRow = Math.floor(index / blocksAcross);
    const code = demoCommitteeCode(index);
    communities.push({
      code,
      name: `${short}居委会`,
      level: 'community',
      kind: 'residential',
      parentCode: DEMO_SUBDISTRICT_CODE,
      geometry: polygon(blockRing(lattice, blockColumn * BLOCK, blockRow * BLOCK, BLOCK, BLOCK)),
    });
    let gridNumber = 0;
    planCommittee(blockColumn, blockRow).forEach((plan, r) => {
      const rgCode = `${code}${901 + r}`;
      responsibilityGrids.push({
        code: rgCode,
        name: `${short}责任网格${CHINESE_ORDINALS[r]}`,
        level: 'responsibility_grid',
        kind: 'standard',
        parentCode: code,
        geometry: polygon(blockRing(lattice, plan.column, plan.row, plan.width, plan.height)),
      });
      for (const cell of plan.cells) {
        gridNumber += 1;
        grids.push({
          code: `${code}${String(gridNumber).padStart(3, '0')}`,
          name: `${short}第${gridNumber}网格`,
          level: 'grid',
          kind: 'standard',
          parentCode: rgCode,
          geometry: polygon(blockRing(lattice, cell.column, cell.row)),
        });
      }
    });
  });
  // Level by level, so every parent comes before its children.
  return [city, district, subdistrict, ...communities, ...responsibilityGrids, ...grids];
}

/** District departments code `D310104-XX`; subdistrict ones `D310104090-XX`. */
const DISTRICT_DEPARTMENT_PREFIX = 'D310104';
const SUBDISTRICT_DEPARTMENT_PREFIX = 'D310104090';

/** The 城管执法中队 deployed to the subdistrict: the demo handler works for it. */
export const DEMO_ENFORCEMENT_SQUAD_CODE = `${SUBDISTRICT_DEPARTMENT_PREFIX}-CG`;

function generateDepartments(): DemoDepartment[] {
  const district = (suffix: string, name: string, kind: DepartmentKind): DemoDepartment => ({
    code: `${DISTRICT_DEPARTMENT_PREFIX}-${suffix}`,
    name,
    kind,
    level: 'district',
    servesUnitCode: DEMO_DISTRICT_CODE,
    deployedToUnitCode: null,
  });
  const subdistrict = (suffix: string, name: string, kind: DepartmentKind, deployed: boolean): DemoDepartment => ({
    code: `${SUBDISTRICT_DEPARTMENT_PREFIX}-${suffix}`,
    name,
    kind,
    level: 'subdistrict',
    servesUnitCode: DEMO_SUBDISTRICT_CODE,
    deployedToUnitCode: deployed ? DEMO_SUBDISTRICT_CODE : null,
  });
  return [
    district('CG', '徐汇区城管执法局', 'urban_enforcement'),
    district('FG', '徐汇区房屋管理局', 'housing'),
    district('LH', '徐汇区绿化和市容管理局', 'greening_sanitation'),
    district('SJ', '徐汇区市场监督管理局', 'market_regulation'),
    district('HJ', '徐汇区生态环境局', 'environment'),
    district('YJ', '徐汇区应急管理局', 'emergency'),
    district('MZ', '徐汇区民政局', 'civil_affairs'),
    district('JW', '徐汇区建设和管理委员会', 'other'),
    subdistrict('CG', `${DEMO_SUBDISTRICT_NAME}城管执法中队`, 'urban_enforcement', true),
    subdistrict('FG', `${DEMO_SUBDISTRICT_NAME}房管办`, 'housing', false),
    subdistrict('SJ', '梧桐市场监管所', 'market_regulation', true),
    subdistrict('PCS', '梧桐派出所', 'police_station', true),
    subdistrict('WG', `${DEMO_SUBDISTRICT_NAME}网格化综合管理中心`, 'grid_centre', false),
    subdistrict('SQ', `${DEMO_SUBDISTRICT_NAME}社区管理办`, 'other', false),
    subdistrict('SR', `${DEMO_SUBDISTRICT_NAME}市容所`, 'greening_sanitation', false),
  ];
}

/** Draws names and phones that are unique within one generated data set. */
class PeopleDrawer {
  private readonly names = new Set<string>();
  private readonly phones = new Set<string>();
  constructor(private readonly rng: Rng) {}

  name(): string {
    let name = randomPersonName(this.rng);
    while (this.names.has(name)) name = randomPersonName(this.rng);
    this.names.add(name);
    return name;
  }

  phone(): string {
    let phone = randomMobile(this.rng, '139');
    while (this.phones.has(phone)) phone = randomMobile(this.rng, '139');
    this.phones.add(phone);
    return phone;
  }
}

interface AccountPlan {
  username: string;
  role: Role;
  unitCode: string;
  departmentCode?: string;
  note: { zh: string; en: string };
}

function accountPlans(units: DemoUnit[]): AccountPlan[] {
  const firstCommittee = demoCommitteeCode(0);
  const otherCommittee = demoCommitteeCode(6);
  const committeeName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  return [
    {
      username: 'admin',
      role: 'admin',
      unitCode: DEMO_SUBDISTRICT_CODE,
      note: { zh: `街道管理员（${DEMO_SUBDISTRICT_NAME}）`, en: 'Subdistrict administrator' },
    },
    {
      username: 'districtadmin',
      role: 'admin',
      unitCode: DEMO_DISTRICT_CODE,
      note: { zh: '区管理员（徐汇区）', en: 'District administrator (Xuhui)' },
    },
    {
      username: 'leader',
      role: 'leader',
      unitCode: DEMO_SUBDISTRICT_CODE,
      note: { zh: '街道领导，查看全街道态势', en: 'Subdistrict leader: sees the whole subdistrict' },
    },
    {
      username: 'supervisor',
      role: 'supervisor',
      unitCode: DEMO_SUBDISTRICT_CODE,
      note: { zh: '街道督办员', en: 'Subdistrict supervisor' },
    },
    {
      username: 'dispatcher',
      role: 'dispatcher',
      unitCode: DEMO_SUBDISTRICT_CODE,
      note: { zh: '网格化综合管理中心受理派遣员', en: 'Dispatcher at the grid management centre' },
    },
    {
      username: 'handler',
      role: 'handler',
      unitCode: DEMO_SUBDISTRICT_CODE,
      departmentCode: DEMO_ENFORCEMENT_SQUAD_CODE,
      note: {
        zh: `部门处置人员（${DEMO_SUBDISTRICT_NAME}城管执法中队）`,
        en: 'Department handler (urban enforcement squad)',
      },
    },
    {
      username: 'committee',
      role: 'committee_staff',
      unitCode: firstCommittee,
      note: { zh: `居委社工（${committeeName(firstCommittee)}）`, en: 'Committee staff (first committee)' },
    },
    {
      username: 'gridworker',
      role: 'grid_worker',
      unitCode: `${firstCommittee}901`,
      note: {
        zh: `网格员（${committeeName(firstCommittee)}责任网格一）`,
        en: "Grid worker (first committee's first responsibility grid)",
      },
    },
    {
      username: 'gridworker2',
      role: 'grid_worker',
      unitCode: `${otherCommittee}902`,
      note: {
        zh: `网格员（${committeeName(otherCommittee)}责任网格二）`,
        en: 'Grid worker in another committee (cannot see the first one)',
      },
    },
  ];
}

const NEIGHBOURS = 20;
/** Subdistrict departments busy enough to have two handlers. */
const BUSY_KINDS: readonly DepartmentKind[] = ['urban_enforcement', 'greening_sanitation', 'housing'];

/** The workforce: drawn after the documented accounts and residents, so their names stay as they were. */
function workforcePlans(units: DemoUnit[], departments: DemoDepartment[]): AccountPlan[] {
  const plans: AccountPlan[] = [];
  const nameOf = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  const committees = units.filter((u) => u.level === 'community');
  committees.forEach((committee, i) => {
    const n = String(i + 1).padStart(2, '0');
    const short = committee.name.replace(/居委会$/, '');
    plans.push({
      username: `cs${n}`,
      role: 'committee_staff',
      unitCode: committee.code,
      note: { zh: `居委社工（${committee.name}）`, en: `Committee staff (${short})` },
    });
    units
      .filter((u) => u.level === 'responsibility_grid' && u.parentCode === committee.code)
      .forEach((grid, r) => {
        plans.push({
          username: `gw${n}${'ab'[r] ?? String(r)}`,
          role: 'grid_worker',
          unitCode: grid.code,
          note: { zh: `网格员（${nameOf(grid.code)}）`, en: `Grid worker (${short}, responsibility grid ${r + 1})` },
        });
      });
  });
  for (const n of [2, 3]) {
    plans.push({
      username: `dispatcher${n}`,
      role: 'dispatcher',
      unitCode: DEMO_SUBDISTRICT_CODE,
      note: { zh: '网格化综合管理中心受理派遣员', en: 'Dispatcher at the grid management centre' },
    });
  }
  plans.push({
    username: 'supervisor2',
    role: 'supervisor',
    unitCode: DEMO_SUBDISTRICT_CODE,
    note: { zh: '街道督办员', en: 'Subdistrict supervisor' },
  });
  for (const d of departments) {
    if (d.kind === 'grid_centre') continue;
    const stem = `h${d.level === 'district' ? 'd' : 's'}-${d.code.slice(d.code.lastIndexOf('-') + 1).toLowerCase()}`;
    const count = d.level === 'subdistrict' && BUSY_KINDS.includes(d.kind) ? 2 : 1;
    for (let i = 1; i <= count; i++) {
      plans.push({
        username: i === 1 ? stem : `${stem}${i}`,
        role: 'handler',
        unitCode: d.servesUnitCode,
        departmentCode: d.code,
        note: { zh: `部门处置人员（${d.name}）`, en: `Department handler (${d.code})` },
      });
    }
  }
  return plans;
}

/**
 * The demo data set for a seed. Units are listed parents first; every account's grant refers to a
 * unit (and, for the handler, a department) in the same data set.
 */
export function generateDemo(seed: number = DEMO_SEED): DemoData {
  const rng = createRng(seed);
  const lattice = buildLattice(rng.fork('geometry'), { columns: COLUMNS, rows: ROWS, ...EXTENT, jitter: 0.2 });
  const units = generateUnits(lattice);
  const departments = generateDepartments();
  const people = new PeopleDrawer(rng.fork('people'));

  const accounts: DemoAccount[] = accountPlans(units).map((plan) => ({
    username: plan.username,
    displayName: people.name(),
    phone: people.phone(),
    password: DEMO_PASSWORD,
    grants: [{ role: plan.role, unitCode: plan.unitCode, departmentCode: plan.departmentCode ?? null }],
    note: plan.note,
  }));

  const residents: DemoResident[] = [1, 2, 3].map((n) => ({
    phone: `138${String(n).padStart(8, '0')}`,
    displayName: people.name(),
    password: DEMO_RESIDENT_PASSWORD,
  }));

  const workforce: DemoAccount[] = workforcePlans(units, departments).map((plan) => ({
    username: plan.username,
    displayName: people.name(),
    phone: people.phone(),
    password: DEMO_PASSWORD,
    grants: [{ role: plan.role, unitCode: plan.unitCode, departmentCode: plan.departmentCode ?? null }],
    note: plan.note,
  }));
  const neighbours: DemoResident[] = Array.from({ length: NEIGHBOURS }, (_, i) => ({
    phone: `138${String(i + 4).padStart(8, '0')}`,
    displayName: people.name(),
    password: DEMO_RESIDENT_PASSWORD,
  }));

  return { units, departments, accounts, residents, workforce, neighbours };
}

/**
 * Checks a whole set of import rows against each other and the database before anything is
 * written: codes, levels, parents, kinds, geometry, containment in the parent and overlaps of unit
 * grids within a community. Every problem is reported with the row and the reason.
 */
import {
  LEVEL_DEPTH,
  UNIT_KINDS,
  type UnitGeometry,
  type UnitKind,
  type UnitLevel,
} from '../../../common/territory.js';
import type { Db, Trx } from '../../db/database.js';
import { isWithin, overlaps, validateGeometry } from '../geo/geometry.js';
import { districtOfCode, expectedParentCodes, isCodeUnder, levelOfCode } from '../geo/unit-code.js';
import type { ImportProblem, ImportRow, ProgressFn } from './import-row.js';

const PARENT_LEVELS: Record<UnitLevel, UnitLevel[]> = {
  city: [],
  district: ['city'],
  subdistrict: ['district'],
  community: ['subdistrict'],
  responsibility_grid: ['community'],
  grid: ['responsibility_grid', 'community'],
};

const KINDS: Record<UnitLevel, UnitKind[]> = {
  city: ['standard'],
  district: ['standard'],
  subdistrict: ['standard', 'town'],
  community: ['residential', 'village'],
  responsibility_grid: ['standard'],
  grid: ['standard'],
};

const MESSAGES: Record<string, { zh: string; en: string }> = {
  code_missing: { zh: '缺少编码', en: 'the code is missing' },
  code_invalid: { zh: '编码格式不正确', en: 'the code is not a valid division code' },
  name_missing: { zh: '缺少名称', en: 'the name is missing' },
  name_too_long: { zh: '名称过长（最多 100 字）', en: 'the name is too long (100 characters at most)' },
  duplicate_in_file: { zh: '文件中编码重复', en: 'the code appears more than once in the file' },
  exists: { zh: '编码已存在（如需更新请使用更新模式）', en: 'the code already exists (use update mode to change it)' },
  level_changed: { zh: '不能修改已有单位的层级', en: 'an existing unit cannot change level' },
  kind_invalid: { zh: '该层级不允许此类型', en: 'this kind is not allowed at this level' },
  parent_missing: { zh: '上级单位不存在', en: 'the parent unit does not exist' },
  parent_mismatch: { zh: '上级单位与编码不符或层级不对', en: 'the parent does not match the code or level' },
  parent_out_of_scope: { zh: '上级单位不在您的管理范围内', en: 'the parent unit is outside your scope' },
  geometry_missing: { zh: '网格必须有边界', en: 'a grid needs a boundary' },
  outside_parent: { zh: '边界超出上级单位范围', en: 'the boundary lies outside the parent unit' },
  overlap: { zh: '与同一社区内的其他单元网格重叠', en: 'overlaps another unit grid of the same community' },
};

export function problem(
  row: { ref: string; code: string | null },
  field: string,
  kind: string,
  detail?: string,
): ImportProblem {
  const m =
    MESSAGES[kind] ??
    (kind.startsWith('geometry_')
      ? { zh: `边界图形无效：${kind.slice(9)}`, en: `invalid boundary: ${kind.slice(9)}` }
      : { zh: kind, en: kind });
  return {
    ref: row.ref,
    code: row.code,
    field,
    problem: kind,
    zh: detail ? `${m.zh}（${detail}）` : m.zh,
    en: detail ? `${m.en} (${detail})` : m.en,
  };
}

/** A row that passed, resolved to what will be written. */
export interface PlannedUnit {
  ref: string;
  code: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  district: string;
  parentCode: string | null;
  geometry: UnitGeometry | null;
  bbox: [number, number, number, number] | null;
  existingId: string | null;
}

interface KnownUnit {
  id: string;
  code: string;
  level: UnitLevel;
  path: string;
  parentId: string | null;
  geometry: UnitGeometry | null;
}

export interface ValidateOptions {
  allowUpdate: boolean;
  /** When given, the parent of every row must be a unit whose path passes this check. */
  parentAllowed?: (parentPath: string) => boolean;
  progress?: ProgressFn;
}

export async function validateImport(
  db: Db | Trx,
  rows: ImportRow[],
  options: ValidateOptions,
): Promise<{ planned: PlannedUnit[]; problems: ImportProblem[]; known: Map<string, KnownUnit> }> {
  const problems: ImportProblem[] = [];
  const planned: PlannedUnit[] = [];
  const seen = new Set<string>();

  // 1. Each row on its own.
  for (const row of rows) {
    const p = { ref: row.ref, code: row.code || null };
    if (!row.code) {
      problems.push(problem(p, 'code', 'code_missing'));
      continue;
    }
    const level = levelOfCode(row.code, row.level as UnitLevel | undefined);
    if (!level.ok) {
      problems.push(problem(p, 'code', 'code_invalid', level.reason));
      continue;
    }
    if (seen.has(row.code)) problems.push(problem(p, 'code', 'duplicate_in_file'));
    seen.add(row.code);
    if (!row.name) problems.push(problem(p, 'name', 'name_missing'));
    else if (row.name.length > 100) problems.push(problem(p, 'name', 'name_too_long'));
    const kind = (row.kind ?? KINDS[level.level][0]) as UnitKind;
    if (!UNIT_KINDS.includes(kind) || !KINDS[level.level].includes(kind))
      problems.push(problem(p, 'kind', 'kind_invalid', row.kind));
    let geometry: UnitGeometry | null = null;
    let bbox: PlannedUnit['bbox'] = null;
    if (row.geometry !== undefined && row.geometry !== null) {
      const checked = validateGeometry(row.geometry);
      if (checked.ok) {
        geometry = checked.geometry;
        bbox = checked.bbox;
      } else {
        problems.push(problem(p, 'geometry', `geometry_${checked.reason}`, checked.detail));
      }
    } else if (level.level === 'grid') {
      problems.push(problem(p, 'geometry', 'geometry_missing'));
    }
    planned.push({
      ref: row.ref,
      code: row.code,
      name: row.name,
      level: level.level,
      kind,
      district: districtOfCode(row.code),
      parentCode: row.parentCode ?? null,
      geometry,
      bbox,
      existingId: null,
    });
  }
  options.progress?.('validate', Math.round(rows.length / 3), rows.length);

  // 2. Against the database: existing codes, parents.
  const wanted = new Set<string>();
  for (const u of planned) {
    wanted.add(u.code);
    for (const c of u.parentCode ? [u.parentCode] : expectedParentCodes(u.code, u.level)) wanted.add(c);
  }
  const known = new Map<string, KnownUnit>();
  const codes = [...wanted];
  for (let i = 0; i < codes.length; i += 5_000) {
    const found = await db
      .selectFrom('unit')
      .select(['id', 'code', 'level', 'path', 'parentId', 'geometry'])
      .where('code', 'in', codes.slice(i, i + 5_000))
      .execute();
    for (const f of found) known.set(f.code, f);
  }
  const inFile = new Map(planned.map((u) => [u.code, u]));
  for (const u of planned) {
    const existing = known.get(u.code);
    if (existing) {
      if (!options.allowUpdate) problems.push(problem(u, 'code', 'exists'));
      else if (existing.level !== u.level) problems.push(problem(u, 'level', 'level_changed'));
      u.existingId = existing.id;
    }
    if (u.level === 'city') continue;
    const candidates = u.parentCode ? [u.parentCode] : expectedParentCodes(u.code, u.level);
    const parentCode = candidates.find((c) => inFile.has(c) || known.has(c));
    if (!parentCode) {
      problems.push(problem(u, 'parentCode', 'parent_missing', candidates.join(' / ')));
      continue;
    }
    const parentLevel = inFile.get(parentCode)?.level ?? known.get(parentCode)?.level;
    if (
      !parentLevel ||
      !PARENT_LEVELS[u.level].includes(parentLevel) ||
      !isCodeUnder(u.code, parentCode, parentLevel)
    ) {
      problems.push(problem(u, 'parentCode', 'parent_mismatch', parentCode));
      continue;
    }
    u.parentCode = parentCode;
    const parentInDb = known.get(parentCode);
    if (options.parentAllowed && !(parentInDb && options.parentAllowed(parentInDb.path)) && !inFile.has(parentCode)) {
      problems.push(problem(u, 'parentCode', 'parent_out_of_scope', parentCode));
    }
  }
  // Rows whose parent is in the file inherit the scope check through their ancestors in the file.
  options.progress?.('validate', Math.round((rows.length * 2) / 3), rows.length);

  // 3. Geometry against the parent and, for unit grids, against their neighbours.
  const geometryOf = (code: string) => inFile.get(code)?.geometry ?? known.get(code)?.geometry ?? null;
  for (const u of planned) {
    if (!u.geometry || !u.parentCode) continue;
    const parentGeometry = geometryOf(u.parentCode);
    if (parentGeometry && !safely(() => isWithin(u.geometry as UnitGeometry, parentGeometry), false))
      problems.push(problem(u, 'geometry', 'outside_parent', u.parentCode));
  }
  problems.push(...(await gridOverlaps(db, planned)));
  options.progress?.('validate', rows.length, rows.length);
  return { planned, problems, known };
}

/** Unit grids of one community may not overlap: compare the file's grids with each other and with the database's. */
async function gridOverlaps(db: Db | Trx, planned: PlannedUnit[]): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  const byCommunity = new Map<string, { code: string; ref: string; geometry: UnitGeometry; fromFile: boolean }[]>();
  for (const u of planned) {
    if (u.level !== 'grid' || !u.geometry) continue;
    const community = u.code.slice(0, 12);
    const list = byCommunity.get(community) ?? [];
    list.push({ code: u.code, ref: u.ref, geometry: u.geometry, fromFile: true });
    byCommunity.set(community, list);
  }
  const communities = [...byCommunity.keys()];
  for (let i = 0; i < communities.length; i += 2_000) {
    const existing = await db
      .selectFrom('unit')
      .select(['code', 'geometry'])
      .where('level', '=', 'grid')
      .where((eb) => eb.or(communities.slice(i, i + 2_000).map((c) => eb('code', 'like', `${c}%`))))
      .execute();
    for (const e of existing) {
      const list = byCommunity.get(e.code.slice(0, 12));
      if (!list || !e.geometry || list.some((g) => g.code === e.code)) continue;
      list.push({ code: e.code, ref: 'database', geometry: e.geometry, fromFile: false });
    }
  }
  for (const list of byCommunity.values()) {
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const ga = list[a];
        const gb = list[b];
        if (!ga || !gb || (!ga.fromFile && !gb.fromFile)) continue;
        // A polygon the clipping library cannot process counts as overlapping: refuse, never crash.
        if (safely(() => overlaps(ga.geometry, gb.geometry), true)) {
          // Name the later row of the file (or the file's row against the database's grid).
          const subject = gb.fromFile ? gb : ga;
          const other = subject === ga ? gb : ga;
          problems.push(problem(subject, 'geometry', 'overlap', other.code));
        }
      }
    }
  }
  return problems;
}

/** Runs a polygon operation; the clipping library may throw on degenerate input. */
function safely(operation: () => boolean, onError: boolean): boolean {
  try {
    return operation();
  } catch {
    return onError;
  }
}

/** Depth-first order: parents before children, so paths can be computed while writing. */
export const byDepth = (a: PlannedUnit, b: PlannedUnit) =>
  LEVEL_DEPTH[a.level] - LEVEL_DEPTH[b.level] || (a.code < b.code ? -1 : 1);

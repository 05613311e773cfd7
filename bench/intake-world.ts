/**
 * What the intake benchmark reports into: the demo subdistrict (梧桐街道: 10 committees, 20 responsibility
 * grids, 40 unit grids with their polygons, the built-in catalogue, departments and dispatch rules; no
 * history, no resident archive), one grid worker per responsibility grid (`benchgw01` …, password
 * BENCH_PASSWORD), and the baseline's table. Returns the description the load generator writes reports
 * from (plain data: it crosses to another process).
 */
import { sql } from 'kysely';
import type { UnitGeometry } from '../common/territory.js';
import { SYSTEM_ACTOR } from '../server/accounts/actor.js';
import { createAccount } from '../server/accounts/commands/create-account.js';
import { selectReportable } from '../server/cases/catalogue/catalogue.repository.js';
import type { Db } from '../server/db/database.js';
import { DEMO_SUBDISTRICT_CODE } from '../server/seed/demo-data.js';
import { roadsOf } from '../server/seed/history/texts.js';
import { seedDemo } from '../server/seed/seed-demo.js';
import { BENCH_PASSWORD } from './database.js';

export interface LoadGrid {
  code: string;
  path: string;
  geometry: UnitGeometry;
  /** The committee's name without 居委会 (how people name their estate), and three of its roads. */
  committee: string;
  roads: string[];
  /** Index of the grid worker whose responsibility grid holds it. */
  worker: number;
}

export interface LoadCategory {
  code: string;
  nameZh: string;
  majorNameZh: string;
}

export interface IntakeWorld {
  grids: LoadGrid[];
  categories: LoadCategory[];
  /** Usernames of the grid workers, by index. */
  workers: string[];
  /** A unit grid's path: the baseline fills its row's unit_path with one as long. */
  samplePath: string;
}

/** Seeds the demo territory and the grid workers; creates the baseline's table. */
export async function makeIntakeWorld(db: Db): Promise<IntakeWorld> {
  await seedDemo(db, undefined, { historyCases: 0, archivePeople: 0 });
  const subdistrict = await db
    .selectFrom('unit')
    .select('path')
    .where('code', '=', DEMO_SUBDISTRICT_CODE)
    .executeTakeFirstOrThrow();
  const units = await db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'level', 'path', 'district', 'geometry'])
    .where('path', 'like', `${subdistrict.path}%`)
    .where('level', 'in', ['community', 'responsibility_grid', 'grid'])
    .orderBy('code')
    .execute();
  const committees = units.filter((u) => u.level === 'community');
  const teams = units.filter((u) => u.level === 'responsibility_grid');
  // In parallel: each account hashes its password (argon2, on libuv's threads).
  const workers = teams.map((_, i) => `benchgw${String(i + 1).padStart(2, '0')}`);
  await Promise.all(
    teams.map((team, i) =>
      db.transaction().execute((trx) =>
        createAccount(
          trx,
          { actor: SYSTEM_ACTOR },
          {
            username: workers[i] ?? '',
            displayName: `测试网格员${i + 1}`,
            phone: null,
            password: BENCH_PASSWORD,
            mustChangePassword: false,
            grants: [{ role: 'grid_worker', unit: team, department: null, grantedBy: null }],
          },
        ),
      ),
    ),
  );
  const grids: LoadGrid[] = units.flatMap((u) => {
    const committee = committees.findIndex((c) => u.path.startsWith(c.path));
    const worker = teams.findIndex((t) => u.path.startsWith(t.path));
    if (u.level !== 'grid' || !u.geometry || committee < 0 || worker < 0) return [];
    const name = committees[committee]?.name ?? '';
    return [
      {
        code: u.code,
        path: u.path,
        geometry: u.geometry,
        committee: name.replace(/(居委会|村委会)$/, ''),
        roads: roadsOf(committee),
        worker,
      },
    ];
  });
  const rows = await selectReportable(db).select(['code', 'majorCode', 'nameZh']).orderBy('code').execute();
  const majors = await db.selectFrom('category').select(['majorCode', 'nameZh']).where('code', 'like', '%00').execute();
  const majorName = new Map(majors.map((m) => [m.majorCode, m.nameZh]));
  const categories = rows.map((c) => ({
    code: c.code,
    nameZh: c.nameZh,
    majorNameZh: majorName.get(c.majorCode) ?? '',
  }));
  if (!grids.length || !categories.length || !workers.length) throw new Error('the demo territory was not written');

  // The baseline's table: the columns of a case, its primary key, no other index, no trigger.
  await sql`create table bench_intake_row (like cases including defaults)`.execute(db);
  await sql`alter table bench_intake_row add primary key (district, id)`.execute(db);
  return { grids, categories, workers, samplePath: grids[0]?.path ?? '' };
}

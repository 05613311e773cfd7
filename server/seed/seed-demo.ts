/**
 * Writes the demo subdistrict into a database: its territory through the same import pipeline as
 * any file (so the demo's polygons pass the same checks), then departments, staff and residents,
 * and last a year of cases run through the workflow (demo-history.ts; its size is an option or
 * GRIDLOOP_DEMO_CASES). Idempotent: a database that already has the demo subdistrict is left as it is.
 */
import { v7 as uuidv7 } from 'uuid';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import { createAccount } from '../accounts/commands/create-account.js';
import { hashPassword } from '../accounts/password.js';
import { writeAudit } from '../audit/audit.writer.js';
import { seedCatalogue } from '../cases/catalogue/seed-catalogue.js';
import type { Db } from '../db/database.js';
import { createDepartment } from '../departments/commands/save-department.js';
import { importUnits } from '../territory/commands/import-units.js';
import { GridLocator } from '../territory/placement.js';
import { type DemoVisitsResult, seedDemoVisits } from './archive/demo-visits.js';
import { DEMO_ARCHIVE_PEOPLE } from './archive/generate-archive.js';
import { type SeedArchiveResult, seedArchive } from './archive/seed-archive.js';
import { DEMO_SEED, type DemoData, generateDemo } from './demo-data.js';
import { seedDemoDispatchRules } from './demo-dispatch-rules.js';
import { DEMO_HISTORY_CASES, type DemoHistoryResult, seedDemoHistory } from './demo-history.js';

const audit = { actor: SYSTEM_ACTOR };

export interface SeedResult {
  seeded: boolean;
  demo: DemoData;
  history?: DemoHistoryResult;
  archive?: SeedArchiveResult;
  visits?: DemoVisitsResult;
}

export interface SeedDemoOptions {
  /** Cases in the demo history (0: none); default GRIDLOOP_DEMO_CASES, else 6,000. */
  historyCases?: number;
  /** People in the synthetic resident archive (0: none); default GRIDLOOP_DEMO_PEOPLE, else 30,000. */
  archivePeople?: number;
  /** Progress lines for the command line. */
  log?: (line: string) => void;
  /** The server's media directory, where the demo photos go. */
  mediaDir?: string | undefined;
}

/** The history's size: the option, else GRIDLOOP_DEMO_CASES (tests and browser tests set it small). */
function historyCases(options: SeedDemoOptions): number {
  if (options.historyCases !== undefined) return options.historyCases;
  const fromEnv = Number(process.env.GRIDLOOP_DEMO_CASES);
  return process.env.GRIDLOOP_DEMO_CASES && Number.isInteger(fromEnv) && fromEnv >= 0 ? fromEnv : DEMO_HISTORY_CASES;
}

/** The archive's size: the option, else GRIDLOOP_DEMO_PEOPLE (tests set it small). */
function archivePeople(options: SeedDemoOptions): number {
  if (options.archivePeople !== undefined) return options.archivePeople;
  const fromEnv = Number(process.env.GRIDLOOP_DEMO_PEOPLE);
  return process.env.GRIDLOOP_DEMO_PEOPLE && Number.isInteger(fromEnv) && fromEnv >= 0 ? fromEnv : DEMO_ARCHIVE_PEOPLE;
}

export async function seedDemo(db: Db, seed?: number, options: SeedDemoOptions = {}): Promise<SeedResult> {
  const demo = generateDemo(seed);
  const subdistrict = demo.units.find((u) => u.level === 'subdistrict');
  if (!subdistrict) throw new Error('the demo generator produced no subdistrict');
  const exists = await db.selectFrom('unit').select('id').where('code', '=', subdistrict.code).executeTakeFirst();
  if (exists) return { seeded: false, demo };

  // Units above the demo may already exist (another import): update mode keeps them.
  await importUnits(db, audit, {
    source: 'demo',
    allowUpdate: true,
    rows: demo.units.map((u, i) => ({
      ref: `demo unit ${i + 1}`,
      code: u.code,
      name: u.name,
      level: u.level,
      kind: u.kind,
      parentCode: u.parentCode ?? undefined,
      geometry: u.geometry ?? undefined,
    })),
  });

  await db.transaction().execute(async (trx) => {
    const units = new Map(
      (
        await trx
          .selectFrom('unit')
          .select(['id', 'code', 'path', 'district'])
          .where(
            'code',
            'in',
            demo.units.map((u) => u.code),
          )
          .execute()
      ).map((u) => [u.code, u]),
    );
    const unit = (code: string) => {
      const found = units.get(code);
      if (!found) throw new Error(`demo refers to unknown unit ${code}`);
      return found;
    };
    const departments = new Map<string, { id: string; code: string }>();
    for (const d of demo.departments) {
      const id = await createDepartment(trx, audit, {
        code: d.code,
        name: d.name,
        kind: d.kind,
        level: d.level,
        servesUnit: unit(d.servesUnitCode),
        deployedToUnitId: d.deployedToUnitCode ? unit(d.deployedToUnitCode).id : null,
      });
      departments.set(d.code, { id, code: d.code });
    }
    for (const a of [...demo.accounts, ...demo.workforce]) {
      await createAccount(trx, audit, {
        username: a.username,
        displayName: a.displayName,
        phone: a.phone,
        password: a.password,
        mustChangePassword: false,
        grants: a.grants.map((g) => {
          const department = g.departmentCode ? departments.get(g.departmentCode) : null;
          if (g.departmentCode && !department) throw new Error(`demo refers to unknown department ${g.departmentCode}`);
          return {
            role: g.role,
            unit: { ...unit(g.unitCode), code: g.unitCode },
            department: department ?? null,
            grantedBy: null,
          };
        }),
      });
    }
    for (const r of [...demo.residents, ...demo.neighbours]) {
      const id = uuidv7();
      await trx
        .insertInto('resident')
        .values({
          id,
          phone: r.phone,
          displayName: r.displayName,
          passwordHash: await hashPassword(r.password),
          createdAt: new Date(),
          updatedAt: new Date(),
        })
        .execute();
      await writeAudit(trx, audit, { action: 'resident.created', data: { phone: r.phone } }, { type: 'resident', id });
    }
    // The case catalogue, its limits and the demo's dispatch rules: the history reports under them.
    await seedCatalogue(trx, audit);
    await seedDemoDispatchRules(trx, audit, demo);
  });
  // The synthetic resident archive: people, households, buildings, venues and tags of every grid.
  const people = archivePeople(options);
  const archive =
    people > 0
      ? await seedArchive(db, {
          seed: seed ?? DEMO_SEED,
          units: demo.units,
          subdistrictCode: subdistrict.code,
          people,
          log: options.log,
        })
      : undefined;
  // Last, once everything it acts through exists: a year of cases through the real workflow.
  const history = await seedDemoHistory(db, new GridLocator(db), {
    seed,
    cases: historyCases(options),
    log: options.log,
    mediaDir: options.mediaDir,
  });
  // A year of household visits, the survey cases of the history among them (demo-visits.ts).
  if (!archive?.seeded) return { seeded: true, demo, history, ...(archive ? { archive } : {}) };
  const visits = await seedDemoVisits(db, {
    seed: seed ?? DEMO_SEED,
    subdistrictCode: subdistrict.code,
    log: options.log,
  });
  return { seeded: true, demo, history, archive, visits };
}

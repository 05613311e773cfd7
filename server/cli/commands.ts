/**
 * The `gridloop` commands other than serve: migrate, seed, import units, user, audit.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ROLES, type Role } from '../../common/roles.js';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import { changePassword } from '../accounts/commands/change-password.js';
import { createAccount } from '../accounts/commands/create-account.js';
import { grantRole } from '../accounts/commands/grant-role.js';
import { sealAll, verifyAudit } from '../audit/audit.chain.js';
import type { Config } from '../config.js';
import type { Db, Trx } from '../db/database.js';
import { openDatabase } from '../db/open.js';
import { AppError } from '../http/app-error.js';
import { DEMO_PASSWORD } from '../seed/demo-data.js';
import { seedDemo } from '../seed/seed-demo.js';
import { importUnits } from '../territory/commands/import-units.js';
import type { ImportProblem } from '../territory/import/import-row.js';
import { parseGeoJson } from '../territory/import/parse-geojson.js';
import { parseXlsx } from '../territory/import/parse-xlsx.js';
import { CliError, progressBar } from './output.js';

const audit = { actor: SYSTEM_ACTOR };

/** Opens the database for one command and always closes it. */
export async function withDatabase<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(config, { log: (l) => console.error(l), poolSize: 4 });
  try {
    return await fn(database.db);
  } finally {
    await sealAll(database.db).catch(() => {});
    await database.close();
  }
}

export async function migrateCommand(config: Config): Promise<void> {
  await withDatabase(config, async () => {});
  console.log('数据库已迁移到最新版本 / database migrated to the latest version');
}

export async function seedCommand(config: Config, demo: boolean): Promise<void> {
  if (!demo)
    throw new CliError(
      '现在只有演示数据可播种：gridloop seed --demo\nOnly the demo can be seeded for now: gridloop seed --demo',
      2,
    );
  await withDatabase(config, async (db) => {
    const result = await seedDemo(db, undefined, { log: (line) => console.log(line), mediaDir: config.mediaDir });
    console.log(
      result.seeded
        ? `演示街道已写入 / demo subdistrict seeded: ${result.demo.units.length} units, ${result.demo.accounts.length + result.demo.workforce.length} staff, ${result.history?.cases ?? 0} cases (password ${DEMO_PASSWORD})`
        : '演示街道已存在，未做改动 / the demo subdistrict already exists; nothing changed',
    );
  });
}

function printProblems(problems: ImportProblem[], total: number): void {
  console.error(
    `导入失败，共 ${total} 处错误，未导入任何内容 / import failed with ${total} problem(s); nothing was imported:`,
  );
  for (const p of problems.slice(0, 50))
    console.error(`  ${p.ref}${p.code ? ` [${p.code}]` : ''} ${p.field}: ${p.zh} / ${p.en}`);
  if (total > 50) console.error(`  … ${total - 50} more`);
}

export async function importUnitsCommand(config: Config, file: string, update: boolean): Promise<void> {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch {
    throw new CliError(`无法读取文件 / cannot read file: ${file}`, 2);
  }
  const ext = extname(file).toLowerCase();
  let parsed: Awaited<ReturnType<typeof parseXlsx>>;
  if (ext === '.xlsx') parsed = await parseXlsx(content);
  else if (ext === '.geojson' || ext === '.json') {
    let json: unknown;
    try {
      json = JSON.parse(content.toString('utf8'));
    } catch (error) {
      throw new CliError(`不是有效的 JSON / not valid JSON: ${(error as Error).message}`, 2);
    }
    parsed = parseGeoJson(json);
  } else throw new CliError('请使用 .geojson / .json 或 .xlsx 文件 / use a .geojson, .json or .xlsx file', 2);

  const bar = progressBar('导入 import');
  await withDatabase(config, async (db) => {
    try {
      const summary = await importUnits(db, audit, {
        rows: parsed.rows,
        readProblems: parsed.problems,
        source: `cli:${file}`,
        allowUpdate: update,
        progress: (phase, done, total) => (phase === 'write' ? bar(done, total) : undefined),
      });
      console.log(`已导入 / imported: ${summary.created} created, ${summary.updated} updated`);
    } catch (error) {
      if (error instanceof AppError && error.code === 'IMPORT_INVALID') {
        printProblems((error.details?.problems ?? []) as ImportProblem[], Number(error.details?.problemCount ?? 0));
        throw new CliError('', 1);
      }
      throw error;
    }
  });
}

interface UserOptions {
  name?: string | undefined;
  phone?: string | undefined;
  password?: string | undefined;
  role?: string | undefined;
  unit?: string | undefined;
  department?: string | undefined;
}

async function resolveGrant(trx: Trx, options: UserOptions) {
  if (!options.role || !ROLES.includes(options.role as Role))
    throw new CliError(`--role 必须是 / must be one of: ${ROLES.join(', ')}`, 2);
  if (!options.unit) throw new CliError('需要 --unit <区划代码> / --unit <division code> is required', 2);
  const unit = await trx
    .selectFrom('unit')
    .select(['id', 'code', 'path', 'district'])
    .where('code', '=', options.unit)
    .executeTakeFirst();
  if (!unit) throw new CliError(`没有编码为 ${options.unit} 的单位 / no unit with code ${options.unit}`, 2);
  const department = options.department
    ? await trx
        .selectFrom('department')
        .select(['id', 'code'])
        .where('code', '=', options.department)
        .executeTakeFirst()
    : null;
  if (options.department && !department)
    throw new CliError(`没有部门 ${options.department} / no department ${options.department}`, 2);
  return { role: options.role as Role, unit, department: department ?? null, grantedBy: null };
}

const randomPassword = () => `Gl${randomBytes(9).toString('base64url')}7`;

function explain(error: unknown): never {
  if (error instanceof AppError) throw new CliError(`${error.code}: ${error.message}`, 2);
  throw error;
}

export async function userCommand(
  config: Config,
  action: string | undefined,
  username: string | undefined,
  options: UserOptions,
): Promise<void> {
  if (!username || !['add', 'passwd', 'grant'].includes(action ?? '')) {
    throw new CliError('用法 usage: gridloop user add|passwd|grant <username> [options]; see gridloop user --help', 2);
  }
  await withDatabase(config, async (db) => {
    const account = await db
      .selectFrom('account')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .executeTakeFirst();
    if (action === 'add') {
      if (account) throw new CliError(`用户名已存在 / username taken: ${username}`, 2);
      const password = options.password ?? randomPassword();
      await db
        .transaction()
        .execute(async (trx) =>
          createAccount(trx, audit, {
            username,
            displayName: options.name ?? username,
            phone: options.phone ?? null,
            password,
            mustChangePassword: !options.password,
            grants: [await resolveGrant(trx, options)],
          }),
        )
        .catch(explain);
      console.log(
        `已创建 / created ${username}${options.password ? '' : ` — 初始密码 initial password: ${password} (须在首次登录时修改 must be changed at first sign-in)`}`,
      );
      return;
    }
    if (!account) throw new CliError(`没有此用户 / no such user: ${username}`, 2);
    if (action === 'passwd') {
      const password = options.password ?? randomPassword();
      await db
        .transaction()
        .execute((trx) =>
          changePassword(trx, audit, {
            accountId: account.id,
            newPassword: password,
            by: options.password ? 'cli' : 'admin',
          }),
        )
        .catch(explain);
      console.log(`密码已更新 / password changed${options.password ? '' : `: ${password}`}`);
      return;
    }
    await db
      .transaction()
      .execute(async (trx) => grantRole(trx, audit, { ...(await resolveGrant(trx, options)), accountId: account.id }))
      .catch(explain);
    console.log(`已授权 / granted ${options.role} over ${options.unit} to ${username}`);
  });
}

export async function auditCommand(config: Config, action: string | undefined): Promise<void> {
  if (action !== 'verify' && action !== 'seal') throw new CliError('用法 usage: gridloop audit verify|seal', 2);
  await withDatabase(config, async (db) => {
    if (action === 'seal') {
      console.log(`已封存 / sealed ${await sealAll(db)} row(s)`);
      return;
    }
    const result = await verifyAudit(db);
    if (result.ok) {
      console.log(`审计链完整 / audit chain intact: ${result.sealed} sealed row(s), ${result.unsealed} not yet sealed`);
      return;
    }
    const p = result.problem;
    throw new CliError(
      `审计链被破坏 / audit chain BROKEN at seq ${p?.seq}${p?.id ? ` (row id ${p.id})` : ''}: ${p?.kind}` +
        ` — ${p?.kind === 'gap' ? '有记录被删除 a row was deleted' : '有记录被篡改 a row was altered'}`,
      3,
    );
  });
}

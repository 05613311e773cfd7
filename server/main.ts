/**
 * The `gridloop` command: serve | migrate | seed | import | user | audit | calendar | build-web | bench.
 */
import { parseArgs } from 'node:util';
import { backupCommand, restoreCommand } from './cli/backup.js';
import { calendarCommand } from './cli/calendar.js';
import { auditCommand, importUnitsCommand, migrateCommand, seedCommand, userCommand } from './cli/commands.js';
import { machineKeyCommand } from './cli/machine-key.js';
import { open311Command } from './cli/open311.js';
import { CliError } from './cli/output.js';
import { ensureWebBuilt, serve } from './cli/serve.js';
import { loadConfig } from './config.js';

const HELP: Record<string, string> = {
  main: `网格闭环 Gridloop — 网格化基层治理平台 / community-level urban governance

用法 Usage: gridloop <command> [options]

  serve                     启动服务（默认使用 ./data/pg 中的内置数据库）/ start the server
  migrate                   迁移数据库结构 / migrate the database
  seed --demo               写入演示街道 / seed the demo subdistrict
  import units <file>       从 GeoJSON 或 XLSX 导入区划与网格 / import units
  user add|passwd|grant     管理工作人员账号 / manage staff accounts
  audit verify|seal         校验或封存审计链 / verify or seal the audit chain
  backup <dir>              备份数据库与照片 / back up the database and the photos
  restore <dir> [--force]   从备份恢复到空数据库 / restore a backup into an empty database
  calendar due|check|hours  工作日历与时限 / working calendar and deadlines
  machine-key add|list|revoke 设备密钥（物联感知告警接入）/ machine keys for sensor alarms
  open311 key add|list|revoke Open311 接口密钥 / Open311 api_keys
  build-web                 构建前端 / build the web application
  bench [placement|web|exports|indicators|intake|sweep|archive|crash|soak] [--scale small|medium|full] [--reuse] 性能测试 / benchmarks

环境变量 Environment: PORT (3000), DATABASE_URL (use this PostgreSQL instead of the embedded one),
GRIDLOOP_DATA_DIR (./data), LOG_LEVEL (info), NODE_ENV=production (secure cookies),
GRIDLOOP_DEMO_CASES (6000: cases in the demo's year of history; 0 for none),
GRIDLOOP_DEMO_PEOPLE (30000: synthetic people in the demo's resident archive, with a year of visits; 0 for none).
Run gridloop <command> --help for details.`,
  serve: `gridloop serve [--port N] [--skip-web]
  Starts PostgreSQL (embedded in ./data/pg unless DATABASE_URL is set), migrates, seeds the demo
  subdistrict into an empty database, builds the web application if needed, and serves everything
  at http://localhost:3000. Ctrl-C stops the server and the database cleanly.`,
  migrate: 'gridloop migrate\n  Migrates the database to the latest version.',
  seed: 'gridloop seed --demo\n  Writes the demo subdistrict (territory, departments, staff, residents) unless it exists, its synthetic\n  resident archive (GRIDLOOP_DEMO_PEOPLE people, 30000 by default), a year of cases run through the\n  workflow (GRIDLOOP_DEMO_CASES of them, 6000 by default) and a year of household visits.',
  import: `gridloop import units <file.geojson|file.json|file.xlsx> [--update]
  Imports units (districts, subdistricts, committees, grids) with their boundaries, all or nothing.
  Each feature / row needs code (编码) and name (名称); level (层级), kind (类型), parentCode (上级编码)
  are optional; XLSX boundaries go in a 边界 / geometry column as GeoJSON. Codes are padded statistical
  division codes (12 digits; grids 15). --update changes units whose code already exists.`,
  user: `gridloop user add <username> --role <role> --unit <code> [--department <code>] [--name 姓名] [--phone 1xxxxxxxxxx] [--password P]
gridloop user passwd <username> [--password P]
gridloop user grant <username> --role <role> --unit <code> [--department <code>]
  Roles: admin, leader, supervisor, dispatcher, handler (needs --department), committee_staff, grid_worker.
  Without --password a random one is printed and must be changed at first sign-in.`,
  audit:
    'gridloop audit verify | seal\n  verify: recompute the hash chain and report the first altered or deleted row (exit 3).\n  seal: chain rows not yet sealed.',
  backup: `gridloop backup <directory>
  Writes the database (every table, one consistent moment, while the server runs) and the photo store
  into a new directory, with SHA-256 checksums; see docs/operations.md.`,
  restore: `gridloop restore <directory> [--force]
  Restores a backup into an empty database (DATABASE_URL, or the embedded one in ./data/pg with the
  server stopped) and its photos into the photo store, then verifies the audit chain. A database that
  is not empty is refused unless --force, which replaces its contents.`,
  calendar: `gridloop calendar due [--from <ISO 8601 time>] --limit <amount> <unit>
  Prints the due time (ISO 8601, +08:00) of a limit starting at --from (default now), with the
  server's working hours and overrides. Units: natural-minutes, natural-hours, working-hours, working-days.
gridloop calendar check [--year <yyyy>]
  Prints "ok", or a warning when the year (default: this year, and from 1 December the next) has no
  official holiday schedule yet (chinese-days covers 2004–2026; later years need set-day).
gridloop calendar set-day <yyyy-mm-dd> workday|holiday [--note 说明]
gridloop calendar unset-day <yyyy-mm-dd>
  Declares a day a working day (调休上班) or a holiday, over the statutory calendar; unset-day removes it.
gridloop calendar hours [09:00-12:00,13:00-17:30]
  Prints or sets the working hours of a working day.`,
  'build-web': 'gridloop build-web\n  Builds the web application into web/dist.',
  'machine-key': `gridloop machine-key add <name> --unit <unit code> [--channel sensor]
gridloop machine-key list
gridloop machine-key revoke <id | key prefix>
  A key for a device group (sensor gateway, video analytics) to POST /api/intake/alarms into the unit's
  grids. The key is printed once; only its hash is kept.`,
  open311: `gridloop open311 key add <name> [--jurisdiction <district code>]
gridloop open311 key list
gridloop open311 key revoke <id | key prefix>
  An api_key for an application to POST /open311/v2/requests into one district (its jurisdiction_id,
  printed with the key; --jurisdiction may be left out when there is one district). Printed once; only
  its hash is kept.`,
  bench:
    'gridloop bench [placement|web|exports|indicators|intake|sweep|archive|crash|soak] [--scale small|medium|full] [--reuse]\n  Runs the benchmarks (see docs/benchmarks.md); --scale sizes them (default medium). --reuse (indicators, archive)\n  generates nothing and measures again the data the last run of that benchmark left in its cluster.',
};

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      demo: { type: 'boolean' },
      update: { type: 'boolean' },
      port: { type: 'string' },
      'skip-web': { type: 'boolean' },
      name: { type: 'string' },
      phone: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      unit: { type: 'string' },
      department: { type: 'string' },
      from: { type: 'string' },
      limit: { type: 'string' },
      year: { type: 'string' },
      note: { type: 'string' },
      channel: { type: 'string' },
      jurisdiction: { type: 'string' },
      scale: { type: 'string' },
      force: { type: 'boolean' },
      reuse: { type: 'boolean' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || (values.help && !command)) {
    console.log(HELP.main);
    return;
  }
  if (values.help) {
    console.log(HELP[command] ?? HELP.main);
    return;
  }
  const config = loadConfig({ ...process.env, ...(values.port ? { PORT: values.port } : {}) });
  switch (command) {
    case 'serve':
      return serve(config, { skipWeb: values['skip-web'] ?? false });
    case 'migrate':
      return migrateCommand(config);
    case 'seed':
      return seedCommand(config, values.demo ?? false);
    case 'import': {
      const file = rest[1];
      if (rest[0] !== 'units' || !file) throw new CliError(HELP.import ?? '', 2);
      return importUnitsCommand(config, file, values.update ?? false);
    }
    case 'user':
      return userCommand(config, rest[0], rest[1], values);
    case 'audit':
      return auditCommand(config, rest[0]);
    case 'backup':
      return backupCommand(config, rest[0]);
    case 'restore':
      return restoreCommand(config, rest[0], values.force ?? false);
    case 'calendar':
      return calendarCommand(config, rest, values);
    case 'machine-key':
      return machineKeyCommand(config, rest, values);
    case 'open311':
      return open311Command(config, rest, values);
    case 'build-web':
      return ensureWebBuilt((l) => console.log(l), true);
    case 'bench': {
      const { runBench } = await import('../bench/run.js');
      return runBench(rest[0], values.scale, values.reuse ?? false);
    }
    default:
      throw new CliError(`未知命令 unknown command: ${command}\n\n${HELP.main}`, 2);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    if (error.message) console.error(error.message);
    process.exit(error.exitCode);
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${error.message}\n\n${HELP.main}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});

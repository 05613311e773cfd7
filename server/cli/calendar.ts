/**
 * `gridloop calendar due | check | set-day | unset-day | hours`: the administrator's view of the
 * working calendar, through the same loader (`loadCalendar`) and settings as the server.
 */
import { ERRORS } from '../../common/errors.js';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import { writeAudit } from '../audit/audit.writer.js';
import {
  listOverrides,
  loadCalendar,
  readWorkingHours,
  removeOverride,
  setOverride,
  setWorkingHours,
} from '../calendar/calendar.repository.js';
import { parseDay, parseInstant, toShanghaiIso } from '../calendar/civil.js';
import { LIMIT_UNITS, type LimitUnit } from '../calendar/working-calendar.js';
import { parseHoursText } from '../calendar/working-hours.js';
import type { Config } from '../config.js';
import { AppError } from '../http/app-error.js';
import { withDatabase } from './commands.js';
import { CliError } from './output.js';

/** Terminal changes are the system's in the audit log (whoever has the server's shell). */
const CLI_AUDIT = { actor: SYSTEM_ACTOR };

export interface CalendarOptions {
  from?: string | undefined;
  limit?: string | undefined;
  year?: string | undefined;
  note?: string | undefined;
}

const USAGE = `用法 usage:
  gridloop calendar due [--from <ISO 8601 time>] --limit <amount> <unit>
      units: ${LIMIT_UNITS.map((u) => u.replace('_', '-')).join(', ')}
  gridloop calendar check [--year <yyyy>]
  gridloop calendar set-day <yyyy-mm-dd> workday|holiday [--note 说明]
  gridloop calendar unset-day <yyyy-mm-dd>
  gridloop calendar hours [09:00-12:00,13:00-17:30]`;

const usage = (problem: string) => new CliError(`${problem}\n\n${USAGE}`, 2);

/** Reads `--limit 3 working-days` (unit as the next word) or `--limit "3 working-days"`. */
function parseLimit(limit: string | undefined, word: string | undefined): { amount: number; unit: LimitUnit } {
  const [amountText, unitText = word] = (limit ?? '').trim().split(/\s+/);
  const amount = Number(amountText);
  if (!amountText || !Number.isFinite(amount) || amount < 0 || amount > 10_000)
    throw usage(`--limit 需要一个非负数 / --limit needs a non-negative number: ${limit ?? ''}`);
  const unit = (unitText ?? '').replace('-', '_') as LimitUnit;
  if (!LIMIT_UNITS.includes(unit)) throw usage(`未知的时限单位 / unknown limit unit: ${unitText ?? '(none)'}`);
  return { amount, unit };
}

function explain(error: unknown): never {
  if (error instanceof AppError) {
    const fields = (error.fields ?? []).map((f) => `${f.path}: ${f.reason}`).join('; ');
    throw new CliError(`${error.code}: ${ERRORS[error.code].zh} / ${error.message}${fields ? ` (${fields})` : ''}`, 2);
  }
  throw error;
}

async function due(config: Config, args: string[], options: CalendarOptions): Promise<void> {
  const from = options.from === undefined ? new Date() : parseInstant(options.from);
  if (!from) throw usage(`--from 不是有效的 ISO 8601 时间 / --from is not an ISO 8601 time: ${options.from}`);
  const { amount, unit } = parseLimit(options.limit, args[0]);
  await withDatabase(config, async (db) => {
    const calendar = await loadCalendar(db);
    const dueAt = calendar.addLimit(from, amount, unit);
    for (const at of [from, dueAt]) {
      const year = Number(toShanghaiIso(at).slice(0, 4));
      if (unit.startsWith('working') && !calendar.hasScheduleFor(year)) {
        console.error(
          `注意 / note: ${year} 年无官方节假日安排，按周一至周五计算 / ${year} has no official schedule; Monday–Friday assumed`,
        );
        break;
      }
    }
    console.log(toShanghaiIso(dueAt));
  });
}

async function check(config: Config, options: CalendarOptions): Promise<void> {
  const year = options.year === undefined ? undefined : Number(options.year);
  if (year !== undefined && !(Number.isInteger(year) && year >= 1000 && year <= 9999))
    throw usage(`--year 需要四位年份 / --year needs a four-digit year: ${options.year}`);
  await withDatabase(config, async (db) => {
    const calendar = await loadCalendar(db);
    if (year === undefined) {
      const warning = calendar.coverageWarning(new Date());
      console.log(warning ? `${warning.zh}\n${warning.en}` : 'ok');
      return;
    }
    if (calendar.hasScheduleFor(year)) {
      const count = (await listOverrides(db, year)).length;
      console.log(`ok — ${year}: 已有节假日安排 / schedule known (${count} override(s))`);
      return;
    }
    console.log(
      `${year} 年的法定节假日及调休安排尚未录入，工作日暂按周一至周五计算。\nThe official holiday schedule for ${year} has not been entered; Monday–Friday assumed.`,
    );
  });
}

async function setDay(config: Config, args: string[], options: CalendarOptions): Promise<void> {
  const [day, kind] = args;
  if (!day || parseDay(day) === null)
    throw usage(`需要有效日期 yyyy-mm-dd / a real date yyyy-mm-dd is needed: ${day ?? ''}`);
  if (kind !== 'workday' && kind !== 'holiday')
    throw usage(`类型须为 workday 或 holiday / kind must be workday or holiday: ${kind ?? ''}`);
  await withDatabase(config, async (db) => {
    await db
      .transaction()
      .execute(async (trx) => {
        const row = await setOverride(trx, { day, kind, note: options.note, createdBy: null });
        await writeAudit(trx, CLI_AUDIT, { action: 'calendar.day_set', data: { day, kind, note: row.note } });
      })
      .catch(explain);
    console.log(
      `已设置 / set ${day} ${kind === 'workday' ? '工作日 workday' : '休息日 holiday'}${options.note ? ` (${options.note})` : ''}`,
    );
  });
}

async function unsetDay(config: Config, args: string[]): Promise<void> {
  const day = args[0];
  if (!day || parseDay(day) === null)
    throw usage(`需要有效日期 yyyy-mm-dd / a real date yyyy-mm-dd is needed: ${day ?? ''}`);
  await withDatabase(config, async (db) => {
    const removed = await db
      .transaction()
      .execute(async (trx) => {
        const done = await removeOverride(trx, day);
        if (done) await writeAudit(trx, CLI_AUDIT, { action: 'calendar.day_unset', data: { day } });
        return done;
      })
      .catch(explain);
    console.log(removed ? `已删除 / removed ${day}` : `${day} 没有自定义设置 / ${day} had no override`);
  });
}

async function hours(config: Config, args: string[]): Promise<void> {
  const text = args.join(',');
  await withDatabase(config, async (db) => {
    if (!text) {
      const current = await readWorkingHours(db);
      console.log(current.map(([s, e]) => `${s}-${e}`).join(','));
      return;
    }
    const pairs = parseHoursText(text);
    if (!pairs) throw usage(`工作时间格式应为 / working hours look like 09:00-12:00,13:00-17:30: ${text}`);
    const saved = await db
      .transaction()
      .execute(async (trx) => {
        const set = await setWorkingHours(trx, pairs);
        await writeAudit(trx, CLI_AUDIT, {
          action: 'calendar.hours_set',
          data: { workingHours: set.map(([a, b]) => `${a}-${b}`) },
        });
        return set;
      })
      .catch(explain);
    console.log(`工作时间已更新 / working hours set: ${saved.map(([s, e]) => `${s}-${e}`).join(',')}`);
  });
}

/** Dispatches `gridloop calendar <action> …`. */
export async function calendarCommand(config: Config, args: string[], options: CalendarOptions): Promise<void> {
  const [action, ...rest] = args;
  switch (action) {
    case 'due':
      return due(config, rest, options);
    case 'check':
      return check(config, options);
    case 'set-day':
      return setDay(config, rest, options);
    case 'unset-day':
      return unsetDay(config, rest);
    case 'hours':
      return hours(config, rest);
    default:
      throw usage(`未知的子命令 / unknown subcommand: ${action ?? '(none)'}`);
  }
}

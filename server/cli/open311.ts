/**
 * `gridloop open311 key add | list | revoke`: Open311 api_keys from the server's shell. An Open311
 * key is a machine key of the channel `open311`, bound to a district (its jurisdiction), made and
 * revoked through the same commands (and audit rows) as the administrators' screen.
 */
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { createMachineKey, listMachineKeys, revokeMachineKey } from '../intake/machine-keys.js';
import { jurisdictionsOf } from '../open311/jurisdiction.js';
import { withDatabase } from './commands.js';
import { CliError } from './output.js';

const USAGE = `用法 usage:
  gridloop open311 key add <名称 name> [--jurisdiction <区划代码 6 digits>]
  gridloop open311 key list
  gridloop open311 key revoke <id | key prefix>
  --jurisdiction may be left out when the territory has one district.`;

const usage = (problem: string) => new CliError(`${problem}\n\n${USAGE}`, 2);
const CLI_AUDIT = { actor: SYSTEM_ACTOR };

export interface Open311Options {
  jurisdiction?: string | undefined;
}

/** The district unit a new key is bound to: the one named, or the only one there is. */
async function districtUnit(db: Db, jurisdiction: string | undefined) {
  const districts = await db
    .selectFrom('unit')
    .select(['id', 'path', 'district', 'code', 'name', 'level'])
    .where('level', '=', 'district')
    .orderBy('district')
    .execute();
  if (jurisdiction) {
    const found = districts.find((d) => d.district === jurisdiction);
    if (!found) {
      const known = districts.map((d) => `${d.district} ${d.name}`).join(', ') || '—';
      throw new CliError(`没有这个区 / no district ${jurisdiction} (known: ${known})`, 2);
    }
    return found;
  }
  const [only, ...more] = districts;
  if (!only) throw new CliError('区划中还没有区 / the territory has no district yet', 2);
  if (more.length) {
    throw usage(
      `有多个区，请用 --jurisdiction 指明 / several districts, name one with --jurisdiction: ${districts.map((d) => d.district).join(', ')}`,
    );
  }
  return only;
}

const open311Keys = async (db: Db) => (await listMachineKeys(db, [''])).filter((k) => k.channel === 'open311');

export async function open311Command(config: Config, args: string[], options: Open311Options): Promise<void> {
  const [noun, sub, target] = args;
  if (noun !== 'key') throw usage(`未知子命令 / unknown subcommand: ${noun ?? '(none)'}`);
  switch (sub) {
    case 'add': {
      const name = target?.trim() ?? '';
      if (name.length < 2) throw usage('需要名称（至少 2 个字）/ a name of 2 or more characters is needed');
      return withDatabase(config, async (db) => {
        const unit = await districtUnit(db, options.jurisdiction);
        const { row, key } = await createMachineKey(db, CLI_AUDIT, { name, channel: 'open311', unit });
        console.log(`Open311 api_key (仅显示一次 shown once): ${key}`);
        console.log(`id ${row.id} · ${name}`);
        console.log(`jurisdiction_id: ${(await jurisdictionsOf(db, row)).join(', ')} (${unit.name})`);
        console.log('POST /open311/v2/requests.json (or .xml) with api_key=<key>&jurisdiction_id=<id>&service_code=…');
      });
    }
    case 'list':
      return withDatabase(config, async (db) => {
        const rows = await open311Keys(db);
        if (rows.length === 0) console.log('没有 Open311 密钥 / no Open311 keys');
        for (const k of rows) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
          const used = k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used';
          console.log(`${k.id}  ${k.keyPrefix}…  ${k.name}  jurisdiction ${k.district}  ${state}, ${used}`);
        }
      });
    case 'revoke': {
      if (!target) throw usage('需要密钥 id 或前缀 / the key id or prefix is needed');
      return withDatabase(config, async (db) => {
        const row = (await open311Keys(db)).find((k) => k.id === target || k.keyPrefix === target);
        if (!row) throw new CliError(`没有这个 Open311 密钥 / no Open311 key ${target}`, 2);
        await revokeMachineKey(db, CLI_AUDIT, row);
        console.log(`已吊销 revoked: ${row.keyPrefix}… ${row.name}`);
      });
    }
    default:
      throw usage(`未知子命令 / unknown subcommand: key ${sub ?? '(none)'}`);
  }
}

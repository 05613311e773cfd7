/**
 * `gridloop machine-key add | list | revoke`: machine keys from the server's shell, through the
 * same commands (and audit rows) as the administrators' API.
 */
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import type { Config } from '../config.js';
import {
  createMachineKey,
  listMachineKeys,
  MACHINE_CHANNELS,
  type MachineChannel,
  revokeMachineKey,
} from '../intake/machine-keys.js';
import { withDatabase } from './commands.js';
import { CliError } from './output.js';

const USAGE = `用法 usage:
  gridloop machine-key add <名称 name> --unit <unit code> [--channel sensor|hotline]
  gridloop machine-key list
  gridloop machine-key revoke <id | key prefix>`;

const usage = (problem: string) => new CliError(`${problem}\n\n${USAGE}`, 2);
const CLI_AUDIT = { actor: SYSTEM_ACTOR };

export interface MachineKeyOptions {
  unit?: string | undefined;
  channel?: string | undefined;
}

export async function machineKeyCommand(config: Config, args: string[], options: MachineKeyOptions): Promise<void> {
  const [sub, target] = args;
  switch (sub) {
    case 'add': {
      const name = target?.trim() ?? '';
      if (name.length < 2) throw usage('需要名称（至少 2 个字）/ a name of 2 or more characters is needed');
      if (!options.unit) throw usage('需要 --unit <单位编码> / --unit <unit code> is needed');
      const channel = (options.channel ?? 'sensor') as MachineChannel;
      if (!MACHINE_CHANNELS.includes(channel)) throw usage(`未知渠道 / unknown channel: ${options.channel}`);
      if (channel === 'open311') throw usage('Open311 密钥请用 / Open311 keys: gridloop open311 key add <name>');
      return withDatabase(config, async (db) => {
        const unit = await db
          .selectFrom('unit')
          .select(['id', 'path', 'district', 'code', 'name', 'level'])
          .where('code', '=', options.unit ?? '')
          .executeTakeFirst();
        if (!unit) throw new CliError(`单位不存在 / no unit with code ${options.unit}`, 2);
        const { row, key } = await createMachineKey(db, CLI_AUDIT, { name, channel, unit });
        console.log(`设备密钥 machine key (仅显示一次 shown once): ${key}`);
        console.log(`id ${row.id} · ${unit.name} (${unit.code}) · ${channel}`);
        const endpoint = channel === 'hotline' ? '/api/hotline/orders (docs/hotline.md)' : '/api/intake/alarms';
        console.log(`POST ${endpoint} with "Authorization: Bearer <key>" and an Idempotency-Key header.`);
      });
    }
    case 'list':
      return withDatabase(config, async (db) => {
        const rows = await listMachineKeys(db, ['']);
        if (rows.length === 0) console.log('没有设备密钥 / no machine keys');
        for (const k of rows) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
          const used = k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used';
          console.log(`${k.id}  ${k.keyPrefix}…  ${k.name}  ${k.channel}  ${state}, ${used}`);
        }
      });
    case 'revoke': {
      if (!target) throw usage('需要密钥 id 或前缀 / the key id or prefix is needed');
      return withDatabase(config, async (db) => {
        const rows = (await listMachineKeys(db, [''])).filter((k) => k.id === target || k.keyPrefix === target);
        const [row] = rows;
        if (!row) throw new CliError(`没有这个设备密钥 / no machine key ${target}`, 2);
        await revokeMachineKey(db, CLI_AUDIT, row);
        console.log(`已吊销 revoked: ${row.keyPrefix}… ${row.name}`);
      });
    }
    default:
      throw usage(`未知子命令 / unknown subcommand: ${sub ?? '(none)'}`);
  }
}

/**
 * The district an import request is about: named by its 6-digit code, or — when the person's grants
 * of the kind's roles lie in one district only — that one. Out of their reach: 404 (audited);
 * ambiguous: 400 asking for the code.
 */
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../common/roles.js';
import type { StaffActor } from '../accounts/actor.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope } from '../http/request-context.js';
import { importPolicy } from './import.policy.js';

export interface District {
  id: string;
  code: string;
  name: string;
  path: string;
}

export async function resolveImportDistrict(
  request: FastifyRequest,
  actor: StaffActor,
  roles: readonly Role[],
  code: string | undefined,
  path = 'district',
): Promise<District> {
  let wanted = code;
  if (!wanted) {
    const mine = [...new Set(actor.grants.filter((g) => roles.includes(g.role)).map((g) => g.district))];
    if (mine.length !== 1) throw new AppError('VALIDATION_FAILED', { fields: [{ path, reason: 'name the district' }] });
    wanted = mine[0];
  }
  const unit = await request.server.db
    .selectFrom('unit')
    .select(['id', 'district', 'name', 'path'])
    .where('district', '=', wanted ?? '')
    .where('level', '=', 'district')
    .executeTakeFirst();
  if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path, reason: 'no such district' }] });
  if (!importPolicy(...roles).mapping(actor, { unitPath: unit.path }))
    await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district });
  return { id: unit.id, code: unit.district, name: unit.name, path: unit.path };
}

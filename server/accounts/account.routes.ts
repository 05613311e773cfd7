/**
 * Staff accounts for administrators: list in scope, create with grants, grant and revoke roles,
 * reset a password, rename, disable.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountView } from '../../common/api.js';
import { writeAudit } from '../audit/audit.writer.js';
import type { Trx } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { scopePaths } from '../policies/predicates.js';
import { accountAbilities, accountPolicy } from './account.policy.js';
import { type AccountRecord, findAccount, listAccountsInScope } from './account.repository.js';
import {
  ZAccountView,
  ZCreateAccountRequest,
  ZGrantRequest,
  ZResetPasswordRequest,
  ZUpdateAccountRequest,
} from './account.schema.js';
import type { Actor, StaffActor } from './actor.js';
import { changePassword } from './commands/change-password.js';
import { createAccount } from './commands/create-account.js';
import { type GrantRoleProps, grantRole, revokeGrant } from './commands/grant-role.js';
import { presentGrant } from './session.presenter.js';

const tags = ['accounts'];
const ZParams = z.strictObject({ id: z.uuid() });

function presentAccount(actor: Actor | null, a: AccountRecord): AccountView {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    phone: a.phone,
    disabled: a.disabled,
    lockedUntil: a.lockedUntil && a.lockedUntil > new Date() ? a.lockedUntil.toISOString() : null,
    grants: a.grants.map(presentGrant),
    createdAt: a.createdAt.toISOString(),
    abilities: accountAbilities(actor, a),
  };
}

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** Resolves a requested grant to its unit and department, refusing anything beyond the actor's own scope. */
  async function resolveGrant(
    trx: Trx,
    request: FastifyRequest,
    actor: StaffActor,
    g: z.infer<typeof ZGrantRequest>,
  ): Promise<Omit<GrantRoleProps, 'accountId'>> {
    const unit = await trx
      .selectFrom('unit')
      .select(['id', 'code', 'path', 'district'])
      .where('id', '=', g.unitId)
      .executeTakeFirst();
    if (!unit || !accountPolicy.grant(actor, { unitPath: unit.path, role: g.role })) {
      await denyOutOfScope(
        request,
        { type: 'unit', id: g.unitId, district: unit?.district ?? null },
        'forbidden',
      ).catch(() => {
        throw new AppError('GRANT_OUTSIDE_SCOPE', { fields: [{ path: 'body.unitId', reason: 'outside your scope' }] });
      });
    }
    const department = g.departmentId
      ? await trx
          .selectFrom('department')
          .select(['id', 'code'])
          .where('id', '=', g.departmentId)
          .where('disabled', '=', false)
          .executeTakeFirst()
      : null;
    if (g.departmentId && !department)
      throw new AppError('NOT_FOUND', { fields: [{ path: 'body.departmentId', reason: 'not found' }] });
    if (!unit) throw new AppError('NOT_FOUND');
    return { role: g.role, unit, department: department ?? null, grantedBy: actor.id };
  }

  /** Loads an account the actor may see, or 404 (audited). */
  async function loadVisible(request: FastifyRequest, actor: StaffActor, id: string): Promise<AccountRecord> {
    const account = await findAccount(app.db, id);
    if (!account) throw new AppError('NOT_FOUND');
    if (!accountPolicy.read(actor, account)) await denyOutOfScope(request, { type: 'account', id });
    return account;
  }

  r.get(
    '/api/accounts',
    {
      schema: {
        tags,
        summary: 'Staff accounts in my administration / 人员账号列表',
        response: { 200: listOf(ZAccountView), ...errorResponses(401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const rows = await listAccountsInScope(app.db, scopePaths(actor, 'admin'));
      return { items: rows.map((a) => presentAccount(actor, a)) };
    },
  );

  r.post(
    '/api/accounts',
    {
      schema: {
        tags,
        summary: 'Create a staff account with its roles / 新增人员账号',
        body: ZCreateAccountRequest,
        response: { 201: ZAccountView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const id = await app.db.transaction().execute(async (trx) => {
        const grants = [];
        for (const g of request.body.grants) grants.push(await resolveGrant(trx, request, actor, g));
        return createAccount(trx, auditContext(request), {
          username: request.body.username,
          displayName: request.body.displayName,
          phone: request.body.phone ?? null,
          password: request.body.password,
          mustChangePassword: true,
          grants,
        });
      });
      return reply.status(201).send(presentAccount(actor, await loadVisible(request, actor, id)));
    },
  );

  r.patch(
    '/api/accounts/:id',
    {
      schema: {
        tags,
        summary: 'Rename, change phone, disable or enable / 修改人员账号',
        params: ZParams,
        body: ZUpdateAccountRequest,
        response: { 200: ZAccountView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const account = await loadVisible(request, actor, request.params.id);
      if (!accountPolicy.update(actor, account))
        await denyOutOfScope(request, { type: 'account', id: account.id }, 'forbidden');
      const changes = Object.fromEntries(Object.entries(request.body).filter(([, v]) => v !== undefined));
      await app.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('account')
          .set({ ...changes, updatedAt: new Date() })
          .where('id', '=', account.id)
          .execute();
        if (request.body.disabled) await trx.deleteFrom('session').where('accountId', '=', account.id).execute();
        await writeAudit(
          trx,
          auditContext(request),
          { action: 'account.updated', data: { changes: Object.keys(changes) } },
          { type: 'account', id: account.id },
        );
      });
      return presentAccount(actor, await loadVisible(request, actor, account.id));
    },
  );

  r.post(
    '/api/accounts/:id/grants',
    {
      schema: {
        tags,
        summary: 'Grant a role over a unit / 授予角色与辖区',
        params: ZParams,
        body: ZGrantRequest,
        response: { 200: ZAccountView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const account = await loadVisible(request, actor, request.params.id);
      await app.db.transaction().execute(async (trx) =>
        grantRole(trx, auditContext(request), {
          ...(await resolveGrant(trx, request, actor, request.body)),
          accountId: account.id,
        }),
      );
      return presentAccount(actor, await loadVisible(request, actor, account.id));
    },
  );

  r.delete(
    '/api/accounts/:id/grants/:grantId',
    {
      schema: {
        tags,
        summary: 'Revoke a grant / 撤销授权',
        params: z.strictObject({ id: z.uuid(), grantId: z.uuid() }),
        response: { 200: ZAccountView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const account = await loadVisible(request, actor, request.params.id);
      const grant = account.grants.find((g) => g.id === request.params.grantId);
      if (!grant) throw new AppError('NOT_FOUND');
      if (!accountPolicy.grant(actor, { unitPath: grant.unitPath, role: grant.role })) {
        await denyOutOfScope(request, { type: 'account', id: account.id }, 'forbidden');
      }
      await app.db.transaction().execute((trx) =>
        revokeGrant(trx, auditContext(request), {
          accountId: account.id,
          grantId: grant.id,
          role: grant.role,
          unitCode: grant.unit.code,
          departmentCode: grant.department?.code ?? null,
          district: grant.district,
        }),
      );
      return presentAccount(actor, (await findAccount(app.db, account.id)) ?? account);
    },
  );

  r.post(
    '/api/accounts/:id/password',
    {
      schema: {
        tags,
        summary: 'Set a new password (the person must change it at next sign-in) / 重置密码',
        params: ZParams,
        body: ZResetPasswordRequest,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const account = await loadVisible(request, actor, request.params.id);
      if (!accountPolicy.update(actor, account))
        await denyOutOfScope(request, { type: 'account', id: account.id }, 'forbidden');
      await app.db.transaction().execute((trx) =>
        changePassword(trx, auditContext(request), {
          accountId: account.id,
          newPassword: request.body.newPassword,
          by: 'admin',
        }),
      );
      return reply.status(204).send(null);
    },
  );
}

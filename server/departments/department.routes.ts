/**
 * Departments (条): list, create, update.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffActor } from '../accounts/actor.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { hasRole } from '../policies/predicates.js';
import { unitPolicy } from '../territory/unit.policy.js';
import { findUnitById } from '../territory/unit.repository.js';
import { createDepartment, updateDepartment } from './commands/save-department.js';
import { departmentPolicy } from './department.policy.js';
import { presentDepartment } from './department.presenter.js';
import { selectDepartments } from './department.repository.js';
import { ZCreateDepartmentRequest, ZDepartmentView, ZUpdateDepartmentRequest } from './department.schema.js';

const tags = ['departments'];

export async function departmentRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** A department is deployed (下沉) only to a subdistrict the actor can see. */
  async function deployTarget(actor: StaffActor, unitId: string | null | undefined) {
    if (!unitId) return null;
    const target = await findUnitById(app.db, unitId);
    if (target?.level !== 'subdistrict' || !unitPolicy.read(actor, target)) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ path: 'body.deployedToUnitId', reason: 'must be a subdistrict in your scope' }],
      });
    }
    return target;
  }

  r.get(
    '/api/departments',
    {
      schema: {
        tags,
        summary: 'All departments / 职能部门列表',
        response: { 200: listOf(ZDepartmentView), ...errorResponses(401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const rows = await selectDepartments(app.db).execute();
      return { items: rows.filter((d) => departmentPolicy.read(actor, d)).map((d) => presentDepartment(actor, d)) };
    },
  );

  r.post(
    '/api/departments',
    {
      schema: {
        tags,
        summary: 'Create a department / 新增职能部门',
        body: ZCreateDepartmentRequest,
        response: { 201: ZDepartmentView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      if (!hasRole('admin')(actor, null))
        await denyOutOfScope(request, { type: 'department', id: request.body.code }, 'forbidden');
      const serves = await findUnitById(app.db, request.body.servesUnitId);
      if (!serves || !unitPolicy.read(actor, serves))
        throw new AppError('NOT_FOUND', { fields: [{ path: 'body.servesUnitId', reason: 'not found' }] });
      if (!departmentPolicy.update(actor, { servesPath: serves.path })) {
        await denyOutOfScope(request, { type: 'department', id: request.body.code }, 'forbidden');
      }
      const deployedTo = await deployTarget(actor, request.body.deployedToUnitId);
      const id = await app.db.transaction().execute((trx) =>
        createDepartment(trx, auditContext(request), {
          ...request.body,
          servesUnit: serves,
          deployedToUnitId: deployedTo?.id ?? null,
        }),
      );
      const row = await selectDepartments(app.db).where('d.id', '=', id).executeTakeFirstOrThrow();
      return reply.status(201).send(presentDepartment(actor, row));
    },
  );

  r.patch(
    '/api/departments/:id',
    {
      schema: {
        tags,
        summary: 'Change a department / 修改职能部门',
        params: z.strictObject({ id: z.uuid() }),
        body: ZUpdateDepartmentRequest,
        response: { 200: ZDepartmentView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const department = await selectDepartments(app.db).where('d.id', '=', request.params.id).executeTakeFirst();
      if (!department) throw new AppError('NOT_FOUND');
      if (!departmentPolicy.update(actor, department)) {
        await denyOutOfScope(request, { type: 'department', id: department.id }, 'forbidden');
      }
      await deployTarget(actor, request.body.deployedToUnitId);
      await app.db.transaction().execute((trx) =>
        updateDepartment(trx, auditContext(request), {
          id: department.id,
          code: department.code,
          district: department.servesCode.slice(0, 6),
          changes: request.body,
        }),
      );
      return presentDepartment(
        actor,
        await selectDepartments(app.db).where('d.id', '=', department.id).executeTakeFirstOrThrow(),
      );
    },
  );
}

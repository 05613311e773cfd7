/**
 * The case category catalogue for staff and administrators: categories with their time limits
 * (read by all staff; changed by installation administrators), the default limits, and dispatch
 * rules (managed by administrators for units in their scope).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffActor } from '../../accounts/actor.js';
import { AppError } from '../../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../../http/request-context.js';
import { errorResponses, listOf } from '../../http/schemas.js';
import { scopePaths } from '../../policies/predicates.js';
import { escapeLike } from '../../policies/scope.js';
import { findUnitById } from '../../territory/unit.repository.js';
import { forgetCategoryModels } from '../category-suggest.js';
import { cataloguePolicy, dispatchRulePolicy } from './catalogue.policy.js';
import { presentCategory, presentCategoryDetail, presentLimits, presentRule } from './catalogue.presenter.js';
import {
  type CategoryRow,
  countOpenCases,
  findCategoryByCode,
  listLimits,
  rulesTouching,
  selectCategories,
  selectRules,
} from './catalogue.repository.js';
import {
  ZCategoryDetail,
  ZCategoryList,
  ZCodeParams,
  ZCreateCategoryRequest,
  ZCreateRuleRequest,
  ZDispatchRuleView,
  ZRuleParams,
  ZRuleQuery,
  ZTimeLimit,
  ZTimeLimitsRequest,
  ZUpdateCategoryRequest,
} from './catalogue.schema.js';
import { createDispatchRule, deleteDispatchRule } from './commands/dispatch-rules.js';
import { createCategory, setCategoryDisabled, updateCategory } from './commands/save-category.js';
import { setTimeLimits } from './commands/set-time-limits.js';

const tags = ['catalogue'];

export async function catalogueRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  function requireReader(request: FastifyRequest): StaffActor {
    const actor = requireStaff(request);
    if (!cataloguePolicy.read(actor)) throw new AppError('FORBIDDEN');
    return actor;
  }

  /** Installation administrators only; anyone else's attempt is audited. */
  async function requireManager(request: FastifyRequest, subject: string): Promise<StaffActor> {
    const actor = requireStaff(request);
    if (!cataloguePolicy.manage(actor)) await denyOutOfScope(request, { type: 'category', id: subject }, 'forbidden');
    return actor;
  }

  /** A category the actor may see (disabled ones only for administrators), or 404. */
  async function loadVisible(actor: StaffActor, code: string): Promise<CategoryRow> {
    const category = await findCategoryByCode(app.db, code);
    if (!category || (category.disabled && !cataloguePolicy.readDisabled(actor))) throw new AppError('NOT_FOUND');
    return category;
  }

  async function detail(actor: StaffActor, code: string) {
    const category = await findCategoryByCode(app.db, code);
    if (!category) throw new AppError('NOT_FOUND');
    const [limits, openCases] = await Promise.all([
      listLimits(app.db, [category.id]),
      countOpenCases(app.db, category.id),
    ]);
    return presentCategoryDetail(actor, category, limits, openCases);
  }

  r.get(
    '/api/categories',
    {
      schema: {
        tags,
        summary: 'Case categories with their time limits / 案件分类及时限',
        description:
          'Majors (`xx00`) and minors, each with its own limits; `defaults` are the installation-wide limits. ' +
          'Disabled categories (and minors of a disabled major) are listed for administrators only.',
        response: { 200: ZCategoryList, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const actor = requireReader(request);
      const [rows, limits] = await Promise.all([selectCategories(app.db).execute(), listLimits(app.db)]);
      const disabledMajors = new Set(rows.filter((c) => c.code.endsWith('00') && c.disabled).map((c) => c.majorCode));
      const visible = cataloguePolicy.readDisabled(actor)
        ? rows
        : rows.filter((c) => !c.disabled && !disabledMajors.has(c.majorCode));
      return {
        items: visible.map((c) => presentCategory(actor, c, limits)),
        defaults: presentLimits(limits.filter((l) => l.categoryId === null)),
        abilities: {
          create: cataloguePolicy.manage(actor),
          setDefaults: cataloguePolicy.manage(actor),
          manageRules: cataloguePolicy.manageSomeRules(actor),
        },
      };
    },
  );

  r.put(
    '/api/categories/default-limits',
    {
      schema: {
        tags,
        summary: 'Replace the default time limits (installation administrators) / 设置默认时限',
        description:
          'The whole set of category-less limits per urgency × stage; a pair left out uses the built-in fallback. ' +
          'New stages are timed by it; running clocks keep their due time.',
        body: ZTimeLimitsRequest,
        response: { 200: listOf(ZTimeLimit), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request) => {
      await requireManager(request, 'default-limits');
      await app.db
        .transaction()
        .execute((trx) => setTimeLimits(trx, auditContext(request), { category: null, limits: request.body.limits }));
      return { items: presentLimits((await listLimits(app.db, [])).filter((l) => l.categoryId === null)) };
    },
  );

  r.get(
    '/api/categories/dispatch-rules',
    {
      schema: {
        tags,
        summary: 'Dispatch rules governing your territory / 派遣规则',
        description:
          'Rules at, below or above the units of your scope; `unitId` narrows to rules at that unit or below it. ' +
          'For a case the rule on the most specific unit containing it wins.',
        querystring: ZRuleQuery,
        response: { 200: listOf(ZDispatchRuleView), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireReader(request);
      let query = selectRules(app.db).where(rulesTouching(scopePaths(actor)));
      if (request.query.categoryCode) query = query.where('c.code', '=', request.query.categoryCode);
      if (request.query.unitId) {
        const unit = await findUnitById(app.db, request.query.unitId);
        if (!unit) return { items: [] };
        query = query.where('r.unitPath', 'like', `${escapeLike(unit.path)}%`);
      }
      return { items: (await query.execute()).map((row) => presentRule(actor, row)) };
    },
  );

  r.post(
    '/api/categories/dispatch-rules',
    {
      schema: {
        tags,
        summary: 'Add a dispatch rule (administrators, units in scope) / 新增派遣规则',
        description:
          'Category × unit → department; the department must serve the unit. One rule per category and unit.',
        body: ZCreateRuleRequest,
        response: { 201: ZDispatchRuleView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const body = request.body;
      const unit = await findUnitById(app.db, body.unitId);
      if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path: 'body.unitId', reason: 'not found' }] });
      if (!dispatchRulePolicy.manage(actor, { unitPath: unit.path })) {
        await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district }, 'forbidden');
      }
      const category = await findCategoryByCode(app.db, body.categoryCode);
      if (!category || category.code.endsWith('00')) {
        throw new AppError('CATEGORY_UNKNOWN', {
          fields: [{ path: 'body.categoryCode', reason: category ? 'a major: rules name minors' : 'unknown' }],
        });
      }
      const department = await app.db
        .selectFrom('department as d')
        .leftJoin('unit as t', 't.id', 'd.deployedToUnitId')
        .select(['d.id', 'd.code', 'd.servesPath', 'd.disabled', 't.path as deployedToPath'])
        .where('d.id', '=', body.departmentId)
        .executeTakeFirst();
      if (!department || department.disabled) {
        throw new AppError('DEPARTMENT_UNKNOWN', {
          fields: [{ path: 'body.departmentId', reason: 'unknown or disabled' }],
        });
      }
      const id = await app.db
        .transaction()
        .execute((trx) => createDispatchRule(trx, auditContext(request), { category, unit, department }));
      const row = await selectRules(app.db).where('r.id', '=', id).executeTakeFirstOrThrow();
      return reply.status(201).send(presentRule(actor, row));
    },
  );

  r.delete(
    '/api/categories/dispatch-rules/:id',
    {
      schema: {
        tags,
        summary: 'Delete a dispatch rule (administrators, units in scope) / 删除派遣规则',
        params: ZRuleParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const rule = await selectRules(app.db).where('r.id', '=', request.params.id).executeTakeFirst();
      if (!rule || !dispatchRulePolicy.read(actor, rule)) throw new AppError('NOT_FOUND');
      if (!dispatchRulePolicy.manage(actor, rule)) {
        await denyOutOfScope(request, { type: 'dispatch_rule', id: rule.id, district: rule.district }, 'forbidden');
      }
      await app.db.transaction().execute((trx) => deleteDispatchRule(trx, auditContext(request), rule));
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/categories/:code',
    {
      schema: {
        tags,
        summary: 'One category with its effective limits / 案件分类详情',
        description: 'Every urgency × stage as a new case would be timed, with where each limit comes from.',
        params: ZCodeParams,
        response: { 200: ZCategoryDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireReader(request);
      await loadVisible(actor, request.params.code);
      return detail(actor, request.params.code);
    },
  );

  r.post(
    '/api/categories',
    {
      schema: {
        tags,
        summary: 'Create a category (installation administrators) / 新增案件分类',
        description:
          'A major is `xx00` and needs `kind`; a minor needs its major and takes its kind. The code never changes afterwards.',
        body: ZCreateCategoryRequest,
        response: { 201: ZCategoryDetail, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = await requireManager(request, request.body.code);
      await app.db.transaction().execute((trx) => createCategory(trx, auditContext(request), request.body));
      forgetCategoryModels();
      return reply.status(201).send(await detail(actor, request.body.code));
    },
  );

  r.patch(
    '/api/categories/:code',
    {
      schema: {
        tags,
        summary: 'Change a category (installation administrators) / 修改案件分类',
        description:
          'Names, department kind, self-register/handle, duplicate radius and window, notice, keywords, extra questions ' +
          '(the Open311 service definition: code, datatype, required, order, description, values).',
        params: ZCodeParams,
        body: ZUpdateCategoryRequest,
        response: { 200: ZCategoryDetail, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const actor = await requireManager(request, request.params.code);
      await app.db.transaction().execute(async (trx) => {
        const category = await findCategoryByCode(trx, request.params.code, true);
        if (!category) throw new AppError('NOT_FOUND');
        await updateCategory(trx, auditContext(request), category, request.body);
      });
      // New names or keywords: the suggestion learns them at once.
      forgetCategoryModels();
      return detail(actor, request.params.code);
    },
  );

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    r.post(
      `/api/categories/:code/${verb}`,
      {
        schema: {
          tags,
          summary: disabled
            ? 'Disable a category (installation administrators) / 停用案件分类'
            : 'Enable a category again (installation administrators) / 启用案件分类',
          description: disabled
            ? 'No new reports under it; cases already under it keep it (`openCases` says how many still run).'
            : 'New reports may use it again.',
          params: ZCodeParams,
          response: { 200: ZCategoryDetail, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const actor = await requireManager(request, request.params.code);
        await app.db.transaction().execute(async (trx) => {
          const category = await findCategoryByCode(trx, request.params.code, true);
          if (!category) throw new AppError('NOT_FOUND');
          await setCategoryDisabled(trx, auditContext(request), category, disabled);
        });
        forgetCategoryModels();
        return detail(actor, request.params.code);
      },
    );
  }

  r.put(
    '/api/categories/:code/limits',
    {
      schema: {
        tags,
        summary: 'Replace a category’s own time limits (installation administrators) / 设置分类时限',
        description:
          'The whole set per urgency × stage; a pair left out uses the default. New stages are timed by it; running clocks keep their due time.',
        params: ZCodeParams,
        body: ZTimeLimitsRequest,
        response: { 200: ZCategoryDetail, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const actor = await requireManager(request, request.params.code);
      await app.db.transaction().execute(async (trx) => {
        const category = await findCategoryByCode(trx, request.params.code, true);
        if (!category) throw new AppError('NOT_FOUND');
        if (category.code.endsWith('00')) {
          throw new AppError('TIME_LIMIT_INVALID', {
            fields: [{ path: 'params.code', reason: 'a major has no cases; set the limits of its minors' }],
          });
        }
        await setTimeLimits(trx, auditContext(request), { category, limits: request.body.limits });
      });
      return detail(actor, request.params.code);
    },
  );
}

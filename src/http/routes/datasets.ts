// Pull operations: GET /companies/{companyId}/dataStatus, GET .../data/history (+ /{datasetId}),
// GET .../sync/{datasetId}/validation, POST .../data/all, POST .../data/queue/{dataType}.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { pageEnvelope, runPagedQuery } from '../../query/paging.ts';
import { dataStatus, toPullOperation } from '../../sync/datasets.ts';
import { companyOr404, syncServiceOf, toApiError } from '../../sync/http.ts';
import { DATASET_STATUSES } from '../../sync/statuses.ts';
import { tenantOf } from '../context.ts';
import { ApiError, ErrorMessageSchema } from '../errors.ts';
import { ListQuerySchema, PageEnvelopeSchema } from '../schemas/common.ts';

export const PullOperationSchema = z
  .object({
    id: z.string(),
    companyId: z.string(),
    connectionId: z.string(),
    dataType: z.string(),
    status: z.enum(DATASET_STATUSES),
    statusDescription: z.string().nullable(),
    errorMessage: z.string().nullable(),
    requested: z.string(),
    completed: z.string().optional(),
    progress: z.number().int(),
    isCompleted: z.boolean(),
    isErrored: z.boolean(),
  })
  .meta({ id: 'PullOperation' });

const DataStatusSchema = z.object({
  dataType: z.string(),
  currentStatus: z.enum(DATASET_STATUSES),
  lastSuccessfulSync: z.string().optional(),
  latestSyncId: z.string().optional(),
  latestSuccessfulSyncId: z.string().optional(),
});
const ValidationItem = z.object({
  ruleId: z.string(),
  itemId: z.string(),
  message: z.string(),
  validatorName: z.string(),
});
export const ValidationResultSchema = z
  .object({ errors: z.array(ValidationItem), warnings: z.array(ValidationItem) })
  .meta({ id: 'ValidationResult' });

const CompanyParams = z.object({ companyId: z.string().max(64) });
const errors = { 400: ErrorMessageSchema, 401: ErrorMessageSchema, 404: ErrorMessageSchema };

/** Columns of the datasets table that `query`/`orderBy` may use (Codat PullOperation property names). */
const historyColumns = {
  id: 'id',
  connectionId: 'connection_id',
  dataType: 'data_type',
  status: 'status',
  requested: 'requested',
  completed: 'completed',
  progress: { expr: sql.ref('progress'), type: 'number' as const },
};

const routes: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/companies/:companyId/dataStatus',
    {
      schema: {
        tags: ['Refresh data'],
        summary: 'Get data status',
        params: CompanyParams,
        response: { 200: z.record(z.string(), DataStatusSchema), ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      await companyOr404(db, tenantId, req.params.companyId);
      return (await dataStatus(db, req.params.companyId)) as Record<string, z.infer<typeof DataStatusSchema>>;
    },
  );

  app.get(
    '/companies/:companyId/data/history',
    {
      schema: {
        tags: ['Refresh data'],
        summary: 'List pull operations',
        params: CompanyParams,
        querystring: ListQuerySchema,
        response: { 200: PageEnvelopeSchema(PullOperationSchema), ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      await companyOr404(db, tenantId, req.params.companyId);
      const qb = db.selectFrom('datasets').selectAll().where('company_id', '=', req.params.companyId);
      const { rows, total } = await runPagedQuery(qb, req.query, {
        dialect: app.deps.store.dialect,
        columns: historyColumns,
        defaultOrder: [
          { expr: sql`requested`, direction: 'desc' },
          { expr: sql`id`, direction: 'asc' },
        ],
      });
      return pageEnvelope(rows.map(toPullOperation), {
        path: `/companies/${req.params.companyId}/data/history`,
        page: req.query.page,
        pageSize: req.query.pageSize,
        total,
        params: { query: req.query.query, orderBy: req.query.orderBy },
      });
    },
  );

  app.get(
    '/companies/:companyId/data/history/:datasetId',
    {
      schema: {
        tags: ['Refresh data'],
        summary: 'Get pull operation',
        params: CompanyParams.extend({ datasetId: z.string().max(64) }),
        response: { 200: PullOperationSchema, ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      await companyOr404(db, tenantId, req.params.companyId);
      const row = await db
        .selectFrom('datasets')
        .selectAll()
        .where('company_id', '=', req.params.companyId)
        .where('id', '=', req.params.datasetId)
        .executeTakeFirst();
      if (!row) throw ApiError.notFound(`Pull operation ${req.params.datasetId} not found for this company.`);
      return toPullOperation(row);
    },
  );

  app.get(
    '/companies/:companyId/sync/:datasetId/validation',
    {
      schema: {
        tags: ['Refresh data'],
        summary: 'Get pull operation validation results',
        params: CompanyParams.extend({ datasetId: z.string().max(64) }),
        response: { 200: ValidationResultSchema, ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      await companyOr404(db, tenantId, req.params.companyId);
      const row = await db
        .selectFrom('datasets')
        .select(['validation', 'status'])
        .where('company_id', '=', req.params.companyId)
        .where('id', '=', req.params.datasetId)
        .executeTakeFirst();
      if (!row) throw ApiError.notFound(`Pull operation ${req.params.datasetId} not found for this company.`);
      const v = row.validation ? JSON.parse(row.validation) : { errors: [], warnings: [] };
      return { errors: v.errors ?? [], warnings: v.warnings ?? [] };
    },
  );

  app.post(
    '/companies/:companyId/data/all',
    {
      schema: {
        tags: ['Refresh data'],
        summary: 'Refresh all data',
        description:
          'Queues every data type with fetchOnFirstLink on each linked connection; types in progress are skipped.',
        params: CompanyParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      const tenantId = tenantOf(req);
      await companyOr404(db, tenantId, req.params.companyId);
      try {
        await syncServiceOf(app).queueAll(tenantId, req.params.companyId, { trigger: 'all' });
      } catch (err) {
        throw toApiError(err);
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/companies/:companyId/data/queue/:dataType',
    {
      schema: {
        tags: ['Refresh data'],
        summary: 'Refresh data type',
        description:
          'Queues one data type. `full=true` (Ledgerlink) forces a full resync instead of an incremental one.',
        params: CompanyParams.extend({ dataType: z.string().max(64) }),
        querystring: z.object({
          connectionId: z.string().max(64).optional(),
          full: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: PullOperationSchema, 409: ErrorMessageSchema, ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      await companyOr404(db, tenantId, req.params.companyId);
      try {
        const row = await syncServiceOf(app).queue(tenantId, req.params.companyId, req.params.dataType, {
          connectionId: req.query.connectionId,
          full: req.query.full === 'true',
        });
        return toPullOperation(row);
      } catch (err) {
        throw toApiError(err);
      }
    },
  );
};

export default routes;

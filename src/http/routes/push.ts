// Push (write-back) endpoints in Codat's shape:
//   GET    /companies/{companyId}/connections/{connectionId}/options/{dataType}
//   POST   /companies/{companyId}/connections/{connectionId}/push/{dataType}            (Idempotency-Key)
//   PUT    /companies/{companyId}/connections/{connectionId}/push/{dataType}/{id}       (Idempotency-Key, forceUpdate)
//   DELETE /companies/{companyId}/connections/{connectionId}/push/{dataType}/{id}
//   GET    /companies/{companyId}/push, /companies/{companyId}/push/{pushOperationKey}
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { ConnectorError, type DataType, type PushOperationType } from '../../connectors/connector.ts';
import { PushNotSupportedError } from '../../push/errors.ts';
import { IdempotencyStore, requestHash, validIdempotencyKey } from '../../push/idempotency.ts';
import { createPushService } from '../../push/platform.ts';
import type { PushService } from '../../push/service.ts';
import { toApi, toApiWithData } from '../../push/store.ts';
import { pushOperationSchema } from '../../push/types.ts';
import { ListQuerySchema, PageEnvelopeSchema, pageEnvelope, runPagedQuery } from '../../query/index.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../context.ts';
import { ApiError, ErrorMessageSchema } from '../errors.ts';

/** Codat URL segment -> data type key (accounts is chartOfAccounts, as on the data endpoints). */
const SEGMENTS: Record<string, DataType> = { accounts: 'chartOfAccounts' };
const WRITABLE = [
  'customers',
  'suppliers',
  'invoices',
  'creditNotes',
  'bills',
  'billCreditNotes',
  'payments',
  'billPayments',
  'salesOrders',
  'purchaseOrders',
  'items',
  'chartOfAccounts',
] as const;

const services = new WeakMap<AppDeps, PushService>();

/** The push service of this server: `services.push` when `serve` wired one, else built once from app deps. */
export function pushServiceOf(app: FastifyInstance): PushService {
  const given = app.deps.services.push as PushService | undefined;
  if (given) return given;
  let s = services.get(app.deps);
  if (!s) {
    const d = app.deps;
    s = createPushService({
      db: d.db,
      keyring: d.keyring,
      config: d.config,
      logger: d.logger,
      clock: d.clock,
      sync: syncQueueOf(d.services.sync),
      overrides: d.services.pushOverrides as Parameters<typeof createPushService>[0]['overrides'],
    });
    services.set(app.deps, s);
  }
  return s;
}

type SyncQueue = NonNullable<Parameters<typeof createPushService>[0]['sync']>;
/** `services.sync` is the SyncEngine (its `service.queue` also wakes the executor); accept a bare queue too. */
function syncQueueOf(engine: unknown): SyncQueue | undefined {
  const e = engine as { service?: SyncQueue; queue?: SyncQueue['queue'] } | undefined;
  if (e?.service && typeof e.service.queue === 'function') return e.service;
  if (e && typeof e.queue === 'function') return e as SyncQueue;
  return undefined;
}

function dataTypeOf(segment: string): DataType {
  const dt = SEGMENTS[segment] ?? segment;
  if (!(WRITABLE as readonly string[]).includes(dt)) {
    throw new ApiError(
      404,
      `Datatype ${segment} not supported for push. Supported: ${WRITABLE.join(', ')} (chartOfAccounts as "accounts").`,
    );
  }
  return dt as DataType;
}

async function companyConnection(app: FastifyInstance, tenantId: string, companyId: string, connectionId?: string) {
  const company = await app.deps.db
    .selectFrom('companies')
    .select(['id'])
    .where('id', '=', companyId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!company) throw ApiError.notFound(`Company ${companyId} not found`);
  if (!connectionId) return undefined;
  const conn = await app.deps.db
    .selectFrom('connections')
    .select(['id', 'status', 'platform_key'])
    .where('id', '=', connectionId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  if (!conn) throw ApiError.notFound(`Connection ${connectionId} not found for company ${companyId}`);
  return conn;
}

/** sourceModifiedDate of our synced copy (the sync engine's records table), for optimistic concurrency. */
async function syncedSourceModified(app: FastifyInstance, companyId: string, dataType: string, recordId: string) {
  try {
    const row = await app.deps.db
      .selectFrom('records')
      .select(['source_modified_date'])
      .where('company_id', '=', companyId)
      .where('data_type', '=', dataType)
      .where('record_id', '=', recordId)
      .executeTakeFirst();
    return row?.source_modified_date ?? null;
  } catch {
    return null; // no sync tables: nothing to compare with
  }
}

const PushOperationSchema = pushOperationSchema.meta({ id: 'PushOperation' });
const PushResponseSchema = pushOperationSchema
  .extend({
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Deprecated in Codat: the written record in the standard model, as reads will show it'),
  })
  .meta({ id: 'PushOperationWithData' });
const PathParams = z.object({ companyId: z.string(), connectionId: z.string(), dataType: z.string() });
const PushQuery = z.object({
  timeoutInMinutes: z.coerce.number().int().min(1).max(1440).optional(),
  forceUpdate: z.enum(['true', 'false']).optional(),
});
const Body = z.record(z.string(), z.unknown()).describe('The record in the standard model (Codat field names)');
const errors = { 400: ErrorMessageSchema, 404: ErrorMessageSchema, 409: ErrorMessageSchema, 422: ErrorMessageSchema };

const plugin: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const idempotency = new IdempotencyStore(root.deps.db);
  let stopBackground: (() => void) | undefined;
  root.addHook('onReady', async () => {
    if (root.deps.services.pushBackground === false) return;
    stopBackground = pushServiceOf(root).startBackground(Number(root.deps.services.pushBackgroundMs ?? 15_000));
  });
  root.addHook('onClose', async () => stopBackground?.());

  app.get(
    '/companies/:companyId/connections/:connectionId/options/:dataType',
    {
      schema: {
        tags: ['Push data'],
        summary: 'Get push options',
        description:
          "The fields, required flags and allowed values (from the company's own Sage data) for creating a record of this data type.",
        params: PathParams,
        response: { 200: z.record(z.string(), z.unknown()).describe('PushOption'), ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const { companyId, connectionId } = request.params;
      const dataType = dataTypeOf(request.params.dataType);
      await companyConnection(root, tenantId, companyId, connectionId);
      const conn = await pushServiceOf(root).loadConnection(tenantId, companyId, connectionId);
      if (!conn) throw ApiError.notFound(`Connection ${connectionId} not found for company ${companyId}`);
      if (conn.status !== 'Linked')
        throw ApiError.badRequest(`The connection is ${conn.status}; link it again before reading push options.`);
      if (!conn.connector.pushOptions)
        throw ApiError.badRequest(`${conn.connector.name} does not support writing data.`);
      try {
        return (await conn.connector.pushOptions(await conn.context(), dataType)) as Record<string, unknown>;
      } catch (err) {
        throw toApiError(err);
      }
    },
  );

  async function handlePush(
    request: FastifyRequest,
    reply: FastifyReply,
    operation: PushOperationType,
    p: { companyId: string; connectionId: string; dataType: string; recordId?: string },
    query: z.infer<typeof PushQuery>,
    body: Record<string, unknown>,
  ) {
    const tenantId = tenantOf(request);
    const dataType = dataTypeOf(p.dataType);
    await companyConnection(root, tenantId, p.companyId, p.connectionId);
    const service = pushServiceOf(root);
    const expected =
      operation === 'update' && p.recordId
        ? ((typeof body.sourceModifiedDate === 'string' ? body.sourceModifiedDate : null) ??
          (await syncedSourceModified(root, p.companyId, dataType, p.recordId)))
        : null;
    const start = (pushOperationKey?: string) =>
      service.start({
        tenantId,
        companyId: p.companyId,
        connectionId: p.connectionId,
        dataType,
        operation,
        body,
        recordId: p.recordId,
        timeoutInMinutes: query.timeoutInMinutes ?? null,
        forceUpdate: query.forceUpdate === 'true',
        expectedSourceModified: expected,
        pushOperationKey,
      });

    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || operation === 'delete') return toApiWithData(await start());
    if (!validIdempotencyKey(key)) {
      throw ApiError.badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters.', [
        {
          itemId: 'Idempotency-Key',
          message: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
          validatorName: 'IdempotencyKey',
        },
      ]);
    }
    const hash = requestHash({ method: request.method, path: request.url.split('?')[0], query, body });
    const newKey = randomUUID();
    const claim = await idempotency.claim(tenantId, key, hash, newKey, root.deps.clock());
    if (claim.kind === 'mismatch') {
      throw ApiError.unprocessable(
        `Idempotency-Key "${key}" was already used for a different request (push operation ${claim.pushOperationKey}). Use a new key for a new request.`,
      );
    }
    if (claim.kind === 'in-flight') {
      throw new ApiError(
        409,
        `A request with Idempotency-Key "${key}" is still being processed (push operation ${claim.pushOperationKey}). Retry in a moment.`,
        {
          canBeRetried: true,
          headers: { 'retry-after': '1' },
        },
      );
    }
    if (claim.kind === 'replay') {
      const row = await service.store.get(claim.pushOperationKey, tenantId);
      if (!row) throw ApiError.notFound(`Push operation ${claim.pushOperationKey} no longer exists`);
      reply.header('idempotent-replayed', 'true');
      return toApiWithData(row);
    }
    try {
      return toApiWithData(await start(newKey));
    } catch (err) {
      const exists = await service.store.get(newKey);
      if (!exists) await idempotency.forget(tenantId, key);
      throw err;
    } finally {
      await idempotency.settle(tenantId, key).catch(() => {});
    }
  }

  app.post(
    '/companies/:companyId/connections/:connectionId/push/:dataType',
    {
      schema: {
        tags: ['Push data'],
        summary: 'Create a record in the accounting platform',
        description:
          'Validates the body (model + Sage 200 limits), resolves references, writes to Sage and answers with the push operation (Pending when it takes longer than a few seconds). Send `Idempotency-Key` to make retries safe (kept 90 minutes).',
        params: PathParams,
        querystring: PushQuery,
        body: Body,
        response: { 200: PushResponseSchema, ...errors },
      },
    },
    async (request, reply) => handlePush(request, reply, 'create', request.params, request.query, request.body),
  );

  app.put(
    '/companies/:companyId/connections/:connectionId/push/:dataType/:recordId',
    {
      schema: {
        tags: ['Push data'],
        summary: 'Update a record in the accounting platform',
        description:
          'Refused when the record changed in Sage since `sourceModifiedDate` (the body, or our last sync) unless `forceUpdate=true`. Posted ledger documents cannot be updated in Sage 200.',
        params: PathParams.extend({ recordId: z.string() }),
        querystring: PushQuery,
        body: Body,
        response: { 200: PushResponseSchema, ...errors },
      },
    },
    async (request, reply) => handlePush(request, reply, 'update', request.params, request.query, request.body),
  );

  app.delete(
    '/companies/:companyId/connections/:connectionId/push/:dataType/:recordId',
    {
      schema: {
        tags: ['Push data'],
        summary: 'Delete a record in the accounting platform (where Sage allows it)',
        params: PathParams.extend({ recordId: z.string() }),
        response: { 200: PushOperationSchema, ...errors },
      },
    },
    async (request, reply) => handlePush(request, reply, 'delete', request.params, {}, {}),
  );

  app.get(
    '/companies/:companyId/push',
    {
      schema: {
        tags: ['Push data'],
        summary: 'List push operations',
        params: z.object({ companyId: z.string() }),
        querystring: ListQuerySchema,
        response: { 200: PageEnvelopeSchema(PushOperationSchema), ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const { companyId } = request.params;
      await companyConnection(root, tenantId, companyId);
      const dialect = root.deps.store.dialect;
      const qb = root.deps.db.selectFrom('push_operations').selectAll().where('company_id', '=', companyId);
      const { rows, total } = await runPagedQuery(qb, request.query, {
        dialect,
        columns: {
          pushOperationKey: 'push_operation_key',
          dataType: 'data_type',
          status: 'status',
          statusCode: { expr: sql`status_code`, type: 'number' },
          requestedOnUtc: 'requested_on_utc',
          completedOnUtc: 'completed_on_utc',
          dataConnectionKey: 'connection_id',
          errorMessage: 'error_message',
        },
        defaultOrder: [
          { expr: sql`requested_on_utc`, direction: 'desc' },
          { expr: sql`push_operation_key`, direction: 'asc' },
        ],
      });
      return pageEnvelope(rows.map(toApi), {
        path: request.url.split('?')[0],
        page: request.query.page,
        pageSize: request.query.pageSize,
        total,
        params: { query: request.query.query, orderBy: request.query.orderBy },
      });
    },
  );

  app.get(
    '/companies/:companyId/push/:pushOperationKey',
    {
      schema: {
        tags: ['Push data'],
        summary: 'Get a push operation',
        params: z.object({ companyId: z.string(), pushOperationKey: z.string() }),
        response: { 200: PushOperationSchema, ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      await companyConnection(root, tenantId, request.params.companyId);
      const row = await pushServiceOf(root).store.get(request.params.pushOperationKey, tenantId);
      if (!row || row.company_id !== request.params.companyId) {
        throw ApiError.notFound(`Push operation ${request.params.pushOperationKey} not found`);
      }
      return toApi(row);
    },
  );
};

function toApiError(err: unknown): unknown {
  if (err instanceof PushNotSupportedError) return ApiError.badRequest(err.message);
  if (err instanceof ConnectorError) {
    const status =
      err.kind === 'AuthError' ? 401 : err.kind === 'NotFound' ? 404 : err.kind === 'RateLimitError' ? 429 : 502;
    return new ApiError(status, err.message);
  }
  return err;
}

export default plugin;

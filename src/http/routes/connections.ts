// GET/POST /companies/{companyId}/connections, GET/PATCH/DELETE /companies/{companyId}/connections/{connectionId}.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireCompany } from '../../platform/companies.ts';
import {
  connectionViews,
  createConnection,
  deleteConnection,
  getConnectionRow,
  unlinkConnection,
} from '../../platform/connections.ts';
import { type CompileOptions, compileOrderBy } from '../../query/compile.ts';
import { pageEnvelope, runPagedQuery } from '../../query/paging.ts';
import { lifecycleEvent } from '../../webhooks/platform-events.ts';
import { tenantOf } from '../context.ts';
import { ApiError, ErrorMessageSchema } from '../errors.ts';
import { ListQuerySchema, PageEnvelopeSchema } from '../schemas/common.ts';
import { ConnectionSchema, CreateConnectionBody, PatchConnectionBody } from '../schemas/platform.ts';

const errors = { 400: ErrorMessageSchema, 401: ErrorMessageSchema, 404: ErrorMessageSchema };
const CompanyParams = z.object({ companyId: z.string().max(100) });
const ConnectionParams = CompanyParams.extend({ connectionId: z.string().max(100) });

const routes: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, store, config, clock } = app.deps;
  const one = async (row: Parameters<typeof connectionViews>[1][number]) =>
    (await connectionViews(db, [row], config.publicUrl))[0];
  const notFound = (p: { companyId: string; connectionId: string }) =>
    ApiError.notFound(`Connection ${p.connectionId} not found for company ${p.companyId}`);

  app.get(
    '/companies/:companyId/connections',
    {
      schema: {
        tags: ['Connections'],
        summary: "List a company's connections",
        params: CompanyParams,
        querystring: ListQuerySchema,
        response: { 200: PageEnvelopeSchema(ConnectionSchema), ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const { companyId } = request.params;
      await requireCompany(db, tenantId, companyId);
      const options: CompileOptions = {
        dialect: store.dialect,
        columns: {
          id: 'id',
          status: 'status',
          integrationKey: 'platform_key',
          platformName: 'platform_name',
          sourceType: 'source_type',
          created: 'created',
          lastSync: 'last_sync',
        },
        jsonColumns: { connectionInfo: 'connection_info' },
      };
      const qb = db
        .selectFrom('connections')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('company_id', '=', companyId);
      const { rows, total } = await runPagedQuery(qb, request.query, {
        ...options,
        defaultOrder: compileOrderBy('created,id', options),
      });
      return pageEnvelope(await connectionViews(db, rows, config.publicUrl), {
        path: `/companies/${companyId}/connections`,
        page: request.query.page,
        pageSize: request.query.pageSize,
        total,
        params: { query: request.query.query, orderBy: request.query.orderBy },
      });
    },
  );

  app.post(
    '/companies/:companyId/connections',
    {
      schema: {
        tags: ['Connections'],
        summary: 'Create a connection (PendingAuth); returns the existing one for the same platform',
        description:
          'One accounting connection per company: when the company already has a connection to this platform (any status) it is returned and its linkUrl re-links it (200 either way, as Codat). An active connection to another accounting platform is a 409. The integration must be enabled (422 otherwise).',
        params: CompanyParams,
        body: CreateConnectionBody,
        response: {
          200: ConnectionSchema,
          201: ConnectionSchema,
          409: ErrorMessageSchema,
          422: ErrorMessageSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      const { row, created } = await createConnection(
        db,
        { tenantId, companyId: request.params.companyId, platformKey: request.body.platformKey },
        clock,
      );
      if (created) request.log.info({ companyId: row.company_id, connectionId: row.id }, 'connection created');
      if (created) {
        const e = {
          tenantId,
          companyId: row.company_id,
          connectionId: row.id,
          eventType: 'connection.created' as const,
        };
        await (await lifecycleEvent(db, config.publicUrl, e, request.log)).record(clock());
      }
      return reply.code(200).send(await one(row));
    },
  );

  app.get(
    '/companies/:companyId/connections/:connectionId',
    {
      schema: {
        tags: ['Connections'],
        summary: 'Get a connection',
        params: ConnectionParams,
        response: { 200: ConnectionSchema, ...errors },
      },
    },
    async (request) => {
      const p = request.params;
      const row = await getConnectionRow(db, tenantOf(request), p.companyId, p.connectionId);
      if (!row) throw notFound(p);
      return one(row);
    },
  );

  app.patch(
    '/companies/:companyId/connections/:connectionId',
    {
      schema: {
        tags: ['Connections'],
        summary: 'Unlink a connection ({"status": "Unlinked"}); only Linked connections can be unlinked',
        params: ConnectionParams,
        body: PatchConnectionBody,
        response: { 200: ConnectionSchema, 409: ErrorMessageSchema, ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const p = request.params;
      await unlinkConnection(db, tenantId, p.companyId, p.connectionId, clock);
      request.log.info({ connectionId: p.connectionId }, 'connection unlinked');
      const row = await getConnectionRow(db, tenantId, p.companyId, p.connectionId);
      if (!row) throw notFound(p);
      return one(row);
    },
  );

  app.delete(
    '/companies/:companyId/connections/:connectionId',
    {
      schema: {
        tags: ['Connections'],
        summary:
          'Delete a connection and its tokens (irreversible); synced records stay under the company; 200, empty body',
        params: ConnectionParams,
        response: { 200: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = request.params;
      const e = { tenantId: tenantOf(request), companyId: p.companyId, connectionId: p.connectionId };
      const announce = await lifecycleEvent(
        db,
        config.publicUrl,
        { ...e, eventType: 'connection.deleted' },
        request.log,
      );
      if (!(await deleteConnection(db, tenantOf(request), p.companyId, p.connectionId))) throw notFound(p);
      await announce.record(clock());
      request.log.info({ connectionId: p.connectionId }, 'connection deleted');
      return reply.code(200).send(null);
    },
  );
};

export default routes;

// GET/POST /companies, GET/PUT/PATCH/DELETE /companies/{companyId}.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  companyViews,
  createCompany,
  deleteCompany,
  listCompanies,
  requireCompany,
  updateCompany,
} from '../../platform/companies.ts';
import { pageEnvelope } from '../../query/paging.ts';
import { lifecycleEvent } from '../../webhooks/platform-events.ts';
import { tenantOf } from '../context.ts';
import { ApiError, ErrorMessageSchema } from '../errors.ts';
import { ListQuerySchema, PageEnvelopeSchema } from '../schemas/common.ts';
import { CompanySchema, CreateCompanyBody, PatchCompanyBody, UpdateCompanyBody } from '../schemas/platform.ts';

const errors = { 400: ErrorMessageSchema, 401: ErrorMessageSchema, 404: ErrorMessageSchema };
const CompanyParams = z.object({ companyId: z.string().max(100) });

const routes: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, config, clock } = app.deps;
  const view = async (tenantId: string, row: Parameters<typeof companyViews>[2][number]) =>
    (await companyViews(db, tenantId, [row], config.publicUrl))[0];

  app.get(
    '/companies',
    {
      schema: {
        tags: ['Companies'],
        summary: 'List companies',
        description:
          'Paged; `query` over id, name, description, created, lastSync, createdByUserName and tags.<key>; `tags` filters on tags alone (e.g. `region=uk && team~fin`); `orderBy` (prefix `-` for descending).',
        querystring: ListQuerySchema.extend({ tags: z.string().max(2047).optional() }),
        response: { 200: PageEnvelopeSchema(CompanySchema), ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const q = request.query;
      const { rows, total } = await listCompanies(db, tenantId, q);
      return pageEnvelope(await companyViews(db, tenantId, rows, config.publicUrl), {
        path: '/companies',
        page: q.page,
        pageSize: q.pageSize,
        total,
        params: { query: q.query, orderBy: q.orderBy, tags: q.tags },
      });
    },
  );

  app.post(
    '/companies',
    {
      schema: {
        tags: ['Companies'],
        summary: 'Create a company',
        description: "Characters outside Codat's name pattern are removed from the name.",
        body: CreateCompanyBody,
        response: { 200: CompanySchema, ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const row = await createCompany(db, tenantId, request.body, request.apiKeyName, clock);
      request.log.info({ companyId: row.id }, 'company created');
      await (
        await lifecycleEvent(
          db,
          config.publicUrl,
          { tenantId, companyId: row.id, eventType: 'company.created' },
          request.log,
        )
      ).record(clock());
      return view(tenantId, row);
    },
  );

  app.get(
    '/companies/:companyId',
    {
      schema: {
        tags: ['Companies'],
        summary: 'Get a company',
        params: CompanyParams,
        response: { 200: CompanySchema, ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      return view(tenantId, await requireCompany(db, tenantId, request.params.companyId));
    },
  );

  app.put(
    '/companies/:companyId',
    {
      schema: {
        tags: ['Companies'],
        summary: 'Replace a company (name required; description and tags cleared when omitted)',
        params: CompanyParams,
        body: UpdateCompanyBody,
        response: { 200: CompanySchema, ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      return view(tenantId, await updateCompany(db, tenantId, request.params.companyId, request.body, 'put'));
    },
  );

  app.patch(
    '/companies/:companyId',
    {
      schema: {
        tags: ['Companies'],
        summary: 'Update some fields of a company',
        params: CompanyParams,
        body: PatchCompanyBody,
        response: { 200: CompanySchema, ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      return view(tenantId, await updateCompany(db, tenantId, request.params.companyId, request.body, 'patch'));
    },
  );

  app.delete(
    '/companies/:companyId',
    {
      schema: {
        tags: ['Companies'],
        summary: 'Delete a company and everything of it (connections, data, history)',
        params: CompanyParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      const announce = await lifecycleEvent(
        db,
        config.publicUrl,
        { tenantId, companyId: request.params.companyId, eventType: 'company.deleted' },
        request.log,
      );
      if (!(await deleteCompany(db, tenantId, request.params.companyId)))
        throw ApiError.notFound(`Company ${request.params.companyId} not found`);
      await announce.record(clock());
      request.log.info({ companyId: request.params.companyId }, 'company deleted');
      return reply.code(204).send(null);
    },
  );
};

export default routes;

// Data endpoints: GET /companies/{companyId}/data/{accounts|customers|invoices|...} and /{recordId},
// GET /companies/{companyId}/data/info, and the connection-scoped bankAccounts and their bankTransactions.
// Paged, queried and ordered with the shared query language; 409 when a type has never synced.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DataType } from '../../connectors/connector.ts';
import { urlSegments } from '../../model/index.ts';
import { pageEnvelope } from '../../query/paging.ts';
import { companyOr404 } from '../../sync/http.ts';
import { getRecord, listRecords, requireSynced } from '../../sync/records-query.ts';
import { tenantOf } from '../context.ts';
import { ApiError, ErrorMessageSchema } from '../errors.ts';
import { ListQuerySchema, PageEnvelopeSchema } from '../schemas/common.ts';

/** Company-scoped list segments -> data type (reports and connection-scoped types have their own routes). */
const COMPANY_SCOPED = new Map<string, DataType>(
  (Object.entries(urlSegments) as [DataType, string][])
    .filter(
      ([t]) =>
        ![
          'balanceSheet',
          'profitAndLoss',
          'agedDebtor',
          'agedCreditor',
          'bankAccounts',
          'bankTransactions',
          'company',
        ].includes(t),
    )
    .map(([t, seg]) => [seg, t]),
);

function dataTypeOf(segment: string): DataType {
  const t = COMPANY_SCOPED.get(segment);
  if (!t) {
    const hint =
      segment === 'bankAccounts' || segment === 'bankTransactions'
        ? ' Bank accounts are connection-scoped: /companies/{companyId}/connections/{connectionId}/data/bankAccounts.'
        : ` Supported: ${[...COMPANY_SCOPED.keys(), 'info'].join(', ')}.`;
    throw ApiError.notFound(`Datatype ${segment} not supported.${hint}`);
  }
  return t;
}

const Record_ = z.record(z.string(), z.unknown());
const errors = { 400: ErrorMessageSchema, 401: ErrorMessageSchema, 404: ErrorMessageSchema, 409: ErrorMessageSchema };
const CompanyParams = z.object({ companyId: z.string().max(64) });
const ConnParams = CompanyParams.extend({ connectionId: z.string().max(64) });

const routes: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, store } = app.deps;

  async function connectionOr404(companyId: string, connectionId: string) {
    const c = await db
      .selectFrom('connections')
      .select('id')
      .where('id', '=', connectionId)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    if (!c) throw ApiError.notFound(`Connection ${connectionId} not found for company ${companyId}.`);
  }

  app.get(
    '/companies/:companyId/data/info',
    {
      schema: {
        tags: ['Data'],
        summary: 'Get company info',
        params: CompanyParams,
        response: { 200: Record_, ...errors },
      },
    },
    async (req) => {
      await companyOr404(db, tenantOf(req), req.params.companyId);
      await requireSynced(db, req.params.companyId, 'company');
      const { results } = await listRecords(
        db,
        store.dialect,
        { companyId: req.params.companyId, dataType: 'company' },
        { page: 1, pageSize: 1, query: 'metadata.isDeleted!=true' },
      );
      if (!results[0]) throw ApiError.notFound('Company info is not available from the source.');
      return results[0];
    },
  );

  app.get(
    '/companies/:companyId/data/:dataType',
    {
      schema: {
        tags: ['Data'],
        summary: 'List records of a data type',
        description: `dataType is the URL segment: ${[...COMPANY_SCOPED.keys()].join(', ')}.`,
        params: CompanyParams.extend({ dataType: z.string().max(64) }),
        querystring: ListQuerySchema,
        response: { 200: PageEnvelopeSchema(Record_), ...errors },
      },
    },
    async (req) => {
      await companyOr404(db, tenantOf(req), req.params.companyId);
      const dataType = dataTypeOf(req.params.dataType);
      await requireSynced(db, req.params.companyId, dataType);
      const { results, total } = await listRecords(
        db,
        store.dialect,
        { companyId: req.params.companyId, dataType },
        req.query,
      );
      return pageEnvelope(results, {
        path: `/companies/${req.params.companyId}/data/${req.params.dataType}`,
        page: req.query.page,
        pageSize: req.query.pageSize,
        total,
        params: { query: req.query.query, orderBy: req.query.orderBy },
      });
    },
  );

  app.get(
    '/companies/:companyId/data/:dataType/:recordId',
    {
      schema: {
        tags: ['Data'],
        summary: 'Get one record',
        params: CompanyParams.extend({ dataType: z.string().max(64), recordId: z.string().max(256) }),
        response: { 200: Record_, ...errors },
      },
    },
    async (req) => {
      await companyOr404(db, tenantOf(req), req.params.companyId);
      const dataType = dataTypeOf(req.params.dataType);
      await requireSynced(db, req.params.companyId, dataType);
      const rec = await getRecord(db, { companyId: req.params.companyId, dataType }, req.params.recordId);
      if (!rec) throw ApiError.notFound(`No ${req.params.dataType} record with id ${req.params.recordId}.`);
      return rec;
    },
  );

  app.get(
    '/companies/:companyId/connections/:connectionId/data/bankAccounts',
    {
      schema: {
        tags: ['Data'],
        summary: 'List bank accounts',
        params: ConnParams,
        querystring: ListQuerySchema,
        response: { 200: PageEnvelopeSchema(Record_), ...errors },
      },
    },
    async (req) => {
      const { companyId, connectionId } = req.params;
      await companyOr404(db, tenantOf(req), companyId);
      await connectionOr404(companyId, connectionId);
      await requireSynced(db, companyId, 'bankAccounts');
      const { results, total } = await listRecords(
        db,
        store.dialect,
        { companyId, connectionId, dataType: 'bankAccounts' },
        req.query,
      );
      return pageEnvelope(results, {
        path: `/companies/${companyId}/connections/${connectionId}/data/bankAccounts`,
        page: req.query.page,
        pageSize: req.query.pageSize,
        total,
        params: { query: req.query.query, orderBy: req.query.orderBy },
      });
    },
  );

  app.get(
    '/companies/:companyId/connections/:connectionId/data/bankAccounts/:accountId',
    {
      schema: {
        tags: ['Data'],
        summary: 'Get bank account',
        params: ConnParams.extend({ accountId: z.string().max(256) }),
        response: { 200: Record_, ...errors },
      },
    },
    async (req) => {
      const { companyId, connectionId, accountId } = req.params;
      await companyOr404(db, tenantOf(req), companyId);
      await connectionOr404(companyId, connectionId);
      await requireSynced(db, companyId, 'bankAccounts');
      const rec = await getRecord(db, { companyId, connectionId, dataType: 'bankAccounts' }, accountId);
      if (!rec) throw ApiError.notFound(`No bank account with id ${accountId}.`);
      return rec;
    },
  );

  app.get(
    '/companies/:companyId/connections/:connectionId/data/bankAccounts/:accountId/bankTransactions',
    {
      schema: {
        tags: ['Data'],
        summary: 'List bank transactions of a bank account',
        params: ConnParams.extend({ accountId: z.string().max(256) }),
        querystring: ListQuerySchema,
        response: { 200: PageEnvelopeSchema(Record_), ...errors },
      },
    },
    async (req) => {
      const { companyId, connectionId, accountId } = req.params;
      await companyOr404(db, tenantOf(req), companyId);
      await connectionOr404(companyId, connectionId);
      await requireSynced(db, companyId, 'bankTransactions');
      const { results, total } = await listRecords(
        db,
        store.dialect,
        { companyId, connectionId, dataType: 'bankTransactions', jsonEquals: { accountId } },
        req.query,
      );
      return pageEnvelope(results, {
        path: `/companies/${companyId}/connections/${connectionId}/data/bankAccounts/${accountId}/bankTransactions`,
        page: req.query.page,
        pageSize: req.query.pageSize,
        total,
        params: { query: req.query.query, orderBy: req.query.orderBy },
      });
    },
  );
};

export default routes;

// Financial statements and aged reports, computed from the synced records:
// GET /companies/{companyId}/data/financials/balanceSheet|profitAndLoss?periodLength&periodsToCompare&startMonth,
// GET /companies/{companyId}/reports/agedDebtor|agedCreditor?reportDate&periodLengthDays&numberOfPeriods.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AgedInputs, agedReport } from '../../model/aged.ts';
import { aggregateReport, type BalanceSheetMonth, type ProfitAndLossMonth } from '../../model/reports.ts';
import { companyOr404 } from '../../sync/http.ts';
import { allRecords, requireSynced } from '../../sync/records-query.ts';
import { tenantOf } from '../context.ts';
import { ApiError, ErrorMessageSchema } from '../errors.ts';

const errors = { 400: ErrorMessageSchema, 401: ErrorMessageSchema, 404: ErrorMessageSchema, 409: ErrorMessageSchema };
const Any = z.record(z.string(), z.unknown());
const CompanyParams = z.object({ companyId: z.string().max(64) });
const StatementQuery = z.object({
  periodLength: z.coerce
    .number()
    .int()
    .min(1, 'periodLength must be 1 or more')
    .max(12, 'periodLength must be 12 or less'),
  periodsToCompare: z.coerce.number().int().min(1, 'periodsToCompare must be 1 or more').max(60),
  startMonth: z
    .string()
    .regex(/^\d{4}-\d{2}/, 'startMonth must be a date such as 2026-01-01')
    .optional(),
});
const AgedQuery = z.object({
  reportDate: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'reportDate must be a date such as 2026-10-31'),
  periodLengthDays: z.coerce.number().int().min(1).max(365).default(30),
  numberOfPeriods: z.coerce.number().int().min(1).max(24).default(4),
});

const routes: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  for (const kind of ['balanceSheet', 'profitAndLoss'] as const) {
    app.get(
      `/companies/:companyId/data/financials/${kind}`,
      {
        schema: {
          tags: ['Financials'],
          summary: kind === 'balanceSheet' ? 'Get balance sheet' : 'Get profit and loss',
          params: CompanyParams,
          querystring: StatementQuery,
          response: { 200: Any, ...errors },
        },
      },
      async (req) => {
        await companyOr404(db, tenantOf(req), req.params.companyId);
        await requireSynced(db, req.params.companyId, kind);
        const months = await allRecords(db, req.params.companyId, kind);
        try {
          const q = req.query;
          return (kind === 'balanceSheet'
            ? aggregateReport('balanceSheet', months as unknown as BalanceSheetMonth[], q)
            : aggregateReport('profitAndLoss', months as unknown as ProfitAndLossMonth[], q)) as unknown as Record<
            string,
            unknown
          >;
        } catch (err) {
          if (err instanceof RangeError) throw ApiError.badRequest(err.message);
          throw err;
        }
      },
    );
  }

  for (const kind of ['agedDebtor', 'agedCreditor'] as const) {
    const [docs, credits, payments, parties] =
      kind === 'agedDebtor'
        ? (['invoices', 'creditNotes', 'payments', 'customers'] as const)
        : (['bills', 'billCreditNotes', 'billPayments', 'suppliers'] as const);
    app.get(
      `/companies/:companyId/reports/${kind}`,
      {
        schema: {
          tags: ['Financials'],
          summary: kind === 'agedDebtor' ? 'Aged debtors report' : 'Aged creditors report',
          params: CompanyParams,
          querystring: AgedQuery,
          response: { 200: Any, ...errors },
        },
      },
      async (req) => {
        const { companyId } = req.params;
        await companyOr404(db, tenantOf(req), companyId);
        await requireSynced(db, companyId, docs);
        const load = async (t: string) =>
          (await requireSynced(db, companyId, t).then(
            () => true,
            () => false,
          ))
            ? allRecords(db, companyId, t)
            : [];
        const names = new Map<string, string>();
        for (const p of await load(parties)) {
          names.set(String(p.id), String(p.customerName ?? p.supplierName ?? p.id));
        }
        const inputs = {
          documents: await allRecords(db, companyId, docs),
          credits: await load(credits),
          payments: await load(payments),
          names,
        } as unknown as AgedInputs;
        try {
          return agedReport(kind, inputs, {
            reportDate: req.query.reportDate,
            periodLengthDays: req.query.periodLengthDays,
            numberOfPeriods: req.query.numberOfPeriods,
          }) as unknown as Record<string, unknown>;
        } catch (err) {
          if (err instanceof RangeError) throw ApiError.badRequest(err.message);
          throw err;
        }
      },
    );
  }
};

export default routes;

// Sage 200 write-back: one writer per Codat data type. The connector's `push` and the options endpoint call in here.
import type { Logger } from 'pino';
import { PushNotSupportedError } from '../../../push/errors.ts';
import type { PushCallOptions, PushOption, PushOutcome } from '../../../push/types.ts';
import type { ConnectionContext, DataType, PushOperationType } from '../../connector.ts';
import { Sage200Client } from '../client.ts';
import { accountsWriter } from './accounts.ts';
import { billCreditNotesWriter } from './billCreditNotes.ts';
import { billsWriter } from './bills.ts';
import { creditNotesWriter } from './creditNotes.ts';
import { invoicesWriter } from './invoices.ts';
import { itemsWriter } from './items.ts';
import { Lookups, referenceCacheFor } from './lookups.ts';
import { purchaseOrdersWriter, salesOrdersWriter } from './orders.ts';
import { billPaymentsWriter, paymentsWriter } from './payments.ts';
import { customersWriter, suppliersWriter } from './traders.ts';
import type { WriteClient, Writer } from './types.ts';

export const writers: Partial<Record<DataType, Writer>> = {
  customers: customersWriter,
  suppliers: suppliersWriter,
  invoices: invoicesWriter,
  creditNotes: creditNotesWriter,
  bills: billsWriter,
  billCreditNotes: billCreditNotesWriter,
  payments: paymentsWriter,
  billPayments: billPaymentsWriter,
  salesOrders: salesOrdersWriter,
  purchaseOrders: purchaseOrdersWriter,
  items: itemsWriter,
  chartOfAccounts: accountsWriter,
};

/** Which operations each data type offers (for the connector's `dataTypes` flags). */
export function writeSupport(dataType: DataType): { create: boolean; update: boolean; delete: boolean } {
  const w = writers[dataType];
  return { create: !!w?.create, update: !!w?.update, delete: !!w?.delete };
}

function cacheKey(ctx: ConnectionContext): string {
  return `${ctx.connectionId}|${ctx.credentials.apiBaseUrl}|${ctx.source.siteId}|${ctx.source.companyId}`;
}

function clientFor(ctx: ConnectionContext, client?: WriteClient): WriteClient {
  return client ?? new Sage200Client(ctx);
}

/** Connector.push for Sage 200 (the 6th argument carries the push key etc.; see src/push/types.ts). */
export async function push(
  ctx: ConnectionContext,
  dataType: DataType,
  operation: PushOperationType,
  body: Record<string, unknown>,
  recordId?: string,
  options: PushCallOptions = { pushOperationKey: crypto.randomUUID(), attempt: 1 },
  client?: WriteClient,
): Promise<PushOutcome> {
  const writer = writers[dataType];
  if (!writer) throw new PushNotSupportedError(`Writing ${dataType} to Sage 200 is not supported.`);
  const fn = writer[operation];
  if (!fn) {
    throw new PushNotSupportedError(
      writer.refusals?.[operation] ??
        `Sage 200 does not allow ${operation === 'update' ? 'updating' : 'deleting'} ${dataType}.`,
    );
  }
  const c = clientFor(ctx, client);
  const references = referenceCacheFor(cacheKey(ctx));
  try {
    return await fn.call(writer, {
      client: c,
      lookups: new Lookups(c, references),
      operation,
      body,
      recordId,
      options,
      logger: ctx.logger as Logger,
    });
  } finally {
    // a new or changed nominal code must be visible to the next push at once
    if (dataType === 'chartOfAccounts') references.clear();
  }
}

/** GET .../options/{dataType}: the PushOption tree with allowed values from the company's Sage data. */
export async function pushOptions(
  ctx: ConnectionContext,
  dataType: DataType,
  client?: WriteClient,
): Promise<PushOption> {
  const writer = writers[dataType];
  if (!writer) throw new PushNotSupportedError(`Writing ${dataType} to Sage 200 is not supported.`);
  return writer.options(new Lookups(clientFor(ctx, client), referenceCacheFor(cacheKey(ctx))));
}

/** The connector wiring: `push` for src/connectors/sage200/index.ts. */
export const pushers = { push, pushOptions, writeSupport };

/** Operations per data type, for the connector's `dataTypes` flags. */
export const WRITE_OPERATIONS: Partial<Record<DataType, Array<'create' | 'update' | 'delete'>>> = Object.fromEntries(
  Object.entries(writers).map(([dt, w]) => [dt, (['create', 'update', 'delete'] as const).filter((op) => !!w?.[op])]),
);

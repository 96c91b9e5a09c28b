// Sales orders (sop_orders) and purchase orders (pop_orders): master documents with real lines, so per-line tax
// codes survive. Create, update (header fields; lines are not re-written), delete (Sage refuses orders in progress).
import { z } from 'zod';
import type { PushOption } from '../../../push/types.ts';
import { ConnectorError, type DataType } from '../../connector.ts';
import type { Lookups } from './lookups.ts';
import { currencyChoices, field, nominalChoices, taxRateChoices } from './options.ts';
import { toRecord } from './readback.ts';
import { checkConcurrency } from './traders.ts';
import type { SageRow, WriteCall, Writer } from './types.ts';
import { Issues, parseBody, sageDate } from './validate.ts';

const amount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
const ref = z.object({ id: z.string().min(1) }).passthrough();

export interface OrderKind {
  dataType: Extract<DataType, 'salesOrders' | 'purchaseOrders'>;
  label: string;
  side: 'sales' | 'purchase';
  resource: 'sop_orders' | 'pop_orders';
  traderRef: 'customerRef' | 'supplierRef';
  numberField: 'salesOrderNumber' | 'purchaseOrderNumber';
  /** Sage's field for the trader's own document number */
  externalNumber: 'customer_document_no' | 'supplier_document_no';
  priceField: 'selling_unit_price' | 'unit_buying_price';
}

function schemaFor(kind: OrderKind, operation: 'create' | 'update') {
  const lines = z
    .array(
      z
        .object({
          description: z.string().nullish(),
          unitAmount: amount,
          quantity: amount,
          taxRateRef: ref.nullish(),
          itemRef: ref.nullish(),
          accountRef: ref.nullish(),
        })
        .passthrough(),
    )
    .min(1, 'at least one line item is required');
  return z
    .object({
      [kind.numberField]: z.string().max(30).nullish(),
      [kind.traderRef]: operation === 'create' ? ref : ref.nullish(),
      issueDate: operation === 'create' ? z.string().min(10) : z.string().min(10).nullish(),
      deliveryDate: z.string().nullish(),
      expectedDeliveryDate: z.string().nullish(),
      currency: z.string().length(3).nullish(),
      lineItems: operation === 'create' ? lines : lines.nullish(),
      sourceModifiedDate: z.string().nullish(),
    })
    .passthrough();
}

async function buildLines(kind: OrderKind, lines: Record<string, any>[], lookups: Lookups, issues: Issues) {
  const warehouses = await lookups.warehouses();
  const out: Record<string, unknown>[] = [];
  for (const [i, line] of lines.entries()) {
    const at = `lineItems[${i}]`;
    const tax = line.taxRateRef?.id ? await lookups.taxCode(line.taxRateRef.id) : undefined;
    if (line.taxRateRef?.id && !tax)
      issues.error(
        `${at}.taxRateRef.id`,
        `${at}.taxRateRef.id "${line.taxRateRef.id}" is not a tax code in this Sage 200 company.`,
      );
    const nominal = line.accountRef?.id ? await lookups.nominalCode(line.accountRef.id) : undefined;
    if (line.accountRef?.id && !nominal)
      issues.error(
        `${at}.accountRef.id`,
        `${at}.accountRef.id "${line.accountRef.id}" is not a nominal code in this Sage 200 company.`,
      );
    const common = {
      line_quantity: Number(line.quantity),
      [kind.priceField]: Number(line.unitAmount),
      ...(tax ? { tax_code_id: tax.id } : {}),
      ...(nominal
        ? {
            nominal_reference: nominal.reference,
            nominal_cost_centre: nominal.cost_centre_code ?? '',
            nominal_department: nominal.department_code ?? '',
          }
        : {}),
    };
    if (line.itemRef?.id) {
      const product = await lookups.byId<SageRow>('products', line.itemRef.id, 'warehouse_holdings');
      if (!product) {
        issues.error(
          `${at}.itemRef.id`,
          `${at}.itemRef.id "${line.itemRef.id}" is not a product in this Sage 200 company.`,
        );
        continue;
      }
      const holdings = (product.warehouse_holdings as SageRow[] | undefined) ?? [];
      const warehouseId = holdings[0]?.warehouse_id ?? warehouses[0]?.id;
      if (warehouseId === undefined)
        issues.error(`${at}.itemRef.id`, 'The product is held in no warehouse; Sage 200 needs one for a stock line.');
      out.push({
        line_type: 'EnumLineTypeStandard',
        product_id: product.id,
        warehouse_id: warehouseId,
        code: product.code,
        description: line.description ?? product.name,
        ...common,
      });
    } else {
      if (!line.description)
        issues.error(
          `${at}.description`,
          `${at}.description is required for a line without itemRef (a free-text line).`,
        );
      out.push({ line_type: 'EnumLineTypeFreeText', description: line.description, ...common });
    }
  }
  return out;
}

export function orderWriter(kind: OrderKind): Writer {
  const traderLabel = kind.side === 'sales' ? 'customer' : 'supplier';
  const SUPPORTED = [
    kind.numberField,
    kind.traderRef,
    'issueDate',
    'deliveryDate',
    'expectedDeliveryDate',
    'currency',
    'lineItems',
    'status',
  ];
  return {
    dataType: kind.dataType,

    async create(call: WriteCall) {
      const { lookups, options } = call;
      const issues = new Issues(kind.side === 'sales' ? 'SalesOrder' : 'PurchaseOrder');
      const b = parseBody(schemaFor(kind, 'create'), call.body, issues, SUPPORTED) as Record<string, any>;
      const trader = (await (kind.side === 'sales'
        ? lookups.customer(b[kind.traderRef].id)
        : lookups.supplier(b[kind.traderRef].id))) as SageRow | undefined;
      if (!trader)
        issues.error(
          `${kind.traderRef}.id`,
          `${kind.traderRef}.id "${b[kind.traderRef].id}" is not a ${traderLabel} in this Sage 200 company.`,
        );
      if (!sageDate(b.issueDate)) issues.error('issueDate', 'issueDate must be an ISO 8601 date.');
      const lines = await buildLines(kind, b.lineItems, lookups, issues);
      issues.throwIfAny();
      // Retry after a crash: an order carrying our key as its external number already exists -> it is ours.
      const externalNo = String(b[kind.numberField] ?? `LL-${options.pushOperationKey.slice(0, 8)}`);
      if (options.attempt > 1) {
        const prior = (await lookups.findBy<SageRow>(kind.resource, kind.externalNumber, externalNo)).find(
          (o) => o[kind.side === 'sales' ? 'customer_id' : 'supplier_id'] === trader!.id,
        );
        if (prior)
          return {
            record: await toRecord(kind.dataType, prior, lookups),
            warnings: issues.warnings,
            alreadyApplied: true,
          };
      }
      const delivery = sageDate(b.deliveryDate ?? b.expectedDeliveryDate);
      const created = await call.client.post<SageRow>(
        kind.resource,
        {
          [kind.side === 'sales' ? 'customer_id' : 'supplier_id']: trader!.id,
          document_date: sageDate(b.issueDate),
          [kind.externalNumber]: externalNo,
          ...(delivery ? { requested_delivery_date: delivery, promised_delivery_date: delivery } : {}),
          lines,
        },
        { retry: 'throttle-only' },
      );
      return { record: await toRecord(kind.dataType, created, lookups), warnings: issues.warnings };
    },

    async update(call: WriteCall) {
      const { lookups } = call;
      const issues = new Issues(kind.side === 'sales' ? 'SalesOrder' : 'PurchaseOrder');
      const b = parseBody(schemaFor(kind, 'update'), call.body, issues, SUPPORTED) as Record<string, any>;
      const current = await lookups.byId<SageRow>(kind.resource, call.recordId);
      if (!current)
        throw new ConnectorError(
          'NotFound',
          `There is no ${kind.label} with id ${call.recordId} in this Sage 200 company.`,
        );
      if (b.lineItems)
        issues.warn(
          'lineItems',
          'lineItems cannot be re-written on an existing Sage 200 order through this push, and will be ignored.',
        );
      issues.throwIfAny();
      await checkConcurrency(kind.label, current, call.options);
      const delivery = sageDate(b.deliveryDate ?? b.expectedDeliveryDate);
      const updated = await call.client.put<SageRow>(`${kind.resource}/${current.id}`, {
        ...(b[kind.numberField] ? { [kind.externalNumber]: b[kind.numberField] } : {}),
        ...(b.issueDate ? { document_date: sageDate(b.issueDate) } : {}),
        ...(delivery ? { requested_delivery_date: delivery, promised_delivery_date: delivery } : {}),
      });
      return { record: await toRecord(kind.dataType, updated ?? current, lookups), warnings: issues.warnings };
    },

    async delete(call: WriteCall) {
      const current = await call.lookups.byId<SageRow>(kind.resource, call.recordId);
      if (!current)
        throw new ConnectorError(
          'NotFound',
          `There is no ${kind.label} with id ${call.recordId} in this Sage 200 company.`,
        );
      await call.client.delete(`${kind.resource}/${current.id}`);
      return { record: { id: String(current.id) } };
    },

    async options(lookups: Lookups): Promise<PushOption> {
      const [taxRates, nominals, currencies] = await Promise.all([
        taxRateChoices(lookups),
        nominalChoices(lookups),
        currencyChoices(lookups),
      ]);
      const traderName = kind.side === 'sales' ? 'Customer' : 'Supplier';
      return {
        type: 'Object',
        displayName: kind.side === 'sales' ? 'Sales order' : 'Purchase order',
        description: `Creates a Sage 200 ${kind.label} (POST /${kind.resource}). Lines with itemRef are stock lines; lines without are free-text lines.`,
        required: true,
        properties: {
          [kind.numberField]: field(
            'String',
            'Order number',
            `Stored as ${kind.externalNumber} (Sage numbers the order itself)`,
            false,
          ),
          [kind.traderRef]: field('Object', traderName, traderName, true, {
            properties: { id: field('String', 'Id', 'id', true) },
          }),
          issueDate: field('DateTime', 'Issue date', 'Document date', true),
          deliveryDate: field('DateTime', 'Delivery date', 'Requested and promised delivery date', false),
          currency: field('String', 'Currency', `The ${traderName.toLowerCase()}'s currency`, false, {
            options: currencies,
          }),
          lineItems: field('Array', 'Line items', 'At least one', true, {
            properties: {
              description: field('String', 'Description', 'Required on free-text lines', false),
              quantity: field('Number', 'Quantity', 'Quantity', true),
              unitAmount: field('Number', 'Unit amount', 'Unit price', true),
              itemRef: field('Object', 'Item', 'Product (id from /data/items)', false, {
                properties: { id: field('String', 'Id', 'id', true) },
              }),
              taxRateRef: field('Object', 'Tax rate', 'Tax code', false, {
                properties: { id: field('String', 'Id', 'id', true, { options: taxRates }) },
              }),
              accountRef: field('Object', 'Nominal account', 'Nominal code', false, {
                properties: { id: field('String', 'Id', 'id', true, { options: nominals }) },
              }),
            },
          }),
        },
      };
    },
  };
}

export const salesOrdersWriter = orderWriter({
  dataType: 'salesOrders',
  label: 'sales order',
  side: 'sales',
  resource: 'sop_orders',
  traderRef: 'customerRef',
  numberField: 'salesOrderNumber',
  externalNumber: 'customer_document_no',
  priceField: 'selling_unit_price',
});
export const purchaseOrdersWriter = orderWriter({
  dataType: 'purchaseOrders',
  label: 'purchase order',
  side: 'purchase',
  resource: 'pop_orders',
  traderRef: 'supplierRef',
  numberField: 'purchaseOrderNumber',
  externalNumber: 'supplier_document_no',
  priceField: 'unit_buying_price',
});

// Items -> Sage 200 products (code <= 30, name <= 60, a product group). Create, update, delete.
import { z } from 'zod';
import { PushValidationError } from '../../../push/errors.ts';
import type { PushOption } from '../../../push/types.ts';
import { ConnectorError } from '../../connector.ts';
import type { Lookups } from './lookups.ts';
import { field, taxRateChoices } from './options.ts';
import { toRecord } from './readback.ts';
import { checkConcurrency } from './traders.ts';
import type { SageRow, WriteCall, Writer } from './types.ts';
import { Issues, parseBody } from './validate.ts';

const priceBlock = z
  .object({
    description: z.string().nullish(),
    unitPrice: z.number().nullish(),
    taxRateRef: z.object({ id: z.string() }).nullish(),
  })
  .passthrough();

function schemaFor(operation: 'create' | 'update') {
  return z
    .object({
      code: operation === 'create' ? z.string().trim().min(1, 'code is required') : z.string().trim().min(1).nullish(),
      name: operation === 'create' ? z.string().trim().min(1, 'name is required') : z.string().trim().min(1).nullish(),
      itemStatus: z.enum(['Unknown', 'Active', 'Archived']).nullish(),
      type: z.string().nullish(),
      isBillItem: z.boolean().nullish(),
      isInvoiceItem: z.boolean().nullish(),
      invoiceItem: priceBlock.nullish(),
      billItem: priceBlock.nullish(),
      productGroupId: z.string().nullish(),
      sourceModifiedDate: z.string().nullish(),
    })
    .passthrough();
}
const SUPPORTED = [
  'code',
  'name',
  'itemStatus',
  'type',
  'isBillItem',
  'isInvoiceItem',
  'invoiceItem',
  'billItem',
  'productGroupId',
];

async function fields(b: Record<string, any>, lookups: Lookups, issues: Issues, create: boolean) {
  const out: Record<string, unknown> = {};
  if (b.code != null) {
    issues.maxLength('code', b.code, 30);
    out.code = b.code;
  }
  if (b.name != null) {
    issues.maxLength('name', b.name, 60);
    out.name = b.name;
  }
  const description = b.invoiceItem?.description ?? b.billItem?.description;
  if (description) out.description = String(description).slice(0, 1000);
  const taxId = b.invoiceItem?.taxRateRef?.id ?? b.billItem?.taxRateRef?.id;
  if (taxId) {
    const tax = await lookups.taxCode(taxId);
    if (!tax)
      issues.error('invoiceItem.taxRateRef.id', `Tax code "${taxId}" is not a tax code in this Sage 200 company.`);
    else out.tax_code_id = tax.id;
  }
  if (b.isInvoiceItem === false) out.allow_sales_order = false;
  if (b.invoiceItem?.unitPrice != null || b.billItem?.unitPrice != null) {
    issues.warn(
      'invoiceItem.unitPrice',
      'Prices live in Sage 200 price books; invoiceItem.unitPrice and billItem.unitPrice are not supported, and will be ignored.',
    );
  }
  if (create || b.productGroupId) {
    const groups = await lookups.productGroups();
    const group = b.productGroupId ? groups.find((g) => String(g.id) === String(b.productGroupId)) : groups[0];
    if (!group)
      issues.error(
        'productGroupId',
        b.productGroupId
          ? `Product group "${b.productGroupId}" does not exist in this Sage 200 company.`
          : 'This Sage 200 company has no product group; create one in Sage first.',
      );
    else out.product_group_id = group.id;
  }
  return out;
}

export const itemsWriter: Writer = {
  dataType: 'items',
  async create(call: WriteCall) {
    const issues = new Issues('Item');
    const b = parseBody(schemaFor('create'), call.body, issues, SUPPORTED) as Record<string, any>;
    const body = await fields(b, call.lookups, issues, true);
    issues.throwIfAny();
    const existing = (await call.lookups.findBy<SageRow>('products', 'code', b.code))[0];
    if (existing) {
      if (call.options.attempt > 1 && existing.name === b.name) {
        return {
          record: await toRecord('items', existing, call.lookups),
          warnings: issues.warnings,
          alreadyApplied: true,
        };
      }
      throw new PushValidationError(
        [
          {
            itemId: 'code',
            message: `Product code ${b.code} is already used by "${existing.name}" (id ${existing.id}).`,
            validatorName: 'Sage200',
          },
        ],
        issues.warnings,
      );
    }
    const created = await call.client.post<SageRow>('products', body, { retry: 'throttle-only' });
    return { record: await toRecord('items', created, call.lookups), warnings: issues.warnings };
  },
  async update(call: WriteCall) {
    const issues = new Issues('Item');
    const b = parseBody(schemaFor('update'), call.body, issues, SUPPORTED) as Record<string, any>;
    const current = await call.lookups.byId<SageRow>('products', call.recordId);
    if (!current)
      throw new ConnectorError('NotFound', `There is no item with id ${call.recordId} in this Sage 200 company.`);
    const body = await fields(b, call.lookups, issues, false);
    issues.throwIfAny();
    await checkConcurrency('item', current, call.options);
    const updated = await call.client.put<SageRow>(`products/${current.id}`, body);
    return { record: await toRecord('items', updated ?? current, call.lookups), warnings: issues.warnings };
  },
  async delete(call: WriteCall) {
    const current = await call.lookups.byId<SageRow>('products', call.recordId);
    if (!current)
      throw new ConnectorError('NotFound', `There is no item with id ${call.recordId} in this Sage 200 company.`);
    await call.client.delete(`products/${current.id}`);
    return { record: { id: String(current.id) } };
  },
  async options(lookups: Lookups): Promise<PushOption> {
    const [taxRates, groups] = await Promise.all([taxRateChoices(lookups), lookups.productGroups()]);
    return {
      type: 'Object',
      displayName: 'Item',
      description: 'Creates or updates a Sage 200 product (POST/PUT /products).',
      required: true,
      properties: {
        code: field('String', 'Code', 'Product code, max 30 characters, unique', true),
        name: field('String', 'Name', 'Max 60 characters', true),
        productGroupId: field(
          'String',
          'Product group',
          'Ledgerlink extension; defaults to the first product group',
          false,
          {
            options: groups.map((g) => ({
              value: String(g.id),
              type: 'String' as const,
              displayName: `${g.code} ${g.description ?? ''}`.trim(),
              required: false,
            })),
          },
        ),
        invoiceItem: field('Object', 'Invoice item', 'Sales details', false, {
          properties: {
            description: field('String', 'Description', 'Product description', false),
            taxRateRef: field('Object', 'Tax rate', 'Default tax code', false, {
              properties: { id: field('String', 'Id', 'id', true, { options: taxRates }) },
            }),
          },
        }),
      },
    };
  },
};

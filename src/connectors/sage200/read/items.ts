// Sage products -> Codat items.
import type { StandardRecord } from '../../connector.ts';
import { sageTimestamp } from '../mapping/dates.ts';
import { type Lookups, num } from '../mapping/lookups.ts';
import { str } from '../mapping/refs.ts';
import { pagedRead, type Reader } from './common.ts';
import { loadLookups } from './lookups.ts';

type Row = Record<string, unknown>;

export function mapItem(p: Row, lk: Lookups): StandardRecord {
  const taxId = num(p.tax_code_id);
  const tax = taxId != null ? lk.taxCodes.get(taxId) : undefined;
  const taxRateRef = tax ? { id: String(tax.id), name: tax.name, effectiveTaxRate: tax.rate } : null;
  const status = String(p.product_status_type ?? '');
  const side = (price: unknown) => ({
    description: str(p.description) ?? str(p.name),
    unitPrice: num(price),
    accountRef: null,
    taxRateRef,
  });
  return {
    id: String(p.id),
    name: str(p.name),
    code: str(p.code),
    itemStatus: /inactive|hidden|obsolete/i.test(status) ? 'Archived' : 'Active',
    type: 'Inventory',
    isBillItem: true,
    billItem: side(p.average_buying_price ?? p.standard_cost ?? null),
    isInvoiceItem: p.allow_sales_order !== false,
    invoiceItem: side(p.selling_price ?? null),
    metadata: { isDeleted: false },
    sourceModifiedDate: sageTimestamp(p.date_time_updated),
  };
}

export const readItems: Reader = (client, options) =>
  pagedRead(client, options, { resource: 'products', context: loadLookups(client, ['taxCodes']), map: mapItem });

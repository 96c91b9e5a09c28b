// After a write, the record is returned in the standard model by the READ mappers (../read), so what a push returns
// and what a later sync reads agree field for field. Their lookups are built from what the write already loaded
// (plus the one trader involved) instead of re-reading every customer per push.
import type { DataType, StandardRecord } from '../../connector.ts';
import { emptyLookups, nominalRef, type Lookups as ReadLookups } from '../mapping/lookups.ts';
import { nominalKey } from '../mapping/refs.ts';
import { mapBillCreditNote } from '../read/billCreditNotes.ts';
import { mapBillPayment } from '../read/billPayments.ts';
import { mapBill } from '../read/bills.ts';
import { mapCategory } from '../read/categories.ts';
import { mapAccount } from '../read/chartOfAccounts.ts';
import { mapCreditNote } from '../read/creditNotes.ts';
import { mapCustomer } from '../read/customers.ts';
import { mapInvoice } from '../read/invoices.ts';
import { mapItem } from '../read/items.ts';
import { mapPurchaseOrder, mapSalesOrder } from '../read/orders.ts';
import { mapPayment } from '../read/payments.ts';
import { mapSupplier } from '../read/suppliers.ts';
import type { Lookups } from './lookups.ts';
import type { SageRow } from './types.ts';

const POSTED: Partial<Record<DataType, string>> = {
  invoices: 'sales_posted_transactions',
  creditNotes: 'sales_posted_transactions',
  payments: 'sales_posted_transactions',
  bills: 'purchase_posted_transactions',
  billCreditNotes: 'purchase_posted_transactions',
  billPayments: 'purchase_posted_transactions',
};

export async function readLookups(w: Lookups, row: SageRow, dataType: DataType): Promise<ReadLookups> {
  const lk = emptyLookups('XXX');
  const [currencies, taxCodes, nominals, costCentres, departments] = await Promise.all([
    w.currencies(),
    w.taxCodes(),
    w.nominalCodes(),
    w.costCentres(),
    w.departments(),
  ]);
  for (const c of currencies) {
    const iso = c.currency_iso_code?.code ?? 'XXX';
    lk.currencies.set(c.id, iso);
    if (c.is_base_currency) lk.baseCurrency = iso;
  }
  for (const t of taxCodes)
    lk.taxCodes.set(t.id, { id: t.id, code: t.code ?? null, name: t.name, rate: Number(t.tax_rate) });
  for (const n of nominals) {
    lk.nominalCodes.set(nominalKey(n.reference, n.cost_centre_code, n.department_code), {
      id: n.id,
      name: n.name ?? null,
    });
  }
  for (const c of costCentres) lk.costCentres.set(String(c.code).trim(), String(c.name ?? ''));
  for (const d of departments) lk.departments.set(String(d.code).trim(), String(d.name ?? ''));
  for (const [field, side] of [
    ['customer_id', 'customers'],
    ['supplier_id', 'suppliers'],
  ] as const) {
    const id = row[field];
    if (id === undefined || id === null) continue;
    const p = await (side === 'customers' ? w.customer(id as number) : w.supplier(id as number));
    if (p) {
      lk[side].set(Number(p.id), {
        id: Number(p.id),
        reference: (p.reference as string) ?? null,
        name: (p.name as string) ?? null,
        currencyId: p.currency_id == null ? null : Number(p.currency_id),
      });
    }
  }
  if (dataType === 'payments' || dataType === 'billPayments') {
    for (const b of await w.banks()) {
      lk.banks.set(String(b.code).trim(), {
        id: b.id,
        nominal: nominalRef(
          lk,
          b.bank_account_nominal_reference,
          b.bank_account_nominal_cost_centre,
          b.bank_account_nominal_department,
        ),
      });
    }
    const resource = POSTED[dataType]!;
    for (const a of (row.allocation_session_items as SageRow[] | undefined) ?? []) {
      const urn = Number(a.urn);
      if (!Number.isFinite(urn) || urn === Number(row.urn) || lk.urns.has(urn)) continue;
      const [doc] = await w.findBy<SageRow>(resource, 'urn', urn);
      if (doc) lk.urns.set(urn, { id: Number(doc.id), type: String(doc.trader_transaction_type) });
    }
  }
  return lk;
}

export async function toRecord(dataType: DataType, row: SageRow, w: Lookups): Promise<StandardRecord> {
  const lk = await readLookups(w, row, dataType);
  switch (dataType) {
    case 'customers':
      return mapCustomer(row, lk);
    case 'suppliers':
      return mapSupplier(row, lk);
    case 'invoices':
      return mapInvoice(row, lk);
    case 'creditNotes':
      return mapCreditNote(row, lk);
    case 'bills':
      return mapBill(row, lk);
    case 'billCreditNotes':
      return mapBillCreditNote(row, lk);
    case 'payments':
      return mapPayment(row, lk);
    case 'billPayments':
      return mapBillPayment(row, lk);
    case 'items':
      return mapItem(row, lk);
    case 'salesOrders':
      return mapSalesOrder(row, lk);
    case 'purchaseOrders':
      return mapPurchaseOrder(row, lk);
    case 'chartOfAccounts': {
      const categories = new Map((await w.reportCategories()).map((r) => [Number(r.id), mapCategory(r)]));
      const banks = await w.banks();
      const bankNominalIds = new Set<number>();
      for (const b of banks) {
        const n = await w.nominalByParts(
          String(b.bank_account_nominal_reference ?? ''),
          String(b.bank_account_nominal_cost_centre ?? ''),
          String(b.bank_account_nominal_department ?? ''),
        );
        if (n) bankNominalIds.add(n.id);
      }
      return mapAccount(row, { categories, baseCurrency: lk.baseCurrency, bankNominalIds });
    }
    default:
      return { id: String(row.id) };
  }
}

// The Book: collections for the HTTP layer, writes through the master-data and posting engines, invariant checks.
import { TRADER_TRANSACTION_TYPES, TRADER_TYPE_DESCRIPTIONS } from './chart.ts';
import { bookChecks } from './checks.ts';
import { DenseCollection, ListCollection, type OrderColumns, TableCollection } from './collections.ts';
import { SageError } from './errors.ts';
import { BANK, PURCHASE, SALES } from './ledger.ts';
import {
  bankView,
  categoryView,
  customerView,
  financialYearPeriods,
  nominalView,
  supplierView,
} from './master-views.ts';
import { createMaster, MASTER_WRITES, removeMaster, updateMaster } from './master-writes.ts';
import { bankTx, nominalEnquiry, sopLineView, traderTx, traderView } from './materialize.ts';
import { orderView, productView } from './order-views.ts';
import { LEDGER_POSTINGS, postLedger } from './posting-engine.ts';
import type { BookState } from './state.ts';
import { clone, type Rec } from './table.ts';
import type { Book, BookChecks, Collection, Want } from './types.ts';

export class SimBook implements Book {
  private readonly collections = new Map<string, Collection>();

  constructor(readonly state: BookState) {
    const s = state;
    const t = s.tables;
    const L = s.ledger;
    const plain = (r: Rec) => clone(r);
    const add = (c: Collection) => this.collections.set(c.resource, c);
    const STAMPS = ['date_time_created', 'date_time_updated'];
    add(new TableCollection('company_details', t.company_details, plain, STAMPS, []));
    add(new TableCollection('country_codes', t.country_codes, plain, STAMPS, []));
    add(new TableCollection('currencies', t.currencies, plain, STAMPS, []));
    add(new TableCollection('tax_codes', t.tax_codes, plain, STAMPS, []));
    add(new TableCollection('nominal_report_categories', t.nominal_report_categories, categoryView, STAMPS));
    add(new TableCollection('cost_centres', t.cost_centres, plain, STAMPS, []));
    add(new TableCollection('departments', t.departments, plain, STAMPS, []));
    add(new TableCollection('nominal_codes', t.nominal_codes, (r) => nominalView(s, r), STAMPS));
    add(new TableCollection('banks', t.banks, (r) => bankView(s, r), STAMPS));
    // what customerView / supplierView add to the stored row
    const TRADER_VIEW_ADDS = ['balance', 'currency', 'default_tax_code', 'country_code', 'contacts'];
    add(new TableCollection('customers', t.customers, (r, want) => customerView(s, r, want), STAMPS, TRADER_VIEW_ADDS));
    add(new TableCollection('customer_contacts', t.customer_contacts, plain, STAMPS, []));
    add(new TableCollection('suppliers', t.suppliers, (r, want) => supplierView(s, r, want), STAMPS, TRADER_VIEW_ADDS));
    add(new TableCollection('supplier_contacts', t.supplier_contacts, plain, STAMPS, []));
    add(new TableCollection('product_groups', t.product_groups, plain, STAMPS, []));
    add(new TableCollection('warehouses', t.warehouses, plain, STAMPS, []));
    add(new TableCollection('products', t.products, (r) => productView(s, r), STAMPS));
    add(new TableCollection('sop_orders', t.sop_orders, (r) => orderView(s, 'sop', r), STAMPS));
    add(new TableCollection('sop_order_lines', t.sop_order_lines, plain, STAMPS, []));
    add(new TableCollection('pop_orders', t.pop_orders, (r) => orderView(s, 'pop', r), STAMPS));
    add(new TableCollection('pop_order_lines', t.pop_order_lines, plain, STAMPS, []));
    const ledgerRows = (ledger: number) => () => L.count(ledger);
    const rowAt = (ledger: number, f: (s: BookState, row: number, want?: Want) => Rec) => (i: number, want?: Want) =>
      f(s, L.rows[ledger].get(i), want);
    // Stored columns behind the fields incremental reads order by: order indexes read these instead of building
    // every row (stamps are served truncated to whole ms, as ISO strings)
    const date = (at: (i: number) => number) => ({ kind: 'date' as const, at: (i: number) => Math.trunc(at(i)) });
    const num = (at: (i: number) => number) => ({ kind: 'num' as const, at });
    const postedColumns = (ledger: number): OrderColumns => ({
      date_time_created: date((i) => L.created.get(L.rows[ledger].get(i))),
      date_time_updated: date((i) => L.updated.get(L.rows[ledger].get(i))),
      urn: num((i) => L.urn.get(L.rows[ledger].get(i))),
    });
    const viewColumns = (ledger: number): OrderColumns => ({
      transaction_date_time_updated: date((i) => L.updated.get(L.rows[ledger].get(i))),
      urn: num((i) => L.urn.get(L.rows[ledger].get(i))),
    });
    add(
      new DenseCollection(
        'sales_posted_transactions',
        'id',
        ledgerRows(SALES),
        rowAt(SALES, traderTx),
        postedColumns(SALES),
      ),
    );
    add(
      new DenseCollection(
        'purchase_posted_transactions',
        'id',
        ledgerRows(PURCHASE),
        rowAt(PURCHASE, traderTx),
        postedColumns(PURCHASE),
      ),
    );
    add(
      new DenseCollection('bank_posted_transactions', 'id', ledgerRows(BANK), rowAt(BANK, bankTx), postedColumns(BANK)),
    );
    add(
      new DenseCollection(
        'sales_transaction_views',
        'posted_customer_transaction_id',
        ledgerRows(SALES),
        rowAt(SALES, traderView),
        viewColumns(SALES),
      ),
    );
    add(
      new DenseCollection(
        'purchase_transaction_views',
        'posted_supplier_transaction_id',
        ledgerRows(PURCHASE),
        rowAt(PURCHASE, traderView),
        viewColumns(PURCHASE),
      ),
    );
    add(
      new DenseCollection(
        'nominal_transaction_enquiry_views',
        'id',
        () => L.pTx.length,
        (i) => nominalEnquiry(s, i),
        { urn: num((i) => L.urn.get(L.pTx.get(i))) },
      ),
    );
    add(
      new DenseCollection(
        'customer_sop_invoice_credit_line_views',
        'sop_invoice_credit_line_id',
        () => L.lTx.length,
        (i, want) => sopLineView(s, i, want),
        {
          sop_invoice_credit_date_time_updated: date((i) => L.created.get(L.lTx.get(i))),
          sop_invoice_credit_line_date_time_updated: date((i) => L.created.get(L.lTx.get(i))),
        },
      ),
    );
    add(new ListCollection('financial_year_period_views', 'accounting_period_id', () => financialYearPeriods(s)));
    add(
      new ListCollection('trader_transaction_types', 'id', () =>
        TRADER_TRANSACTION_TYPES.map((value, i) => ({ id: i, description: TRADER_TYPE_DESCRIPTIONS[i], value })),
      ),
    );
    add(
      new ListCollection('nominal_report_category_types', 'id', () =>
        ['Asset', 'Liability', 'Income', 'Expense'].map((d, i) => ({
          id: i,
          description: d,
          value: `ReportCategoryType${d}`,
        })),
      ),
    );
    add(
      new ListCollection('account_status_types', 'id', () => [
        { id: 0, description: 'Active', value: 'AccountStatusActive' },
        { id: 1, description: 'Hidden', value: 'AccountStatusHidden' },
      ]),
    );
  }

  get company() {
    return this.state.company;
  }

  collection(resource: string): Collection | undefined {
    return this.collections.get(resource);
  }

  resources(): string[] {
    return [...this.collections.keys()];
  }

  create(resource: string, body: Record<string, unknown>, now: Date): Record<string, unknown> {
    checkBody(body);
    if (LEDGER_POSTINGS.has(resource)) return postLedger(this.state, resource, body, now);
    if (MASTER_WRITES.has(resource)) {
      const rec = createMaster(this.state, resource, body, now);
      return this.collection(resource)!.get(rec.id as number)!;
    }
    throw new SageError(404, `The resource '${resource}' does not support POST.`);
  }

  update(resource: string, id: number, body: Record<string, unknown>, now: Date): Record<string, unknown> {
    checkBody(body);
    if (!MASTER_WRITES.has(resource)) throw new SageError(404, `The resource '${resource}' does not support PUT.`);
    updateMaster(this.state, resource, id, body, now);
    return this.collection(resource)!.get(id)!;
  }

  remove(resource: string, id: number, now: Date): void {
    if (!MASTER_WRITES.has(resource)) throw new SageError(404, `The resource '${resource}' does not support DELETE.`);
    removeMaster(this.state, resource, id, now);
  }

  checks(): BookChecks {
    return bookChecks(this.state);
  }
}

function checkBody(body: unknown): asserts body is Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new SageError(400, 'The request body must be a JSON object.');
}

// Golden tests for reference data and other mappers, from the demo-book fixture rows (hand-checked figures).
import { describe, expect, it } from 'vitest';
import { accountSchema } from '../../../model/accounts.ts';
import { bankAccountSchema } from '../../../model/bankAccounts.ts';
import { bankTransactionSchema } from '../../../model/bankTransactions.ts';
import { companySchema } from '../../../model/company.ts';
import { customerSchema } from '../../../model/customers.ts';
import { itemSchema } from '../../../model/items.ts';
import { journalEntrySchema } from '../../../model/journalEntries.ts';
import { salesOrderSchema } from '../../../model/orders.ts';
import { supplierSchema } from '../../../model/suppliers.ts';
import { taxRateSchema } from '../../../model/taxRates.ts';
import { trackingCategorySchema } from '../../../model/trackingCategories.ts';
import { sageDate, sageTimestamp } from '../mapping/dates.ts';
import { mapBankAccount } from './bankAccounts.ts';
import { mapBankTransaction } from './bankTransactions.ts';
import { type CategoryInfo, mapCategory } from './categories.ts';
import { mapAccount } from './chartOfAccounts.ts';
import { mapCompany } from './company.ts';
import { mapCustomer } from './customers.ts';
import { fixture, fixtureLookups } from './fixtureLookups.test-helper.ts';
import { mapItem } from './items.ts';
import { mapJournalEntry } from './journalEntries.ts';
import { mapSalesOrder } from './orders.ts';
import { mapSupplier } from './suppliers.ts';
import { mapTaxRate } from './taxRates.ts';
import { mapTrackingCategories } from './trackingCategories.ts';

const lk = fixtureLookups();
const categories = new Map<number, CategoryInfo>(
  fixture.reportCategories.map((r: never) => [(r as { id: number }).id, mapCategory(r)]),
);

describe('dates', () => {
  it('reads both Sage stamp forms as UTC and keeps business dates on their calendar day', () => {
    expect(sageTimestamp('2017-06-02T08:19:00.147')).toBe('2017-06-02T08:19:00.147Z');
    expect(sageTimestamp('2021-08-04T09:54:24.36Z')).toBe('2021-08-04T09:54:24.360Z');
    expect(sageTimestamp('2016-05-22T00:00:00')).toBe('2016-05-22T00:00:00.000Z');
    expect(sageTimestamp('')).toBeNull();
    expect(sageTimestamp('not a date')).toBeNull();
    expect(sageDate('2016-05-22T00:00:00')).toBe('2016-05-22T00:00:00Z');
    expect(sageDate(null)).toBeNull();
  });
});

describe('reference data mappers', () => {
  it('company: name, address, phones, tax number, base currency and financial year', () => {
    const r = mapCompany(fixture.companyDetails, 'GBP', [
      { year_relative_to_current_year: -1, financial_year_start_date: '2025-01-01T00:00:00' },
      { year_relative_to_current_year: 0, financial_year_start_date: '2026-01-01T00:00:00' },
    ]);
    expect(r).toEqual({
      id: 'company',
      companyName: 'Hadley Engineering Ltd',
      accountingPlatformRef: '1',
      companyLegalName: 'Hadley Engineering Ltd',
      addresses: [
        {
          type: 'Billing',
          line1: 'Hadley Works, Station Road',
          line2: null,
          city: 'Telford',
          region: 'Shropshire',
          country: 'United Kingdom',
          postalCode: 'TF1 6AA',
        },
      ],
      phoneNumbers: [{ number: '01952 555100', type: 'Landline' }],
      webLinks: [{ type: 'Website', url: 'https://www.hadley.example' }],
      ledgerLockDate: null,
      registrationNumber: null,
      taxNumber: 'GB100007919',
      financialYearStartDate: '2026-01-01T00:00:00Z',
      baseCurrency: 'GBP',
      sourceUrls: null,
      createdDate: '2025-01-01T00:00:00Z',
      supplementalData: { content: { financialYears: 2 } },
      sourceModifiedDate: '2022-12-02T11:18:00.000Z',
    });
    expect(() => companySchema.parse(r)).not.toThrow();
  });

  it('chart of accounts: type and category from report categories, Codat sign convention, bank flag', () => {
    const bank = mapAccount(fixture.nominalCode, {
      categories,
      baseCurrency: 'GBP',
      bankNominalIds: new Set([fixture.nominalCode.id]),
    });
    expect(bank).toEqual({
      id: String(fixture.nominalCode.id),
      nominalCode: '1200',
      name: 'Bank Current Account',
      description: null,
      fullyQualifiedCategory: 'Asset.Current Assets: Bank and Cash',
      fullyQualifiedName: 'Asset.Current Assets: Bank and Cash.Bank Current Account',
      currency: 'GBP',
      currentBalance: fixture.nominalCode.balance_year_to_date,
      type: 'Asset',
      status: 'Active',
      isBankAccount: true,
      metadata: { isDeleted: false },
      sourceModifiedDate: sageTimestamp(fixture.nominalCode.date_time_updated),
    });
    const income = mapAccount(fixture.nominalCodeIncome, {
      categories,
      baseCurrency: 'GBP',
      bankNominalIds: new Set(),
    });
    expect(income).toMatchObject({ type: 'Income', nominalCode: '4000', description: 'Cost centre 01, department 1' });
    // Sage stores income as a credit (negative); Codat shows income positive when in credit
    expect(fixture.nominalCodeIncome.balance_year_to_date).toBeLessThan(0);
    expect(income.currentBalance).toBe(-fixture.nominalCodeIncome.balance_year_to_date);
    const equity = mapCategory({
      id: 1,
      code: 'CR01',
      description: 'Capital & Reserves: Share Capital',
      account_report_type: 'AccountReportTypeBalanceSheet',
      account_report_category_type: 'ReportCategoryTypeLiability',
    });
    expect(equity).toMatchObject({ type: 'Equity', balanceSheet: true });
    const archived = mapAccount(
      { ...fixture.nominalCode, account_status_type: 'AccountStatusHidden' },
      { categories, baseCurrency: 'GBP', bankNominalIds: new Set() },
    );
    expect(archived.status).toBe('Archived');
    const unknown = mapAccount(
      { ...fixture.nominalCode, report_category_id: 99999 },
      { categories, baseCurrency: 'GBP', bankNominalIds: new Set() },
    );
    expect(unknown).toMatchObject({
      type: 'Unknown',
      fullyQualifiedCategory: null,
      fullyQualifiedName: null,
      currentBalance: null,
    });
    for (const r of [bank, income, archived, unknown]) expect(() => accountSchema.parse(r)).not.toThrow();
  });

  it('tax rates: id is the record id, code the user-facing code, one non-compound component', () => {
    const r = mapTaxRate({
      id: 2,
      code: 1,
      name: 'Standard Rate',
      tax_rate: 20,
      date_time_updated: '2015-10-30T22:33:16.473',
    });
    expect(r).toEqual({
      id: '2',
      name: 'Standard Rate',
      code: '1',
      status: 'Active',
      effectiveTaxRate: 20,
      totalTaxRate: 20,
      components: [{ name: 'Standard Rate', rate: 20, isCompound: false }],
      validDatatypeLinks: [],
      metadata: { isDeleted: false },
      sourceModifiedDate: '2015-10-30T22:33:16.473Z',
    });
    expect(() => taxRateSchema.parse(r)).not.toThrow();
  });

  it('tracking categories: cost centres and departments under two synthetic roots', () => {
    const rs = mapTrackingCategories(fixture.lookups.cost_centres.slice(0, 1), fixture.lookups.departments.slice(0, 1));
    expect(rs.map((r) => [r.id, r.name, r.parentId, r.hasChildren])).toEqual([
      ['__COST_CENTRES', 'Cost Centres', null, true],
      ['__COST_CENTRES/01', 'Manufacturing', '__COST_CENTRES', false],
      ['__DEPARTMENTS', 'Departments', null, true],
      ['__DEPARTMENTS/1', 'Sales', '__DEPARTMENTS', false],
    ]);
    for (const r of rs) expect(() => trackingCategorySchema.parse(r)).not.toThrow();
  });

  it('customers and suppliers: contacts with typed phones, billing address, status, currency, balance', () => {
    const c = mapCustomer({ ...fixture.customer, contacts: fixture.customerContacts }, lk);
    const def = fixture.customerContacts.find((x: { is_default: boolean }) => x.is_default);
    expect(c).toMatchObject({
      id: String(fixture.customer.id),
      customerName: fixture.customer.name,
      contactName: def.name,
      emailAddress: def.default_email,
      phone: '+44 1750 847 5851',
      taxNumber: fixture.customer.vat_number,
      status: 'Active',
      defaultCurrency: 'GBP',
      balance: fixture.customer.balance,
    });
    expect((c.contacts as unknown[]).length).toBe(fixture.customerContacts.length);
    expect((c.contacts as { phone: { type: string }[] }[])[0].phone[0].type).toBe('Landline');
    expect((c.addresses as { type: string }[])[0].type).toBe('Billing');
    const hidden = mapCustomer({ ...fixture.customer, account_status_type: 'AccountStatusHidden' }, lk);
    expect(hidden.status).toBe('Archived');
    const s = mapSupplier(fixture.supplier, lk);
    expect(s).toMatchObject({
      supplierName: fixture.supplier.name,
      defaultCurrency: 'GBP',
      balance: fixture.supplier.balance,
    });
    expect(() => customerSchema.parse(c)).not.toThrow();
    expect(() => supplierSchema.parse(s)).not.toThrow();
  });

  it('bank accounts and bank transactions: money in positive, transfers typed Xfer', () => {
    const b = mapBankAccount(fixture.bank, lk);
    expect(b).toMatchObject({
      accountName: 'Current Account',
      nominalCode: '1200',
      sortCode: '40-11-62',
      currency: 'GBP',
      overdraftLimit: 25000,
      accountType: 'Debit',
    });
    expect(b.availableBalance).toBe(Math.round((fixture.bank.balance + 25000) * 100) / 100);
    const [receipt, transfer] = fixture.bankTransactions.map(mapBankTransaction);
    expect(receipt).toEqual({
      id: String(fixture.bankTransactions[0].id),
      accountId: '1',
      clearedOnDate: sageDate(fixture.bankTransactions[0].transaction_date),
      description: 'Customer receipt',
      reference: fixture.bankTransactions[0].reference,
      reconciled: false,
      amount: fixture.bankTransactions[0].cheque_value,
      balance: null,
      transactionType: 'Credit',
      metadata: { isDeleted: false },
      sourceModifiedDate: sageTimestamp(fixture.bankTransactions[0].date_time_updated),
    });
    expect(transfer).toMatchObject({ amount: -250, transactionType: 'Xfer' });
    expect(() => bankAccountSchema.parse(b)).not.toThrow();
    for (const t of [receipt, transfer]) expect(() => bankTransactionSchema.parse(t)).not.toThrow();
  });

  it('items and sales orders', () => {
    const i = mapItem(fixture.product, lk);
    expect(i).toMatchObject({
      id: '301',
      code: 'BRG-1037',
      name: 'Bearing A0',
      itemStatus: 'Active',
      type: 'Inventory',
    });
    expect((i.invoiceItem as { taxRateRef: { id: string } }).taxRateRef.id).toBe('2');
    const o = mapSalesOrder(fixture.sopOrder, lk);
    expect(o).toMatchObject({
      salesOrderNumber: 'SO0010001',
      status: 'Open',
      currency: 'EUR',
      subTotal: fixture.sopOrder.total_net_value,
      totalTaxAmount: fixture.sopOrder.total_tax_value,
      totalAmount: fixture.sopOrder.total_gross_value,
    });
    const lines = o.lineItems as { subTotal: number; taxAmount: number }[];
    const cents = (n: number) => Math.round(n * 100);
    expect(cents(lines.reduce((s, l) => s + l.subTotal, 0))).toBe(cents(fixture.sopOrder.total_net_value));
    expect(cents(lines.reduce((s, l) => s + l.taxAmount, 0))).toBe(cents(fixture.sopOrder.total_tax_value));
    expect(() => itemSchema.parse(i)).not.toThrow();
    expect(() => salesOrderSchema.parse(o)).not.toThrow();
  });

  it('journal entry: one URN, balanced lines, debits positive', () => {
    const j = mapJournalEntry(fixture.journalRows, {
      names: new Map([[8, 'Debtors Control Account']]),
      baseCurrency: 'GBP',
    });
    const lines = j.journalLines as { netAmount: number; accountRef: { id: string } }[];
    expect(j.id).toBe(String(fixture.journalRows[0].urn));
    expect(lines).toHaveLength(fixture.journalRows.length);
    expect(Math.round(lines.reduce((s, l) => s + l.netAmount * 100, 0))).toBe(0);
    expect(lines.find((l) => l.accountRef.id === '8')?.netAmount).toBe(
      fixture.invoicePartiallyPaid.document_gross_value,
    );
    expect(() => journalEntrySchema.parse(j)).not.toThrow();
  });
});

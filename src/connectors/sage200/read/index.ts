// The Sage 200 readers, one per data type (aged reports are computed by the API from the stored documents with
// src/model/aged.ts, so they have no reader).
import type { DataType } from '../../connector.ts';
import { readBankAccounts } from './bankAccounts.ts';
import { readBankTransactions } from './bankTransactions.ts';
import { readBillCreditNotes } from './billCreditNotes.ts';
import { readBillPayments } from './billPayments.ts';
import { readBills } from './bills.ts';
import { readChartOfAccounts } from './chartOfAccounts.ts';
import type { Reader } from './common.ts';
import { readCompany } from './company.ts';
import { readCreditNotes } from './creditNotes.ts';
import { readCustomers } from './customers.ts';
import { readInvoices } from './invoices.ts';
import { readItems } from './items.ts';
import { readJournalEntries } from './journalEntries.ts';
import { readPurchaseOrders, readSalesOrders } from './orders.ts';
import { readPayments } from './payments.ts';
import { readBalanceSheet, readProfitAndLoss } from './reports.ts';
import { readSuppliers } from './suppliers.ts';
import { readTaxRates } from './taxRates.ts';
import { readTrackingCategories } from './trackingCategories.ts';

export type { Reader, SageReader } from './common.ts';

export const readers: Partial<Record<DataType, Reader>> = {
  company: readCompany,
  chartOfAccounts: readChartOfAccounts,
  taxRates: readTaxRates,
  trackingCategories: readTrackingCategories,
  customers: readCustomers,
  suppliers: readSuppliers,
  invoices: readInvoices,
  creditNotes: readCreditNotes,
  payments: readPayments,
  bills: readBills,
  billCreditNotes: readBillCreditNotes,
  billPayments: readBillPayments,
  bankAccounts: readBankAccounts,
  bankTransactions: readBankTransactions,
  items: readItems,
  salesOrders: readSalesOrders,
  purchaseOrders: readPurchaseOrders,
  journalEntries: readJournalEntries,
  balanceSheet: readBalanceSheet,
  profitAndLoss: readProfitAndLoss,
};

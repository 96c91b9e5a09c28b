// Static reference data of a generated company: report categories, chart of accounts, tax codes, currencies,
// cost centres and departments. The chart follows the Sage 200 UK default chart's numbering.
import type { CompanyProfile } from '../demo.ts';

export type CategoryType = 'Asset' | 'Liability' | 'Income' | 'Expense';

export interface CategoryDef {
  code: string;
  description: string;
  type: CategoryType;
}

/** Equity is a Balance-sheet Liability-type category whose code starts with "CR" (Capital & Reserves); see docs. */
export const REPORT_CATEGORIES: CategoryDef[] = [
  { code: 'FA01', description: 'Fixed Assets: Plant and Machinery', type: 'Asset' },
  { code: 'FA02', description: 'Fixed Assets: Office Equipment and Vehicles', type: 'Asset' },
  { code: 'CA01', description: 'Current Assets: Stock', type: 'Asset' },
  { code: 'CA02', description: 'Current Assets: Trade Debtors', type: 'Asset' },
  { code: 'CA03', description: 'Current Assets: Bank and Cash', type: 'Asset' },
  { code: 'CA04', description: 'Current Assets: Prepayments and Other Debtors', type: 'Asset' },
  { code: 'CL01', description: 'Current Liabilities: Trade Creditors', type: 'Liability' },
  { code: 'CL02', description: 'Current Liabilities: Taxation', type: 'Liability' },
  { code: 'CL03', description: 'Current Liabilities: Accruals and Payroll', type: 'Liability' },
  { code: 'LL01', description: 'Long Term Liabilities: Loans', type: 'Liability' },
  { code: 'CR01', description: 'Capital & Reserves: Share Capital', type: 'Liability' },
  { code: 'CR02', description: 'Capital & Reserves: Retained Earnings', type: 'Liability' },
  { code: 'SA01', description: 'Sales: Trading Income', type: 'Income' },
  { code: 'SA02', description: 'Sales: Other Income', type: 'Income' },
  { code: 'CS01', description: 'Cost of Sales: Purchases', type: 'Expense' },
  { code: 'CS02', description: 'Cost of Sales: Direct Expenses', type: 'Expense' },
  { code: 'OH01', description: 'Overheads: Staff Costs', type: 'Expense' },
  { code: 'OH02', description: 'Overheads: Premises', type: 'Expense' },
  { code: 'OH03', description: 'Overheads: Motor and Travel', type: 'Expense' },
  { code: 'OH04', description: 'Overheads: Administration', type: 'Expense' },
  { code: 'OH05', description: 'Overheads: Finance Costs', type: 'Expense' },
  { code: 'OH06', description: 'Overheads: Depreciation', type: 'Expense' },
];

export const COST_CENTRES = [
  { code: '01', name: 'Manufacturing' },
  { code: '02', name: 'Field Service' },
  { code: '03', name: 'Head Office' },
];

export const DEPARTMENTS = [
  { code: '1', name: 'Sales' },
  { code: '2', name: 'Operations' },
  { code: '3', name: 'Administration' },
];

export interface AccountDef {
  reference: string;
  name: string;
  category: string;
  /** split this account by cost centre and department (one nominal code per combination used) */
  split?: boolean;
}

export const ACCOUNTS: AccountDef[] = [
  { reference: '0020', name: 'Plant and Machinery', category: 'FA01' },
  { reference: '0021', name: 'Plant and Machinery Depreciation', category: 'FA01' },
  { reference: '0030', name: 'Office Equipment', category: 'FA02' },
  { reference: '0031', name: 'Office Equipment Depreciation', category: 'FA02' },
  { reference: '0050', name: 'Motor Vehicles', category: 'FA02' },
  { reference: '0051', name: 'Motor Vehicles Depreciation', category: 'FA02' },
  { reference: '1001', name: 'Stock', category: 'CA01' },
  { reference: '1100', name: 'Debtors Control Account', category: 'CA02' },
  { reference: '1103', name: 'Prepayments', category: 'CA04' },
  { reference: '1200', name: 'Bank Current Account', category: 'CA03' },
  { reference: '1210', name: 'Bank Deposit Account', category: 'CA03' },
  { reference: '1230', name: 'Petty Cash', category: 'CA03' },
  { reference: '2100', name: 'Creditors Control Account', category: 'CL01' },
  { reference: '2109', name: 'Accruals', category: 'CL03' },
  { reference: '2200', name: 'Sales Tax Control Account', category: 'CL02' },
  { reference: '2201', name: 'Purchase Tax Control Account', category: 'CL02' },
  { reference: '2202', name: 'VAT Liability', category: 'CL02' },
  { reference: '2210', name: 'PAYE', category: 'CL03' },
  { reference: '2211', name: 'National Insurance', category: 'CL03' },
  { reference: '2300', name: 'Bank Loan', category: 'LL01' },
  { reference: '2310', name: 'Hire Purchase', category: 'LL01' },
  { reference: '3000', name: 'Ordinary Shares', category: 'CR01' },
  { reference: '3200', name: 'Profit and Loss Account', category: 'CR02' },
  { reference: '4000', name: 'Sales - Engineering Services', category: 'SA01', split: true },
  { reference: '4010', name: 'Sales - Parts and Components', category: 'SA01', split: true },
  { reference: '4020', name: 'Sales - Export', category: 'SA01' },
  { reference: '4090', name: 'Sales - Other', category: 'SA01' },
  { reference: '4900', name: 'Miscellaneous Income', category: 'SA02' },
  { reference: '4910', name: 'Bank Interest Received', category: 'SA02' },
  { reference: '5000', name: 'Materials Purchased', category: 'CS01', split: true },
  { reference: '5001', name: 'Subcontract Labour', category: 'CS01' },
  { reference: '5100', name: 'Carriage', category: 'CS02' },
  { reference: '5200', name: 'Packaging', category: 'CS02' },
  { reference: '7000', name: 'Gross Wages', category: 'OH01', split: true },
  { reference: '7006', name: "Employer's NI", category: 'OH01' },
  { reference: '7010', name: 'Staff Training', category: 'OH01' },
  { reference: '7100', name: 'Rent', category: 'OH02' },
  { reference: '7103', name: 'General Rates', category: 'OH02' },
  { reference: '7200', name: 'Electricity', category: 'OH02' },
  { reference: '7201', name: 'Gas', category: 'OH02' },
  { reference: '7300', name: 'Fuel and Oil', category: 'OH03' },
  { reference: '7400', name: 'Travelling', category: 'OH03', split: true },
  { reference: '7500', name: 'Printing', category: 'OH04' },
  { reference: '7501', name: 'Postage and Carriage', category: 'OH04' },
  { reference: '7502', name: 'Telephone', category: 'OH04' },
  { reference: '7504', name: 'Office Stationery', category: 'OH04' },
  { reference: '7600', name: 'Legal Fees', category: 'OH04' },
  { reference: '7601', name: 'Audit and Accountancy Fees', category: 'OH04' },
  { reference: '7700', name: 'Equipment Hire', category: 'OH04' },
  { reference: '7800', name: 'Repairs and Renewals', category: 'OH02' },
  { reference: '6201', name: 'Advertising', category: 'OH04' },
  { reference: '7900', name: 'Bank Interest Paid', category: 'OH05' },
  { reference: '7901', name: 'Bank Charges', category: 'OH05' },
  { reference: '8000', name: 'Depreciation', category: 'OH06' },
  { reference: '8100', name: 'Bad Debt Write Off', category: 'OH04' },
  { reference: '8200', name: 'Donations', category: 'OH04' },
  { reference: '9998', name: 'Suspense Account', category: 'CA04' },
  { reference: '9999', name: 'Mispostings Account', category: 'CA04' },
  // appended last so earlier nominal ids stay stable
  { reference: '7950', name: 'Exchange Gains and Losses', category: 'OH05' },
];

/** cost centre / department combinations used for split accounts: (cc, dept) */
export const SPLITS: [string, string][] = [
  ['01', '1'],
  ['01', '2'],
  ['02', '1'],
  ['02', '2'],
  ['03', '3'],
];

export interface TaxDef {
  code: number;
  name: string;
  rate: number;
  terms: string;
  notional?: boolean;
}

export function taxCodesFor(profile: CompanyProfile): TaxDef[] {
  const ie = profile === 'ireland';
  return [
    { code: 0, name: 'Zero Rated', rate: 0, terms: 'Zero rated' },
    { code: 1, name: 'Standard Rate', rate: ie ? 23 : 20, terms: 'Standard rated' },
    { code: 2, name: 'Exempt', rate: 0, terms: 'Exempt' },
    { code: 4, name: 'EU Sales (Zero Rated)', rate: 0, terms: 'EC sales of goods' },
    { code: 5, name: 'Reduced Rate', rate: ie ? 13.5 : 5, terms: 'Reduced rated' },
    { code: 7, name: 'EU Purchases (Zero Rated)', rate: 0, terms: 'EC purchases of goods' },
    { code: 8, name: 'EU Purchases (Reverse Charge)', rate: ie ? 23 : 20, terms: 'EC reverse charge', notional: true },
    { code: 9, name: 'Outside the Scope', rate: 0, terms: 'Non-VAT transactions' },
  ];
}

/** tax code record ids (tax_codes.id): position + 1 in taxCodesFor() */
export const TAX = { zero: 1, standard: 2, exempt: 3, euSales: 4, reduced: 5, euPurchases: 6, reverse: 7, outside: 8 };

export interface CurrencyDef {
  iso: string;
  isoId: number;
  name: string;
  isoName: string;
  symbol: string;
  /** units per 1 GBP, around which monthly rates wander */
  perGbp: number;
}

export const CURRENCIES: CurrencyDef[] = [
  { iso: 'GBP', isoId: 49, name: 'Pound Sterling', isoName: 'UNITED KINGDOM, Pound Sterling', symbol: '£', perGbp: 1 },
  { iso: 'EUR', isoId: 51, name: 'Euro', isoName: 'EUROPEAN UNION, Euro', symbol: '€', perGbp: 1.16 },
  { iso: 'USD', isoId: 150, name: 'US Dollar', isoName: 'UNITED STATES, US Dollar', symbol: '$', perGbp: 1.27 },
];

export const COUNTRY_CODES = [
  { id: 13, code: 'GB', name: 'Great Britain', eu_member: false },
  { id: 14, code: 'IE', name: 'Ireland', eu_member: true },
  { id: 15, code: 'DE', name: 'Germany', eu_member: true },
  { id: 16, code: 'FR', name: 'France', eu_member: true },
  { id: 17, code: 'US', name: 'United States', eu_member: false },
  { id: 18, code: 'NL', name: 'Netherlands', eu_member: true },
];

export const TRADER_TRANSACTION_TYPES = [
  'TradingAccountEntryTypeInvoice',
  'TradingAccountEntryTypeCreditNote',
  'TradingAccountEntryTypePurchasePaymentSalesReceipt',
  'TradingAccountEntryTypePurchaseReceiptSalesPayment',
  'TradingAccountEntryTypeOpeningBalanceInvoice',
  'TradingAccountEntryTypeOpeningBalanceCreditNote',
  'TradingAccountEntryTypeDeletedRecord',
  'TradingAccountEntryTypeNOTUSED',
];

export const TRADER_TYPE_DESCRIPTIONS = [
  'Invoice',
  'Credit Note',
  'Receipt/Payment',
  'Payment/Refund',
  'Opening Balance Invoice',
  'Opening Balance Credit Note',
  'Deleted Record',
  'Not Used',
];

/** bank_transaction_type values the simulator uses (Sage's list is not public; see docs) */
export const BANK_TYPES = [
  'Receipt',
  'Payment',
  'CustomerReceipt',
  'SupplierPayment',
  'CustomerRefund',
  'SupplierRefund',
  'TransferReceipt',
  'TransferPayment',
];

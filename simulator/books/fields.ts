// Field specs for master-data writes: which request fields are writable, their types and Sage max lengths.
import { sageDate } from './dates.ts';
import { money, toPennies } from './money.ts';
import type { BookState } from './state.ts';
import type { Rec, Table } from './table.ts';
import { bad, bool, day, int, num, ref, str } from './validate.ts';

export type FieldSpec =
  | ['s', string, number]
  | ['i', string]
  | ['n', string]
  | ['m', string]
  | ['b', string]
  | ['d', string]
  | ['r', string, (s: BookState) => Table, string];

const analysis = (): FieldSpec[] => Array.from({ length: 20 }, (_, i) => ['s', `analysis_code_${i + 1}`, 60]);
const spare = (): FieldSpec[] => [
  ...Array.from({ length: 10 }, (_, i): FieldSpec => ['s', `spare_text_${i + 1}`, 100]),
  ...Array.from({ length: 10 }, (_, i): FieldSpec => ['n', `spare_number_${i + 1}`]),
  ...Array.from({ length: 5 }, (_, i): FieldSpec => ['d', `spare_date_${i + 1}`]),
  ...Array.from({ length: 5 }, (_, i): FieldSpec => ['b', `spare_bool_${i + 1}`]),
];

const TRADER: FieldSpec[] = [
  ['s', 'name', 60],
  ['s', 'short_name', 8],
  ['b', 'on_hold'],
  ['s', 'status_reason', 256],
  ['s', 'account_status_type', 20],
  ['r', 'currency_id', (s) => s.tables.currencies, 'Currency'],
  ['s', 'exchange_rate_type', 20],
  ['s', 'telephone_country_code', 5],
  ['s', 'telephone_area_code', 20],
  ['s', 'telephone_subscriber_number', 200],
  ['s', 'fax_country_code', 5],
  ['s', 'fax_area_code', 20],
  ['s', 'fax_subscriber_number', 200],
  ['s', 'website', 200],
  ['m', 'credit_limit'],
  ['r', 'country_code_id', (s) => s.tables.country_codes, 'Country code'],
  ['r', 'default_tax_code_id', (s) => s.tables.tax_codes, 'Tax code'],
  ['s', 'vat_number', 30],
  ['s', 'account_type', 20],
  ['n', 'early_settlement_discount_percent'],
  ['i', 'early_settlement_discount_days'],
  ['i', 'payment_terms_days'],
  ['s', 'payment_terms_basis', 20],
  ['s', 'trading_terms', 30],
  ['s', 'credit_reference', 60],
  ['d', 'account_opened'],
  ['d', 'last_credit_review'],
  ['d', 'next_credit_review'],
  ['d', 'application_date'],
  ['d', 'date_received'],
  ['b', 'terms_agreed'],
  ['s', 'order_priority', 1],
  ['i', 'months_to_keep_transactions'],
  ['s', 'default_nominal_code_reference', 8],
  ['s', 'default_nominal_code_cost_centre', 3],
  ['s', 'default_nominal_code_department', 3],
  ...analysis(),
  ...spare(),
];

export const CUSTOMER_FIELDS: FieldSpec[] = [
  ...TRADER,
  ['s', 'duns_code', 9],
  ['b', 'use_tax_code_as_default'],
  ['n', 'invoice_discount_percent'],
  ['n', 'invoice_line_discount_percent'],
];

export const SUPPLIER_FIELDS: FieldSpec[] = TRADER;

export const ADDRESS_FIELDS: FieldSpec[] = [
  ['s', 'address_1', 60],
  ['s', 'address_2', 60],
  ['s', 'address_3', 60],
  ['s', 'address_4', 60],
  ['s', 'city', 60],
  ['s', 'county', 60],
  ['s', 'postcode', 10],
  ['r', 'address_country_code_id', (s) => s.tables.country_codes, 'Country code'],
];

export const SUPPLIER_BANK_FIELDS: FieldSpec[] = [
  ['s', 'sort_code', 6],
  ['s', 'account_number', 20],
  ['s', 'account_name', 60],
  ['s', 'bank_payment_reference', 60],
  ['s', 'iban_number', 40],
  ['s', 'bic_number', 11],
  ['s', 'roll_number', 30],
  ['s', 'bacs_reference', 60],
  ['s', 'additional_reference', 255],
  ['s', 'non_uk_sort_code', 20],
  ['s', 'national_bank_identifier', 50],
];

export const NOMINAL_FIELDS: FieldSpec[] = [
  ['s', 'name', 60],
  ['s', 'account_status_type', 20],
  ['r', 'report_category_id', (s) => s.tables.nominal_report_categories, 'Nominal report category'],
  ['b', 'display_balances_in_selection_list'],
  ['b', 'allow_manual_journal_entries'],
  ['b', 'use_batch_postings'],
  ['i', 'periods_to_keep_transactions'],
  ...analysis(),
];

export const PRODUCT_FIELDS: FieldSpec[] = [
  ['s', 'name', 60],
  ['s', 'description', 1000],
  ['b', 'use_description_on_documents'],
  ['s', 'barcode', 60],
  ['b', 'allow_sales_order'],
  ['r', 'product_group_id', (s) => s.tables.product_groups, 'Product group'],
  ['r', 'tax_code_id', (s) => s.tables.tax_codes, 'Tax code'],
  ['s', 'product_status_type', 20],
  ['s', 'manufacturer', 60],
  ['s', 'part_number', 60],
  ['m', 'standard_cost'],
  ['s', 'commodity_code', 20],
  ['n', 'weight'],
  ...analysis(),
  ...spare(),
];

export const BANK_FIELDS: FieldSpec[] = [
  ['s', 'description', 60],
  ['s', 'sort_code', 10],
  ['s', 'account_no', 20],
  ['s', 'bank_name', 60],
  ['s', 'account_type', 20],
  ['s', 'account_status_type', 20],
  ['m', 'overdraft_limit'],
  ['s', 'account_name', 50],
  ['s', 'iban', 40],
  ['s', 'bic', 11],
  ['s', 'bank_charges_nominal_reference', 8],
  ['s', 'bank_charges_nominal_cost_centre', 3],
  ['s', 'bank_charges_nominal_department', 3],
  ['s', 'exchange_diff_nominal_reference', 8],
  ['s', 'exchange_diff_nominal_cost_centre', 3],
  ['s', 'exchange_diff_nominal_department', 3],
];

export const CODE_NAME_FIELDS: FieldSpec[] = [
  ['s', 'name', 60],
  ['s', 'contact_name', 200],
  ['s', 'contact_details', 235],
  ['s', 'contact_email_address', 200],
];

const STATUS_VALUES = ['AccountStatusActive', 'AccountStatusHidden'];

/** Validate the spec'd fields present in `body` and return them converted to stored form. */
export function readFields(s: BookState, body: Rec, specs: FieldSpec[], prefix = ''): Rec {
  const out: Rec = {};
  for (const spec of specs) {
    const f = spec[1];
    if (!(f in body)) continue;
    const label = prefix + f;
    const view = prefix ? { [label]: body[f] } : body;
    const key = prefix ? label : f;
    switch (spec[0]) {
      case 's':
        out[f] = str(view, key, spec[2]) ?? '';
        if (f === 'account_status_type' && !STATUS_VALUES.includes(out[f] as string))
          bad(`The ${label} value '${out[f]}' is not valid: use AccountStatusActive or AccountStatusHidden.`);
        break;
      case 'i':
        out[f] = int(view, key) ?? 0;
        break;
      case 'n':
        out[f] = num(view, key) ?? 0;
        break;
      case 'm':
        out[f] = money(toPennies(body[f], label));
        break;
      case 'b':
        out[f] = bool(view, key) ?? false;
        break;
      case 'd': {
        const d = day(view, key);
        out[f] = d === undefined ? null : sageDate(d);
        break;
      }
      case 'r':
        out[f] = ref(view, key, spec[2](s), spec[3]) ?? 0;
        break;
    }
  }
  return out;
}

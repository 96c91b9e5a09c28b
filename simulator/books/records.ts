// Sage-shaped master records with Sage's defaults, shared by the generator and the create endpoints.
import type { Rec } from './table.ts';

function analysisAndSpare(): Rec {
  const r: Rec = {};
  for (let i = 1; i <= 20; i++) r[`analysis_code_${i}`] = '';
  for (let i = 1; i <= 10; i++) r[`spare_text_${i}`] = '';
  for (let i = 1; i <= 10; i++) r[`spare_number_${i}`] = 0;
  for (let i = 1; i <= 5; i++) r[`spare_date_${i}`] = null;
  for (let i = 1; i <= 5; i++) r[`spare_bool_${i}`] = false;
  return r;
}

const TRADER_DEFAULTS: Rec = {
  short_name: '',
  on_hold: false,
  status_reason: '',
  account_status_type: 'AccountStatusActive',
  exchange_rate_type: 'ExchangeRateSingle',
  telephone_country_code: '',
  telephone_area_code: '',
  telephone_subscriber_number: '',
  fax_country_code: '',
  fax_area_code: '',
  fax_subscriber_number: '',
  website: '',
  credit_limit: 0,
  vat_number: '',
  account_type: 'TradingAccountTypeOpenItem',
  early_settlement_discount_percent: 0,
  early_settlement_discount_days: 0,
  payment_terms_days: 30,
  payment_terms_basis: 'PaymentDueFromDocumentDate',
  credit_bureau_id: 0,
  credit_position_id: 0,
  trading_terms: '',
  credit_reference: '',
  account_opened: null,
  last_credit_review: null,
  next_credit_review: null,
  application_date: null,
  date_received: null,
  terms_agreed: true,
  order_priority: '',
  months_to_keep_transactions: 0,
  default_nominal_code_cost_centre: '',
  default_nominal_code_department: '',
};

export function customerRecord(fields: Rec): Rec {
  return {
    reference: '',
    name: '',
    ...TRADER_DEFAULTS,
    duns_code: '',
    average_time_to_pay: 0,
    value_of_current_orders_in_sop: 0,
    finance_charge_id: 0,
    date_finance_charge_last_run: null,
    office_type: '',
    associated_head_office_id: 0,
    produce_statements_for_customer: true,
    is_head_office_with_branches: false,
    use_consolidated_billing: false,
    use_tax_code_as_default: false,
    default_nominal_code_reference: '4000',
    invoice_discount_percent: 0,
    invoice_line_discount_percent: 0,
    customer_discount_group_id: 0,
    order_value_discount_id: 0,
    price_band_id: 0,
    ...analysisAndSpare(),
    ...fields,
  };
}

export function supplierRecord(fields: Rec): Rec {
  return {
    reference: '',
    name: '',
    ...TRADER_DEFAULTS,
    payment_group_id: 0,
    factor_house_id: 0,
    value_of_current_orders_in_pop: 0,
    is_supplier_payments_enabled: false,
    default_nominal_code_reference: '5000',
    ...analysisAndSpare(),
    ...fields,
  };
}

export function addressRecord(fields: Rec): Rec {
  return {
    address_1: '',
    address_2: '',
    address_3: '',
    address_4: '',
    city: '',
    county: '',
    postcode: '',
    country: '',
    contact_name: '',
    address_country_code_id: 0,
    ...fields,
  };
}

export function contactRecord(fields: Rec): Rec {
  return {
    salutation_id: 0,
    first_name: '',
    middle_name: '',
    last_name: '',
    is_default: false,
    is_to_delete: false,
    salutation: null,
    emails: [],
    telephones: [],
    mobiles: [],
    faxes: [],
    websites: [],
    roles: [],
    ...fields,
  };
}

export function productRecord(fields: Rec): Rec {
  return {
    code: '',
    name: '',
    description: '',
    use_description_on_documents: false,
    barcode: '',
    allow_sales_order: true,
    free_stock_quantity: 0,
    product_status_type: 'ProductStatusActive',
    fulfilment_method_type: 'FulfilmentMethodFromStock',
    manufacturer: '',
    part_number: '',
    traceable_type: 'TraceableTypeNone',
    standard_cost: 0,
    average_buying_price: 0,
    commodity_code: '',
    weight: 0,
    use_reverse_charge_vat_rules: false,
    stock_nominal_code_id: 0,
    revenue_nominal_code_id: 0,
    accrual_nominal_code_id: 0,
    issue_nominal_code_id: 0,
    base_unit_id: 1,
    stock_unit_id: 1,
    has_alternative_products: false,
    has_cross_sell_products: false,
    has_preferred_supplier: false,
    memos: [],
    warehouse_holdings: [],
    suppliers: [],
    units: [],
    ...analysisAndSpare(),
    ...fields,
  };
}

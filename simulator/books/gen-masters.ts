// Generated master data: customers, suppliers (with contacts), product groups, warehouses and products.

import { TAX } from './chart.ts';
import { dayMs, stamp } from './dates.ts';
import {
  EU_SUFFIXES,
  FIRST_NAMES,
  IE_TOWNS,
  LAST_NAMES,
  PLACES,
  STREETS,
  SUFFIXES,
  TOWNS,
  TRADES,
  US_SUFFIXES,
} from './names.ts';
import { addressRecord, contactRecord, customerRecord, productRecord, supplierRecord } from './records.ts';
import type { Rng } from './rng.ts';
import type { BookState } from './state.ts';
import type { Rec } from './table.ts';

/** what a supplier sells us: drives the nominal account and tax code of its invoices */
export interface SupplierKind {
  reference: string;
  split: boolean;
  taxCodeId: number;
  min: number;
  max: number;
  weight: number;
}

export const SUPPLIER_KINDS: SupplierKind[] = [
  { reference: '5000', split: true, taxCodeId: TAX.standard, min: 150, max: 12000, weight: 40 },
  { reference: '5001', split: false, taxCodeId: TAX.standard, min: 400, max: 9000, weight: 12 },
  { reference: '5100', split: false, taxCodeId: TAX.standard, min: 40, max: 900, weight: 10 },
  { reference: '5200', split: false, taxCodeId: TAX.standard, min: 60, max: 1500, weight: 5 },
  { reference: '7200', split: false, taxCodeId: TAX.reduced, min: 300, max: 4000, weight: 5 },
  { reference: '7201', split: false, taxCodeId: TAX.reduced, min: 200, max: 2500, weight: 3 },
  { reference: '7502', split: false, taxCodeId: TAX.standard, min: 80, max: 900, weight: 4 },
  { reference: '7504', split: false, taxCodeId: TAX.standard, min: 20, max: 600, weight: 5 },
  { reference: '7600', split: false, taxCodeId: TAX.standard, min: 300, max: 6000, weight: 3 },
  { reference: '7601', split: false, taxCodeId: TAX.standard, min: 1500, max: 9000, weight: 1 },
  { reference: '7700', split: false, taxCodeId: TAX.standard, min: 100, max: 2500, weight: 4 },
  { reference: '7800', split: false, taxCodeId: TAX.standard, min: 80, max: 5000, weight: 5 },
  { reference: '7103', split: false, taxCodeId: TAX.exempt, min: 900, max: 3500, weight: 1 },
  { reference: '6201', split: false, taxCodeId: TAX.standard, min: 200, max: 5000, weight: 2 },
  { reference: '7010', split: false, taxCodeId: TAX.exempt, min: 150, max: 2500, weight: 2 },
];

export interface TraderMeta {
  id: number;
  currencyId: number;
  taxCodeId: number;
  eu: boolean;
  kind: number; // suppliers: index into SUPPLIER_KINDS
  terms: number;
  /** 0 = pays promptly .. 1 = slow payer */
  slowness: number;
}

export interface Masters {
  customers: TraderMeta[];
  suppliers: TraderMeta[];
  products: { id: number; price: number; taxCodeId: number; groupId: number }[];
  warehouses: number[];
}

/** a product's stock record in one warehouse (Sage's warehouse_holding, without its circular product object) */
function holding(p: Rec, warehouseId: number, warehouseName: string, st: string): Rec {
  const qty = p.free_stock_quantity as number;
  return {
    id: (p.id as number) * 10 + 1,
    warehouse_id: warehouseId,
    product_id: p.id,
    is_default_manufacturing_warehouse: true,
    reorder_level: 10,
    minimum_level: 5,
    maximum_level: 500,
    quantity_reserved: 0,
    confirmed_qty_in_stock: qty,
    unconfirmed_qty_in_stock: 0,
    quantity_in_stock: qty,
    quantity_in_stock_less_reserved: qty,
    quantity_on_order: 0,
    quantity_allocated_stock: 0,
    quantity_allocated_sop: 0,
    quantity_allocated_bom: 0,
    quantity_allocated: 0,
    free_stock_available: qty,
    free_stock_available_less_reserved: qty,
    warehouse_name: warehouseName,
    is_to_delete: false,
    bin_holdings: [],
    status: { delete_exception_type: 'None' },
    date_time_created: st,
    date_time_updated: st,
  };
}

export function generateMasters(s: BookState, rng: Rng, scale: number): Masters {
  const ie = s.company.profile === 'ireland';
  const nCustomers = Math.max(12, Math.round(240 * scale));
  const nSuppliers = Math.max(8, Math.round(110 * scale));
  const cur = (iso: string) => s.tables.currencies.find((c) => (c.currency_iso_code as Rec).code === iso)!.id as number;
  const country = (code: string) => s.tables.country_codes.find((c) => c.code === code)!.id as number;
  const usedRefs = new Set<string>();
  const usedNames = new Set<string>();
  let minute = 0;
  const setupStamp = () => stamp(s.setupMs + 60 * 60_000 + minute++ * 7_000);
  // some records were edited later in the history: updated stamps land before asOf
  const laterStamp = (created: string) =>
    rng.chance(0.25)
      ? stamp(dayMs(s.calendar.firstDay + rng.int(0, s.asOfDay - s.calendar.firstDay)) + rng.int(8, 17) * 3_600_000)
      : created;

  const makeTrader = (kind: 'customer' | 'supplier'): { rec: Rec; meta: Omit<TraderMeta, 'id'> } => {
    const r = rng.next();
    // currency mix: GBP companies trade mostly in GBP, the Irish company mostly in EUR
    const iso = ie ? (r < 0.72 ? 'EUR' : r < 0.93 ? 'GBP' : 'USD') : r < 0.87 ? 'GBP' : r < 0.95 ? 'EUR' : 'USD';
    const base = iso === s.company.baseCurrency;
    const suffix = base
      ? rng.pick(SUFFIXES)
      : iso === 'USD'
        ? rng.pick(US_SUFFIXES)
        : iso === 'EUR'
          ? rng.pick(EU_SUFFIXES)
          : 'Ltd';
    const place = rng.pick(PLACES);
    const trade = rng.pick(TRADES);
    let name = `${place} ${trade} ${suffix}`;
    for (let n = 2; usedNames.has(name); n++) name = `${place} ${trade} ${suffix} ${n}`;
    usedNames.add(name);
    const stem = (place.slice(0, 3) + trade.slice(0, 3)).toUpperCase();
    let ref = '';
    for (let n = 1; !ref || usedRefs.has(ref); n++)
      ref = `${stem}${n.toString(36).toUpperCase().padStart(2, '0')}`.slice(0, 8);
    usedRefs.add(ref);
    const countryCode = iso === 'USD' ? 'US' : iso === 'EUR' ? (ie ? 'IE' : rng.pick(['DE', 'FR', 'NL'])) : 'GB';
    const eu = !base && iso === 'EUR';
    const domestic = base;
    const taxCodeId =
      kind === 'customer'
        ? domestic
          ? TAX.standard
          : eu
            ? TAX.euSales
            : TAX.zero
        : domestic
          ? TAX.standard
          : eu
            ? TAX.euPurchases
            : TAX.zero;
    const [town, county, pc] = ie && domestic ? rng.pick(IE_TOWNS) : rng.pick(TOWNS);
    const created = setupStamp();
    const terms = rng.pick([14, 30, 30, 30, 45, 60]);
    const rec: Rec = {
      reference: ref,
      name,
      short_name: ref.slice(0, 8),
      currency_id: cur(iso),
      telephone_country_code: ie ? '+353' : '+44',
      telephone_area_code: String(rng.int(1100, 1999)).slice(0, 4),
      telephone_subscriber_number: `${rng.int(200, 999)} ${rng.int(1000, 9999)}`,
      website: `www.${place.toLowerCase()}${trade.toLowerCase()}.example`,
      credit_limit: rng.int(2, 50) * 1000,
      country_code_id: country(countryCode),
      default_tax_code_id: taxCodeId,
      vat_number: domestic ? (ie ? `IE${rng.int(1000000, 9999999)}X` : `GB${rng.int(100000000, 999999999)}`) : '',
      payment_terms_days: terms,
      account_opened: s.calendar.yearStart(0),
      date_time_created: created,
      date_time_updated: laterStamp(created),
      main_address: addressRecord({
        address_1: `${rng.int(1, 240)} ${rng.pick(STREETS)}`,
        city: town,
        county,
        postcode: `${pc}${rng.int(1, 28)} ${rng.int(1, 9)}${String.fromCharCode(65 + rng.int(0, 25))}${String.fromCharCode(65 + rng.int(0, 25))}`,
        country: s.tables.country_codes.get(country(countryCode))?.name ?? '',
        address_country_code_id: country(countryCode),
        date_time_created: created,
        date_time_updated: created,
      }),
    };
    return {
      rec,
      meta: {
        currencyId: cur(iso),
        taxCodeId,
        eu,
        kind: 0,
        terms,
        slowness: rng.next(),
      },
    };
  };

  const addContacts = (table: 'customer_contacts' | 'supplier_contacts', parentField: string, parent: Rec) => {
    const n = rng.chance(0.35) ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const created = parent.date_time_created as string;
      const domain = String(parent.website).replace(/^www\./, '');
      const contact = s.tables[table].insert(
        contactRecord({
          [parentField]: parent.id,
          name: `${first} ${last}`,
          first_name: first,
          last_name: last,
          default_telephone: '',
          default_email: '',
          is_default: k === 0,
          date_time_created: created,
          date_time_updated: created,
        }),
      );
      const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
      const email = `${local}@${domain}`;
      const phone = {
        country_code: parent.telephone_country_code,
        area_code: parent.telephone_area_code,
        subscriber_number: `${rng.int(200, 999)} ${rng.int(1000, 9999)}`,
      };
      const full = `${phone.country_code} ${phone.area_code} ${phone.subscriber_number}`;
      const contactField = table === 'customer_contacts' ? 'customer_contact_id' : 'supplier_contact_id';
      contact.emails = [
        {
          id: (contact.id as number) * 10 + 1,
          email,
          [contactField]: contact.id,
          is_default: true,
          is_to_delete: false,
          date_time_created: created,
          date_time_updated: created,
        },
      ];
      contact.telephones = [
        {
          id: (contact.id as number) * 10 + 2,
          full_number: full,
          ...phone,
          [contactField]: contact.id,
          is_default: true,
          is_to_delete: false,
          date_time_created: created,
          date_time_updated: created,
        },
      ];
      contact.default_email = email;
      contact.default_telephone = full;
    }
  };

  const customers: TraderMeta[] = [];
  for (let i = 0; i < nCustomers; i++) {
    const { rec, meta } = makeTrader('customer');
    const row = s.tables.customers.insert(customerRecord(rec));
    (row.main_address as Rec).id = row.id;
    (row.main_address as Rec).customer_id = row.id;
    addContacts('customer_contacts', 'customer_id', row);
    (row.main_address as Rec).contact_name = s.tables.customer_contacts.children(row.id as number)[0]?.name ?? '';
    customers.push({ id: row.id as number, ...meta });
  }
  const kindWeights = SUPPLIER_KINDS.map((k) => k.weight);
  const totalWeight = kindWeights.reduce((a, b) => a + b, 0);
  const suppliers: TraderMeta[] = [];
  for (let i = 0; i < nSuppliers; i++) {
    const { rec, meta } = makeTrader('supplier');
    let pickW = rng.next() * totalWeight;
    let kind = 0;
    while (pickW >= kindWeights[kind]) pickW -= kindWeights[kind++];
    const k = SUPPLIER_KINDS[kind];
    const created = rec.date_time_created as string;
    const domestic = meta.currencyId === s.baseCurrencyId;
    const row = s.tables.suppliers.insert(
      supplierRecord({
        ...rec,
        default_nominal_code_reference: k.reference,
        default_tax_code_id: domestic ? k.taxCodeId : meta.taxCodeId,
        bank: {
          sort_code: domestic && !ie ? `${rng.int(10, 99)}${rng.int(10, 99)}${rng.int(10, 99)}` : '',
          account_number: domestic && !ie ? String(rng.int(10000000, 99999999)) : '',
          account_name: String(rec.name).slice(0, 60),
          bank_payment_reference: s.company.companyName.slice(0, 18),
          iban_number:
            domestic && !ie
              ? ''
              : `${ie ? 'IE' : 'DE'}${rng.int(10, 99)}BANK${rng.int(10000000, 99999999)}${rng.int(1000, 9999)}`,
          bic_number: domestic && !ie ? '' : 'BANKDEFFXXX',
          roll_number: '',
          bacs_reference: '',
          additional_reference: '',
          non_uk_sort_code: '',
          national_bank_identifier: '',
          date_time_created: created,
          date_time_updated: created,
        },
      }),
    );
    (row.bank as Rec).id = row.id;
    (row.bank as Rec).supplier_id = row.id;
    (row.main_address as Rec).id = row.id;
    (row.main_address as Rec).supplier_id = row.id;
    addContacts('supplier_contacts', 'supplier_id', row);
    suppliers.push({ id: row.id as number, ...meta, kind, taxCodeId: domestic ? k.taxCodeId : meta.taxCodeId });
  }

  // stock: product groups, warehouses, products
  const groups: [string, string, string][] = [
    ['SPARES', 'Spare Parts', 'EnumStockItemTypeStock'],
    ['MACH', 'Machined Components', 'EnumStockItemTypeStock'],
    ['CONS', 'Consumables', 'EnumStockItemTypeStock'],
    ['SERV', 'Service Items', 'EnumStockItemTypeService'],
    ['DOCS', 'Manuals and Publications', 'EnumStockItemTypeStock'],
  ];
  const sales4010 = s.acct('4010');
  const stockAcct = s.acct('1001');
  const purch = s.acct('5000');
  for (const [code, description, type] of groups) {
    const st = setupStamp();
    s.tables.product_groups.insert({
      code,
      description,
      product_type: type,
      costing_method: 'CostingMethodAverage',
      stocktake_cycle_period: 0,
      label_printing_option_type: 'LabelPrintingOptionNone',
      keep_movement_history: true,
      can_levels_go_negative: false,
      can_over_allocate_negative_stock: false,
      use_description_on_documents: false,
      use_reverse_charge_vat_rules: false,
      do_items_use_units: false,
      this_is_the_sop_product_group: false,
      selling_quantities_use_multiple_units: false,
      selling_prices_use_multiple_units: false,
      buying_quantities_use_multiple_units: false,
      buying_prices_use_multiple_units: false,
      do_items_use_markup: false,
      use_landed_costs: false,
      landed_costs_type: 'LandedCostsTypeNone',
      landed_costs_percentage: 0,
      landed_costs_per_item: 0,
      traceable_type: 'TraceableTypeNone',
      sale_from_single_batch: false,
      allow_duplicate_numbers: false,
      uses_alternative_ref: false,
      uses_sell_by_date: false,
      uses_use_by_date: false,
      stock_nominal_code_id: stockAcct,
      revenue_nominal_code_id: sales4010,
      accrual_nominal_code_id: s.acct('2109'),
      issue_nominal_code_id: purch,
      base_unit_id: 1,
      stock_unit_id: 1,
      search_categories: [],
      units: [],
      date_time_created: st,
      date_time_updated: st,
    });
  }
  const warehouses: number[] = [];
  for (const [name, description] of [
    ['HOME', 'Main warehouse'],
    ['VANS', 'Service vans'],
  ]) {
    const st = setupStamp();
    const w = s.tables.warehouses.insert({
      name,
      description,
      warehouse_type: 'WarehouseTypeStandard',
      use_for_sales_trading: true,
      postal_name: s.company.companyName.slice(0, 60),
      address_1: name === 'HOME' ? 'Hadley Works, Station Road' : 'Unit 9, Station Road',
      address_2: '',
      address_3: '',
      address_4: '',
      city: ie ? 'Dublin' : 'Telford',
      county: '',
      postcode: ie ? 'D12 X2Y3' : 'TF1 6AA',
      country: ie ? 'Ireland' : 'United Kingdom',
      contact: '',
      telephone_number: '',
      fax_number: '',
      email: '',
      website: '',
      country_code_id: country(ie ? 'IE' : 'GB'),
      date_time_created: st,
      date_time_updated: st,
    });
    warehouses.push(w.id as number);
  }
  const items: [string, string, string, number, number][] = [
    ['BRG', 'Bearing', 'SPARES', 4, 180],
    ['SEAL', 'Hydraulic seal kit', 'SPARES', 8, 220],
    ['VALV', 'Control valve', 'MACH', 60, 1400],
    ['SHFT', 'Drive shaft', 'MACH', 90, 2600],
    ['GEAR', 'Spur gear', 'MACH', 35, 900],
    ['FLT', 'Filter element', 'CONS', 6, 120],
    ['OIL', 'Hydraulic oil 20L', 'CONS', 45, 160],
    ['SVC', 'Service visit', 'SERV', 180, 950],
    ['CAL', 'Calibration', 'SERV', 95, 600],
    ['MAN', 'Operator manual (printed)', 'DOCS', 25, 90],
  ];
  const products: Masters['products'] = [];
  const nProducts = Math.max(20, Math.round(60 * Math.sqrt(scale)));
  for (let i = 0; i < nProducts; i++) {
    const [prefix, label, group, min, max] = items[i % items.length];
    const variant = Math.floor(i / items.length) + 1;
    const groupId = s.tables.product_groups.find((g) => g.code === group)!.id as number;
    const price = rng.int(min * 100, max * 100);
    const taxCodeId = group === 'DOCS' ? TAX.zero : TAX.standard;
    const st = setupStamp();
    const code = `${prefix}-${String(1000 + variant * 37 + i).slice(-4)}`;
    const p = s.tables.products.insert(
      productRecord({
        code,
        name: `${label} ${String.fromCharCode(64 + variant)}${i}`.slice(0, 60),
        description: `${label}, type ${String.fromCharCode(64 + variant)}`,
        product_group_id: groupId,
        tax_code_id: taxCodeId,
        standard_cost: Math.round(price * 0.55) / 100,
        average_buying_price: Math.round(price * 0.57) / 100,
        stock_nominal_code_id: stockAcct,
        revenue_nominal_code_id: sales4010,
        issue_nominal_code_id: purch,
        free_stock_quantity: group === 'SERV' ? 0 : rng.int(0, 400),
        date_time_created: st,
        date_time_updated: st,
      }),
    );
    s.productPrice.set(p.id as number, price);
    if (group !== 'SERV') p.warehouse_holdings = [holding(p, warehouses[0], 'HOME', st)];

    products.push({ id: p.id as number, price, taxCodeId, groupId });
  }
  return { customers, suppliers, products, warehouses };
}

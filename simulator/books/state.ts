// Everything a book holds: master tables, the ledger, the calendar and lookups between them.
import type { DemoCompany } from '../demo.ts';
import { Calendar } from './calendar.ts';
import {
  ACCOUNTS,
  type CategoryType,
  COST_CENTRES,
  COUNTRY_CODES,
  CURRENCIES,
  DEPARTMENTS,
  REPORT_CATEGORIES,
  SPLITS,
  taxCodesFor,
} from './chart.ts';
import { dayMs, stamp } from './dates.ts';
import { Balances, Ledger } from './ledger.ts';
import { type Rec, Table } from './table.ts';

export const TABLES = [
  'company_details',
  'country_codes',
  'currencies',
  'tax_codes',
  'nominal_report_categories',
  'cost_centres',
  'departments',
  'nominal_codes',
  'banks',
  'customers',
  'customer_contacts',
  'suppliers',
  'supplier_contacts',
  'product_groups',
  'warehouses',
  'products',
  'sop_orders',
  'sop_order_lines',
  'pop_orders',
  'pop_order_lines',
] as const;
export type TableName = (typeof TABLES)[number];

const PARENT: Partial<Record<TableName, string>> = {
  customer_contacts: 'customer_id',
  supplier_contacts: 'supplier_id',
  sop_order_lines: 'sop_order_id',
  pop_order_lines: 'pop_order_id',
};

/** first id of each table (Sage ids are arbitrary; distinct ranges make mix-ups visible in tests) */
const FIRST_ID: Partial<Record<TableName, number>> = {
  customers: 1001,
  suppliers: 2001,
  customer_contacts: 5001,
  supplier_contacts: 7001,
  nominal_codes: 1,
  banks: 1,
  products: 301,
  sop_orders: 8001,
  sop_order_lines: 20001,
  pop_orders: 9001,
  pop_order_lines: 40001,
};

export class BookState {
  readonly tables = {} as Record<TableName, Table>;
  readonly calendar: Calendar;
  readonly ledger: Ledger;
  readonly baseCurrencyId: number;
  /** `${reference}|${cost_centre}|${department}` -> nominal code id */
  readonly nominalByKey = new Map<string, number>();
  /** currency id -> per-period exchange rate (currency units per base unit) */
  readonly rates = new Map<number, number[]>();
  readonly setupMs: number;
  /** product id -> selling price in pennies (Sage keeps prices in the price book, which we do not serve) */
  readonly productPrice = new Map<number, number>();

  constructor(
    readonly company: DemoCompany,
    readonly asOfDay: number,
  ) {
    this.calendar = new Calendar(asOfDay);
    this.ledger = new Ledger(new Balances(this.calendar.firstDay, this.calendar.periodOf, this.calendar.periods));
    for (const t of TABLES) this.tables[t] = new Table(t, FIRST_ID[t] ?? 1, PARENT[t]);
    this.setupMs = dayMs(this.calendar.firstDay - 30) + 9 * 3_600_000;
    this.baseCurrencyId = CURRENCIES.findIndex((c) => c.iso === company.baseCurrency) + 1;
    this.seedReference();
  }

  private readonly seqs = new Map<string, number>();

  /** per-book sequence numbers (document numbers): deterministic, never shared between books */
  nextSeq(name: string): number {
    const n = (this.seqs.get(name) ?? 0) + 1;
    this.seqs.set(name, n);
    return n;
  }

  stampAt(offsetMinutes: number): string {
    return stamp(this.setupMs + offsetMinutes * 60_000);
  }

  /** nominal code id for reference/cc/dept, or undefined */
  nominalId(reference: string, cc = '', dept = ''): number | undefined {
    return this.nominalByKey.get(`${reference}|${cc}|${dept}`);
  }

  /** nominal code id of a base account (no cost centre / department); throws when the chart lacks it */
  acct(reference: string, cc = '', dept = ''): number {
    const id = this.nominalId(reference, cc, dept);
    if (id === undefined) throw new Error(`chart has no ${reference}/${cc}/${dept}`);
    return id;
  }

  categoryTypeOfNominal(nominalId: number): { type: CategoryType; equity: boolean } {
    const n = this.tables.nominal_codes.get(nominalId);
    const cat = n ? this.tables.nominal_report_categories.get(n.report_category_id as number) : undefined;
    const type = (cat?.category_type_simple as CategoryType) ?? 'Asset';
    return { type, equity: typeof cat?.code === 'string' && cat.code.startsWith('CR') };
  }

  rate(currencyId: number, day: number): number {
    if (currencyId === this.baseCurrencyId) return 1;
    const r = this.rates.get(currencyId);
    if (!r) return 1;
    const p = Math.min(Math.max(this.calendar.periodOf(day), 0), r.length - 1);
    return r[p];
  }

  currency(currencyId: number): Rec | undefined {
    return this.tables.currencies.get(currencyId);
  }

  private seedReference(): void {
    const t = this.tables;
    const c = this.company;
    let m = 0;
    const stamps = () => {
      const s = this.stampAt(m++);
      return { date_time_created: s, date_time_updated: s };
    };
    const ie = c.profile === 'ireland';
    for (const cc of COUNTRY_CODES) {
      const { id: _id, ...rest } = cc;
      t.country_codes.insert({ ...rest, tax_mask: null, ...stamps() });
    }
    const country = (code: string) => t.country_codes.find((r) => r.code === code)!;
    const base = CURRENCIES.find((x) => x.iso === c.baseCurrency)!;
    for (const cur of CURRENCIES) {
      const perBase = Number((cur.perGbp / base.perGbp).toFixed(6));
      const id = t.currencies.insert({
        symbol: cur.symbol,
        name: cur.name,
        core_currency_rate: perBase,
        euro_currency_rate: Number((CURRENCIES[1].perGbp / cur.perGbp).toFixed(6)),
        is_base_currency: cur.iso === c.baseCurrency,
        is_euro_currency: cur.iso === 'EUR',
        use_for_new_accounts: cur.iso === c.baseCurrency,
        exchange_rate_type: 'ExchangeRateSingle',
        exchange_rate_amendability_type: 'ExchangeRateAmendable',
        currency_iso_code_id: cur.isoId,
        currency_iso_code: { id: cur.isoId, code: cur.iso, name: cur.isoName, ...stamps() },
        ...stamps(),
      }).id as number;
      // monthly rates wander a few percent around the central rate (deterministic, no RNG needed)
      const series: number[] = [];
      for (let p = 0; p < this.calendar.periods; p++) {
        const wobble = 1 + 0.025 * Math.sin(p / 4 + id) + 0.01 * Math.cos(p / 1.7);
        series.push(cur.iso === c.baseCurrency ? 1 : Number((perBase * wobble).toFixed(6)));
      }
      this.rates.set(id, series);
      const cur2 = t.currencies.get(id)!;
      cur2.core_currency_rate = series[this.calendar.periodOf(this.asOfDay)];
    }
    taxCodesFor(c.profile).forEach((tc) => {
      t.tax_codes.insert({
        code: tc.code,
        name: tc.name,
        tax_rate: tc.rate,
        terms: tc.terms,
        terms_description: tc.terms,
        is_notional_acquisition_tax: tc.notional === true,
        ...stamps(),
      });
    });
    for (const cat of REPORT_CATEGORIES) {
      const bs = cat.type === 'Asset' || cat.type === 'Liability';
      t.nominal_report_categories.insert({
        account_report_type: bs ? 'AccountReportTypeBalanceSheet' : 'AccountReportTypeProfitAndLoss',
        code: cat.code,
        description: cat.description,
        account_report_category_type: `ReportCategoryType${cat.type}`,
        category_type_simple: cat.type,
        ...stamps(),
      });
    }
    for (const x of COST_CENTRES)
      t.cost_centres.insert({
        code: x.code,
        name: x.name,
        contact_name: '',
        contact_details: '',
        contact_email_address: '',
        is_to_delete: false,
        ...stamps(),
      });
    for (const x of DEPARTMENTS)
      t.departments.insert({
        code: x.code,
        name: x.name,
        contact_name: '',
        contact_details: '',
        contact_email_address: '',
        is_to_delete: false,
        status: { delete_exception_type: 'None' },
        ...stamps(),
      });
    const catId = (code: string) => t.nominal_report_categories.find((r) => r.code === code)!.id as number;
    const ccId = (code: string) => (code ? (t.cost_centres.find((r) => r.code === code)!.id as number) : 0);
    const deptId = (code: string) => (code ? (t.departments.find((r) => r.code === code)!.id as number) : 0);
    for (const a of ACCOUNTS) {
      const combos: [string, string][] = a.split ? [['', ''], ...SPLITS] : [['', '']];
      for (const [cc, dept] of combos) {
        const name = ie && a.reference === '2202' ? 'VAT Liability (Revenue)' : a.name;
        const row = t.nominal_codes.insert(
          this.nominalRecord({
            name,
            reference: a.reference,
            cost_centre_id: ccId(cc),
            department_id: deptId(dept),
            report_category_id: catId(a.category),
            ...stamps(),
          }),
        );
        this.nominalByKey.set(`${a.reference}|${cc}|${dept}`, row.id as number);
      }
    }
    const banks: [string, string, string, string][] = [
      ['1200', 'Current Account', ie ? '90-14-37' : '40-11-62', 'CurrentAccount'],
      ['1210', 'Deposit Account', ie ? '90-14-38' : '40-11-63', 'DepositAccount'],
      ['1230', 'Petty Cash', '00-00-00', 'CashAccount'],
    ];
    for (const [code, description, sort, type] of banks) {
      t.banks.insert({
        code,
        description,
        sort_code: sort,
        account_no: code === '1230' ? '' : `${code}${String(this.company.companyId).padStart(4, '0')}`,
        bank_name: code === '1230' ? '' : ie ? 'Bank of Ireland' : 'Barclays Bank plc',
        account_type: type,
        account_status_type: 'AccountStatusActive',
        overdraft_limit: code === '1200' ? 25000 : 0,
        account_name: this.company.companyName.slice(0, 50),
        iban: '',
        bic: '',
        account_currency_id: this.baseCurrencyId,
        bank_account_nominal_reference: code,
        bank_account_nominal_cost_centre: '',
        bank_account_nominal_department: '',
        bank_charges_nominal_reference: '7901',
        bank_charges_nominal_cost_centre: '',
        bank_charges_nominal_department: '',
        exchange_diff_nominal_reference: '7950',
        exchange_diff_nominal_cost_centre: '',
        exchange_diff_nominal_department: '',
        bank_address: {
          id: t.banks.size + 1,
          contact: '',
          country: ie ? 'Ireland' : 'United Kingdom',
          address_1: ie ? '40 Mespil Road' : '1 Churchill Place',
          address_2: '',
          address_3: '',
          address_4: '',
          city: ie ? 'Dublin' : 'London',
          county: '',
          postcode: ie ? 'D04 C2N4' : 'E14 5HP',
          ...stamps(),
        },
        bank_contacts: [],
        emails: [],
        memos: [],
        websites: [],
        ...stamps(),
      });
    }
    const addr = ie
      ? { address_1: 'Unit 4, Ballymount Business Park', city: 'Dublin', county: 'Co. Dublin', postcode: 'D12 X2Y3' }
      : { address_1: 'Hadley Works, Station Road', city: 'Telford', county: 'Shropshire', postcode: 'TF1 6AA' };
    t.company_details.insert({
      name: c.companyName.slice(0, 60),
      telephone: ie ? '+353 1 555 0100' : '01952 555100',
      fax: '',
      email: `accounts@${c.siteShortName.toLowerCase()}.example`,
      website: `https://www.${c.siteShortName.toLowerCase()}.example`,
      tax_registration_number: ie ? 'IE6388047V' : `GB${String(100000000 + c.companyId * 7919).slice(0, 9)}`,
      years_accounts_held_for: this.calendar.years,
      country_code_id: country(ie ? 'IE' : 'GB').id,
      country_code: { ...country(ie ? 'IE' : 'GB') },
      eori_number: '',
      is_supplier_payments_enabled: false,
      address: {
        id: 1,
        ...addr,
        address_2: '',
        address_3: '',
        address_4: '',
        country: ie ? 'Ireland' : 'United Kingdom',
        ...stamps(),
      },
      ...stamps(),
    });
  }

  /** a nominal code record with Sage's defaults */
  nominalRecord(fields: Rec): Rec {
    return {
      name: '',
      reference: '',
      cost_centre_id: 0,
      department_id: 0,
      account_status_type: 'AccountStatusActive',
      report_category_id: 0,
      sofa_category_id: 0,
      display_balances_in_selection_list: true,
      allow_manual_journal_entries: true,
      use_batch_postings: false,
      periods_to_keep_transactions: 99,
      ...fields,
    };
  }
}

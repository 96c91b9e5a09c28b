// Master-data create/update/delete with Sage's validation: required fields, max lengths, foreign ids,
// uniqueness, and deletes refused while a record is in use.
import { TAX } from './chart.ts';
import { stamp } from './dates.ts';
import { SageError } from './errors.ts';
import {
  ADDRESS_FIELDS,
  BANK_FIELDS,
  CODE_NAME_FIELDS,
  CUSTOMER_FIELDS,
  NOMINAL_FIELDS,
  PRODUCT_FIELDS,
  readFields,
  SUPPLIER_BANK_FIELDS,
  SUPPLIER_FIELDS,
} from './fields.ts';
import { BANK, PURCHASE, SALES } from './ledger.ts';
import { createOrder, removeOrder, updateOrder } from './orders.ts';
import { addressRecord, contactRecord, customerRecord, productRecord, supplierRecord } from './records.ts';
import type { BookState } from './state.ts';
import type { Rec, Table } from './table.ts';
import { arr, bad, int, obj, ref, str } from './validate.ts';

export const MASTER_WRITES = new Set([
  'customers',
  'suppliers',
  'customer_contacts',
  'supplier_contacts',
  'nominal_codes',
  'products',
  'banks',
  'cost_centres',
  'departments',
  'sop_orders',
  'pop_orders',
]);

const LABEL: Record<string, string> = {
  customers: 'Customer',
  suppliers: 'Supplier',
  customer_contacts: 'Customer contact',
  supplier_contacts: 'Supplier contact',
  nominal_codes: 'Nominal code',
  products: 'Product',
  banks: 'Bank',
  cost_centres: 'Cost centre',
  departments: 'Department',
};

function notFound(resource: string, id: number): SageError {
  return new SageError(404, `${LABEL[resource] ?? resource} with id ${id} was not found.`);
}

function existing(s: BookState, resource: string, id: number): Rec {
  const rec = s.tables[resource as keyof BookState['tables']]?.get(id);
  if (!rec) throw notFound(resource, id);
  return rec;
}

export function createMaster(s: BookState, resource: string, body: Rec, now: Date): Rec {
  const ts = stamp(now.getTime());
  const stamps = { date_time_created: ts, date_time_updated: ts };
  switch (resource) {
    case 'customers':
    case 'suppliers':
      return createTrader(s, resource, body, stamps);
    case 'customer_contacts':
    case 'supplier_contacts': {
      const parentField = resource === 'customer_contacts' ? 'customer_id' : 'supplier_id';
      const parents = resource === 'customer_contacts' ? s.tables.customers : s.tables.suppliers;
      const parentId = ref(
        body,
        parentField,
        parents,
        LABEL[resource === 'customer_contacts' ? 'customers' : 'suppliers'],
        {
          required: true,
        },
      )!;
      return createContact(s, resource, parentField, parentId, body, stamps, false);
    }
    case 'nominal_codes':
      return createNominal(s, body, stamps);
    case 'products': {
      const code = str(body, 'code', 30, { required: true })!;
      str(body, 'name', 60, { required: true });
      ref(body, 'product_group_id', s.tables.product_groups, 'Product group', { required: true });
      if (s.tables.products.find((p) => p.code === code)) bad(`A product with code '${code}' already exists.`);
      const fields = readFields(s, body, PRODUCT_FIELDS);
      const group = s.tables.product_groups.get(fields.product_group_id as number)!;
      const rec = s.tables.products.insert(
        productRecord({
          code,
          tax_code_id: TAX.standard,
          stock_nominal_code_id: group.stock_nominal_code_id,
          revenue_nominal_code_id: group.revenue_nominal_code_id,
          issue_nominal_code_id: group.issue_nominal_code_id,
          ...fields,
          ...stamps,
        }),
      );
      return rec;
    }
    case 'banks':
      return createBank(s, body, stamps);
    case 'cost_centres':
    case 'departments': {
      const table = s.tables[resource];
      const code = str(body, 'code', 3, { required: true })!;
      if (table.find((r) => r.code === code))
        bad(`A ${resource === 'cost_centres' ? 'cost centre' : 'department'} with code '${code}' already exists.`);
      return table.insert({
        code,
        name: '',
        contact_name: '',
        contact_details: '',
        contact_email_address: '',
        is_to_delete: false,
        ...(resource === 'departments' ? { status: { delete_exception_type: 'None' } } : {}),
        ...readFields(s, body, CODE_NAME_FIELDS),
        ...stamps,
      });
    }
    case 'sop_orders':
    case 'pop_orders':
      return createOrder(s, resource === 'sop_orders' ? 'sop' : 'pop', body, now);
  }
  throw new SageError(404, `The resource '${resource}' does not support POST.`);
}

export function updateMaster(s: BookState, resource: string, id: number, body: Rec, now: Date): void {
  const ts = stamp(now.getTime());
  if (resource === 'sop_orders' || resource === 'pop_orders') {
    updateOrder(s, resource === 'sop_orders' ? 'sop' : 'pop', id, body, now);
    return;
  }
  const rec = existing(s, resource, id);
  const immutable = (field: string) => {
    if (body[field] !== undefined && body[field] !== rec[field])
      bad(`The ${field} of an existing ${(LABEL[resource] ?? resource).toLowerCase()} cannot be changed.`);
  };
  switch (resource) {
    case 'customers':
    case 'suppliers': {
      immutable('reference');
      if ('name' in body) str(body, 'name', 60, { required: true });
      Object.assign(rec, readFields(s, body, resource === 'customers' ? CUSTOMER_FIELDS : SUPPLIER_FIELDS));
      const addr = obj(body, 'main_address');
      if (addr)
        Object.assign(rec.main_address as Rec, readFields(s, addr, ADDRESS_FIELDS, 'main_address.'), {
          date_time_updated: ts,
        });
      if (resource === 'suppliers') {
        const b = obj(body, 'bank');
        if (b)
          Object.assign(rec.bank as Rec, readFields(s, b, SUPPLIER_BANK_FIELDS, 'bank.'), { date_time_updated: ts });
      }
      break;
    }
    case 'customer_contacts':
    case 'supplier_contacts':
      immutable(resource === 'customer_contacts' ? 'customer_id' : 'supplier_id');
      applyContact(s, resource, rec, body, ts);
      break;
    case 'nominal_codes':
      for (const f of ['reference', 'cost_centre_id', 'department_id']) immutable(f);
      Object.assign(rec, readFields(s, body, NOMINAL_FIELDS));
      break;
    case 'products':
      immutable('code');
      if ('name' in body) str(body, 'name', 60, { required: true });
      Object.assign(rec, readFields(s, body, PRODUCT_FIELDS));
      break;
    case 'banks':
      immutable('code');
      if ('sort_code' in body) str(body, 'sort_code', 10, { required: true });
      Object.assign(rec, readFields(s, body, BANK_FIELDS));
      break;
    case 'cost_centres':
    case 'departments':
      immutable('code');
      Object.assign(rec, readFields(s, body, CODE_NAME_FIELDS));
      break;
  }
  rec.date_time_updated = ts;
}

export function removeMaster(s: BookState, resource: string, id: number, _now: Date): void {
  if (resource === 'sop_orders' || resource === 'pop_orders') {
    removeOrder(s, resource === 'sop_orders' ? 'sop' : 'pop', id);
    return;
  }
  const rec = existing(s, resource, id);
  const L = s.ledger;
  const inUse = (why: string) =>
    bad(`The ${(LABEL[resource] ?? resource).toLowerCase()} cannot be deleted because ${why}.`);
  switch (resource) {
    case 'customers':
    case 'suppliers': {
      const ledger = resource === 'customers' ? SALES : PURCHASE;
      if (L.traderBalance[ledger].has(id)) inUse('it has posted transactions');
      const orders = resource === 'customers' ? s.tables.sop_orders : s.tables.pop_orders;
      const field = resource === 'customers' ? 'customer_id' : 'supplier_id';
      if (orders.find((o) => o[field] === id)) inUse('it has sales or purchase orders');
      const contacts = resource === 'customers' ? s.tables.customer_contacts : s.tables.supplier_contacts;
      for (const c of contacts.children(id)) contacts.delete(c.id as number);
      break;
    }
    case 'nominal_codes': {
      if (L.balances.has(id)) inUse('it has postings');
      const key = `${rec.reference}|${s.tables.cost_centres.get(rec.cost_centre_id as number)?.code ?? ''}|${s.tables.departments.get(rec.department_id as number)?.code ?? ''}`;
      if (s.tables.banks.find((b) => b.bank_account_nominal_reference === rec.reference))
        inUse('a bank account uses it');
      s.nominalByKey.delete(key);
      break;
    }
    case 'products': {
      if (
        s.tables.sop_order_lines.find((l) => l.product_id === id) ||
        s.tables.pop_order_lines.find((l) => l.product_id === id)
      )
        inUse('it is used on orders');
      for (let i = 0; i < L.lTx.length; i++) if (L.lProduct.get(i) === id) inUse('it has been invoiced');
      break;
    }
    case 'banks':
      if (L.bankBalance.has(id) || hasRows(s, id)) inUse('it has transactions');
      break;
    case 'cost_centres':
    case 'departments': {
      const field = resource === 'cost_centres' ? 'cost_centre_id' : 'department_id';
      if (s.tables.nominal_codes.find((n) => n[field] === id)) inUse('nominal codes use it');
      break;
    }
  }
  (s.tables[resource as keyof BookState['tables']] as Table).delete(id);
}

function hasRows(s: BookState, bankId: number): boolean {
  const L = s.ledger;
  const rows = L.rows[BANK];
  for (let i = 0; i < rows.length; i++) if (L.account.get(rows.get(i)) === bankId) return true;
  return false;
}

function createTrader(s: BookState, resource: 'customers' | 'suppliers', body: Rec, stamps: Rec): Rec {
  const table = s.tables[resource];
  const reference = str(body, 'reference', 8, { required: true })!;
  const name = str(body, 'name', 60, { required: true })!;
  if (table.find((r) => r.reference === reference))
    bad(`A ${resource === 'customers' ? 'customer' : 'supplier'} with reference '${reference}' already exists.`);
  const fields = readFields(s, body, resource === 'customers' ? CUSTOMER_FIELDS : SUPPLIER_FIELDS);
  const addrBody = obj(body, 'main_address') ?? {};
  const address = readFields(s, addrBody, ADDRESS_FIELDS, 'main_address.');
  const contacts = arr(body, 'contacts') ?? [];
  if (contacts.length > 1)
    bad('Only one contact can be provided when creating an account: add more through the contacts resource.');
  const base = {
    reference,
    name,
    currency_id: s.baseCurrencyId,
    default_tax_code_id: TAX.standard,
    country_code_id: 0,
    ...fields,
  };
  const country = s.tables.country_codes.get(
    (address.address_country_code_id as number) || (base.country_code_id as number),
  );
  const mainAddress = addressRecord({ ...address, country: country?.name ?? '', ...stamps });
  const rec =
    resource === 'customers'
      ? table.insert(customerRecord({ ...base, main_address: mainAddress, ...stamps }))
      : table.insert(
          supplierRecord({
            ...base,
            main_address: mainAddress,
            bank: {
              sort_code: '',
              account_number: '',
              account_name: '',
              bank_payment_reference: '',
              iban_number: '',
              bic_number: '',
              roll_number: '',
              bacs_reference: '',
              additional_reference: '',
              non_uk_sort_code: '',
              national_bank_identifier: '',
              ...readFields(s, obj(body, 'bank') ?? {}, SUPPLIER_BANK_FIELDS, 'bank.'),
              ...stamps,
            },
            ...stamps,
          }),
        );
  const parentField = resource === 'customers' ? 'customer_id' : 'supplier_id';
  Object.assign(rec.main_address as Rec, { id: rec.id, [parentField]: rec.id });
  if (resource === 'suppliers') Object.assign(rec.bank as Rec, { id: rec.id, supplier_id: rec.id });
  if (contacts[0]) {
    const contactTable = resource === 'customers' ? 'customer_contacts' : 'supplier_contacts';
    const c = createContact(s, contactTable, parentField, rec.id as number, contacts[0], stamps, true, 'contacts[0].');
    (rec.main_address as Rec).contact_name = c.name;
  }
  return rec;
}

function createContact(
  s: BookState,
  resource: 'customer_contacts' | 'supplier_contacts',
  parentField: string,
  parentId: number,
  body: Rec,
  stamps: Rec,
  isDefault: boolean,
  prefix = '',
): Rec {
  const table = s.tables[resource];
  const first = str(body, 'first_name', 60) ?? '';
  const last = str(body, 'last_name', 60) ?? '';
  if (!first && !last) bad(`The ${prefix}first_name or ${prefix}last_name field is required.`);
  const rec = table.insert(
    contactRecord({
      [parentField]: parentId,
      first_name: first,
      middle_name: str(body, 'middle_name', 60) ?? '',
      last_name: last,
      salutation_id: int(body, 'salutation_id') ?? 0,
      is_default: isDefault || table.children(parentId).length === 0,
      ...stamps,
    }),
  );
  applyContact(s, resource, rec, body, stamps.date_time_updated as string, prefix);
  return rec;
}

/** names, emails and telephones of a contact; nested items follow Sage's id / is_to_delete rules */
function applyContact(s: BookState, resource: string, rec: Rec, body: Rec, ts: string, prefix = ''): void {
  for (const f of ['first_name', 'middle_name', 'last_name']) {
    const v = str(body, f, 60);
    if (v !== undefined) rec[f] = v;
  }
  rec.name = [rec.first_name, rec.middle_name, rec.last_name].filter(Boolean).join(' ');
  const owner = resource === 'customer_contacts' ? 'customer_contact_id' : 'supplier_contact_id';
  const merge = (field: 'emails' | 'telephones', build: (item: Rec, at: string) => Rec) => {
    const items = arr(body, field);
    if (!items) return;
    const list = rec[field] as Rec[];
    items.forEach((item, i) => {
      const at = `${prefix}${field}[${i}].`;
      const id = int(item, 'id');
      if (id) {
        const idx = list.findIndex((x) => x.id === id);
        if (idx < 0) bad(`The ${at}id ${id} was not found on this contact.`);
        if (item.is_to_delete === true) list.splice(idx, 1);
        else Object.assign(list[idx], build(item, at), { date_time_updated: ts });
      } else {
        list.push({
          id: 10_000_000 + s.nextSeq('contact_item'),
          [owner]: rec.id,
          is_default: list.length === 0,
          is_to_delete: false,
          ...build(item, at),
          date_time_created: ts,
          date_time_updated: ts,
        });
      }
    });
  };
  merge('emails', (item, at) => {
    const email = str({ [`${at}email`]: item.email }, `${at}email`, 227, { required: true })!;
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) bad(`The ${at}email value '${email}' is not a valid email address.`);
    return { email, ...(typeof item.is_default === 'boolean' ? { is_default: item.is_default } : {}) };
  });
  merge('telephones', (item, at) => {
    const t: Rec = {};
    for (const [f, max] of [
      ['country_code', 5],
      ['area_code', 20],
      ['subscriber_number', 200],
    ] as const) {
      const v = str({ [`${at}${f}`]: item[f] }, `${at}${f}`, max);
      if (v !== undefined) t[f] = v;
    }
    if (!t.subscriber_number) bad(`The ${at}subscriber_number field is required.`);
    t.full_number = [t.country_code, t.area_code, t.subscriber_number].filter(Boolean).join(' ');
    return t;
  });
  const emails = rec.emails as Rec[];
  const phones = rec.telephones as Rec[];
  rec.default_email = (emails.find((e) => e.is_default) ?? emails[0])?.email ?? '';
  rec.default_telephone = (phones.find((e) => e.is_default) ?? phones[0])?.full_number ?? '';
  rec.date_time_updated = ts;
}

function createNominal(s: BookState, body: Rec, stamps: Rec): Rec {
  const reference = str(body, 'reference', 8, { required: true })!;
  ref(body, 'report_category_id', s.tables.nominal_report_categories, 'Nominal report category', { required: true });
  const ccId = ref(body, 'cost_centre_id', s.tables.cost_centres, 'Cost centre') ?? 0;
  const deptId = ref(body, 'department_id', s.tables.departments, 'Department') ?? 0;
  const cc = ccId ? (s.tables.cost_centres.get(ccId)!.code as string) : '';
  const dept = deptId ? (s.tables.departments.get(deptId)!.code as string) : '';
  if (s.nominalId(reference, cc, dept) !== undefined)
    bad(`A nominal code with reference '${reference}', cost centre '${cc}' and department '${dept}' already exists.`);
  const rec = s.tables.nominal_codes.insert(
    s.nominalRecord({
      reference,
      cost_centre_id: ccId,
      department_id: deptId,
      ...readFields(s, body, NOMINAL_FIELDS),
      ...stamps,
    }),
  );
  s.nominalByKey.set(`${reference}|${cc}|${dept}`, rec.id as number);
  return rec;
}

function createBank(s: BookState, body: Rec, stamps: Rec): Rec {
  const code = str(body, 'code', 8, { required: true })!;
  str(body, 'sort_code', 10, { required: true });
  if (s.tables.banks.find((b) => b.code === code)) bad(`A bank account with code '${code}' already exists.`);
  const nominalRef = str(body, 'bank_account_nominal_reference', 8) || code;
  const cc = str(body, 'bank_account_nominal_cost_centre', 3) ?? '';
  const dept = str(body, 'bank_account_nominal_department', 3) ?? '';
  const currency = ref(body, 'account_currency_id', s.tables.currencies, 'Currency') ?? s.baseCurrencyId;
  if (currency !== s.baseCurrencyId)
    bad('Only base-currency bank accounts are supported by this simulator (see docs/simulator-books.md).');
  // Sage needs a nominal account behind every bank: create one under Bank and Cash when the code is new
  if (s.nominalId(nominalRef, cc, dept) === undefined) {
    if (cc || dept) bad(`Nominal code ${nominalRef}/${cc}/${dept} was not found.`);
    const cat = s.tables.nominal_report_categories.find((c) => c.code === 'CA03')!;
    const n = s.tables.nominal_codes.insert(
      s.nominalRecord({
        reference: nominalRef,
        name: str(body, 'description', 60) ?? code,
        report_category_id: cat.id,
        ...stamps,
      }),
    );
    s.nominalByKey.set(`${nominalRef}||`, n.id as number);
  }
  return s.tables.banks.insert({
    code,
    description: '',
    account_no: '',
    bank_name: '',
    account_type: 'CurrentAccount',
    account_status_type: 'AccountStatusActive',
    overdraft_limit: 0,
    account_name: '',
    iban: '',
    bic: '',
    account_currency_id: currency,
    bank_account_nominal_reference: nominalRef,
    bank_account_nominal_cost_centre: cc,
    bank_account_nominal_department: dept,
    bank_charges_nominal_reference: '7901',
    bank_charges_nominal_cost_centre: '',
    bank_charges_nominal_department: '',
    exchange_diff_nominal_reference: '7950',
    exchange_diff_nominal_cost_centre: '',
    exchange_diff_nominal_department: '',
    ...readFields(s, body, BANK_FIELDS),
    bank_address: null,
    bank_contacts: [],
    emails: [],
    memos: [],
    websites: [],
    ...stamps,
  });
}

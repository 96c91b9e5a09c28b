import { beforeEach, describe, expect, it } from 'vitest';
import { type Book, SageError } from './index.ts';
import { all, p, smallBook } from './test-helpers.ts';

type Row = Record<string, unknown>;
const NOW = new Date('2026-10-20T10:15:00.000Z');

function fails(fn: () => unknown, status: number, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SageError);
    expect((e as SageError).status).toBe(status);
    expect((e as SageError).message).toMatch(message);
    return;
  }
  throw new Error(`expected a SageError ${status} ${message}`);
}

function nominal(book: Book, reference: string, cc = '', dept = ''): Row {
  return all(book, 'nominal_codes').find(
    (n) => n.reference === reference && n.cost_centre_code === cc && n.department_code === dept,
  )!;
}

function last(book: Book, resource: string): Row {
  const c = book.collection(resource)!;
  return c.get(c.size())!;
}

let book: Book;
beforeEach(() => {
  book = smallBook('normal', 0.1, 3);
});

describe('master data writes', () => {
  it('creates, updates and deletes a customer with Sage defaults and stamps', () => {
    const c = book.create(
      'customers',
      {
        reference: 'NEWCO01',
        name: 'New Co Ltd',
        credit_limit: 5000,
        main_address: { address_1: '1 New Street', city: 'Leeds', postcode: 'LS1 1AA' },
        contacts: [{ first_name: 'Ann', last_name: 'Lee', emails: [{ email: 'ann@newco.example' }] }],
      },
      NOW,
    );
    expect(c).toMatchObject({
      reference: 'NEWCO01',
      name: 'New Co Ltd',
      balance: 0,
      credit_limit: 5000,
      currency_id: 1,
    });
    expect(c.date_time_created).toBe(NOW.toISOString());
    expect((c.main_address as Row).city).toBe('Leeds');
    const contacts = c.contacts as Row[];
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ name: 'Ann Lee', default_email: 'ann@newco.example', customer_id: c.id });
    expect(book.collection('customer_contacts')!.get(contacts[0].id as number)).toBeDefined();

    const later = new Date('2026-10-21T09:00:00Z');
    const u = book.update('customers', c.id as number, { name: 'New Co Group Ltd', on_hold: true }, later);
    expect(u).toMatchObject({ name: 'New Co Group Ltd', on_hold: true, date_time_updated: later.toISOString() });
    expect(u.date_time_created).toBe(NOW.toISOString());

    book.remove('customers', c.id as number, later);
    expect(book.collection('customers')!.get(c.id as number)).toBeUndefined();
    expect(book.collection('customer_contacts')!.get(contacts[0].id as number)).toBeUndefined();
  });

  it('validates customers as Sage does', () => {
    fails(() => book.create('customers', { name: 'X' }, NOW), 400, /reference field is required/);
    fails(
      () => book.create('customers', { reference: 'TOOLONGREF', name: 'X' }, NOW),
      400,
      /reference must be a string with a maximum length of 8/,
    );
    fails(
      () => book.create('customers', { reference: 'OK1', name: 'N'.repeat(61) }, NOW),
      400,
      /name must be a string with a maximum length of 60/,
    );
    const existing = all(book, 'customers')[0];
    fails(() => book.create('customers', { reference: existing.reference, name: 'Dup' }, NOW), 400, /already exists/);
    fails(
      () => book.create('customers', { reference: 'OK2', name: 'X', currency_id: 99 }, NOW),
      400,
      /Currency with currency_id 99 was not found/,
    );
    fails(
      () =>
        book.create(
          'customers',
          { reference: 'OK3', name: 'X', contacts: [{ first_name: 'a' }, { first_name: 'b' }] },
          NOW,
        ),
      400,
      /Only one contact/,
    );
    fails(
      () => book.update('customers', existing.id as number, { reference: 'CHANGED' }, NOW),
      400,
      /reference of an existing customer cannot be changed/,
    );
    fails(() => book.update('customers', 999_999, { name: 'x' }, NOW), 404, /Customer with id 999999 was not found/);
    fails(
      () => book.remove('customers', existing.id as number, NOW),
      400,
      /cannot be deleted because it has posted transactions/,
    );
  });

  it('manages contacts with emails and telephones (id / is_to_delete on nested items)', () => {
    const customer = all(book, 'customers')[1];
    const c = book.create(
      'customer_contacts',
      {
        customer_id: customer.id,
        first_name: 'Bo',
        telephones: [{ area_code: '0113', subscriber_number: '496 0000' }],
      },
      NOW,
    );
    expect(c).toMatchObject({ name: 'Bo', default_telephone: '0113 496 0000', is_default: false });
    const withEmail = book.update('customer_contacts', c.id as number, { emails: [{ email: 'bo@x.example' }] }, NOW);
    const emailId = (withEmail.emails as Row[])[0].id;
    expect(withEmail.default_email).toBe('bo@x.example');
    const without = book.update(
      'customer_contacts',
      c.id as number,
      { emails: [{ id: emailId, is_to_delete: true }] },
      NOW,
    );
    expect(without.emails).toEqual([]);
    const parent = book.collection('customers')!.get(customer.id as number)!;
    expect((parent.contacts as Row[]).map((x) => x.id)).toContain(c.id);
    fails(
      () => book.create('customer_contacts', { customer_id: 1, first_name: 'x' }, NOW),
      400,
      /Customer with customer_id 1 was not found/,
    );
    fails(
      () => book.update('customer_contacts', c.id as number, { emails: [{ email: 'not-an-email' }] }, NOW),
      400,
      /not a valid email/,
    );
  });

  it('creates suppliers with a bank object, nominal codes, products, banks, cost centres and departments', () => {
    const s = book.create(
      'suppliers',
      { reference: 'SUPNEW', name: 'Supplies Ltd', bank: { sort_code: '401162', account_number: '12345678' } },
      NOW,
    );
    expect(s.bank).toMatchObject({ sort_code: '401162', account_number: '12345678', supplier_id: s.id });
    fails(
      () => book.create('suppliers', { reference: 'S2', name: 'x', bank: { sort_code: '1234567' } }, NOW),
      400,
      /bank.sort_code must be a string with a maximum length of 6/,
    );

    const cat = all(book, 'nominal_report_categories').find((c) => c.code === 'OH04')!;
    const n = book.create('nominal_codes', { reference: '7505', name: 'Software', report_category_id: cat.id }, NOW);
    expect(n).toMatchObject({ reference: '7505', balance_year_to_date: 0, report_category: { code: 'OH04' } });
    fails(() => book.create('nominal_codes', { reference: '7506' }, NOW), 400, /report_category_id field is required/);
    fails(
      () => book.create('nominal_codes', { reference: '7505', report_category_id: cat.id }, NOW),
      400,
      /already exists/,
    );
    fails(() => book.remove('nominal_codes', nominal(book, '1200').id as number, NOW), 400, /has postings/);
    book.remove('nominal_codes', n.id as number, NOW);

    const group = all(book, 'product_groups')[0];
    const prod = book.create('products', { code: 'NEW-1', name: 'New thing', product_group_id: group.id }, NOW);
    expect(prod).toMatchObject({ code: 'NEW-1', tax_code_id: 2, product_group: { id: group.id } });
    fails(() => book.create('products', { code: 'NEW-2', name: 'x' }, NOW), 400, /product_group_id field is required/);

    const bank = book.create('banks', { code: '1240', sort_code: '20-00-00', description: 'Savings' }, NOW);
    expect(bank).toMatchObject({ code: '1240', balance: 0, bank_account_nominal_reference: '1240' });
    expect(nominal(book, '1240')).toMatchObject({ name: 'Savings' });
    fails(() => book.create('banks', { code: '1241' }, NOW), 400, /sort_code field is required/);
    fails(() => book.remove('banks', 1, NOW), 400, /has transactions/);
    book.remove('banks', bank.id as number, NOW);

    const cc = book.create('cost_centres', { code: '04', name: 'Projects' }, NOW);
    expect(cc).toMatchObject({ code: '04', name: 'Projects' });
    fails(
      () => book.create('cost_centres', { code: '0404' }, NOW),
      400,
      /code must be a string with a maximum length of 3/,
    );
    fails(() => book.remove('cost_centres', 1, NOW), 400, /nominal codes use it/);
    const dept = book.create('departments', { code: '9', name: 'R&D' }, NOW);
    book.remove('departments', dept.id as number, NOW);
    expect(book.collection('departments')!.get(dept.id as number)).toBeUndefined();
  });

  it('updates products, nominal codes, banks, cost centres and purchase orders; refuses deletes in use', () => {
    const later = new Date('2026-10-22T08:00:00Z');
    const product = all(book, 'products')[0];
    expect(
      book.update('products', product.id as number, { name: 'Renamed part', tax_code_id: 1 }, later),
    ).toMatchObject({
      name: 'Renamed part',
      tax_code_id: 1,
      tax_code: { id: 1 },
      date_time_updated: later.toISOString(),
    });
    fails(
      () => book.update('products', product.id as number, { code: 'OTHER' }, later),
      400,
      /code of an existing product cannot be changed/,
    );
    fails(
      () => book.update('products', product.id as number, { tax_code_id: 99 }, later),
      400,
      /Tax code with tax_code_id 99 was not found/,
    );
    const n = nominal(book, '7502');
    expect(book.update('nominal_codes', n.id as number, { name: 'Telephone and Internet' }, later)).toMatchObject({
      name: 'Telephone and Internet',
      balance_year_to_date: n.balance_year_to_date,
    });
    fails(
      () => book.update('nominal_codes', n.id as number, { reference: '7503' }, later),
      400,
      /reference of an existing nominal code cannot be changed/,
    );
    fails(
      () => book.update('nominal_codes', n.id as number, { account_status_type: 'Closed' }, later),
      400,
      /AccountStatusActive or AccountStatusHidden/,
    );
    expect(
      book.update('banks', 1, { description: 'Main current account', overdraft_limit: 50000 }, later),
    ).toMatchObject({ description: 'Main current account', overdraft_limit: 50000 });
    expect(book.update('cost_centres', 1, { name: 'Works' }, later)).toMatchObject({ code: '01', name: 'Works' });
    fails(
      () => book.update('cost_centres', 1, { code: '09' }, later),
      400,
      /code of an existing cost centre cannot be changed/,
    );
    const po = all(book, 'pop_orders')[0];
    const line = (po.lines as Row[])[0];
    const upd = book.update(
      'pop_orders',
      po.id as number,
      { supplier_document_no: 'SUP-1', lines: [{ id: line.id, line_quantity: 2, unit_buying_price: 3 }] },
      later,
    );
    expect(upd.supplier_document_no).toBe('SUP-1');
    expect((upd.lines as Row[])[0]).toMatchObject({ line_quantity: 2, unit_buying_price: 3, line_total_value: 6 });
    fails(
      () => book.remove('products', line.product_id as number, later),
      400,
      /cannot be deleted because it is used on orders/,
    );
    fails(() => book.remove('pop_orders', 12345, later), 404, /Purchase order with id 12345 was not found/);
    fails(() => book.update('tax_codes', 1, { name: 'x' }, later), 404, /does not support PUT/);
  });

  it('prices SOP and POP orders: line tax from tax_code_id, order totals, line updates and deletes', () => {
    const customer = all(book, 'customers').find((c) => c.currency_id === 1)!;
    const product = all(book, 'products')[0];
    const warehouse = all(book, 'warehouses')[0];
    const order = book.create(
      'sop_orders',
      {
        customer_id: customer.id,
        customer_document_no: 'PO-77',
        lines: [
          {
            line_type: 'EnumLineTypeStandard',
            product_id: product.id,
            warehouse_id: warehouse.id,
            line_quantity: 4,
            selling_unit_price: 10,
            tax_code_id: 2,
          },
          {
            line_type: 'EnumLineTypeStandard',
            product_id: product.id,
            warehouse_id: warehouse.id,
            line_quantity: 2,
            selling_unit_price: 7.5,
            tax_code_id: 5,
          },
          {
            line_type: 'EnumLineTypeCharge',
            code: 'Carriage',
            description: 'Delivery',
            line_quantity: 1,
            selling_unit_price: 4.99,
            tax_code_id: 2,
          },
        ],
      },
      NOW,
    );
    const lines = order.lines as Row[];
    expect(lines.map((l) => [l.line_total_value, l.line_tax_value])).toEqual([
      [40, 8],
      [15, 0.75],
      [4.99, 1],
    ]);
    expect(order).toMatchObject({
      subtotal_goods_value: 55,
      subtotal_charge_net_value: 4.99,
      total_net_value: 59.99,
      total_tax_value: 9.75,
      total_gross_value: 69.74,
      document_status: 'EnumDocumentStatusLive',
    });
    expect(String(order.document_no)).toMatch(/^SO\d+/);
    expect(book.collection('sop_order_lines')!.get(lines[0].id as number)).toMatchObject({ sop_order_id: order.id });

    const upd = book.update(
      'sop_orders',
      order.id as number,
      {
        lines: [
          { id: lines[0].id, line_quantity: 10 },
          { id: lines[2].id, is_to_delete: true },
        ],
      },
      NOW,
    );
    expect(upd).toMatchObject({ total_net_value: 115, total_tax_value: 20.75, total_gross_value: 135.75 });
    expect(upd.lines).toHaveLength(2);

    fails(
      () =>
        book.create(
          'sop_orders',
          {
            customer_id: customer.id,
            lines: [{ line_type: 'EnumLineTypeStandard', warehouse_id: warehouse.id, line_quantity: 1 }],
          },
          NOW,
        ),
      400,
      /lines\[0\].product_id field is required/,
    );
    fails(() => book.create('sop_orders', { customer_id: customer.id, document_no: 'X1' }, NOW), 400, /document_no/);
    const other = all(book, 'warehouses').find((w) => w.id !== warehouse.id)!;
    fails(
      () =>
        book.create(
          'sop_orders',
          {
            customer_id: customer.id,
            lines: [
              { line_type: 'EnumLineTypeStandard', product_id: product.id, warehouse_id: other.id, line_quantity: 1 },
            ],
          },
          NOW,
        ),
      400,
      /is not held in warehouse/,
    );
    expect((product.warehouse_holdings as Row[])[0]).toMatchObject({
      warehouse_id: warehouse.id,
      product_id: product.id,
    });
    fails(() => book.create('sop_orders', { customer_id: 42 }, NOW), 400, /Customer with customer_id 42 was not found/);
    fails(() => book.remove('customers', customer.id as number, NOW), 400, /cannot be deleted/);

    const supplier = all(book, 'suppliers')[0];
    const po = book.create(
      'pop_orders',
      {
        supplier_id: supplier.id,
        lines: [
          {
            line_type: 'EnumLineTypeStandard',
            product_id: product.id,
            warehouse_id: warehouse.id,
            line_quantity: 3,
            unit_buying_price: 2.5,
            tax_code_id: 2,
          },
        ],
      },
      NOW,
    );
    expect(po).toMatchObject({ total_net_value: 7.5, total_tax_value: 1.5, total_gross_value: 9 });
    book.remove('sop_orders', order.id as number, NOW);
    expect(book.collection('sop_order_lines')!.get(lines[0].id as number)).toBeUndefined();
  });
});

describe('ledger postings', () => {
  it('posts a sales invoice: URN, posted transaction, balanced postings, balances, views', () => {
    const customer = all(book, 'customers').find((c) => c.currency_id === 1)!;
    const before = book.checks();
    const salesBefore = nominal(book, '4000', '01', '1');
    const vatBefore = nominal(book, '2200');
    const enquiryBefore = book.collection('nominal_transaction_enquiry_views')!.size();
    const res = book.create(
      'sales_invoices',
      {
        customer_id: customer.id,
        transaction_date: '2026-10-01T00:00:00Z',
        reference: 'INV-1001',
        second_reference: 'PO-77',
        document_goods_value: 150,
        document_tax_value: 25,
        tax_analysis_items: [
          { id: 2, goods_amount: 100, tax_amount: 20 },
          { id: 5, goods_amount: 50, tax_amount: 5 },
        ],
        nominal_analysis_items: [
          { code: '4000', cost_centre: '01', department: '1', narrative: 'Consulting', value: 150 },
        ],
      },
      NOW,
    );
    expect(res).toEqual({ urn: expect.stringMatching(/^\d+$/) });
    const t = last(book, 'sales_posted_transactions');
    expect(t).toMatchObject({
      urn: Number(res.urn),
      customer_id: customer.id,
      trader_transaction_type: 'TradingAccountEntryTypeInvoice',
      reference: 'INV-1001',
      transaction_date: '2026-10-01T00:00:00',
      document_goods_value: 150,
      document_tax_value: 25,
      document_gross_value: 175,
      document_outstanding_value: 175,
      date_time_created: NOW.toISOString(),
      date_time_updated: NOW.toISOString(),
    });
    expect((t.tax_analysis_items as Row[]).map((x) => [x.id, x.goods_amount, x.tax_amount])).toEqual([
      [2, 100, 20],
      [5, 50, 5],
    ]);
    expect((t.nominal_analysis_items as Row[]).map((x) => [x.code, x.cost_centre, x.value])).toEqual([
      ['4000', '01', -150],
      ['2200', '', -25],
      ['1100', '', 175],
    ]);
    expect(p(book.collection('customers')!.get(customer.id as number)!.balance) - p(customer.balance)).toBe(17500);
    expect(p(nominal(book, '4000', '01', '1').balance_year_to_date) - p(salesBefore.balance_year_to_date)).toBe(-15000);
    expect(p(nominal(book, '2200').balance_year_to_date) - p(vatBefore.balance_year_to_date)).toBe(-2500);
    expect(book.collection('nominal_transaction_enquiry_views')!.size()).toBe(enquiryBefore + 3);
    expect(last(book, 'nominal_transaction_enquiry_views')).toMatchObject({
      urn: Number(res.urn),
      debit: 175,
      credit: 0,
      reference: 'INV-1001',
    });
    expect(last(book, 'sales_transaction_views')).toMatchObject({
      posted_customer_transaction_id: t.id,
      document_outstanding_value: 175,
      status: 'Outstanding',
    });
    const after = book.checks();
    expect(after.trialBalance).toBe('0.00');
    expect(p(after.profit) - p(before.profit)).toBe(15000);
    expect(after.difference).toBe('0.00');
  });

  it('refuses invalid sales invoices with the first problem', () => {
    const customer = all(book, 'customers')[0];
    const ok = {
      customer_id: customer.id,
      transaction_date: '2026-10-01T00:00:00Z',
      document_goods_value: 100,
      document_tax_value: 20,
    };
    fails(
      () => book.create('sales_invoices', { ...ok, tax_analysis_items: [{ goods_amount: 100, tax_amount: 20 }] }, NOW),
      400,
      /SageNullFieldException/,
    );
    fails(
      () =>
        book.create(
          'sales_invoices',
          { ...ok, tax_analysis_items: [{ id: 2, goods_amount: 90, tax_amount: 20 }] },
          NOW,
        ),
      400,
      /goods_amount values \(90\) must add up to the document_goods_value \(100\)/,
    );
    fails(
      () =>
        book.create(
          'sales_invoices',
          { ...ok, tax_analysis_items: [{ id: 2, goods_amount: 100, tax_amount: 19 }] },
          NOW,
        ),
      400,
      /tax_amount values/,
    );
    fails(
      () =>
        book.create(
          'sales_invoices',
          { ...ok, tax_analysis_items: [{ id: 77, goods_amount: 100, tax_amount: 20 }] },
          NOW,
        ),
      400,
      /Tax code with tax_analysis_items\[0\].id 77 was not found/,
    );
    fails(
      () => book.create('sales_invoices', { ...ok, nominal_analysis_items: [{ code: '4000', value: 60 }] }, NOW),
      400,
      /nominal_analysis_items values \(60\) must add up to the document_goods_value \(100\)/,
    );
    fails(
      () => book.create('sales_invoices', { ...ok, nominal_analysis_items: [{ code: '4999', value: 100 }] }, NOW),
      400,
      /Nominal code '4999'.*was not found/,
    );
    fails(
      () => book.create('sales_invoices', { ...ok, nominal_analysis_items: [{ value: 100 }] }, NOW),
      400,
      /nominal_analysis_items\[0\].code field is required/,
    );
    fails(
      () => book.create('sales_invoices', { ...ok, customer_id: 5 }, NOW),
      400,
      /Customer with customer_id 5 was not found/,
    );
    fails(() => book.create('sales_invoices', { document_goods_value: 1 }, NOW), 400, /customer_id field is required/);
    fails(
      () => book.create('sales_invoices', { ...ok, transaction_date: '2031-01-01T00:00:00Z' }, NOW),
      400,
      /not in an open financial year/,
    );
    fails(
      () => book.create('sales_invoices', { ...ok, reference: 'R'.repeat(21) }, NOW),
      400,
      /reference must be a string with a maximum length of 20/,
    );
    fails(
      () => book.create('sales_invoices', { ...ok, document_goods_value: 10.001 }, NOW),
      400,
      /at most 2 decimal places/,
    );
    fails(
      () => book.create('sales_invoices', { ...ok, document_goods_value: 0, document_tax_value: 0 }, NOW),
      400,
      /greater than zero/,
    );
    fails(() => book.create('sales_orders_nope', {}, NOW), 404, /does not support POST/);
  });

  it('posts credit notes with negative values and a receipt that allocates to the invoice', () => {
    const customer = all(book, 'customers').find((c) => c.currency_id === 1)!;
    const bankBefore = book.collection('banks')!.get(1)!;
    book.create(
      'sales_invoices',
      { customer_id: customer.id, document_goods_value: 200, document_tax_value: 40, tax_analysis_items: [{ id: 2 }] },
      NOW,
    );
    const inv = last(book, 'sales_posted_transactions');
    expect(inv.transaction_date).toBe('2026-10-20T00:00:00'); // defaults to the simulator clock's date
    book.create(
      'sales_credit_notes',
      { customer_id: customer.id, document_goods_value: 50, document_tax_value: 10, tax_analysis_items: [{ id: 2 }] },
      NOW,
    );
    const cn = last(book, 'sales_posted_transactions');
    expect(cn).toMatchObject({
      trader_transaction_type: 'TradingAccountEntryTypeCreditNote',
      document_goods_value: -50,
      document_gross_value: -60,
    });
    expect((cn.nominal_analysis_items as Row[]).map((x) => x.value)).toEqual([50, 10, -60]);

    const res = book.create(
      'sales_receipts',
      {
        customer_id: customer.id,
        bank_id: 1,
        cheque_value: 240,
        reference: 'BACS-9',
        allocation_lines: [{ posted_tran_id: inv.id, value_to_allocate: 240 }],
      },
      NOW,
    );
    const rec = last(book, 'sales_posted_transactions');
    expect(rec).toMatchObject({
      urn: Number(res.urn),
      trader_transaction_type: 'TradingAccountEntryTypePurchasePaymentSalesReceipt',
      document_gross_value: -240,
      document_allocated_value: -240,
      document_outstanding_value: 0,
    });
    expect((rec.bank_items as Row[])[0]).toMatchObject({
      bank_code: '1200',
      cheque_value: 240,
      bank_entry_type: 'Receipt',
    });
    const paid = book.collection('sales_posted_transactions')!.get(inv.id as number)!;
    expect(paid).toMatchObject({
      document_allocated_value: 240,
      document_outstanding_value: 0,
      full_settlement_date: '2026-10-20T00:00:00',
    });
    expect((paid.allocation_session_items as Row[]).map((x) => x.allocation_value)).toEqual([-240, 240]);
    expect(p(book.collection('banks')!.get(1)!.balance) - p(bankBefore.balance)).toBe(24000);
    expect(last(book, 'bank_posted_transactions')).toMatchObject({
      bank_transaction_type: 'CustomerReceipt',
      cheque_value: 240,
      urn: Number(res.urn),
    });

    // allocate the credit note against a second invoice through /sales_allocations
    book.create(
      'sales_invoices',
      { customer_id: customer.id, document_goods_value: 100, document_tax_value: 20, tax_analysis_items: [{ id: 2 }] },
      NOW,
    );
    const inv2 = last(book, 'sales_posted_transactions');
    fails(
      () =>
        book.create(
          'sales_allocations',
          {
            customer_id: customer.id,
            allocation_lines: [
              { posted_tran_id: inv2.id, value_to_allocate: 60 },
              { posted_tran_id: cn.id, value_to_allocate: -50 },
            ],
          },
          NOW,
        ),
      400,
      /does not balance/,
    );
    fails(
      () =>
        book.create(
          'sales_allocations',
          {
            customer_id: customer.id,
            allocation_lines: [
              { posted_tran_id: inv2.id, value_to_allocate: 70 },
              { posted_tran_id: cn.id, value_to_allocate: -70 },
            ],
          },
          NOW,
        ),
      400,
      /exceeds the outstanding value \(60\)/,
    );
    const alloc = book.create(
      'sales_allocations',
      {
        customer_id: customer.id,
        allocation_lines: [
          { posted_tran_id: inv2.id, value_to_allocate: 60 },
          { posted_tran_id: cn.id, value_to_allocate: -60 },
        ],
      },
      NOW,
    );
    expect(alloc).toMatchObject({
      customer_id: customer.id,
      allocation_lines: [
        { posted_tran_id: inv2.id, value_to_allocate: 60 },
        { posted_tran_id: cn.id, value_to_allocate: -60 },
      ],
    });
    expect(book.collection('sales_posted_transactions')!.get(inv2.id as number)!.document_outstanding_value).toBe(60);
    expect(book.collection('sales_posted_transactions')!.get(cn.id as number)!.document_outstanding_value).toBe(0);
    expect(p(book.collection('customers')!.get(customer.id as number)!.balance) - p(customer.balance)).toBe(6000);

    fails(
      () => book.create('sales_receipts', { customer_id: customer.id, bank_id: 9, cheque_value: 1 }, NOW),
      400,
      /Bank with bank_id 9 was not found/,
    );
    fails(
      () => book.create('sales_receipts', { customer_id: customer.id, bank_id: 1 }, NOW),
      400,
      /cheque_value field is required/,
    );
    fails(
      () =>
        book.create(
          'sales_receipts',
          {
            customer_id: customer.id,
            bank_id: 1,
            cheque_value: 10,
            allocation_lines: [{ posted_tran_id: inv.id, value_to_allocate: 5 }],
          },
          NOW,
        ),
      400,
      /nothing outstanding/,
    );
    expect(book.checks()).toMatchObject({ trialBalance: '0.00', difference: '0.00' });
  });

  it('posts purchase invoices, credit notes and payments on the mirrored side', () => {
    const supplier = all(book, 'suppliers').find((s) => s.currency_id === 1)!;
    const creditorsBefore = nominal(book, '2100');
    book.create(
      'purchase_invoices',
      {
        supplier_id: supplier.id,
        document_goods_value: 80,
        document_tax_value: 16,
        tax_analysis_items: [{ id: 2 }],
        nominal_analysis_items: [{ code: '7504', value: 80 }],
      },
      NOW,
    );
    const pi = last(book, 'purchase_posted_transactions');
    expect(pi).toMatchObject({
      supplier_id: supplier.id,
      trader_transaction_type: 'TradingAccountEntryTypeInvoice',
      document_gross_value: 96,
      vat_adjustment_doc_expected: false,
    });
    expect((pi.nominal_analysis_items as Row[]).map((x) => [x.code, x.value])).toEqual([
      ['7504', 80],
      ['2201', 16],
      ['2100', -96],
    ]);
    expect(p(nominal(book, '2100').balance_year_to_date) - p(creditorsBefore.balance_year_to_date)).toBe(-9600);
    book.create(
      'purchase_credit_notes',
      {
        supplier_id: supplier.id,
        document_goods_value: 10,
        document_tax_value: 2,
        tax_analysis_items: [{ id: 2 }],
        nominal_analysis_items: [{ code: '7504', value: 10 }],
      },
      NOW,
    );
    expect(last(book, 'purchase_posted_transactions')).toMatchObject({
      trader_transaction_type: 'TradingAccountEntryTypeCreditNote',
      document_gross_value: -12,
    });
    book.create(
      'purchase_payments',
      {
        supplier_id: supplier.id,
        bank_id: 1,
        cheque_value: 96,
        allocation_lines: [{ posted_tran_id: pi.id, value_to_allocate: 96 }],
      },
      NOW,
    );
    expect(last(book, 'purchase_posted_transactions')).toMatchObject({
      document_gross_value: -96,
      document_outstanding_value: 0,
    });
    expect(book.collection('purchase_posted_transactions')!.get(pi.id as number)!.document_outstanding_value).toBe(0);
    expect(last(book, 'bank_posted_transactions')).toMatchObject({
      bank_transaction_type: 'SupplierPayment',
      cheque_value: 96,
    });
    expect(last(book, 'purchase_transaction_views')).toMatchObject({ supplier_id: supplier.id, status: 'Full' });
    expect(book.checks()).toMatchObject({ trialBalance: '0.00', difference: '0.00' });
  });

  it('posts refunds: a sales payment to a customer and a purchase receipt from a supplier', () => {
    const customer = all(book, 'customers').find((c) => c.currency_id === 1)!;
    const supplier = all(book, 'suppliers').find((c) => c.currency_id === 1)!;
    const bank = book.collection('banks')!.get(1)!;
    book.create('sales_payments', { customer_id: customer.id, bank_id: 1, cheque_value: 30 }, NOW);
    expect(last(book, 'sales_posted_transactions')).toMatchObject({
      trader_transaction_type: 'TradingAccountEntryTypePurchaseReceiptSalesPayment',
      document_gross_value: 30,
    });
    expect(last(book, 'bank_posted_transactions')).toMatchObject({
      bank_transaction_type: 'CustomerRefund',
      cheque_value: 30,
    });
    book.create('purchase_receipts', { supplier_id: supplier.id, bank_id: 1, cheque_value: 45 }, NOW);
    expect(last(book, 'purchase_posted_transactions')).toMatchObject({
      trader_transaction_type: 'TradingAccountEntryTypePurchaseReceiptSalesPayment',
      document_gross_value: 45,
    });
    expect(last(book, 'bank_posted_transactions')).toMatchObject({
      bank_transaction_type: 'SupplierRefund',
      cheque_value: 45,
    });
    expect(p(book.collection('customers')!.get(customer.id as number)!.balance) - p(customer.balance)).toBe(3000);
    expect(p(book.collection('suppliers')!.get(supplier.id as number)!.balance) - p(supplier.balance)).toBe(4500);
    expect(p(book.collection('banks')!.get(1)!.balance) - p(bank.balance)).toBe(1500);
    fails(
      () => book.create('purchase_payments', { supplier_id: supplier.id, bank_id: 1, cheque_value: -5 }, NOW),
      400,
      /cheque_value field must be greater than zero/,
    );
    fails(
      () => book.create('bank_transfer', { bank_from_id: 1, bank_to_id: 1, payment_value: 5 }, NOW),
      400,
      /must be different/,
    );
    expect(book.checks()).toMatchObject({ trialBalance: '0.00', difference: '0.00' });
  });

  it('posts bank receipts, payments and transfers with per-item tax', () => {
    const before = book.collection('banks')!.get(1)!;
    const r = book.create(
      'bank_payment',
      {
        bank_id: 1,
        reference: 'DD-ELEC',
        nominal_analysis_items: [
          { code: '7200', goods_value: 100, tax_value: 5, gross_value: 105, tax_code_id: 5, narrative: 'Electricity' },
          { code: '7901', goods_value: 12, tax_code_id: 3 },
        ],
      },
      NOW,
    );
    const t = last(book, 'bank_posted_transactions');
    expect(t).toMatchObject({
      urn: Number(r.urn),
      bank_transaction_type: 'Payment',
      cheque_value: 117,
      reference: 'DD-ELEC',
    });
    expect((t.tax_analysis_items as Row[]).map((x) => [x.id, x.goods_amount, x.tax_amount])).toEqual([
      [5, 100, 5],
      [3, 12, 0],
    ]);
    expect((t.nominal_analysis_items as Row[]).map((x) => [x.code, x.value])).toEqual([
      ['7200', 100],
      ['7901', 12],
      ['2201', 5],
      ['1200', -117],
    ]);
    book.create('bank_receipt', { bank_id: 1, nominal_analysis_items: [{ code: '4900', goods_value: 50 }] }, NOW);
    expect(last(book, 'bank_posted_transactions')).toMatchObject({
      bank_transaction_type: 'Receipt',
      cheque_value: 50,
    });
    expect(p(book.collection('banks')!.get(1)!.balance) - p(before.balance)).toBe(-6700);
    const tr = book.create(
      'bank_transfer',
      { bank_from_id: 1, bank_to_id: 2, payment_value: 1000, reference: 'TRF-X' },
      NOW,
    );
    expect(tr).toMatchObject({ bank_from_id: 1, bank_to_id: 2, payment_value: 1000 });
    expect(p(book.collection('banks')!.get(1)!.balance) - p(before.balance)).toBe(-106700);

    fails(() => book.create('bank_payment', { bank_id: 1 }, NOW), 400, /nominal_analysis_items field is required/);
    fails(
      () => book.create('bank_payment', { bank_id: 1, nominal_analysis_items: [{ goods_value: 5 }] }, NOW),
      400,
      /nominal_analysis_items\[0\].code field is required/,
    );
    fails(
      () =>
        book.create(
          'bank_payment',
          { bank_id: 1, nominal_analysis_items: [{ code: '7200', goods_value: 5, tax_value: 1, gross_value: 7 }] },
          NOW,
        ),
      400,
      /gross_value \(7\) must equal/,
    );
    fails(
      () =>
        book.create(
          'bank_payment',
          { bank_id: 1, cheque_value: 9, nominal_analysis_items: [{ code: '7200', goods_value: 5 }] },
          NOW,
        ),
      400,
      /must add up to the cheque_value/,
    );
    fails(
      () =>
        book.create('bank_receipt', { bank_id: 77, nominal_analysis_items: [{ code: '4900', goods_value: 5 }] }, NOW),
      400,
      /Bank with bank_id 77/,
    );
    expect(book.checks()).toMatchObject({ trialBalance: '0.00', difference: '0.00' });
    const bank = book.collection('banks')!.get(1)!;
    expect(p(bank.balance)).toBe(p(nominal(book, '1200').balance_year_to_date));
  });

  it('posts foreign-currency invoices in document currency with base values at the exchange rate', () => {
    const customer = all(book, 'customers').find((c) => c.currency_id === 2)!;
    book.create(
      'sales_invoices',
      {
        customer_id: customer.id,
        exchange_rate: 1.25,
        document_goods_value: 125,
        document_tax_value: 0,
        tax_analysis_items: [{ id: 4 }],
      },
      NOW,
    );
    const t = last(book, 'sales_posted_transactions');
    expect(t).toMatchObject({ exchange_rate: 1.25, document_gross_value: 125, base_gross_value: 100 });
    expect((t.nominal_analysis_items as Row[]).map((x) => [x.value, x.base_value])).toEqual([
      [-125, -100],
      [125, 100],
    ]);
    fails(
      () =>
        book.create(
          'sales_invoices',
          {
            customer_id: all(book, 'customers').find((c) => c.currency_id === 1)!.id,
            exchange_rate: 1.1,
            document_goods_value: 1,
          },
          NOW,
        ),
      400,
      /exchange_rate must be 1/,
    );
    expect(book.checks().trialBalance).toBe('0.00');
  });
});

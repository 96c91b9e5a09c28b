// Invoices, credit notes, bills and bill credit notes: Codat documents with lines become Sage ledger postings with
// no lines. Goods lines become nominal analysis rows; line tax becomes one tax analysis item per tax code; totals
// must reconcile before anything is sent. The URN Sage returns is resolved to the posted transaction.
import { z } from 'zod';
import type { PushOption } from '../../../push/types.ts';
import type { DataType } from '../../connector.ts';
import { POSTED_EXPAND, postOnce, pushMarker } from './ledger.ts';
import type { Lookups, NominalCode } from './lookups.ts';
import { close, dec, fmt, type Money, num2, sum, ZERO } from './money.ts';
import { documentOptions } from './options.ts';
import { toRecord } from './readback.ts';
import type { SageRow, WriteCall, Writer } from './types.ts';
import { Issues, parseBody, sageDate } from './validate.ts';

const amount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
const ref = z.object({ id: z.string().min(1) }).passthrough();

const lineSchema = z
  .object({
    description: z.string().nullish(),
    unitAmount: amount,
    quantity: amount,
    discountAmount: amount.nullish(),
    discountPercentage: amount.nullish(),
    subTotal: amount.nullish(),
    taxAmount: amount.nullish(),
    totalAmount: amount.nullish(),
    accountRef: ref.nullish(),
    taxRateRef: ref.nullish(),
    itemRef: ref.nullish(),
    trackingCategoryRefs: z.array(ref).nullish(),
  })
  .passthrough();

export interface DocumentKind {
  dataType: Extract<DataType, 'invoices' | 'creditNotes' | 'bills' | 'billCreditNotes'>;
  label: string;
  side: 'sales' | 'purchase';
  endpoint: string;
  postedResource: string;
  transactionType: string;
  numberField: string;
  taxField: 'totalTaxAmount' | 'taxAmount';
  traderRef: 'customerRef' | 'supplierRef';
  hasDueDate: boolean;
}

const LINE_FIELDS = new Set([
  'description',
  'unitAmount',
  'quantity',
  'discountAmount',
  'discountPercentage',
  'subTotal',
  'taxAmount',
  'totalAmount',
  'accountRef',
  'taxRateRef',
  'itemRef',
  'trackingCategoryRefs',
]);

function schemaFor(kind: DocumentKind) {
  return z
    .object({
      [kind.numberField]: z.string().nullish(),
      [kind.traderRef]: ref,
      issueDate: z.string().min(10),
      ...(kind.hasDueDate ? { dueDate: z.string().nullish() } : {}),
      currency: z.string().length(3).nullish(),
      currencyRate: amount.nullish(),
      lineItems: z.array(lineSchema).min(1, 'at least one line item is required'),
      subTotal: amount.nullish(),
      [kind.taxField]: amount.nullish(),
      totalAmount: amount.nullish(),
      status: z.string().nullish(),
    })
    .passthrough();
}

function supportedFields(kind: DocumentKind): string[] {
  return [
    kind.numberField,
    kind.traderRef,
    'issueDate',
    ...(kind.hasDueDate ? ['dueDate'] : []),
    'currency',
    'currencyRate',
    'lineItems',
    'subTotal',
    kind.taxField,
    'totalAmount',
    'status',
    // figures Sage derives itself: accepted, checked where they mean something, not sent
    'amountDue',
    'remainingCredit',
    'totalDiscount',
  ];
}

interface Trader extends SageRow {
  id: number;
  currency_id?: number;
  default_tax_code_id?: number;
  default_nominal_code_reference?: string;
  default_nominal_code_cost_centre?: string;
  default_nominal_code_department?: string;
}

export interface ResolvedLine {
  net: Money;
  tax: Money;
  taxCodeId: number;
  nominal: { code: string; cost_centre: string; department: string };
  narrative: string;
}

/** Validates a document body against the model and Sage's rules and builds the Sage posting body. Sends nothing. */
export async function buildDocument(
  kind: DocumentKind,
  body: Record<string, unknown>,
  lookups: Lookups,
  pushOperationKey: string,
): Promise<{ sageBody: Record<string, unknown>; warnings: Issues['warnings']; trader: Trader }> {
  const issues = new Issues(kind.label.replace(/\s/g, ''));
  const doc = parseBody(schemaFor(kind), body, issues, supportedFields(kind)) as Record<string, any>;

  const traderLabel = kind.side === 'sales' ? 'customer' : 'supplier';
  const traderId: string = doc[kind.traderRef].id;
  const trader = (await (kind.side === 'sales' ? lookups.customer(traderId) : lookups.supplier(traderId))) as
    | Trader
    | undefined;
  if (!trader) {
    issues.error(
      `${kind.traderRef}.id`,
      `${kind.traderRef}.id "${traderId}" is not a ${traderLabel} in this Sage 200 company.`,
    );
    issues.throwIfAny();
  }
  const t = trader as Trader;

  const number = doc[kind.numberField];
  issues.maxLength(kind.numberField, number, 20);
  if (doc.status && ['Draft', 'Void'].includes(doc.status)) {
    issues.error(
      'status',
      `Sage 200 posts ${kind.label}s straight to the ledger; status ${doc.status} cannot be pushed (use Submitted or leave it out).`,
    );
  }
  if (!sageDate(doc.issueDate)) issues.error('issueDate', 'issueDate must be an ISO 8601 date.');
  if (doc.dueDate && !sageDate(doc.dueDate)) issues.error('dueDate', 'dueDate must be an ISO 8601 date.');

  // Sage posts a trader's documents in the trader's own currency.
  const traderCurrency = await lookups.currencyById(t.currency_id);
  const traderIso = traderCurrency?.currency_iso_code?.code;
  if (doc.currency && traderIso && doc.currency.toUpperCase() !== traderIso.toUpperCase()) {
    issues.error(
      'currency',
      `The ${traderLabel} trades in ${traderIso}; Sage 200 posts their ${kind.label}s in that currency, not ${doc.currency}.`,
    );
  }

  const lines: ResolvedLine[] = [];
  for (const [i, line] of (doc.lineItems as Record<string, any>[]).entries()) {
    const at = `lineItems[${i}]`;
    for (const key of Object.keys(line)) {
      if (!LINE_FIELDS.has(key) && line[key] !== null && line[key] !== undefined) {
        issues.warn(`${at}.${key}`, `${at}.${key} is not supported, and will be ignored.`);
      }
    }
    if (line.itemRef)
      issues.warn(
        `${at}.itemRef`,
        `${at}.itemRef is not supported on posted ${kind.label}s (Sage keeps no lines), and will be ignored.`,
      );
    const gross = dec(line.quantity).times(dec(line.unitAmount));
    const discount =
      line.discountAmount != null
        ? dec(line.discountAmount)
        : line.discountPercentage != null
          ? gross.times(dec(line.discountPercentage)).div(100)
          : ZERO;
    const expectedNet = gross.minus(discount).toDecimalPlaces(2);
    const net = line.subTotal != null ? dec(line.subTotal) : expectedNet;
    if (line.subTotal != null && !close(net, expectedNet)) {
      issues.error(
        `${at}.subTotal`,
        `${at}.subTotal ${fmt(net)} does not equal quantity × unitAmount − discount (${fmt(expectedNet)}).`,
      );
    }

    const taxCodeId =
      line.taxRateRef?.id ?? (t.default_tax_code_id != null ? String(t.default_tax_code_id) : undefined);
    const taxCode = await lookups.taxCode(taxCodeId);
    if (!taxCodeId) {
      issues.error(`${at}.taxRateRef.id`, `${at}.taxRateRef is required: the ${traderLabel} has no default tax code.`);
    } else if (!taxCode) {
      issues.error(
        `${at}.taxRateRef.id`,
        `${at}.taxRateRef.id "${taxCodeId}" is not a tax code in this Sage 200 company.`,
      );
    }
    const expectedTax = taxCode ? net.times(dec(taxCode.tax_rate)).div(100).toDecimalPlaces(2) : ZERO;
    const tax = line.taxAmount != null ? dec(line.taxAmount) : expectedTax;
    if (taxCode && !close(tax, expectedTax)) {
      issues.error(
        `${at}.taxAmount`,
        `${at}.taxAmount ${fmt(tax)} does not match tax code ${taxCode.name} (${taxCode.tax_rate}%) on ${fmt(net)}: expected ${fmt(expectedTax)}.`,
      );
    }
    if (line.totalAmount != null && !close(dec(line.totalAmount), net.plus(tax))) {
      issues.error(
        `${at}.totalAmount`,
        `${at}.totalAmount ${fmt(dec(line.totalAmount))} does not equal subTotal + taxAmount (${fmt(net.plus(tax))}).`,
      );
    }

    const nominal = await resolveNominal(line, t, lookups, issues, at);
    if (!nominal || !taxCode) continue;
    lines.push({ net, tax, taxCodeId: taxCode.id, nominal, narrative: String(line.description ?? '').slice(0, 6000) });
  }
  issues.throwIfAny();

  const goods = sum(lines.map((l) => l.net));
  const taxTotal = sum(lines.map((l) => l.tax));
  if (doc.subTotal != null && !close(dec(doc.subTotal), goods)) {
    issues.error(
      'subTotal',
      `subTotal ${fmt(dec(doc.subTotal))} does not equal the sum of line subTotals (${fmt(goods)}).`,
    );
  }
  if (doc[kind.taxField] != null && !close(dec(doc[kind.taxField]), taxTotal)) {
    issues.error(
      kind.taxField,
      `${kind.taxField} ${fmt(dec(doc[kind.taxField]))} does not equal the sum of line taxAmounts (${fmt(taxTotal)}).`,
    );
  }
  if (doc.totalAmount != null && !close(dec(doc.totalAmount), goods.plus(taxTotal))) {
    issues.error(
      'totalAmount',
      `totalAmount ${fmt(dec(doc.totalAmount))} does not equal subTotal + tax (${fmt(goods.plus(taxTotal))}).`,
    );
  }
  if (goods.plus(taxTotal).lte(0)) {
    issues.error(
      'totalAmount',
      `A ${kind.label} must have a positive total; Sage 200 refuses zero or negative documents.`,
    );
  }
  issues.throwIfAny();

  // One tax analysis item per tax code; the goods are split across nominal rows (one per line).
  const byCode = new Map<number, { goods: Money; tax: Money }>();
  for (const l of lines) {
    const acc = byCode.get(l.taxCodeId) ?? { goods: ZERO, tax: ZERO };
    byCode.set(l.taxCodeId, { goods: acc.goods.plus(l.net), tax: acc.tax.plus(l.tax) });
  }
  const sageBody: Record<string, unknown> = {
    [kind.side === 'sales' ? 'customer_id' : 'supplier_id']: t.id,
    transaction_date: sageDate(doc.issueDate),
    ...(kind.hasDueDate && doc.dueDate ? { due_date: sageDate(doc.dueDate) } : {}),
    ...(number ? { reference: number } : {}),
    second_reference: pushMarker(pushOperationKey),
    ...(doc.currencyRate != null ? { exchange_rate: dec(doc.currencyRate).toDecimalPlaces(6).toNumber() } : {}),
    document_goods_value: num2(goods),
    document_tax_value: num2(taxTotal),
    tax_analysis_items: [...byCode].map(([id, v]) => ({ id, goods_amount: num2(v.goods), tax_amount: num2(v.tax) })),
    nominal_analysis_items: lines.map((l) => ({ ...l.nominal, narrative: l.narrative, value: num2(l.net) })),
  };
  return { sageBody, warnings: issues.warnings, trader: t };
}

async function resolveNominal(
  line: Record<string, any>,
  trader: Trader,
  lookups: Lookups,
  issues: Issues,
  at: string,
): Promise<{ code: string; cost_centre: string; department: string } | undefined> {
  let base: NominalCode | undefined;
  if (line.accountRef?.id) {
    base = await lookups.nominalCode(line.accountRef.id);
    if (!base) {
      issues.error(
        `${at}.accountRef.id`,
        `${at}.accountRef.id "${line.accountRef.id}" is not a nominal code in this Sage 200 company.`,
      );
      return undefined;
    }
  }
  const code = base?.reference ?? trader.default_nominal_code_reference ?? '';
  let costCentre = base?.cost_centre_code ?? trader.default_nominal_code_cost_centre ?? '';
  let department = base?.department_code ?? trader.default_nominal_code_department ?? '';
  if (!code) {
    issues.error(`${at}.accountRef.id`, `${at}.accountRef is required: the trader has no default nominal code.`);
    return undefined;
  }
  for (const [j, tc] of ((line.trackingCategoryRefs ?? []) as { id: string }[]).entries()) {
    const m = /^__(COST_CENTRES|DEPARTMENTS)\/(.*)$/.exec(tc.id);
    if (!m) {
      issues.error(
        `${at}.trackingCategoryRefs[${j}].id`,
        `Tracking category "${tc.id}" is not a Sage 200 cost centre (__COST_CENTRES/<code>) or department (__DEPARTMENTS/<code>).`,
      );
      continue;
    }
    if (m[1] === 'COST_CENTRES') costCentre = m[2];
    else department = m[2];
  }
  const account = await lookups.nominalByParts(code, costCentre, department);
  if (!account) {
    issues.error(
      `${at}.accountRef.id`,
      `Nominal account ${code}${costCentre || department ? ` with cost centre "${costCentre}" and department "${department}"` : ''} does not exist in this Sage 200 company.`,
    );
    return undefined;
  }
  if (account.account_status_type === 'AccountStatusHidden') {
    issues.warn(`${at}.accountRef.id`, `Nominal account ${code} is hidden in Sage 200.`);
  }
  return { code, cost_centre: costCentre, department };
}

export function documentWriter(kind: DocumentKind): Writer {
  const refusal = `Sage 200 posts ${kind.label}s straight to the ledger, and posted ledger documents cannot be changed or deleted through the Sage 200 API. Post a ${kind.side === 'sales' ? 'credit note' : 'bill credit note'} to reverse it instead.`;
  return {
    dataType: kind.dataType,
    refusals: { update: refusal, delete: refusal },
    async create(call: WriteCall) {
      const { sageBody, warnings } = await buildDocument(kind, call.body, call.lookups, call.options.pushOperationKey);
      const posted = await postOnce(call, {
        endpoint: kind.endpoint,
        postedResource: kind.postedResource,
        body: sageBody,
        step: 'document',
        transactionType: kind.transactionType,
      });
      const record = await toRecord(kind.dataType, posted.row, call.lookups);
      return { record, warnings, alreadyApplied: posted.alreadyApplied };
    },
    options: (lookups: Lookups): Promise<PushOption> => documentOptions(kind, lookups),
  };
}

export { POSTED_EXPAND };

// The Sage 200 row shapes the mappers read (field names from sage200-api-schemas.md). Validated loosely at the edge:
// unknown fields pass through, missing optional ones are undefined, wrong types fail with the field named.
import { z } from 'zod';

const n = z.number().nullable().optional();
const s = z.string().nullable().optional();

export const taxAnalysisItem = z.looseObject({
  id: z.number().nullable().optional(),
  code: n,
  name: s,
  entry_type: s,
  goods_amount: n,
  tax_amount: n,
  tax_discount_amount: n,
});
export const nominalAnalysisItem = z.looseObject({
  code: s,
  cost_centre: s,
  department: s,
  name: s,
  narrative: s,
  value: n,
  base_value: n,
  transaction_analysis_code: s,
});
export const allocationSessionItem = z.looseObject({
  urn: n,
  allocation_date: s,
  trader_transaction_type: s,
  reference: s,
  value: n,
  allocation_value: n,
  ledger_type: s,
});
export const bankItem = z.looseObject({
  bank_code: s,
  name: s,
  bank_entry_type: s,
  reference: s,
  cheque_value: n,
  urn: n,
});

/** sales_posted_transaction and purchase_posted_transaction (customer_id or supplier_id). */
export const postedTransaction = z.looseObject({
  id: z.number(),
  customer_id: n,
  supplier_id: n,
  trader_transaction_type: z.string(),
  reference: s,
  second_reference: s,
  transaction_date: s,
  posted_date: s,
  due_date: s,
  full_settlement_date: s,
  document_goods_value: n,
  document_gross_value: n,
  document_tax_value: n,
  document_discount_value: n,
  document_allocated_value: n,
  document_outstanding_value: n,
  base_goods_value: n,
  base_gross_value: n,
  base_tax_value: n,
  exchange_rate: n,
  urn: n,
  tax_analysis_items: z.array(taxAnalysisItem).nullable().optional(),
  nominal_analysis_items: z.array(nominalAnalysisItem).nullable().optional(),
  bank_items: z.array(bankItem).nullable().optional(),
  allocation_session_items: z.array(allocationSessionItem).nullable().optional(),
  date_time_created: s,
  date_time_updated: s,
});
export type PostedTransaction = z.infer<typeof postedTransaction>;

export const sopInvoiceLine = z.looseObject({
  customer_id: n,
  sop_invoice_credit_id: n,
  sop_invoice_credit_type: s,
  sop_invoice_credit_document_no: s,
  sop_invoice_credit_line_id: n,
  sop_invoice_credit_line_total_value: n,
  sop_invoice_credit_line_tax_value: n,
  invoice_line_profit_analysis_line_quantity: n,
  product_id: n,
  product_code: s,
  product_name: s,
  product_description: s,
});
export type SopInvoiceLine = z.infer<typeof sopInvoiceLine>;

export const TRADER = {
  invoice: ['TradingAccountEntryTypeInvoice', 'TradingAccountEntryTypeOpeningBalanceInvoice'],
  creditNote: ['TradingAccountEntryTypeCreditNote', 'TradingAccountEntryTypeOpeningBalanceCreditNote'],
  /** sales receipt / purchase payment */
  payment: ['TradingAccountEntryTypePurchasePaymentSalesReceipt'],
  /** sales payment (refund) / purchase receipt */
  refund: ['TradingAccountEntryTypePurchaseReceiptSalesPayment'],
} as const;

export function traderFilter(types: readonly string[]): string {
  return types.map((t) => `trader_transaction_type eq '${t}'`).join(' or ');
}

type Check = (v: unknown) => boolean;
// biome-ignore lint/suspicious/noExplicitAny: zod's definition objects are read structurally
type Def = any;

/** One field: optional/nullable flags folded in, so a check is one call per field rather than one per wrapper. */
interface Field {
  key: string;
  optional: boolean;
  nullable: boolean;
  /** 1 number, 2 string, 3 anything, 0 other (then `check`) */
  kind: number;
  check: Check | null;
}

function compileField(key: string, schema: z.ZodType): Field | null {
  let def: Def = (schema as Def)._zod?.def;
  let optional = false;
  let nullable = false;
  for (;;) {
    if (def?.type === 'optional') optional = true;
    else if (def?.type === 'nullable') nullable = true;
    else break;
    def = def.innerType?._zod?.def;
  }
  const plain = !def?.checks?.length && !def?.coerce;
  if (def?.type === 'number' && plain) return { key, optional, nullable, kind: 1, check: null };
  if (def?.type === 'string' && plain) return { key, optional, nullable, kind: 2, check: null };
  if (def?.type === 'unknown') return { key, optional: true, nullable: true, kind: 3, check: null };
  const check = compileCheck(def);
  return check && { key, optional, nullable, kind: 0, check };
}

/** A plain type check equivalent to (or stricter than) a zod schema made of loose objects, arrays, optional,
 * nullable, unrefined numbers and strings; null for anything else. */
function compileCheck(def: Def): Check | null {
  const plain = !def?.checks?.length && !def?.coerce;
  if (def?.type === 'array') {
    const item = plain ? compileField('', def.element) : null;
    if (!item) return null;
    const one = checkField(item);
    return (v) => {
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (!one(v[i])) return false;
      return true;
    };
  }
  // only loose objects: their output keeps unknown keys, so the input itself is an equivalent result
  if (def?.type !== 'object' || def.catchall?._zod?.def?.type !== 'unknown') return null;
  const fields: Field[] = [];
  for (const key of Object.keys(def.shape)) {
    const f = compileField(key, def.shape[key]);
    if (!f) return null;
    fields.push(f);
  }
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const x = o[f.key];
      if (x === undefined) {
        if (f.optional) continue;
        return false;
      }
      if (x === null) {
        if (f.nullable) continue;
        return false;
      }
      if (f.kind === 1) {
        if (typeof x !== 'number' || !Number.isFinite(x)) return false;
      } else if (f.kind === 2) {
        if (typeof x !== 'string') return false;
      } else if (f.kind === 0 && !(f.check as Check)(x)) return false;
    }
    return true;
  };
}

function checkField(f: Field): Check {
  return (x) => {
    if (x === undefined) return f.optional;
    if (x === null) return f.nullable;
    if (f.kind === 1) return typeof x === 'number' && Number.isFinite(x);
    if (f.kind === 2) return typeof x === 'string';
    return f.kind === 3 || (f.check as Check)(x);
  };
}

const checks = new WeakMap<z.ZodType, Check | null>();

/** Parses a row, naming the resource and id on failure so a FetchError/MapError says what to look at. A row that
 * already has the right shape is returned as is (mappers only read it); anything else goes through zod, which
 * gives the same result or error as before. */
export function parseRow<T extends z.ZodType>(schema: T, row: unknown, resource: string): z.infer<T> {
  let check = checks.get(schema);
  if (check === undefined) {
    check = compileCheck((schema as Def)._zod?.def);
    checks.set(schema, check);
  }
  if (check?.(row)) return row as z.infer<T>;
  const r = schema.safeParse(row);
  if (r.success) return r.data;
  const id = (row as { id?: unknown })?.id;
  const issue = r.error.issues[0];
  throw new Error(`Unexpected ${resource} row ${id ?? '?'} from Sage: ${issue?.path.join('.')} ${issue?.message}`);
}

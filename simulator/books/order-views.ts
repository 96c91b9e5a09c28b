// Products and SOP/POP orders as served (nested lines, tax code, group and trader objects).
import type { BookState } from './state.ts';
import { clone, type Rec } from './table.ts';

export function productView(s: BookState, rec: Rec): Rec {
  const o = clone(rec);
  o.product_group = clone(s.tables.product_groups.get(rec.product_group_id as number) ?? null);
  o.tax_code = clone(s.tables.tax_codes.get(rec.tax_code_id as number) ?? null);
  return o;
}

export function orderView(s: BookState, kind: 'sop' | 'pop', rec: Rec): Rec {
  const o = clone(rec);
  const lines = kind === 'sop' ? s.tables.sop_order_lines : s.tables.pop_order_lines;
  o.lines = lines.children(rec.id as number).map((l) => clone(l));
  const traderId = (kind === 'sop' ? rec.customer_id : rec.supplier_id) as number;
  const trader = (kind === 'sop' ? s.tables.customers : s.tables.suppliers).get(traderId);
  o[kind === 'sop' ? 'customer' : 'supplier'] = trader
    ? { id: trader.id, reference: trader.reference, name: trader.name, currency_id: trader.currency_id }
    : null;
  if (kind === 'sop') o.currency = clone(s.currency(rec.currency_id as number) ?? null);
  o.memos = [];
  return o;
}

// Real invoice/credit lines of SOP-originated documents, keyed to the posted transaction they produced.
// Join rule (simulator-books.md / reference 7.5, inferred): same customer and document number = posted reference.
import { parseRow, type SopInvoiceLine, sopInvoiceLine } from '../mapping/sage.ts';
import type { SageReader } from './common.ts';
import { cached, newestStamp } from './lookup-cache.ts';

export type SopLineIndex = Map<string, SopInvoiceLine[]>;

export const sopKey = (customerId: unknown, documentNo: unknown) => `${customerId}|${String(documentNo ?? '').trim()}`;

/** The view's fields the mappers use (the view has many more; $select keeps the download and the index small). */
const SOP_LINE_FIELDS = Object.keys(sopInvoiceLine.shape).join(',');

export function loadSopLines(client: SageReader): Promise<SopLineIndex> {
  // The view has no update stamp; SOP lines appear when their invoice is posted, so the newest posted sales
  // transaction (read first) tells whether a cached index is still complete.
  return cached(client, 'sopLines', 'sales_posted_transactions', async () => {
    const newest = await client.get<Record<string, unknown>[]>('sales_posted_transactions', {
      $orderby: 'date_time_updated desc',
      $select: 'id,date_time_updated',
      $top: 1,
    });
    // Indexed page by page, so only one raw page is held at a time.
    const index: SopLineIndex = new Map();
    const strings = new Map<string, string>();
    for await (const page of client.pages('customer_sop_invoice_credit_line_views', {
      orderBy: 'sop_invoice_credit_id asc,sop_invoice_credit_line_id asc',
      select: SOP_LINE_FIELDS,
      pageSize: 5000,
    }))
      indexSopLines(page.rows, index, strings);
    return { value: index, stamp: newestStamp(Array.isArray(newest) ? newest : []) };
  });
}

/** Product names, codes and descriptions repeat on many lines: keep one copy of each. */
function intern(strings: Map<string, string>, v: string | null | undefined) {
  if (typeof v !== 'string') return v;
  const hit = strings.get(v);
  if (hit !== undefined) return hit;
  strings.set(v, v);
  return v;
}

export function indexSopLines(
  rows: unknown[],
  index: SopLineIndex = new Map(),
  strings = new Map<string, string>(),
): SopLineIndex {
  for (const raw of rows) {
    const l = parseRow(sopInvoiceLine, raw, 'customer_sop_invoice_credit_line_views');
    l.product_name = intern(strings, l.product_name);
    l.product_code = intern(strings, l.product_code);
    l.product_description = intern(strings, l.product_description);
    l.sop_invoice_credit_type = intern(strings, l.sop_invoice_credit_type);
    const k = sopKey(l.customer_id, l.sop_invoice_credit_document_no);
    const list = index.get(k);
    if (list) list.push(l);
    else index.set(k, [l]);
  }
  return index;
}

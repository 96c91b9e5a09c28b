// Real invoice/credit lines of SOP-originated documents, keyed to the posted transaction they produced.
// Join rule (simulator-books.md / reference 7.5, inferred): same customer and document number = posted reference.
import { parseRow, type SopInvoiceLine, sopInvoiceLine } from '../mapping/sage.ts';
import { readAll, type SageReader } from './common.ts';

export type SopLineIndex = Map<string, SopInvoiceLine[]>;

export const sopKey = (customerId: unknown, documentNo: unknown) => `${customerId}|${String(documentNo ?? '').trim()}`;

export async function loadSopLines(client: SageReader): Promise<SopLineIndex> {
  const rows = await readAll(client, 'customer_sop_invoice_credit_line_views', {
    orderBy: 'sop_invoice_credit_id asc,sop_invoice_credit_line_id asc',
  });
  return indexSopLines(rows);
}

export function indexSopLines(rows: unknown[]): SopLineIndex {
  const index: SopLineIndex = new Map();
  for (const raw of rows) {
    const l = parseRow(sopInvoiceLine, raw, 'customer_sop_invoice_credit_line_views');
    const k = sopKey(l.customer_id, l.sop_invoice_credit_document_no);
    const list = index.get(k);
    if (list) list.push(l);
    else index.set(k, [l]);
  }
  return index;
}

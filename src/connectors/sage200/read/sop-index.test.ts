// The columnar SOP line index gives back the lines a plain Map of parsed lines would (every field the mappers read),
// and replacing documents after new postings keeps other documents under the same key.
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { type SopInvoiceLine, sopInvoiceLine } from '../mapping/sage.ts';
import { CompactSopIndex, SOP_NUM_FIELDS, SOP_STR_FIELDS } from './sop-index.ts';
import { indexSopLines, sopKey } from './sopLines.ts';

function line(doc: number, lineId: number, o: Partial<SopInvoiceLine> = {}): SopInvoiceLine {
  return {
    customer_id: 7,
    sop_invoice_credit_id: doc,
    sop_invoice_credit_type: 'SOPInvoiceCreditTypeInvoice',
    sop_invoice_credit_document_no: `SI${doc} `,
    sop_invoice_credit_line_id: lineId,
    sop_invoice_credit_line_total_value: 10.05 * lineId,
    sop_invoice_credit_line_tax_value: 2.01 * lineId,
    invoice_line_profit_analysis_line_quantity: lineId % 3 === 0 ? null : 2,
    product_id: 40 + (lineId % 2),
    product_code: lineId % 2 ? 'WID' : 'GAD',
    product_name: lineId % 2 ? 'Widget' : 'Gadget',
    product_description: lineId % 4 === 0 ? null : 'A thing',
    ...o,
  };
}

describe('CompactSopIndex', () => {
  it('stores every field of sopInvoiceLine', () => {
    const stored = new Set<string>([...SOP_NUM_FIELDS, ...SOP_STR_FIELDS, 'sop_invoice_credit_document_no']);
    expect(Object.keys(sopInvoiceLine.shape).filter((k) => !stored.has(k))).toEqual([]);
  });

  it('gives back the lines per key in document and line order, like a Map of parsed lines', () => {
    const lines = [line(2, 5), line(2, 4), line(1, 1), line(1, 2), line(3, 6, { customer_id: 8 }), line(1, 3)];
    const index = indexSopLines(lines);
    const plain = new Map<string, SopInvoiceLine[]>();
    for (const l of lines) {
      const k = sopKey(l.customer_id, l.sop_invoice_credit_document_no);
      plain.set(k, [...(plain.get(k) ?? []), l]);
    }
    const order = (a: SopInvoiceLine, b: SopInvoiceLine) =>
      Number(a.sop_invoice_credit_id) - Number(b.sop_invoice_credit_id) ||
      Number(a.sop_invoice_credit_line_id) - Number(b.sop_invoice_credit_line_id);
    expect(index.size).toBe(plain.size);
    for (const [k, ls] of plain) expect(index.get(k)).toEqual([...ls].sort(order));
    expect(index.get('7|SI1')?.map((l) => l.sop_invoice_credit_line_id)).toEqual([1, 2, 3]);
    expect(index.get('7|nope')).toBeUndefined();
    expect(index.has('8|SI3')).toBe(true);
  });

  it('replaces the lines of re-read documents only, keeping another document under the same key', () => {
    const index = new CompactSopIndex(sopKey);
    // an invoice and a credit that share a number (same key), and another invoice
    for (const l of [line(1, 1), line(1, 2), line(9, 3, { sop_invoice_credit_document_no: 'SI1' }), line(2, 4)])
      index.add(l);
    index.replaceDocuments([line(1, 7, { product_name: 'New' }), line(5, 8)]);
    expect(index.get('7|SI1')?.map((l) => [l.sop_invoice_credit_id, l.sop_invoice_credit_line_id])).toEqual([
      [1, 7],
      [9, 3],
    ]);
    expect(index.get('7|SI1')?.[0]?.product_name).toBe('New');
    expect(index.get('7|SI5')).toHaveLength(1);
    expect(index.get('7|SI2')).toHaveLength(1);
    expect(index.lineCount).toBe(4);
  });

  it('survives a snapshot (v8 serialize, toState/fromState) and still takes replacements', () => {
    const index = new CompactSopIndex(sopKey);
    for (let d = 1; d <= 50; d++)
      for (let i = 0; i < 3; i++) index.add(line(d, d * 10 + i, { product_name: `P${d % 4}` }));
    index.replaceDocuments([line(3, 99, { product_name: 'Replaced' })]);
    const back = CompactSopIndex.fromState(deserialize(serialize(index.toState())), sopKey);
    expect([...back.entries()]).toEqual([...index.entries()]);
    expect(back.lineCount).toBe(index.lineCount);
    back.replaceDocuments([line(4, 98)]);
    index.replaceDocuments([line(4, 98)]);
    expect([...back.entries()]).toEqual([...index.entries()]);
    expect(() => CompactSopIndex.fromState({ ...index.toState(), docIndex: new Int32Array(0) }, sopKey)).toThrow();
    expect(() => CompactSopIndex.fromState({ ...index.toState(), docList: [] }, sopKey)).toThrow();
    // integer columns go 32-bit; fractions, ids past 2^31 and missing values (null) keep their exact value
    const wide = new CompactSopIndex(sopKey);
    wide.add(line(1, 3_000_000_001, { sop_invoice_credit_line_total_value: 12.34, product_id: null }));
    wide.add(line(1, 2, { sop_invoice_credit_line_total_value: -0.01, product_id: 5 }));
    const state = wide.toState();
    expect(state.numCols.map((c) => c.constructor.name)).toContain('Int32Array');
    expect(state.numScale).toContain(100); // amounts in exact pence
    expect(state.strs).toBeInstanceOf(Int16Array);
    expect(state.docList).toEqual(['SI1 ']);
    expect([...CompactSopIndex.fromState(deserialize(serialize(state)), sopKey).entries()]).toEqual([
      ...wide.entries(),
    ]);
    // an empty index survives too, and grows from nothing
    const empty = CompactSopIndex.fromState(deserialize(serialize(new CompactSopIndex(sopKey).toState())), sopKey);
    empty.add(line(1, 1));
    expect(empty.get('7|SI1')).toEqual([line(1, 1)]);
  });

  it('compacts after many replacements and still answers the same', () => {
    const index = new CompactSopIndex(sopKey);
    for (let d = 1; d <= 600; d++) for (let i = 0; i < 3; i++) index.add(line(d, d * 10 + i));
    for (let round = 0; round < 3; round++) {
      const again: SopInvoiceLine[] = [];
      for (let d = 1; d <= 600; d++) again.push(line(d, d * 10 + 5, { product_code: `R${round}` }));
      index.replaceDocuments(again);
    }
    expect(index.size).toBe(600);
    expect(index.lineCount).toBe(600);
    expect(index.get('7|SI42')).toEqual([
      line(42, 425, { product_code: 'R2', sop_invoice_credit_document_no: 'SI42 ' }),
    ]);
    expect(index.bytes).toBeLessThan(600 * 84 * 4);
  });
});

// parseRow: a row of the right shape is taken as is, anything else gets zod's answer (same data, same message).

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseRow, postedTransaction, sopInvoiceLine } from './sage.ts';

const row = () => ({
  id: 7,
  customer_id: 3,
  trader_transaction_type: 'TradingAccountEntryTypeInvoice',
  reference: 'INV1',
  document_gross_value: 12,
  exchange_rate: null,
  extra_field: { kept: true },
  tax_analysis_items: [{ id: 2, code: 1, name: 'Standard', goods_amount: 10, tax_amount: 2 }],
  nominal_analysis_items: [{ code: '4000', value: -10, cost_centre: null }],
  allocation_session_items: [],
});

function message(schema: z.ZodType, r: unknown): string {
  try {
    parseRow(schema, r, 'sales_posted_transactions');
  } catch (e) {
    return (e as Error).message;
  }
  return 'parsed';
}

/** zod's own verdict, as parseRow phrased it before the fast path */
function zodMessage(schema: z.ZodType, r: unknown): string {
  const res = schema.safeParse(r);
  if (res.success) return 'parsed';
  const issue = res.error.issues[0];
  const id = (r as { id?: unknown })?.id;
  return `Unexpected sales_posted_transactions row ${id ?? '?'} from Sage: ${issue?.path.join('.')} ${issue?.message}`;
}

describe('parseRow', () => {
  it('returns a well-shaped row itself, with what zod would return', () => {
    const r = row();
    const parsed = parseRow(postedTransaction, r, 'sales_posted_transactions');
    expect(parsed).toBe(r);
    expect(parsed).toEqual(postedTransaction.parse(row()));
  });

  it('gives zod’s result or error for every wrong shape', () => {
    const cases: unknown[] = [
      { ...row(), id: '7' },
      { ...row(), id: undefined },
      { ...row(), trader_transaction_type: null },
      { ...row(), document_gross_value: '12.00' },
      { ...row(), document_gross_value: Number.NaN },
      { ...row(), reference: 12 },
      { ...row(), tax_analysis_items: [{ id: 2, tax_amount: '2' }] },
      { ...row(), tax_analysis_items: {} },
      { ...row(), tax_analysis_items: null },
      { ...row(), nominal_analysis_items: [null] },
      { ...row(), nominal_analysis_items: [{ code: 4000 }] },
      { ...row(), allocation_session_items: [{ urn: '1' }] },
      null,
      [],
      'row',
    ];
    for (const c of cases) expect(message(postedTransaction, c)).toBe(zodMessage(postedTransaction, c));
    expect(message(postedTransaction, { ...row(), document_gross_value: '12.00' })).toBe(
      'Unexpected sales_posted_transactions row 7 from Sage: document_gross_value Invalid input: expected number, received string',
    );
  });

  it('leaves schemas it cannot mirror exactly to zod (strict objects, refinements, transforms)', () => {
    const strict = z.object({ id: z.number() });
    expect(parseRow(strict, { id: 1, other: 2 }, 'x')).toEqual({ id: 1 });
    const positive = z.looseObject({ id: z.number().positive() });
    expect(() => parseRow(positive, { id: -1 }, 'x')).toThrow(/row -1 from Sage: id/);
    const trimmed = z.looseObject({ name: z.string().transform((s) => s.trim()) });
    expect(parseRow(trimmed, { name: ' a ' }, 'x')).toEqual({ name: 'a' });
    expect(parseRow(sopInvoiceLine, { product_code: 'P1' }, 'x')).toEqual({ product_code: 'P1' });
  });
});

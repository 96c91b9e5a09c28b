// Generated documents store only a number; their reference texts are derived on read (compact at 1M rows).
import type { TxText } from './ledger.ts';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

const KINDS: Record<string, (n: number) => TxText> = {
  's-ob': (n) => ({ reference: `OB${pad(n, 6)}`, second_reference: '', narrative: 'Opening balance' }),
  'p-ob': (n) => ({ reference: `OB${pad(n, 6)}`, second_reference: '', narrative: 'Opening balance' }),
  's-inv': (n) => ({
    reference: pad(n, 10),
    second_reference: `PO-${pad((n * 7919) % 100000, 5)}`,
    narrative: 'Sales invoice',
  }),
  'p-inv': (n) => ({
    reference: `PI${pad(n, 6)}`,
    second_reference: `INV${pad((n * 4099) % 1000000, 6)}`,
    narrative: 'Purchase invoice',
  }),
  's-rec': (n) => ({ reference: `REC${pad(n, 6)}`, second_reference: 'BACS', narrative: 'Customer receipt' }),
  'p-pay': (n) => ({ reference: `PAY${pad(n, 6)}`, second_reference: 'BACS', narrative: 'Supplier payment' }),
  's-crn': (n) => ({ reference: `CN${pad(n, 8)}`, second_reference: '', narrative: 'Sales credit note' }),
  'p-crn': (n) => ({ reference: `PCN${pad(n, 6)}`, second_reference: '', narrative: 'Purchase credit note' }),
  'b-pay': (n) => ({ reference: `BP${pad(n, 6)}`, second_reference: '', narrative: 'Bank payment' }),
  'b-rec': (n) => ({ reference: `BR${pad(n, 6)}`, second_reference: '', narrative: 'Bank receipt' }),
  'b-trf': (n) => ({ reference: `TRF${pad(n, 5)}`, second_reference: '', narrative: 'Bank transfer' }),
  'b-wages': (n) => ({ reference: `WAGES${pad(n, 3)}`, second_reference: '', narrative: 'Salaries and wages' }),
  'b-vat': (n) => ({ reference: `VAT${pad(n, 3)}`, second_reference: '', narrative: 'VAT payment' }),
};
const NAMES = Object.keys(KINDS);
const SPAN = 10_000_000;

/** encode kind + sequence number into one int32 */
export function refNumber(kind: string, n: number): number {
  const i = NAMES.indexOf(kind);
  if (i < 0) throw new Error(`unknown reference kind ${kind}`);
  return i * SPAN + n;
}

export function refText(code: number): TxText {
  return KINDS[NAMES[Math.floor(code / SPAN)]](code % SPAN);
}

// Sage nominal_transaction_enquiry_views grouped by URN -> Codat journal entries (each posting balances).
// Rows are read in (urn, id) order; a group cut by a page boundary is held back and emitted with the next page, and
// the cursor points at the first row of the held-back group so a resumed read re-reads it whole.
// The view has no update stamp, but postings are append-only and URNs are allocated in increasing order: each page
// carries `nextSync` (the highest URN read), and an incremental read (`options.after`) reads only later URNs.
import type { ReadPage, StandardRecord } from '../../connector.ts';
import { sageDate } from '../mapping/dates.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { amount, amountMinus, roundAmount } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';
import { TRADER } from '../mapping/sage.ts';
import { and, fromFilter, parseCursor, type Reader, readAll } from './common.ts';
import { loadLookups } from './lookups.ts';

type Row = Record<string, unknown>;

type UrnInfo = Lookups['urns'] extends Map<number, infer V> ? V : never;

/** The standard record a ledger posting produced (Codat journalEntry.recordRef). */
export function recordRefFor(u: UrnInfo | undefined): { id: string; dataType: string } | null {
  if (!u) return null;
  const sales = u.ledger !== 'purchase';
  const pick = (s: string, p: string) => (sales ? s : p);
  let dataType: string;
  if ((TRADER.invoice as readonly string[]).includes(u.type)) dataType = pick('invoices', 'bills');
  else if ((TRADER.creditNote as readonly string[]).includes(u.type)) dataType = pick('creditNotes', 'billCreditNotes');
  else dataType = pick('payments', 'billPayments');
  return { id: String(u.id), dataType };
}

export function mapJournalEntry(
  rows: Row[],
  ctx: { names: Map<number, string | null>; baseCurrency: string; urns?: Lookups['urns'] },
): StandardRecord {
  const first = rows[0];
  const source = str(first.source);
  const recordRef = recordRefFor(ctx.urns?.get(Number(first.urn)));
  return {
    id: String(first.urn),
    description: str(first.narrative) ?? str(first.reference),
    postedOn: sageDate(first.transaction_date)!,
    createdOn: null,
    updatedOn: null,
    journalRef: source ? { id: source, name: source } : null,
    journalLines: rows.map((r) => ({
      description: str(r.narrative),
      netAmount: roundAmount(amountMinus(amount(r.debit), amount(r.credit))),
      currency: ctx.baseCurrency,
      accountRef: { id: String(r.nominal_code_id), name: ctx.names.get(Number(r.nominal_code_id)) ?? null },
    })),
    ...(recordRef ? { recordRef } : {}),
    metadata: { isDeleted: false },
    supplementalData: { content: { sage: { reference: str(first.reference), urn: first.urn } } },
    sourceModifiedDate: null,
  };
}

/** The `nextSync` token of a journal read: the highest URN it read. */
export function journalToken(maxUrn: number): string {
  return JSON.stringify({ urn: maxUrn });
}

function afterUrn(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  try {
    const urn = (JSON.parse(token) as { urn?: unknown }).urn;
    if (typeof urn === 'number' && Number.isInteger(urn) && urn >= 0) return urn;
  } catch {}
  throw new Error(`Invalid journal sync token ${JSON.stringify(token)}: queue a full sync (?full=true)`);
}

export const readJournalEntries: Reader = async function* (client, options): AsyncIterable<ReadPage> {
  const cursor = parseCursor(options.cursor);
  if (cursor && 'done' in cursor) return;
  const after = afterUrn(options.after);
  let maxUrn = after ?? 0;
  const [lk, nominals] = await Promise.all([
    loadLookups(client, ['salesUrns', 'purchaseUrns']),
    readAll(client, 'nominal_codes', { select: 'id,name' }),
  ]);
  const ctx = {
    names: new Map(nominals.map((n) => [Number(n.id), (n.name as string) ?? null])),
    baseCurrency: lk.baseCurrency,
    urns: lk.urns,
  };
  let pending: Row[] = [];
  let pendingStart = cursor && 'skip' in cursor ? cursor.skip : 0;
  let offset = pendingStart;
  for await (const page of client.pages<Row>('nominal_transaction_enquiry_views', {
    orderBy: 'urn asc,id asc',
    filter: and(fromFilter(options, 'transaction_date'), after !== undefined ? `urn gt ${after}` : undefined),
    pageSize: options.pageSize,
    startSkip: pendingStart,
  })) {
    const records: StandardRecord[] = [];
    for (const row of page.rows) {
      if (pending.length > 0 && pending[0].urn !== row.urn) {
        records.push(mapJournalEntry(pending, ctx));
        pending = [];
        pendingStart = offset;
      }
      pending.push(row);
      offset++;
      const urn = Number(row.urn);
      if (urn > maxUrn) maxUrn = urn;
    }
    yield { records, cursor: JSON.stringify({ skip: pendingStart }), nextSync: journalToken(maxUrn) };
  }
  if (pending.length > 0)
    yield {
      records: [mapJournalEntry(pending, ctx)],
      cursor: JSON.stringify({ done: true }),
      nextSync: journalToken(maxUrn),
    };
};

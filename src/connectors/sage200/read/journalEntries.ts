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
import { loadLookups, urnsOfRows } from './lookups.ts';

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

/**
 * How pages learn which posted transaction each URN belongs to: `race` (the product) uses the URN maps once they
 * are loaded and a URN-range read per page until then; `maps` waits for the maps; `ranges` never uses them (the
 * last two exist so tests can compare both sources).
 */
export type JournalUrnSource = 'race' | 'maps' | 'ranges';

export const readJournalEntries: Reader = (client, options) => journalReader('race')(client, options);

export const journalReader = (source: JournalUrnSource): Reader =>
  async function* (client, options): AsyncIterable<ReadPage> {
    const cursor = parseCursor(options.cursor);
    if (cursor && 'done' in cursor) return;
    const after = afterUrn(options.after);
    let maxUrn = after ?? 0;
    // Cold URN maps take one pass over each ledger (seconds at a million records), and journal entries are the
    // longest read of a company: rather than wait, pages are resolved by a URN-range read of their own until the
    // maps are there. Both give the same answer (test/connector/journal-urns.test.ts).
    let maps: Lookups | undefined;
    let mapsFailed: unknown;
    const mapsLoading = (
      source === 'ranges' ? Promise.resolve(undefined) : loadLookups(client, ['salesUrns', 'purchaseUrns'])
    ).then(
      (lk) => {
        maps = lk;
      },
      (err: unknown) => {
        mapsFailed = err ?? new Error('URN lookups failed');
      },
    );
    if (source === 'maps') await mapsLoading;
    const [base, nominals] = await Promise.all([
      loadLookups(client, []),
      readAll(client, 'nominal_codes', { select: 'id,name' }),
    ]);
    const ctx: { names: Map<number, string | null>; baseCurrency: string; urns?: Lookups['urns'] } = {
      names: new Map(nominals.map((n) => [Number(n.id), (n.name as string) ?? null])),
      baseCurrency: base.baseCurrency,
    };
    /** `held`: the first row of a group held back from the previous page, mapped with these rows */
    const urnsFor = async (rows: Row[], held?: Row): Promise<Lookups['urns']> => {
      if (mapsFailed) throw mapsFailed;
      return maps ? maps.urns : urnsOfRows(client, held ? [held, ...rows] : rows);
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
      // the held-back group is mapped with this page: its URN is below the page's first, so the range includes it
      ctx.urns = await urnsFor(page.rows, pending[0]);
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
    // no load left running after the read (it fills the cache other readers share); a failure counts only if a
    // group still needs the maps
    await mapsLoading;
    if (pending.length > 0) {
      ctx.urns = await urnsFor(pending);
      yield {
        records: [mapJournalEntry(pending, ctx)],
        cursor: JSON.stringify({ done: true }),
        nextSync: journalToken(maxUrn),
      };
    }
  };

// Real invoice/credit lines of SOP-originated documents, keyed to the posted transaction they produced.
// Join rule (simulator-books.md / reference 7.5, inferred): same customer and document number = posted reference.
import type { ReadOptions } from '../../connector.ts';
import { parseRow, type SopInvoiceLine, sopInvoiceLine } from '../mapping/sage.ts';
import { readAll, type SageReader } from './common.ts';
import { cached, changedRows, laterStamp, newestStamp, type SnapshotCodec } from './lookup-cache.ts';
import { CompactSopIndex, type SopIndexState } from './sop-index.ts';

export type SopLineIndex = Map<string, SopInvoiceLine[]>;

export const sopKey = (customerId: unknown, documentNo: unknown) => `${customerId}|${String(documentNo ?? '').trim()}`;

const VIEW = 'customer_sop_invoice_credit_line_views';
/** the view's stamp of a line's document (reference 4: views carry prefixed stamps) */
const DOC_STAMP = 'sop_invoice_credit_date_time_updated';
/** The view's fields the mappers use (the view has many more; $select keeps the download and the index small). */
const SOP_LINE_FIELDS = [...Object.keys(sopInvoiceLine.shape), DOC_STAMP].join(',');

interface SopPiece {
  index: CompactSopIndex;
  /** newest document stamp among the lines held */
  docStamp: string | null;
}

type Row = Record<string, unknown>;

const SOP_SNAPSHOT: SnapshotCodec<SopPiece> = {
  version: 2,
  toState: (p) => ({ index: p.index.toState(), docStamp: p.docStamp }),
  fromState(state) {
    const s = state as { index: SopIndexState; docStamp: string | null };
    return { index: CompactSopIndex.fromState(s.index, sopKey), docStamp: s.docStamp ?? null };
  },
};

/** The newest posted sales transaction's update stamp (one `$top=1` request; a cold load only). */
async function newestPosted(client: SageReader): Promise<string | null> {
  const rows = await client.get<Row[]>('sales_posted_transactions', {
    $orderby: 'date_time_updated desc',
    $select: 'id,date_time_updated',
    $top: 1,
  });
  return newestStamp(Array.isArray(rows) ? rows : []);
}

/**
 * Sales transactions updated after `after`, read in the keyset order incremental reads use: the newest update
 * stamp among them, and whether any was *created* after `after` (posted since; the others were only allocated).
 */
async function postedSince(client: SageReader, after: string): Promise<{ stamp: string | null; posted: boolean }> {
  let stamp: string | null = null;
  let posted = false;
  for await (const rows of changedRows(client, 'sales_posted_transactions', {
    field: 'date_time_updated',
    since: after,
    select: 'id,date_time_created,date_time_updated',
  })) {
    stamp = laterStamp(stamp, newestStamp(rows));
    const created = newestStamp(rows, 'date_time_created');
    if (created && created > after) posted = true;
  }
  return { stamp, posted };
}

/**
 * SOP lines appear when their document is posted, so the piece is stamped with the newest update stamp of the
 * posted sales transactions (read before the view; every transaction existing then was created no later). A
 * refresh reads the transactions updated since: allocations alone (created before the stamp) change nothing; when
 * some were created since, i.e. documents were posted, only the view rows whose document stamp moved are read
 * (filtered on the view's document stamp) and replace those documents' lines. Never a reload for an allocation or
 * a renamed customer.
 */
export async function loadSopLines(client: SageReader): Promise<SopLineIndex> {
  const piece = await cached<SopPiece>(
    client,
    'sopLines',
    'sales_posted_transactions',
    async () => {
      const stamp = await newestPosted(client);
      // Indexed page by page, so only one raw page is held at a time.
      const index = new CompactSopIndex(sopKey);
      let docStamp: string | null = null;
      for await (const page of client.pages<Row>(VIEW, {
        orderBy: 'sop_invoice_credit_id asc,sop_invoice_credit_line_id asc',
        select: SOP_LINE_FIELDS,
        pageSize: 5000,
      })) {
        docStamp = laterStamp(docStamp, newestStamp(page.rows, DOC_STAMP));
        indexSopLines(page.rows, index);
      }
      index.trim();
      return { value: { index, docStamp }, stamp };
    },
    {
      snapshot: SOP_SNAPSHOT,
      async refresh(held) {
        const since = await postedSince(client, held.stamp!);
        if (!since.posted) return laterStamp(held.stamp, since.stamp);
        // no document stamp held (an empty view, or a source without it): read it whole instead
        if (!held.value.docStamp) throw new Error('SOP lines: no document stamp to patch from');
        const lines: SopInvoiceLine[] = [];
        let docStamp = held.value.docStamp;
        for await (const rows of changedRows(client, VIEW, {
          field: DOC_STAMP,
          since: held.value.docStamp,
          select: SOP_LINE_FIELDS,
          idField: 'sop_invoice_credit_line_id',
        })) {
          for (const r of rows) lines.push(parseLine(r));
          docStamp = laterStamp(docStamp, newestStamp(rows, DOC_STAMP)) ?? docStamp;
        }
        // all lines first: a document's lines may span two pages, and replacing is per document
        if (lines.length > 0) held.value.index.replaceDocuments(lines);
        held.value.docStamp = docStamp;
        return laterStamp(held.stamp, since.stamp);
      },
    },
  );
  return piece.index;
}

/** Documents on a page up to which their lines are read directly instead of loading the whole index. */
const FEW_DOCUMENTS = 20;

/**
 * SOP lines for the pages of one read of posted documents (invoices, credit notes). A full read, or a process that
 * holds the index, uses the index (loaded while the first page downloads). Otherwise, in an incremental read, a
 * page of a few documents reads only its customers' lines from the view (`customer_id eq ..`: the same lines the
 * index would give for these documents) instead of loading the whole index from a snapshot (a few MB to fetch,
 * inflate and deserialize, about a second at 1,000,000 records) for one changed credit note; a larger page loads
 * the index.
 */
export function sopLinesFor(client: SageReader, options: ReadOptions): (rows: Row[]) => Promise<SopLineIndex> {
  const held = !client.lookupCache || client.lookupCache.has('sopLines');
  let whole = !options.modifiedSince || held ? loadSopLines(client) : undefined;
  whole?.catch(() => {}); // surfaces when the first page awaits it
  return (rows) => {
    if (whole) return whole;
    if (rows.length <= FEW_DOCUMENTS) return linesOfCustomers(client, rows);
    whole = loadSopLines(client);
    return whole;
  };
}

async function linesOfCustomers(client: SageReader, rows: Row[]): Promise<SopLineIndex> {
  const customers = [...new Set(rows.map((r) => Number(r.customer_id)).filter(Number.isFinite))];
  if (customers.length === 0) return new CompactSopIndex(sopKey);
  const lines = await readAll(client, VIEW, {
    select: SOP_LINE_FIELDS,
    filter: customers.map((c) => `customer_id eq ${c}`).join(' or '),
    orderBy: 'sop_invoice_credit_id asc,sop_invoice_credit_line_id asc',
  });
  return indexSopLines(lines);
}

function parseLine(raw: unknown): SopInvoiceLine {
  return parseRow(sopInvoiceLine, raw, VIEW);
}

export function indexSopLines(rows: unknown[], index = new CompactSopIndex(sopKey)): SopLineIndex {
  for (const raw of rows) index.add(parseLine(raw));
  return index;
}

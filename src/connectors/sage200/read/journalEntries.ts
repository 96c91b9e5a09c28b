// Sage nominal_transaction_enquiry_views grouped by URN -> Codat journal entries (each posting balances).
// Rows are read in (urn, id) order; a group cut by a page boundary is held back and emitted with the next page, and
// the cursor points at the first row of the held-back group so a resumed read re-reads it whole. A full read of a
// large company is read as two halves at once (`JournalReadOptions.streams`).
// The view has no update stamp, but postings are append-only and URNs are allocated in increasing order: each page
// carries `nextSync` (the highest URN read), and an incremental read (`options.after`) reads only later URNs.

import { z } from 'zod';
import type { ReadPage, StandardRecord } from '../../connector.ts';
import { DEFAULT_PAGE_SIZE } from '../client.ts';
import { sageDate } from '../mapping/dates.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { amount, amountMinus, roundAmount } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';
import { TRADER } from '../mapping/sage.ts';
import { and, fromFilter, parseCursor, type Reader, readAll, type SageReader } from './common.ts';
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

export interface JournalReadOptions {
  /**
   * A full read of at least MIN_SPLIT_PAGES pages is read as two halves at once (by offset, each group of URN rows
   * whole in one half). Journal entries are the largest data type of a company (40% of its records), read as one
   * chain of pages: one chain ended 15 - 20 s after every other data type of a 1,000,000-record company.
   */
  streams?: 1 | 2;
}

const MIN_SPLIT_PAGES = 8;
const VIEW = 'nominal_transaction_enquiry_views';
const ORDER = 'urn asc,id asc';

/** Resume point of a read in two halves: the split offset, each half's next group and whether it is finished. */
const splitCursorSchema = z.object({
  split: z.object({
    k: z.number().int().min(1),
    a: z.object({ skip: z.number().int().min(0), done: z.boolean() }),
    b: z.object({ skip: z.number().int().min(0), done: z.boolean() }),
    max: z.number().int().min(0),
  }),
});
type Split = z.infer<typeof splitCursorSchema>['split'];

function parseSplit(cursor: string | undefined): Split | undefined {
  if (!cursor?.includes('"split"')) return undefined;
  try {
    return splitCursorSchema.parse(JSON.parse(cursor)).split;
  } catch {
    throw new Error(`Invalid read cursor ${JSON.stringify(cursor)}: start the read again without a cursor`);
  }
}

type Ctx = { names: Map<number, string | null>; baseCurrency: string; urns?: Lookups['urns'] };

interface RangeOptions {
  filter: string | undefined;
  pageSize: number | undefined;
  /** offset of the first row to read (the first row of a group) */
  start: number;
  /** the read stops before the first group that starts at this offset or later */
  stopAt?: number;
  /** drop the leading rows that share the first row's URN (their group belongs to the half before) */
  dropHeadGroup?: boolean;
}

interface RangePage {
  records: StandardRecord[];
  /** offset of the first row of the group held back (the resume point) */
  skip: number;
  maxUrn: number;
  /** every group of the range was emitted */
  done: boolean;
}

/**
 * Reads rows in (urn, id) order from `start` and groups them by URN. A group cut by a page boundary is held back and
 * emitted with the next page; `skip` points at its first row, so a resumed read re-reads it whole.
 */
async function* readRange(
  client: SageReader,
  ctx: Ctx,
  urnsFor: (rows: Row[], held?: Row) => Promise<Lookups['urns']>,
  o: RangeOptions,
): AsyncIterable<RangePage> {
  let pending: Row[] = [];
  let pendingStart = o.start;
  let offset = o.start;
  let maxUrn = 0;
  let head: unknown = o.dropHeadGroup ? undefined : null;
  for await (const page of client.pages<Row>(VIEW, {
    orderBy: ORDER,
    filter: o.filter,
    pageSize: o.pageSize,
    startSkip: o.start,
  })) {
    const records: StandardRecord[] = [];
    // the held-back group is mapped with this page: its URN is below the page's first, so the range includes it
    ctx.urns = await urnsFor(page.rows, pending[0]);
    for (const row of page.rows) {
      if (head !== null) {
        // the resume point stays at the head group's first row until the group has passed
        if (head === undefined) head = row.urn;
        if (row.urn === head) {
          offset++;
          continue;
        }
        head = null;
        pendingStart = offset;
      }
      if (pending.length > 0 && pending[0].urn !== row.urn) {
        records.push(mapJournalEntry(pending, ctx));
        pending = [];
        pendingStart = offset;
      }
      if (o.stopAt !== undefined && pending.length === 0 && offset >= o.stopAt) {
        yield { records, skip: pendingStart, maxUrn, done: true };
        return;
      }
      pending.push(row);
      offset++;
      const urn = Number(row.urn);
      if (urn > maxUrn) maxUrn = urn;
    }
    yield { records, skip: pendingStart, maxUrn, done: false };
  }
  if (pending.length > 0) ctx.urns = await urnsFor(pending);
  yield { records: pending.length > 0 ? [mapJournalEntry(pending, ctx)] : [], skip: offset, maxUrn, done: true };
}

/**
 * The offset that splits the rows of a read in two halves, from `$top=1` probes at doubling offsets and then
 * eighths of the last interval (two rounds of parallel requests, ~6% precision); undefined below MIN_SPLIT_PAGES.
 */
async function splitOffset(client: SageReader, filter: string | undefined, pageSize: number) {
  const has = (skip: number) =>
    client
      .get<Row[]>(VIEW, { $orderby: ORDER, $filter: filter, $select: 'urn', $top: 1, $skip: skip })
      .then((rows) => Array.isArray(rows) && rows.length > 0);
  const doubling: number[] = [];
  for (let s = MIN_SPLIT_PAGES * pageSize; s <= 2 ** 30; s *= 2) doubling.push(s);
  const found = await Promise.all(doubling.map(has));
  const last = found.lastIndexOf(true);
  if (last < 0) return undefined;
  let lo = doubling[last]!;
  let hi = doubling[last + 1] ?? lo * 2;
  const step = Math.max(1, Math.floor((hi - lo) / 8));
  const points = Array.from({ length: 7 }, (_, i) => lo + step * (i + 1)).filter((p) => p < hi);
  const more = await Promise.all(points.map(has));
  for (const [i, p] of points.entries()) {
    if (more[i]) lo = p;
    else {
      hi = p;
      break;
    }
  }
  return Math.floor((lo + hi) / 4);
}

/** Yields each page of any of the iterators as soon as it is read (each reads its next page meanwhile). */
async function* merged<T>(sources: AsyncIterable<T>[]): AsyncIterable<[number, T]> {
  const its = sources.map((s) => s[Symbol.asyncIterator]());
  const next = (i: number) => its[i]!.next().then((r) => ({ i, r }));
  const inFlight = new Map(its.map((_, i) => [i, next(i)]));
  try {
    while (inFlight.size > 0) {
      const { i, r } = await Promise.race(inFlight.values());
      if (r.done) {
        inFlight.delete(i);
        continue;
      }
      inFlight.set(i, next(i));
      yield [i, r.value];
    }
  } finally {
    // the consumer stopped early or a read failed: end the others (their pending pages are dropped)
    for (const p of inFlight.values()) p.catch(() => {});
    await Promise.allSettled(its.map((it) => it.return?.()));
  }
}

export const readJournalEntries: Reader = (client, options) => journalReader('race', { streams: 2 })(client, options);

export const journalReader = (source: JournalUrnSource, opts: JournalReadOptions = {}): Reader =>
  async function* (client, options): AsyncIterable<ReadPage> {
    const split0 = parseSplit(options.cursor);
    const cursor = split0 ? undefined : parseCursor(options.cursor);
    if (cursor && 'done' in cursor) return;
    const after = afterUrn(options.after);
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
    const filter = and(fromFilter(options, 'transaction_date'), after !== undefined ? `urn gt ${after}` : undefined);
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const [base, nominals, k] = await Promise.all([
      loadLookups(client, []),
      readAll(client, 'nominal_codes', { select: 'id,name' }),
      // only a first pass over the whole view is split (an incremental read continues after the last URN)
      !split0 && !cursor && after === undefined && opts.streams === 2
        ? splitOffset(client, filter, pageSize)
        : undefined,
    ]);
    const names = new Map(nominals.map((n) => [Number(n.id), (n.name as string) ?? null]));
    /** `held`: the first row of a group held back from the previous page, mapped with these rows */
    const urnsFor = async (rows: Row[], held?: Row): Promise<Lookups['urns']> => {
      if (mapsFailed) throw mapsFailed;
      return maps ? maps.urns : urnsOfRows(client, held ? [held, ...rows] : rows);
    };
    // each chain of pages maps with a context of its own (ctx.urns is set per page)
    const range = (o: Pick<RangeOptions, 'start' | 'stopAt' | 'dropHeadGroup'>) =>
      readRange(client, { names, baseCurrency: base.baseCurrency }, urnsFor, {
        filter,
        pageSize: options.pageSize,
        ...o,
      });
    const split: Split | undefined =
      split0 ?? (k ? { k, a: { skip: 0, done: false }, b: { skip: k - 1, done: false }, max: 0 } : undefined);

    try {
      if (!split) {
        let maxUrn = after ?? 0;
        const start = cursor && 'skip' in cursor ? cursor.skip : 0;
        for await (const p of range({ start })) {
          if (p.maxUrn > maxUrn) maxUrn = p.maxUrn;
          if (p.done && p.records.length === 0) break;
          yield {
            records: p.records,
            cursor: JSON.stringify(p.done ? { done: true } : { skip: p.skip }),
            nextSync: journalToken(maxUrn),
          };
        }
        return;
      }
      // Two halves at once: the first reads up to the group that holds row k - 1, the second starts there and
      // drops that group. The cursor holds both resume points and the highest URN read so far.
      const state = split;
      const ends = (['a', 'b'] as const).filter((h) => !state[h].done);
      const halves = ends.map((h) =>
        h === 'a'
          ? range({ start: state.a.skip, stopAt: state.k })
          : range({ start: state.b.skip, dropHeadGroup: state.b.skip === state.k - 1 }),
      );
      for await (const [i, p] of merged(halves)) {
        const half = state[ends[i]!];
        half.skip = p.skip;
        half.done = p.done;
        if (p.maxUrn > state.max) state.max = p.maxUrn;
        yield { records: p.records, cursor: JSON.stringify({ split: state }), nextSync: journalToken(state.max) };
      }
    } finally {
      // no load left running after the read (it fills the cache other readers share)
      await mapsLoading;
    }
  };

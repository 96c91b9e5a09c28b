// Paging, cursors and incremental filters shared by every reader.
import { z } from 'zod';
import type { ReadOptions, ReadPage, SnapshotStore, StandardRecord } from '../../connector.ts';
import type { PagesOptions, Sage200Client } from '../client.ts';
import { odataDateTime, sageTimestamp } from '../mapping/dates.ts';
import type { LookupCache } from './lookup-cache.ts';

/** What a reader needs from the HTTP client (the real Sage200Client satisfies it). */
export type SageReader = Pick<Sage200Client, 'get' | 'pages'> & {
  lookupCache?: LookupCache;
  /** where large lookup pieces are snapshotted for other processes (lookup-cache.ts `PieceOptions.snapshot`) */
  snapshots?: SnapshotStore;
};
export type Reader = (client: SageReader, options: ReadOptions) => AsyncIterable<ReadPage>;
type Row = Record<string, unknown>;

/** Resume point. Full reads resume by offset; incremental reads by keyset (last stamp + id), which stays correct
 * when rows change while a read is paused. */
const cursorSchema = z.union([
  z.object({ skip: z.number().int().min(0) }),
  z.object({ updatedAfter: z.string(), lastId: z.number() }),
  z.object({ done: z.literal(true) }),
]);
export type Cursor = z.infer<typeof cursorSchema>;

export function parseCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(cursor));
  } catch {
    throw new Error(`Invalid read cursor ${JSON.stringify(cursor)}: start the read again without a cursor`);
  }
}

export function and(...clauses: (string | undefined)[]): string | undefined {
  const c = clauses.filter((x): x is string => !!x);
  if (c.length === 0) return undefined;
  return c.length === 1 ? c[0] : c.map((x) => `(${x})`).join(' and ');
}

/** `from` (sync window) as an OData date filter on a business date field. */
export function fromFilter(options: ReadOptions, field: string | undefined): string | undefined {
  if (!options.from || !field) return undefined;
  return `${field} ge ${options.from.toISOString().slice(0, 10)}`;
}

export interface PagedSpec<C = undefined> {
  resource: string;
  expand?: string;
  select?: string;
  /** extra filter always applied (e.g. the transaction type) */
  filter?: string;
  /** business date field for `options.from`, e.g. transaction_date */
  dateField?: string;
  /** the resource has date_time_updated (incremental reads possible) */
  incremental?: boolean;
  /** what `map` needs (lookups), loaded while the first page is being fetched */
  context?: Promise<C>;
  /** per page, before mapping it: the context this page's rows need (e.g. lookups of just these rows) */
  prepare?: (rows: Row[], context: C) => Promise<C>;
  map: (row: Row, context: C) => StandardRecord | StandardRecord[] | null;
}

/** Generic reader: stable order, incremental filter, JSON cursor after every page. */
export async function* pagedRead<C = undefined>(
  client: SageReader,
  options: ReadOptions,
  spec: PagedSpec<C>,
): AsyncIterable<ReadPage> {
  const cursor = parseCursor(options.cursor);
  if (cursor && 'done' in cursor) return;
  // The rejection, if any, surfaces when the first page awaits the context.
  spec.context?.catch(() => {});
  const incremental = spec.incremental !== false && !!options.modifiedSince;
  const base = and(spec.filter, fromFilter(options, spec.dateField));
  let q: PagesOptions;
  if (incremental || (cursor && 'updatedAfter' in cursor)) {
    let since: string;
    let keyset: string;
    if (cursor && 'updatedAfter' in cursor) {
      since = cursor.updatedAfter;
      keyset = `date_time_updated gt ${since} or (date_time_updated eq ${since} and id gt ${cursor.lastId})`;
    } else {
      since = odataDateTime(options.modifiedSince!);
      keyset = `date_time_updated gt ${since}`;
    }
    q = { orderBy: 'date_time_updated asc,id asc', filter: and(base, keyset) };
  } else {
    q = { orderBy: 'id asc', filter: base, startSkip: cursor && 'skip' in cursor ? cursor.skip : 0 };
  }
  q = { ...q, expand: spec.expand, select: spec.select, pageSize: options.pageSize };
  const keyed = q.orderBy.startsWith('date_time_updated');
  let last: { updatedAfter: string; lastId: number } | undefined =
    cursor && 'updatedAfter' in cursor ? cursor : undefined;
  for await (const page of client.pages<Row>(spec.resource, q)) {
    let context = (await spec.context) as C;
    if (spec.prepare) context = await spec.prepare(page.rows, context);
    const records: StandardRecord[] = [];
    for (const row of page.rows) {
      const r = spec.map(row, context);
      if (Array.isArray(r)) records.push(...r);
      else if (r) records.push(r);
      if (keyed) {
        const stamp = sageTimestamp(row.date_time_updated);
        if (stamp) last = { updatedAfter: stamp, lastId: Number(row.id) };
      }
    }
    const next: Cursor = keyed ? (last ?? { skip: page.nextSkip }) : { skip: page.nextSkip };
    yield { records, cursor: JSON.stringify(next) };
  }
}

/** Reads every row of a resource (for lookups and small reference sets). */
export async function readAll(
  client: SageReader,
  resource: string,
  opts: { select?: string; expand?: string; filter?: string; orderBy?: string } = {},
): Promise<Row[]> {
  const out: Row[] = [];
  for await (const page of client.pages<Row>(resource, {
    orderBy: opts.orderBy ?? 'id asc',
    select: opts.select,
    expand: opts.expand,
    filter: opts.filter,
    pageSize: 5000,
  })) {
    out.push(...page.rows);
  }
  return out;
}

/** One page holding everything (small reference data types: company, tax rates, tracking categories). */
export async function* singlePage(records: () => Promise<StandardRecord[]>): AsyncIterable<ReadPage> {
  yield { records: await records(), cursor: JSON.stringify({ done: true }) };
}

import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { deflateRaw, inflateRaw } from 'node:zlib';
import type { SnapshotStore } from '../../connector.ts';
import { sageTimestamp } from '../mapping/dates.ts';
import type { SageReader } from './common.ts';
// Reference data shared by the readers of one connection (currencies, tax codes, parties, nominal codes, URNs, SOP
// lines): loaded once and kept between syncs while the connection is in use, so a scheduled incremental sync hours
// later reuses them. Before each use a piece is checked against the source (one small request) and brought up to
// date: large pieces are patched with only the rows changed since the stamp they hold, small ones reloaded.
// Memory stays bounded: a connection's pieces are dropped after `idleTtlMs` without use, and only the
// `maxConnections` most recently used connections keep theirs.
// Large pieces are also snapshotted to the platform database (ConnectionContext.snapshots): a process without the
// piece in memory (another worker, a restart, an idle expiry) starts from the snapshot and patches it like a held
// piece, so an incremental sync costs the changes, not a pass over whole ledgers, wherever it runs.
export interface LookupCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** whether this process holds (or is loading) the piece */
  has(key: string): boolean;
  delete(key: string): void;
  /** shares one in-flight run among the callers that ask the same question */
  once<R>(key: string, run: () => Promise<R>): Promise<R>;
}

export interface LookupCacheSettings {
  /** a connection's lookups are dropped this long after their last use */
  idleTtlMs: number;
  /** at most this many connections keep lookups (least recently used dropped first) */
  maxConnections: number;
  /**
   * A patched piece is snapshotted again only when its snapshot is older than this: serializing a large piece costs
   * far more CPU than the few changes a later reader would patch in again (not a setting: tests lower it).
   */
  snapshotResaveMs?: number;
}

export const LOOKUP_CACHE_DEFAULTS: LookupCacheSettings = { idleTtlMs: 30 * 60_000, maxConnections: 8 };
const SNAPSHOT_RESAVE_MS = 10 * 60_000;
let settings: LookupCacheSettings = { ...LOOKUP_CACHE_DEFAULTS };

/** Process-wide settings (config LOOKUP_CACHE_IDLE_SECONDS / LOOKUP_CACHE_MAX_CONNECTIONS); applies to new uses. */
export function configureLookupCaches(s: Partial<LookupCacheSettings>): void {
  settings = { ...settings, ...s };
}

/** A plain cache (no expiry of its own: the per-connection holder below drops it whole). */
export function createLookupCache(): LookupCache {
  const entries = new Map<string, Promise<unknown>>();
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    once<R>(key: string, run: () => Promise<R>): Promise<R> {
      let p = inFlight.get(key) as Promise<R> | undefined;
      if (!p) {
        p = run().finally(() => inFlight.delete(key));
        inFlight.set(key, p);
      }
      return p;
    },
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit) return hit as Promise<T>;
      const value = load();
      entries.set(key, value);
      // A failed load is not cached.
      value.catch(() => entries.get(key) === value && entries.delete(key));
      return value;
    },
    delete(key: string) {
      entries.delete(key);
    },
    has(key: string) {
      return entries.has(key);
    },
  };
}

const perConnection = new Map<string, { cache: LookupCache; timer: NodeJS.Timeout }>();

/** The cache of one connection and Sage company (process-wide; dropped `idleTtlMs` after its last use). */
export function lookupCacheFor(key: string, s: LookupCacheSettings = settings): LookupCache {
  let c = perConnection.get(key);
  if (c) {
    clearTimeout(c.timer);
    perConnection.delete(key); // re-inserted below: Map order is least recently used first
  } else {
    c = { cache: createLookupCache(), timer: undefined as unknown as NodeJS.Timeout };
  }
  const entry = c;
  entry.timer = setTimeout(() => perConnection.get(key) === entry && perConnection.delete(key), s.idleTtlMs).unref();
  perConnection.set(key, entry);
  while (perConnection.size > Math.max(1, s.maxConnections)) {
    const [oldest, v] = perConnection.entries().next().value!;
    clearTimeout(v.timer);
    perConnection.delete(oldest);
  }
  return entry.cache;
}

/** A cached piece and the stamp of the newest source row it was built from. */
export interface Stamped<T> {
  value: T;
  stamp: string | null;
  /** when the snapshot of this piece was saved (ms), if it was */
  savedAt?: number;
}

export interface PieceOptions<T> {
  /** the stamp field compared on `stampResource` (default date_time_updated) */
  stampField?: string;
  /**
   * Brings the held piece up to date in place from the rows changed after `held.stamp`, and returns the new stamp
   * (or the old one when nothing changed). When given, it replaces the freshness check: its first request *is*
   * the check. Absent: the piece is reloaded whenever the source has a newer row.
   */
  refresh?: (held: Stamped<T>) => Promise<string | null>;
  /**
   * Like `refresh`, for a piece patched from the rows changed since its stamp, applied row by row (parties, URN
   * maps). With a snapshot store, one process at a time reads a piece's changes from the source and keeps them in
   * the store (`<key>~changes`); the others apply those first and then ask the source only for what is newer still,
   * so three workers patching the same customers read them from Sage once, not three times.
   */
  patch?: PatchSpec<T>;
  /** Keep the piece in the snapshot store (when the reader has one): after a load, and after a patch that moved it. */
  snapshot?: SnapshotCodec<T>;
}

type Row = Record<string, unknown>;

export interface PatchSpec<T> {
  /** the source's rows changed after `since`, page by page (`changedRows`), carrying `date_time_updated` */
  changes: (since: string) => AsyncIterable<Row[]>;
  /** applies changed rows (in the order given: a later version of a row replaces an earlier one) */
  apply: (value: T, rows: Row[]) => void;
}

/** At most this many changed rows are kept for other processes (more: they read the changes from the source). */
const MAX_SHARED_CHANGES = 50_000;

/** Turns a piece into plain data `v8.serialize` can write (typed arrays, Maps, strings) and back. */
export interface SnapshotCodec<T> {
  /** bumped when the state's shape changes: a snapshot of another version is ignored */
  version: number;
  toState(value: T): unknown;
  fromState(state: unknown): T;
}

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

async function readSnapshot<T>(store: SnapshotStore, key: string, codec: SnapshotCodec<T>) {
  const snap = await store.load(key);
  if (!snap) return undefined;
  try {
    const state = deserialize(await inflate(snap.payload)) as { version: number; state: unknown };
    if (state?.version !== codec.version) return undefined;
    return { value: codec.fromState(state.state), stamp: snap.stamp, savedAt: snap.savedAt } satisfies Stamped<T>;
  } catch {
    return undefined; // unreadable (another version wrote it): read the source
  }
}

async function writeSnapshot<T>(store: SnapshotStore, key: string, held: Stamped<T>, codec: SnapshotCodec<T>) {
  // serialized at once (the piece may be patched later); compressed off the main thread, at the fastest level:
  // typed-array columns shrink 3 - 5x
  const raw = serialize({ version: codec.version, state: codec.toState(held.value) });
  held.savedAt = Date.now();
  await store.save(key, held.stamp, await deflate(raw, { level: 1 }));
}

/** The rows another process read from the source: every row changed in (from, to], as it was when read. */
interface SharedChanges {
  from: string;
  to: string;
  rows: Row[];
}

const changesKey = (key: string) => `${key}~changes`;

async function readChanges(store: SnapshotStore, key: string, newerThan?: string): Promise<SharedChanges | undefined> {
  const snap = await store.load(changesKey(key), newerThan);
  if (!snap?.stamp) return undefined;
  try {
    const c = deserialize(await inflate(snap.payload)) as { version: number; from: string; rows: Row[] };
    if (c?.version !== 1 || typeof c.from !== 'string' || !Array.isArray(c.rows)) return undefined;
    return { from: c.from, to: snap.stamp, rows: c.rows };
  } catch {
    return undefined;
  }
}

async function writeChanges(store: SnapshotStore, key: string, c: SharedChanges): Promise<void> {
  const raw = serialize({ version: 1, from: c.from, rows: c.rows });
  await store.save(changesKey(key), c.to, await deflate(raw, { level: 1 }));
}

/**
 * Brings `held` up to date: first with the changes another process shared (only rows newer than the held stamp:
 * the held piece may already have a later version of some), then from the source, from the newest stamp known.
 * Shares what it read. Returns the new stamp.
 */
async function patchPiece<T>(
  held: Stamped<T>,
  spec: PatchSpec<T>,
  store: SnapshotStore | undefined,
  key: string,
): Promise<string | null> {
  const start = held.stamp!;
  let stamp = start;
  // changes shared by another process that go past the held stamp (a payload-free answer when none do)
  const shared = store ? await readChanges(store, key, start) : undefined;
  const applicable = shared && shared.from <= start ? shared : undefined;
  if (applicable) {
    spec.apply(
      held.value,
      applicable.rows.filter((r) => (sageTimestamp(r.date_time_updated) ?? '') > start),
    );
    stamp = applicable.to;
  }
  const readFrom = stamp;
  const read: Row[] = [];
  for await (const rows of spec.changes(readFrom)) {
    spec.apply(held.value, rows);
    for (const r of rows) read.push(r);
    stamp = laterStamp(stamp, newestStamp(rows))!;
  }
  if (store && read.length > 0 && read.length <= MAX_SHARED_CHANGES) {
    // extend the shared range that ends where this read began while it stays small; else start one (a range newer
    // than the held stamp was read above; otherwise the stored one, if any, may end exactly there)
    const before = shared ?? (await readChanges(store, key));
    const extend =
      before &&
      before.to === readFrom &&
      before.from <= readFrom &&
      before.rows.length + read.length <= MAX_SHARED_CHANGES;
    await writeChanges(store, key, {
      from: extend ? before.from : readFrom,
      to: stamp,
      rows: extend ? before.rows.concat(read) : read,
    });
  }
  return stamp;
}

type Client = Pick<SageReader, 'get' | 'lookupCache' | 'snapshots'>;

/**
 * Loads through the reader's cache when it has one (tests pass plain readers). A cached piece is used only after
 * the source was asked for rows newer than the stamp it holds, so a customer renamed or a transaction posted a
 * moment ago is never mapped from stale data. No stamp, a failed check or a failed patch: reload.
 */
export async function cached<T>(
  client: Client,
  key: string,
  stampResource: string,
  load: () => Promise<Stamped<T>>,
  opts: PieceOptions<T> = {},
): Promise<T> {
  const cache = client.lookupCache;
  if (!cache) return (await load()).value;
  const store = opts.snapshot ? client.snapshots : undefined;
  const codec = opts.snapshot;
  const save = (held: Stamped<T>) => (store && codec ? writeSnapshot(store, key, held, codec) : undefined);
  const loadAndSave =
    store && codec
      ? async () => {
          const v = await load();
          await save(v);
          return v;
        }
      : load;
  let fresh = false;
  const hit = await cache.get(key, async () => {
    // a snapshot is a held piece: it goes through the freshness check or patch below like one
    const snap = store && codec ? await readSnapshot(store, key, codec) : undefined;
    if (snap) return snap;
    fresh = true;
    return loadAndSave();
  });
  if (fresh) return hit.value;
  const stamp = hit.stamp;
  // One refresh at a time per piece; callers arriving meanwhile share its outcome.
  const current = await cache.once(`${key}|refresh`, async (): Promise<Stamped<T>> => {
    const now = await cache.get(key, loadAndSave);
    if (now !== hit || !stamp) return now === hit ? reload(cache, key, loadAndSave) : now;
    const patch = opts.patch;
    const refresh =
      opts.refresh ??
      (patch
        ? (held: Stamped<T>) =>
            store?.exclusive
              ? store.exclusive(key, () => patchPiece(held, patch, store, key))
              : patchPiece(held, patch, store, key)
        : undefined);
    if (refresh) {
      try {
        hit.stamp = await refresh(hit);
      } catch {
        return reload(cache, key, loadAndSave);
      }
      const resaveMs = settings.snapshotResaveMs ?? SNAPSHOT_RESAVE_MS;
      if (hit.stamp !== stamp && Date.now() - (hit.savedAt ?? 0) >= resaveMs) await save(hit);
      return hit;
    }
    const newer = await cache.once(`${stampResource}|${opts.stampField ?? 'date_time_updated'}|${stamp}`, () =>
      hasNewer(client, stampResource, opts.stampField ?? 'date_time_updated', stamp),
    );
    return newer ? reload(cache, key, loadAndSave) : hit;
  });
  return current.value;
}

function reload<T>(cache: LookupCache, key: string, load: () => Promise<Stamped<T>>): Promise<Stamped<T>> {
  cache.delete(key);
  return cache.get(key, load);
}

/** Whether `resource` has a row whose `field` is after `stamp` (one `$top=1` request; a failure counts as yes). */
export function hasNewer(client: Pick<SageReader, 'get'>, resource: string, field: string, stamp: string) {
  // Same order as incremental reads (stamp, id), which the source can answer from its index.
  return client
    .get(resource, { $filter: `${field} gt ${stamp}`, $orderby: `${field} asc,id asc`, $select: 'id', $top: 1 })
    .then((rows) => (Array.isArray(rows) ? rows.length > 0 : true))
    .catch(() => true);
}

/**
 * The rows of `resource` whose `field` is after `since`, page by page in keyset order (stamp, then `idField`), so a
 * row changing during the read can neither be skipped nor stop the walk. Patching with a row twice is harmless.
 */
export async function* changedRows(
  client: Pick<SageReader, 'pages'>,
  resource: string,
  o: { field: string; since: string; select: string; idField?: string; pageSize?: number },
): AsyncIterable<Row[]> {
  const idField = o.idField ?? 'id';
  const top = o.pageSize ?? 5000;
  let since = o.since;
  let lastId: number | undefined;
  for (;;) {
    const filter =
      lastId === undefined
        ? `${o.field} gt ${since}`
        : `${o.field} gt ${since} or (${o.field} eq ${since} and ${idField} gt ${lastId})`;
    let rows: Row[] = [];
    for await (const page of client.pages<Row>(resource, {
      orderBy: `${o.field} asc,${idField} asc`,
      filter,
      select: o.select,
      pageSize: top,
    })) {
      rows = page.rows;
      break; // one page per keyset step
    }
    if (rows.length > 0) yield rows;
    if (rows.length < top) return;
    const last = rows[rows.length - 1]!;
    const s = sageTimestamp(last[o.field]);
    const id = Number(last[idField]);
    if (!s || (s === since && id === lastId)) return;
    since = s;
    lastId = id;
  }
}

/** The newest stamp (`date_time_updated` by default) of some rows, as an OData literal; null when none has one. */
export function newestStamp(rows: Iterable<Record<string, unknown>>, field = 'date_time_updated'): string | null {
  let max: string | null = null;
  for (const r of rows) {
    const t = sageTimestamp(r[field]);
    if (t && (max === null || t > max)) max = t;
  }
  return max;
}

/** The later of two stamps. */
export const laterStamp = (a: string | null, b: string | null): string | null => (!a ? b : !b || a > b ? a : b);

/** Drops every connection's cached lookups (benchmarks measure cold reads; tests start clean). */
export function clearLookupCaches(): void {
  for (const v of perConnection.values()) clearTimeout(v.timer);
  perConnection.clear();
}

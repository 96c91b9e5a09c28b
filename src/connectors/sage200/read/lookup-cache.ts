import { sageTimestamp } from '../mapping/dates.ts';
// Reference data shared by the readers of one connection (currencies, tax codes, parties, nominal codes, URNs, SOP
// lines): loaded once and kept for a short time, so the data types of one sync run (and the retries of one page)
// do not each reload them. Entries expire after `ttlMs` and are dropped then, so nothing outlives a sync by long.
export interface LookupCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  delete(key: string): void;
  /** shares one in-flight freshness check among the pieces that ask the same question */
  once(key: string, run: () => Promise<boolean>): Promise<boolean>;
}

export const LOOKUP_TTL_MS = 60_000;

export function createLookupCache(ttlMs = LOOKUP_TTL_MS, now: () => number = Date.now): LookupCache {
  const entries = new Map<string, { value: Promise<unknown>; expires: number }>();
  const inFlight = new Map<string, Promise<boolean>>();
  return {
    once(key, run) {
      let p = inFlight.get(key);
      if (!p) {
        p = run().finally(() => inFlight.delete(key));
        inFlight.set(key, p);
      }
      return p;
    },
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value as Promise<T>;
      const value = load();
      const entry = { value, expires: now() + ttlMs };
      entries.set(key, entry);
      // A failed load is not cached; an expired entry is dropped (its maps can be large).
      value.catch(() => entries.get(key) === entry && entries.delete(key));
      setTimeout(() => entries.get(key) === entry && entries.delete(key), ttlMs).unref();
      return value;
    },
    delete(key: string) {
      entries.delete(key);
    },
  };
}

const perConnection = new Map<string, { cache: LookupCache; expires: number }>();

/** The cache of one connection and Sage company (process-wide; each entry lives `ttlMs`). */
export function lookupCacheFor(key: string, ttlMs = LOOKUP_TTL_MS): LookupCache {
  const t = Date.now();
  for (const [k, v] of perConnection) if (v.expires <= t) perConnection.delete(k);
  let c = perConnection.get(key);
  if (!c) {
    c = { cache: createLookupCache(ttlMs), expires: 0 };
    perConnection.set(key, c);
  }
  c.expires = t + ttlMs;
  return c.cache;
}

/** A cached piece and the newest `date_time_updated` among the rows it was built from. */
export interface Stamped<T> {
  value: T;
  stamp: string | null;
}

/**
 * Loads through the reader's cache when it has one (tests pass plain readers). A cached piece is reused only while
 * the source has no row updated after the newest one it holds (one `$top=1` request on `stampResource`), so a
 * customer renamed or a transaction posted a moment ago is never mapped from stale data. No stamp, or a failed
 * check: reload.
 */
export async function cached<T>(
  client: {
    lookupCache?: LookupCache;
    get: (path: string, query?: Record<string, string | number>) => Promise<unknown>;
  },
  key: string,
  stampResource: string,
  load: () => Promise<Stamped<T>>,
): Promise<T> {
  const cache = client.lookupCache;
  if (!cache) return (await load()).value;
  let fresh = false;
  const loadOnce = () => {
    fresh = true;
    return load();
  };
  const hit = await cache.get(key, loadOnce);
  if (fresh) return hit.value;
  if (hit.stamp) {
    const stamp = hit.stamp;
    // Same order as incremental reads (date_time_updated, id), which the source can answer from its index.
    const newer = await cache.once(`${stampResource}|${stamp}`, () =>
      client
        .get(stampResource, {
          $filter: `date_time_updated gt ${stamp}`,
          $orderby: 'date_time_updated asc,id asc',
          $select: 'id',
          $top: 1,
        })
        .then((rows) => (Array.isArray(rows) ? rows.length > 0 : true))
        .catch(() => true),
    );
    if (!newer) return hit.value;
  }
  cache.delete(key);
  return (await cache.get(key, load)).value;
}

/** The newest `date_time_updated` of some rows, as an OData literal (null when none carries one). */
export function newestStamp(rows: Iterable<Record<string, unknown>>): string | null {
  let max: string | null = null;
  for (const r of rows) {
    const t = sageTimestamp(r.date_time_updated);
    if (t && (max === null || t > max)) max = t;
  }
  return max;
}

/** Drops every connection's cached lookups (benchmarks measure cold reads; tests start clean). */
export function clearLookupCaches(): void {
  perConnection.clear();
}

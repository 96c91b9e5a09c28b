// A connection's lookups live while the connection is used (idle expiry, reset by each use), and only the most
// recently used connections keep theirs, so memory stays bounded however many companies a process syncs.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { clearLookupCaches, createLookupCache, LOOKUP_CACHE_DEFAULTS, lookupCacheFor } from './lookup-cache.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
afterEach(() => clearLookupCaches());

describe('lookupCacheFor', () => {
  it('keeps a connection cache while it is used and drops it after the idle time', async () => {
    const s = { idleTtlMs: 150, maxConnections: 8 };
    const a = lookupCacheFor('conn-a', s);
    for (let i = 0; i < 4; i++) {
      await sleep(60);
      expect(lookupCacheFor('conn-a', s)).toBe(a); // each use restarts the idle time
    }
    await sleep(250);
    expect(lookupCacheFor('conn-a', s)).not.toBe(a);
  });

  it('keeps only the most recently used connections', () => {
    const s = { idleTtlMs: 60_000, maxConnections: 2 };
    const a = lookupCacheFor('a', s);
    const b = lookupCacheFor('b', s);
    expect(lookupCacheFor('a', s)).toBe(a); // a is now the most recent
    lookupCacheFor('c', s); // evicts b
    expect(lookupCacheFor('a', s)).toBe(a);
    expect(lookupCacheFor('b', s)).not.toBe(b);
  });
});

describe('createLookupCache', () => {
  it('loads a key once, shares in-flight runs, and does not keep a failed load', async () => {
    const c = createLookupCache();
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([c.get('k', load), c.get('k', load)])).toEqual([1, 1]);
    let runs = 0;
    const run = async () => {
      runs++;
      await sleep(10);
      return runs;
    };
    expect(await Promise.all([c.once('q', run), c.once('q', run)])).toEqual([1, 1]);
    await expect(c.get('bad', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await sleep(0);
    expect(await c.get('bad', async () => 'ok')).toBe('ok');
  });
});

describe('configuration', () => {
  it('LOOKUP_CACHE_IDLE_SECONDS, LOOKUP_CACHE_MAX_CONNECTIONS and LOOKUP_SNAPSHOT_MAX_AGE_HOURS', () => {
    const env = { DATA_DIR: '/tmp/ll' };
    const week = 7 * 24 * 3_600_000;
    expect(loadConfig(env).lookupCache).toEqual({ ...LOOKUP_CACHE_DEFAULTS, snapshotMaxAgeMs: week });
    expect(LOOKUP_CACHE_DEFAULTS).toEqual({ idleTtlMs: 1_800_000, maxConnections: 8 });
    expect(
      loadConfig({
        ...env,
        LOOKUP_CACHE_IDLE_SECONDS: '60',
        LOOKUP_CACHE_MAX_CONNECTIONS: '3',
        LOOKUP_SNAPSHOT_MAX_AGE_HOURS: '0',
      }).lookupCache,
    ).toEqual({ idleTtlMs: 60_000, maxConnections: 3, snapshotMaxAgeMs: 0 });
    expect(() => loadConfig({ ...env, LOOKUP_CACHE_IDLE_SECONDS: '0' })).toThrow(/LOOKUP_CACHE_IDLE_SECONDS/);
    expect(() => loadConfig({ ...env, LOOKUP_SNAPSHOT_MAX_AGE_HOURS: '-1' })).toThrow(/LOOKUP_SNAPSHOT_MAX_AGE_HOURS/);
  });
});

// Pure pieces of the push path: request hashing, the posting marker, generated account references, date widening.
import { describe, expect, it } from 'vitest';
import { pushMarker } from '../../src/connectors/sage200/write/ledger.ts';
import { ReferenceCache } from '../../src/connectors/sage200/write/lookups.ts';
import { referenceFromName } from '../../src/connectors/sage200/write/traders.ts';
import { sageDate, sageInstant } from '../../src/connectors/sage200/write/validate.ts';
import { canonicalJson, requestHash, validIdempotencyKey } from '../../src/push/idempotency.ts';

describe('idempotency request hash', () => {
  it('ignores key order and undefined fields but not values, paths or query', () => {
    const a = requestHash({
      method: 'POST',
      path: '/p',
      query: { timeoutInMinutes: 5 },
      body: { b: 1, a: [1, { y: 2, x: 1 }] },
    });
    const b = requestHash({
      method: 'post',
      path: '/p',
      query: { timeoutInMinutes: 5 },
      body: { a: [1, { x: 1, y: 2 }], b: 1, c: undefined },
    });
    expect(a).toBe(b);
    expect(
      requestHash({
        method: 'POST',
        path: '/p',
        query: { timeoutInMinutes: 6 },
        body: { b: 1, a: [1, { y: 2, x: 1 }] },
      }),
    ).not.toBe(a);
    expect(
      requestHash({
        method: 'POST',
        path: '/q',
        query: { timeoutInMinutes: 5 },
        body: { b: 1, a: [1, { y: 2, x: 1 }] },
      }),
    ).not.toBe(a);
    expect(canonicalJson({ z: 1, a: null })).toBe('{"a":null,"z":1}');
  });
  it('accepts visible ASCII keys up to 255 characters', () => {
    expect(validIdempotencyKey('abc-123_XYZ:~')).toBe(true);
    expect(validIdempotencyKey('')).toBe(false);
    expect(validIdempotencyKey('has space')).toBe(false);
    expect(validIdempotencyKey('x'.repeat(256))).toBe(false);
  });
});

describe('Sage write helpers', () => {
  it('the posting marker fits second_reference (20 characters) and is stable per push key', () => {
    const key = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
    expect(pushMarker(key)).toBe('LL3F2A9C1E5B7D4E8F9A');
    expect(pushMarker(key)).toHaveLength(20);
  });
  it('derives an 8-character account reference from a name', () => {
    expect(referenceFromName('Acme Widgets Ltd')).toBe('ACMEWIDG');
    expect(referenceFromName("O'Brien & Co")).toBe('OBRIENCO');
    expect(referenceFromName('***')).toBe('ACCOUNT');
  });
  it('widens dates to midnight UTC and reads Sage stamps with or without Z', () => {
    expect(sageDate('2026-10-20')).toBe('2026-10-20T00:00:00Z');
    expect(sageDate('2026-10-20T15:30:00+01:00')).toBe('2026-10-20T00:00:00Z');
    expect(sageDate('not a date')).toBeUndefined();
    expect(sageInstant('2017-06-02T08:19:00.147')).toBe('2017-06-02T08:19:00.147Z');
    expect(sageInstant('2017-06-02T08:19:00.147Z')).toBe('2017-06-02T08:19:00.147Z');
  });
  it('the reference cache shares a list for its TTL and reloads afterwards', async () => {
    let now = 0;
    let loads = 0;
    const cache = new ReferenceCache(1000, () => now);
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('k', load)).toBe(1);
    now = 1500;
    expect(await cache.get('k', load)).toBe(2);
    cache.clear();
    expect(await cache.get('k', load)).toBe(3);
  });
});

// The compact URN map must answer exactly as the Map it replaces: present and absent urns, duplicates (last wins),
// entries set later (overflow, then merged into the arrays), deletes, iteration; and the two-ledger view.
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { CompactUrnMap, UnionUrnMap, UrnIndexBuilder, type UrnInfo } from './urn-index.ts';

const TYPES = [
  'TradingAccountEntryTypeInvoice',
  'TradingAccountEntryTypeCreditNote',
  'TradingAccountEntryTypePurchasePaymentSalesReceipt',
];

/** deterministic pseudo-random numbers */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function pair(n: number, seed: number, ledger: 'sales' | 'purchase' = 'sales') {
  const r = rng(seed);
  const b = new UrnIndexBuilder();
  const m = new Map<number, UrnInfo>();
  for (let i = 0; i < n; i++) {
    // mostly rising urns with some out of order and some repeated
    const urn = r() < 0.05 ? Math.floor(r() * n) + 1 : i * 2 + 1;
    const info: UrnInfo = { id: 10_000 + i, type: TYPES[Math.floor(r() * TYPES.length)]!, ledger };
    b.add(urn, info.id, info.type, ledger);
    m.set(urn, info);
  }
  return { compact: b.build(), map: m };
}

const sorted = (m: Map<number, UrnInfo>) => [...m].sort((a, b) => a[0] - b[0]);

describe('CompactUrnMap', () => {
  it('answers get/has/size like a Map for present and absent urns, the last duplicate winning', () => {
    const { compact, map } = pair(20_000, 7);
    expect(compact.size).toBe(map.size);
    const probe = (m: Map<number, UrnInfo>) => {
      const out: unknown[] = [];
      for (let urn = -2; urn <= 40_005; urn++) out.push(m.has(urn), m.get(urn));
      return out;
    };
    expect(JSON.stringify(probe(compact))).toBe(JSON.stringify(probe(map)));
    expect(compact.get(1.5)).toBeUndefined();
    expect(JSON.stringify(sorted(compact))).toBe(JSON.stringify(sorted(map)));
    // 18 bytes an entry in typed arrays
    expect(compact.bytes).toBe(map.size * 18);
  });

  it('takes later entries (overflow, merged once it grows) and deletes, still answering like a Map', () => {
    const { compact, map } = pair(3000, 11);
    const r = rng(3);
    for (let i = 0; i < 10_000; i++) {
      const urn = Math.floor(r() * 20_000);
      const info: UrnInfo = { id: i, type: TYPES[i % 3]!, ledger: 'sales' };
      compact.set(urn, info);
      map.set(urn, info);
    }
    for (const urn of [1, 3, 5, 99_999]) expect(compact.delete(urn)).toBe(map.delete(urn));
    expect(compact.size).toBe(map.size);
    const probe = (m: Map<number, UrnInfo>) => Array.from({ length: 20_001 }, (_, urn) => m.get(urn));
    expect(JSON.stringify(probe(compact))).toBe(JSON.stringify(probe(map)));
    expect(JSON.stringify(sorted(compact))).toBe(JSON.stringify(sorted(map)));
    let n = 0;
    compact.forEach((v, k) => {
      expect(map.get(k)).toEqual(v);
      n++;
    });
    expect(n).toBe(map.size);
  });

  it('survives a snapshot (v8 serialize, toState/fromState) with its overflow entries, and keeps taking writes', () => {
    const { compact, map } = pair(5000, 5);
    for (let i = 0; i < 100; i++) {
      const info: UrnInfo = { id: 90_000 + i, type: TYPES[i % 3]!, ledger: 'sales' };
      compact.set(50_000 + i, info);
      map.set(50_000 + i, info);
    }
    const back = CompactUrnMap.fromState(deserialize(serialize(compact.toState())));
    expect(JSON.stringify(sorted(back))).toBe(JSON.stringify(sorted(map)));
    back.set(77_777, { id: 1, type: TYPES[0]!, ledger: 'sales' });
    expect(back.get(77_777)).toEqual({ id: 1, type: TYPES[0], ledger: 'sales' });
    expect(() => CompactUrnMap.fromState({ ...compact.toState(), ids: new Float64Array(1) })).toThrow();
  });

  it('an empty map has nothing', () => {
    const e = CompactUrnMap.empty();
    expect(e.size).toBe(0);
    expect(e.get(1)).toBeUndefined();
    expect([...e]).toEqual([]);
  });
});

describe('UnionUrnMap', () => {
  it('sees both ledgers as one (the later ledger winning a shared urn) and keeps its own writes', () => {
    const s = pair(500, 1, 'sales');
    const p = pair(500, 2, 'purchase');
    const u = new UnionUrnMap([s.compact, p.compact]);
    const expected = new Map([...s.map, ...p.map]);
    for (let urn = 0; urn < 1100; urn++) expect(u.get(urn)).toEqual(expected.get(urn));
    expect(u.size).toBe(expected.size);
    u.set(5_000_000, { id: 1, type: 'X' });
    expect(u.get(5_000_000)).toEqual({ id: 1, type: 'X' });
    expect(s.compact.has(5_000_000) || p.compact.has(5_000_000)).toBe(false);
  });
});

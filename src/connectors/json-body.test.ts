import { describe, expect, it } from 'vitest';
import { parseJsonBytes } from './json-body.ts';

const bytes = (v: unknown, space?: number) => Buffer.from(JSON.stringify(v, null, space));

/** Rows shaped like Sage pages: nested arrays whose objects start with the same keys as the rows. */
function rows(n: number, seed = 1) {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const tricky = ['},{"id":5,"urn":7}', 'caf\u00e9 \u00a3 \u20ac \u{1f600}', 'quote " and \\ backslash', '\n\t', ''];
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    urn: Math.floor(rnd() * 1e6),
    narrative: tricky[i % tricky.length] + 'x'.repeat(Math.floor(rnd() * 300)),
    items: Array.from({ length: i % 4 }, (_, j) => ({ id: j, urn: i, value: rnd().toFixed(2) })),
    ...(i % 7 === 0 ? {} : { reference: `INV${i}` }),
    amount: rnd() * 1000 - 500,
    ok: i % 2 === 0,
    none: null,
  }));
}

describe('parseJsonBytes', () => {
  it('parses large pages in pieces to exactly what JSON.parse gives', () => {
    for (const [n, seed] of [
      [2000, 1],
      [5000, 2],
      [700, 3],
    ]) {
      const data = rows(n, seed);
      const b = bytes(data);
      expect(b.length).toBeGreaterThan(3 * 64 * 1024);
      const stats = { pieces: 0 };
      expect(parseJsonBytes(b, stats)).toEqual(data);
      // pieces of about 64 KiB: none over V8's 128 KiB regular-string limit unless a cut was refused
      expect(stats.pieces).toBeGreaterThanOrEqual(Math.floor(b.length / (128 * 1024)));
    }
  });

  it('handles rows whose first value is a string, and Uint8Array views into a larger buffer', () => {
    const data = rows(3000).map((r) => ({ code: `C${r.id}`, ...r }));
    const b = bytes(data);
    const padded = new Uint8Array(b.length + 10);
    padded.set(b, 5);
    expect(parseJsonBytes(padded.subarray(5, 5 + b.length))).toEqual(data);
  });

  it('parses pretty-printed bodies, wrapped arrays, scalars and small bodies whole', () => {
    const data = rows(1500);
    const stats = { pieces: 0 };
    expect(parseJsonBytes(bytes(data, 2), stats)).toEqual(data);
    expect(stats.pieces).toBe(0);
    expect(parseJsonBytes(bytes({ value: data }))).toEqual({ value: data });
    expect(parseJsonBytes(bytes([1, 2, 3]))).toEqual([1, 2, 3]);
    expect(parseJsonBytes(bytes([]))).toEqual([]);
    expect(parseJsonBytes(Buffer.from(''))).toBeUndefined();
    expect(parseJsonBytes(Buffer.from('  \n'))).toBeUndefined();
  });

  it('throws a SyntaxError for a truncated or garbled body, as JSON.parse does', () => {
    const b = bytes(rows(3000));
    expect(() => parseJsonBytes(b.subarray(0, b.length - 1))).toThrow(SyntaxError);
    expect(() => parseJsonBytes(b.subarray(0, Math.floor(b.length / 2)))).toThrow(SyntaxError);
    // cut inside a row, right after its first value: a candidate cut whose second key would lie past the end
    let cuts = 0;
    for (let at = b.length; cuts < 300; cuts++) {
      at = b.lastIndexOf('},{"id":', at - 1);
      for (const extra of [10]) expect(() => parseJsonBytes(b.subarray(0, at + extra))).toThrow(SyntaxError);
    }
    const garbled = Buffer.from(b);
    garbled[garbled.lastIndexOf('":') + 1] = 0x3b; // the last key's ':' becomes ';'
    expect(() => JSON.parse(garbled.toString())).toThrow(SyntaxError);
    expect(() => parseJsonBytes(garbled)).toThrow(SyntaxError);
  });
});

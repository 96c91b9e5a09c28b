// Parses a JSON response body from its bytes without making one string of the whole body.
// V8 puts every string over 128 KiB in large-object space: each gets a fresh memory mapping that is faulted in page
// by page and unmapped at the next scavenge. On the virtual machines we measured, that cost 1 - 1.5 ms per 190 KB,
// 3 - 5x the JSON.parse of the same bytes, and was the largest single cost of a worker's full sync
// (docs/performance.md). A top-level array of objects (every Sage page) is therefore parsed in pieces of about
// PIECE bytes, each a small string.

const PIECE = 64 * 1024;
const MAX_MISSES = 8;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The body as JSON (undefined for an empty or blank body). Throws a SyntaxError for invalid JSON, as JSON.parse.
 * Pieces are cut before a `},{"k":` whose `k` and following key are the first element's first two keys; a cut in
 * the wrong place (inside a string, or between nested objects) cannot parse as an array: the next candidate is
 * tried (after a few misses the rest is parsed whole), so the result is always JSON.parse's.
 */
export function parseJsonBytes(bytes: Uint8Array, stats?: { pieces: number }): unknown {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sig = b.length > 2 * PIECE ? signature(b) : undefined;
  if (!sig) {
    const text = b.toString('utf8');
    return text.trim() ? JSON.parse(text) : undefined;
  }
  const out: unknown[] = [];
  const rest = (start: number) => {
    for (const x of JSON.parse(`[${b.toString('utf8', start)}`) as unknown[]) out.push(x);
    return out;
  };
  let start = 1; // just after '['
  let from = start + PIECE;
  let misses = 0;
  for (;;) {
    let cut = from < b.length ? b.indexOf(sig.sep, from) : -1;
    while (cut >= 0 && !sig.secondKeyAt(b, cut + 2)) cut = b.indexOf(sig.sep, cut + 1);
    if (cut < 0) return rest(start);
    let part: unknown[];
    try {
      part = JSON.parse(`[${b.toString('utf8', start, cut + 1)}]`) as unknown[];
    } catch {
      // not a top-level boundary (nested objects with the same keys), or an invalid body: try the next one a few
      // times, then the rest in one piece decides
      if (++misses > MAX_MISSES) return rest(start);
      from = cut + 1;
      continue;
    }
    if (stats) stats.pieces++;
    for (const x of part) out.push(x);
    start = cut + 2;
    from = start + PIECE;
  }
}

interface Signature {
  /** `},{"firstKey":` */
  sep: Buffer;
  /** whether the object at `at` has the first element's second key right after its first value */
  secondKeyAt(b: Buffer, at: number): boolean;
}

/** The first element's first two keys, when the body is a compact array of objects `[{"a":1,"b":...`. */
function signature(b: Buffer): Signature | undefined {
  if (b[0] !== 0x5b || b[1] !== 0x7b || b[2] !== QUOTE) return undefined;
  const firstKeyEnd = keyEnd(b, 3);
  if (firstKeyEnd < 0 || b[firstKeyEnd + 1] !== 0x3a) return undefined;
  const valueEnd = scalarEnd(b, firstKeyEnd + 2);
  if (valueEnd < 0 || b[valueEnd] !== 0x2c || b[valueEnd + 1] !== QUOTE) return undefined;
  const secondKeyEnd = keyEnd(b, valueEnd + 2);
  if (secondKeyEnd < 0 || b[secondKeyEnd + 1] !== 0x3a) return undefined;
  const first = b.subarray(1, firstKeyEnd + 2); // {"a":
  const second = Buffer.from(b.subarray(valueEnd, secondKeyEnd + 2)); // ,"b":
  const sep = Buffer.concat([Buffer.from('},'), first]);
  return {
    sep,
    secondKeyAt(buf, at) {
      const end = scalarEnd(buf, at + first.length);
      if (end < 0 || end + second.length > buf.length) return false;
      return buf.compare(second, 0, second.length, end, end + second.length) === 0;
    },
  };
}

/** Index of the closing quote of a key starting at `i` (just after its opening quote); -1 if it has escapes. */
function keyEnd(b: Buffer, i: number): number {
  const end = b.indexOf(QUOTE, i);
  if (end < 0 || b.subarray(i, end).includes(BACKSLASH)) return -1;
  return end;
}

/** Index just after a number, literal or escape-free string value starting at `i`; -1 for anything else. */
function scalarEnd(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) {
    const end = keyEnd(b, i + 1);
    return end < 0 ? -1 : end + 1;
  }
  let j = i;
  // digits, sign, point, exponent, and the letters of true / false / null
  while (j < b.length && j - i < 32) {
    const x = b[j];
    if ((x >= 0x30 && x <= 0x39) || x === 0x2d || x === 0x2b || x === 0x2e || (x >= 0x61 && x <= 0x7a) || x === 0x45)
      j++;
    else break;
  }
  return j > i ? j : -1;
}

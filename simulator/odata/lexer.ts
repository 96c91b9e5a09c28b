// Tokenizer for Sage's OData $filter subset. Datetimes must carry the UTC designator Z (Sage: "When including the
// time, you must specify the UTC timezone (Z at the end)"), so a zone-less datetime is refused here with that advice.
import { ODataError } from './errors.ts';

export type Token =
  | { t: 'lparen' | 'rparen' | 'comma'; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'number'; v: number; pos: number }
  | { t: 'date'; ms: number; text: string; pos: number }
  | { t: 'ident'; v: string; pos: number };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\d])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:[./][A-Za-z_][A-Za-z0-9_]*)*/;

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new ODataError(`Unterminated string literal at position ${i} in $filter.`);
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += src[j];
        j++;
      }
      out.push({ t: 'string', v, pos: i });
      i = j + 1;
      continue;
    }
    const rest = src.slice(i);
    const dt = DATETIME.exec(rest);
    if (dt) {
      const text = dt[0];
      if (!text.endsWith('Z')) {
        throw new ODataError(
          `The datetime '${text}' in $filter has no time zone. When including the time, you must specify the UTC timezone (Z at the end), e.g. ${text.slice(0, 19)}Z.`,
        );
      }
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) throw new ODataError(`'${text}' in $filter is not a valid datetime.`);
      out.push({ t: 'date', ms, text, pos: i });
      i += text.length;
      continue;
    }
    const d = DATE.exec(rest);
    if (d) {
      const ms = Date.parse(`${d[0]}T00:00:00Z`);
      if (Number.isNaN(ms)) throw new ODataError(`'${d[0]}' in $filter is not a valid date.`);
      out.push({ t: 'date', ms, text: d[0], pos: i });
      i += d[0].length;
      continue;
    }
    const n = NUMBER.exec(rest);
    if (n) {
      out.push({ t: 'number', v: Number(n[0].replace(/[mMdDfFlL]$/, '')), pos: i });
      i += n[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      out.push({ t: 'ident', v: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    throw new ODataError(`Syntax error at position ${i} in $filter: unexpected '${c}'.`);
  }
  return out;
}

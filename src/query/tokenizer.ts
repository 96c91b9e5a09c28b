// Tokenizer for Codat's query language. Values may be quoted ("..." or '...', backslash escapes) or bare; a bare
// value runs until `&&`, `||`, `}` or the end and is trimmed, so `name=Bank of Dave` works.
import { type Operator, QueryError } from './ast.ts';

export type Token =
  | { kind: 'lbrace' | 'rbrace' | 'and' | 'or'; pos: number }
  | { kind: 'op'; op: Operator; pos: number }
  | { kind: 'path'; path: string[]; pos: number }
  | { kind: 'value'; value: string; pos: number };

export const MAX_QUERY_LENGTH = 2048;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/;
const OPERATORS: Operator[] = ['!=', '>=', '<=', '=', '~', '>', '<'];

export function tokenize(text: string): Token[] {
  if (text.length >= MAX_QUERY_LENGTH)
    throw new QueryError(`Query must be shorter than ${MAX_QUERY_LENGTH} characters`, 0);
  const tokens: Token[] = [];
  let i = 0;
  // After an operator comes a value; otherwise a property name, brace or connective.
  let expectValue = false;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (expectValue) {
      if (ch === '"' || ch === "'") {
        const start = i;
        let value = '';
        i++;
        while (i < text.length && text[i] !== ch) {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          value += text[i++];
        }
        if (i >= text.length) throw new QueryError('Unterminated quoted value', start);
        i++;
        tokens.push({ kind: 'value', value, pos: start });
      } else {
        const start = i;
        while (i < text.length && !text.startsWith('&&', i) && !text.startsWith('||', i) && text[i] !== '}') i++;
        const value = text.slice(start, i).trim();
        if (value === '') throw new QueryError('Expected a value after the operator', start);
        // `a=1 b=2` is almost always a missing `&&`; a value that really contains these characters must be quoted.
        const bad = /[=<>~]/.exec(value);
        if (bad)
          throw new QueryError(
            `Unexpected "${bad[0]}" in a value: join conditions with && or ||, or quote the value`,
            start + text.slice(start).indexOf(bad[0]),
          );
        tokens.push({ kind: 'value', value, pos: start });
      }
      expectValue = false;
      continue;
    }
    if (ch === '{') {
      tokens.push({ kind: 'lbrace', pos: i++ });
      continue;
    }
    if (ch === '}') {
      tokens.push({ kind: 'rbrace', pos: i++ });
      continue;
    }
    if (text.startsWith('&&', i)) {
      tokens.push({ kind: 'and', pos: i });
      i += 2;
      continue;
    }
    if (text.startsWith('||', i)) {
      tokens.push({ kind: 'or', pos: i });
      i += 2;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', op, pos: i });
      i += op.length;
      expectValue = true;
      continue;
    }
    const m = PATH.exec(text.slice(i));
    if (m) {
      tokens.push({ kind: 'path', path: m[0].split('.'), pos: i });
      i += m[0].length;
      continue;
    }
    throw new QueryError(`Unexpected character "${ch}"; expected a property name, "{" or "}"`, i);
  }
  if (expectValue) throw new QueryError('Expected a value after the operator', text.length);
  return tokens;
}

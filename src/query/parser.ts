// Recursive-descent parser: or := and ('||' and)* ; and := primary ('&&' primary)* ;
// primary := '{' or '}' | path op value. `&&` binds tighter than `||`, as in Codat's examples.
import { QueryError, type QueryNode } from './ast.ts';
import { type Token, tokenize } from './tokenizer.ts';

export function parseQuery(text: string): QueryNode {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new QueryError('Query is empty', 0);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const endPos = text.length;

  function parseOr(): QueryNode {
    let left = parseAnd();
    while (peek()?.kind === 'or') {
      i++;
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  }

  function parseAnd(): QueryNode {
    let left = parsePrimary();
    while (peek()?.kind === 'and') {
      i++;
      left = { type: 'and', left, right: parsePrimary() };
    }
    return left;
  }

  function parsePrimary(): QueryNode {
    const t = peek();
    if (!t) throw new QueryError('Expected a condition such as amountDue>0', endPos);
    if (t.kind === 'lbrace') {
      i++;
      const inner = parseOr();
      const close = peek();
      if (close?.kind !== 'rbrace') throw new QueryError('Expected "}" to close the group', close?.pos ?? endPos);
      i++;
      return inner;
    }
    if (t.kind !== 'path') throw new QueryError('Expected a property name', t.pos);
    i++;
    const op = peek();
    if (op?.kind !== 'op') throw new QueryError('Expected an operator (=, !=, ~, >, <, >=, <=)', op?.pos ?? endPos);
    i++;
    const value = peek();
    if (value?.kind !== 'value') throw new QueryError('Expected a value', value?.pos ?? endPos);
    i++;
    return { type: 'cmp', path: t.path, op: op.op, value: value.value, position: t.pos };
  }

  const ast = parseOr();
  const rest = peek();
  if (rest) throw new QueryError(rest.kind === 'rbrace' ? 'Unmatched "}"' : 'Expected "&&" or "||"', rest.pos);
  return ast;
}

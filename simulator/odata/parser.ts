// Recursive-descent parser for $filter: or > and > not > comparison > primary (literal, field, function, parentheses).
import { ODataError } from './errors.ts';
import { type Token, tokenize } from './lexer.ts';

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FnName = 'contains' | 'startswith' | 'endswith';

export type Node =
  | { k: 'or' | 'and'; a: Node; b: Node }
  | { k: 'not'; a: Node }
  | { k: 'cmp'; op: CompareOp; a: Node; b: Node }
  | { k: 'fn'; fn: FnName; args: Node[] }
  | { k: 'field'; path: string[] }
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'date'; ms: number }
  | { k: 'bool'; v: boolean }
  | { k: 'null' };

const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['contains', 'startswith', 'endswith']);

export function parseFilter(src: string): Node {
  const toks = tokenize(src);
  let i = 0;
  const peek = (): Token | undefined => toks[i];
  const isWord = (w: string) => {
    const t = toks[i];
    return t?.t === 'ident' && t.v.toLowerCase() === w;
  };
  const where = () => (toks[i] ? `at position ${toks[i]!.pos}` : 'at the end');

  function orExpr(): Node {
    let a = andExpr();
    while (isWord('or')) {
      i++;
      a = { k: 'or', a, b: andExpr() };
    }
    return a;
  }
  function andExpr(): Node {
    let a = notExpr();
    while (isWord('and')) {
      i++;
      a = { k: 'and', a, b: notExpr() };
    }
    return a;
  }
  function notExpr(): Node {
    if (isWord('not')) {
      i++;
      return { k: 'not', a: notExpr() };
    }
    return comparison();
  }
  function comparison(): Node {
    const a = primary();
    const t = peek();
    if (t?.t === 'ident' && COMPARE.has(t.v.toLowerCase())) {
      i++;
      return { k: 'cmp', op: t.v.toLowerCase() as CompareOp, a, b: primary() };
    }
    return a;
  }
  function primary(): Node {
    const t = peek();
    if (!t) throw new ODataError('Syntax error in $filter: the expression ends too early.');
    i++;
    switch (t.t) {
      case 'lparen': {
        const e = orExpr();
        if (peek()?.t !== 'rparen') throw new ODataError(`Syntax error in $filter: ')' expected ${where()}.`);
        i++;
        return e;
      }
      case 'string':
        return { k: 'str', v: t.v };
      case 'number':
        return { k: 'num', v: t.v };
      case 'date':
        return { k: 'date', ms: t.ms };
      case 'ident': {
        const w = t.v.toLowerCase();
        if (w === 'true' || w === 'false') return { k: 'bool', v: w === 'true' };
        if (w === 'null') return { k: 'null' };
        if (peek()?.t === 'lparen') {
          if (!FUNCTIONS.has(w)) throw new ODataError(`Unknown function '${t.v}' in $filter.`);
          i++;
          const args: Node[] = [orExpr()];
          while (peek()?.t === 'comma') {
            i++;
            args.push(orExpr());
          }
          if (peek()?.t !== 'rparen') throw new ODataError(`Syntax error in $filter: ')' expected ${where()}.`);
          i++;
          if (args.length !== 2) throw new ODataError(`Function '${w}' takes 2 arguments.`);
          return { k: 'fn', fn: w as FnName, args };
        }
        if (COMPARE.has(w) || w === 'and' || w === 'or' || w === 'not') {
          throw new ODataError(`Syntax error in $filter: unexpected '${t.v}' at position ${t.pos}.`);
        }
        return { k: 'field', path: t.v.split(/[./]/) };
      }
      default:
        throw new ODataError(
          `Syntax error in $filter: unexpected '${t.t === 'comma' ? ',' : ')'}' at position ${t.pos}.`,
        );
    }
  }

  const node = orExpr();
  if (i < toks.length) throw new ODataError(`Syntax error in $filter: unexpected input ${where()}.`);
  return node;
}

/** Every field path a filter mentions (to refuse unknown ones with a 400 naming them). */
export function fieldsOf(n: Node, out: string[][] = []): string[][] {
  switch (n.k) {
    case 'or':
    case 'and':
    case 'cmp':
      fieldsOf(n.a, out);
      fieldsOf(n.b, out);
      break;
    case 'not':
      fieldsOf(n.a, out);
      break;
    case 'fn':
      for (const a of n.args) fieldsOf(a, out);
      break;
    case 'field':
      out.push(n.path);
      break;
  }
  return out;
}

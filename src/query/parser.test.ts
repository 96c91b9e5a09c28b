import { describe, expect, it } from 'vitest';
import { QueryError } from './ast.ts';
import { parseQuery } from './parser.ts';

describe('parseQuery', () => {
  it('parses a comparison with a dotted path', () => {
    expect(parseQuery('customerRef.id=61')).toEqual({
      type: 'cmp',
      path: ['customerRef', 'id'],
      op: '=',
      value: '61',
      position: 0,
    });
  });

  it('parses every operator', () => {
    for (const op of ['=', '!=', '~', '>', '<', '>=', '<=']) {
      const ast = parseQuery(`amountDue${op}10`);
      expect(ast).toMatchObject({ type: 'cmp', op, value: '10' });
    }
  });

  it('binds && tighter than || and honours {} grouping', () => {
    expect(parseQuery('a=1 || b=2 && c=3')).toMatchObject({
      type: 'or',
      left: { path: ['a'] },
      right: { type: 'and', left: { path: ['b'] }, right: { path: ['c'] } },
    });
    expect(parseQuery('{totalAmount > 100 || totalAmount < 50} && status != paid')).toMatchObject({
      type: 'and',
      left: { type: 'or', left: { op: '>', value: '100' }, right: { op: '<', value: '50' } },
      right: { op: '!=', value: 'paid' },
    });
  });

  it('accepts quoted values with operators and escapes inside, and bare values with spaces', () => {
    expect(parseQuery(`name="a && b || } \\" c"`)).toMatchObject({ value: 'a && b || } " c' });
    expect(parseQuery("name='O\\'Brien'")).toMatchObject({ value: "O'Brien" });
    expect(parseQuery('name=Bank of Dave && currency=GBP')).toMatchObject({
      type: 'and',
      left: { value: 'Bank of Dave' },
      right: { value: 'GBP' },
    });
    expect(parseQuery('modifiedDate>=2021-01-01T00:00:00Z')).toMatchObject({ value: '2021-01-01T00:00:00Z' });
  });

  it.each([
    ['', /empty/, 1],
    ['amountDue', /operator/, 10],
    ['amountDue>', /value/, 11],
    ['{a=1', /"}"/, 5],
    ['a=1}', /Unmatched/, 4],
    ['a=1 b=2', /join conditions/, 6],
    ['a=1 &&', /condition/, 7],
    ['"x"=1', /Unexpected character/, 1],
    ['a=1 && 9b=2', /Unexpected character/, 8],
    ["a='open", /Unterminated/, 3],
  ])('rejects %j with a position', (q, message, position) => {
    try {
      parseQuery(q);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(QueryError);
      expect((err as QueryError).message).toMatch(message);
      expect((err as QueryError).position + 1).toBe(position);
    }
  });

  it('rejects queries of 2048 characters or more', () => {
    expect(() => parseQuery(`a=${'x'.repeat(2046)}`)).toThrow(/shorter than 2048/);
  });
});

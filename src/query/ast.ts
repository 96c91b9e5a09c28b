// The AST of Codat's query language (docs/using-the-api/querying.md).
export type Operator = '=' | '!=' | '~' | '>' | '<' | '>=' | '<=';

export interface Comparison {
  type: 'cmp';
  /** dotted path, split: customerRef.id -> ['customerRef', 'id'] */
  path: string[];
  op: Operator;
  value: string;
  /** 0-based offset of the property name in the query text, for messages */
  position: number;
}

export interface Logical {
  type: 'and' | 'or';
  left: QueryNode;
  right: QueryNode;
}

export type QueryNode = Comparison | Logical;

/** A bad query: `position` is 0-based; the message says what was expected there. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at position ${position + 1})`);
    this.name = 'QueryError';
  }
}

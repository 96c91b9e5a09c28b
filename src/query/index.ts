// Codat's query language and paging, for every list endpoint (platform lists and the data endpoints).
export { type Comparison, type Logical, type Operator, QueryError, type QueryNode } from './ast.ts';
export {
  type ColumnSpec,
  type ColumnType,
  type CompileOptions,
  compileOrderBy,
  compileQuery,
  type OrderTerm,
} from './compile.ts';
export {
  LinksSchema,
  type ListQuery,
  ListQuerySchema,
  orderFromQuery,
  type Page,
  PageEnvelopeSchema,
  pageEnvelope,
  runPagedQuery,
  whereFromQuery,
} from './paging.ts';
export { parseQuery } from './parser.ts';
export { tokenize } from './tokenizer.ts';

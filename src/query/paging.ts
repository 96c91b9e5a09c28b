// Paging for list endpoints: `page` (1-based), `pageSize` (default 100, max 5000), `query`, `orderBy`, and the
// Codat envelope `{results, pageNumber, pageSize, totalResults, _links}`.
import { type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { ApiError } from '../http/errors.ts';
import { QueryError } from './ast.ts';
import { type CompileOptions, compileOrderBy, compileQuery, type OrderTerm } from './compile.ts';
import { parseQuery } from './parser.ts';

export const ListQuerySchema = z.object({
  page: z.coerce.number().int().min(1, 'page must be 1 or more').default(1),
  pageSize: z.coerce
    .number()
    .int()
    .min(1, 'pageSize must be 1 or more')
    .max(5000, 'pageSize must be 5000 or less')
    .default(100),
  query: z.string().max(2047, 'query must be shorter than 2048 characters').optional(),
  orderBy: z.string().max(500).optional(),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

const HalRef = z.object({ href: z.string() });
export const LinksSchema = z.object({
  self: HalRef,
  current: HalRef,
  next: HalRef.optional(),
  previous: HalRef.optional(),
});

/** The envelope schema for a list of `item`. */
export function PageEnvelopeSchema<T extends z.ZodType>(item: T) {
  return z.object({
    results: z.array(item),
    pageNumber: z.number().int(),
    pageSize: z.number().int(),
    totalResults: z.number().int(),
    _links: LinksSchema,
  });
}

export interface Page<T> {
  results: T[];
  pageNumber: number;
  pageSize: number;
  totalResults: number;
  _links: z.infer<typeof LinksSchema>;
}

/**
 * Builds the envelope. `path` is the request path without query string; other list parameters (query, orderBy,
 * extra filters) are carried into the links.
 */
export function pageEnvelope<T>(
  results: T[],
  opts: { path: string; page: number; pageSize: number; total: number; params?: Record<string, string | undefined> },
): Page<T> {
  const href = (page: number) => {
    const qs = new URLSearchParams();
    qs.set('page', String(page));
    qs.set('pageSize', String(opts.pageSize));
    for (const [k, v] of Object.entries(opts.params ?? {})) if (v !== undefined && v !== '') qs.set(k, v);
    return { href: `${opts.path}?${qs.toString()}` };
  };
  const lastPage = Math.max(1, Math.ceil(opts.total / opts.pageSize));
  return {
    results,
    pageNumber: opts.page,
    pageSize: opts.pageSize,
    totalResults: opts.total,
    _links: {
      self: { href: opts.path },
      current: href(opts.page),
      ...(opts.page < lastPage ? { next: href(opts.page + 1) } : {}),
      ...(opts.page > 1 ? { previous: href(Math.min(opts.page - 1, lastPage)) } : {}),
    },
  };
}

/** Parses and compiles `query` into a WHERE expression; a bad query becomes a 400 naming the position. */
export function whereFromQuery(
  query: string | undefined,
  options: CompileOptions,
  param = 'query',
): RawBuilder<SqlBool> | undefined {
  if (query === undefined || query.trim() === '') return undefined;
  try {
    return compileQuery(parseQuery(query), options);
  } catch (err) {
    if (err instanceof QueryError)
      throw new ApiError(400, `Invalid ${param}: ${err.message}`, {
        errors: [{ itemId: param, message: err.message, validatorName: 'QueryLanguage' }],
      });
    throw err;
  }
}

/** Compiles `orderBy`; a bad one becomes a 400. */
export function orderFromQuery(orderBy: string | undefined, options: CompileOptions): OrderTerm[] {
  if (!orderBy || orderBy.trim() === '') return [];
  try {
    return compileOrderBy(orderBy, options);
  } catch (err) {
    if (err instanceof QueryError)
      throw new ApiError(400, `Invalid orderBy: ${err.message}`, {
        errors: [{ itemId: 'orderBy', message: err.message, validatorName: 'OrderBy' }],
      });
    throw err;
  }
}

/**
 * Runs a list query with Codat's query/orderBy/paging: counts the filtered rows, then fetches one page.
 * `defaultOrder` applies after the requested order (it should end with a unique column, for stable pages).
 */
export async function runPagedQuery<DB, TB extends keyof DB, Row>(
  qb: SelectQueryBuilder<DB, TB, Row>,
  list: ListQuery,
  options: CompileOptions & { defaultOrder: OrderTerm[] },
): Promise<{ rows: Row[]; total: number }> {
  const where = whereFromQuery(list.query, options);
  const filtered = where ? qb.where(where) : qb;
  const countRow = (await filtered
    .clearSelect()
    .clearOrderBy()
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirst()) as { n: number | string } | undefined;
  const total = Number(countRow?.n ?? 0);
  let ordered = filtered;
  for (const t of [...orderFromQuery(list.orderBy, options), ...options.defaultOrder]) {
    ordered = ordered.orderBy(t.expr, t.direction);
  }
  const rows = await ordered
    .limit(list.pageSize)
    .offset((list.page - 1) * list.pageSize)
    .execute();
  return { rows, total };
}

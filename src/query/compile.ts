// AST -> parameterised SQL (Kysely RawBuilder) for SQLite and PostgreSQL. Values are always bound parameters and
// property names are checked against the tokenizer's identifier pattern and the allowed columns, so no user text
// is ever spliced into SQL.
//
// Semantics (chosen where Codat's docs are silent; see docs/api.md):
// - `=` / `!=` compare case-insensitively as text; a numeric-looking value also matches numerically (61 = "61").
// - `~` is a case-insensitive "contains" on the text form.
// - `>`, `<`, `>=`, `<=` compare numerically when the value is a number, else as text (ISO dates sort as text).
// - `!=` also matches records where the property is absent (null).
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect } from '../store/json.ts';
import { type Comparison, QueryError, type QueryNode } from './ast.ts';

export type ColumnType = 'text' | 'number' | 'boolean';

/** A queryable real column: a column name (text) or an SQL expression with its type. */
export type ColumnSpec = string | { expr: Expression<unknown> | RawBuilder<unknown>; type: ColumnType };

export interface CompileOptions {
  dialect: Dialect;
  /** property name (first path segment, or the whole dotted path) -> column */
  columns?: Record<string, ColumnSpec>;
  /** a JSON document column (text on SQLite, text or jsonb on PG): any other dotted path is read from it */
  jsonColumn?: string | Expression<unknown>;
  /** JSON columns reached by a prefix: `{ tags: 'tags' }` makes `tags.region=uk` read $.region of column tags */
  jsonColumns?: Record<string, string | Expression<unknown>>;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

interface Operand {
  text: RawBuilder<unknown>;
  num: RawBuilder<unknown>;
}

function columnOperand(spec: Exclude<ColumnSpec, string> | string, dialect: Dialect): Operand {
  const s = typeof spec === 'string' ? { expr: sql.ref(spec), type: 'text' as const } : spec;
  const e = s.expr;
  if (s.type === 'number') {
    return { num: sql`${e}`, text: sql`cast(${e} as text)` };
  }
  if (s.type === 'boolean') {
    const text =
      dialect === 'sqlite'
        ? sql`(case when ${e} in (1, 'true') then 'true' when ${e} is null then null else 'false' end)`
        : sql`(case when cast(${e} as text) in ('1', 'true') then 'true' when ${e} is null then null else 'false' end)`;
    return { num: sql`null`, text };
  }
  return { text: sql`${e}`, num: sql`null` };
}

function jsonOperand(column: string | Expression<unknown>, path: string[], dialect: Dialect): Operand {
  const col = typeof column === 'string' ? sql.ref(column) : column;
  if (dialect === 'sqlite') {
    const p = `$.${path.join('.')}`;
    const type = sql`json_type(${col}, ${p})`;
    const value = sql`json_extract(${col}, ${p})`;
    return {
      text: sql`(case ${type} when 'true' then 'true' when 'false' then 'false' when 'object' then null when 'array' then null else cast(${value} as text) end)`,
      num: sql`(case when ${type} in ('integer', 'real') then ${value} end)`,
    };
  }
  const p = `{${path.join(',')}}`;
  const node = sql`(cast(${col} as jsonb) #> cast(${p} as text[]))`;
  const text = sql`(cast(${col} as jsonb) #>> cast(${p} as text[]))`;
  return {
    text: sql`(case when jsonb_typeof(${node}) in ('object', 'array') then null else ${text} end)`,
    num: sql`(case when jsonb_typeof(${node}) = 'number' then cast(${text} as numeric) end)`,
  };
}

function resolveOperand(path: string[], position: number, options: CompileOptions): Operand {
  const columns = options.columns ?? {};
  const dotted = path.join('.');
  const spec = columns[dotted] ?? (path.length === 1 ? columns[path[0]] : undefined);
  if (spec) return columnOperand(spec, options.dialect);
  const prefixed = path.length > 1 ? options.jsonColumns?.[path[0]] : undefined;
  if (prefixed) return jsonOperand(prefixed, path.slice(1), options.dialect);
  if (options.jsonColumn) return jsonOperand(options.jsonColumn, path, options.dialect);
  const known = Object.keys(columns).sort().join(', ');
  throw new QueryError(`Unknown property "${dotted}"; you can query: ${known}`, position);
}

function comparison(c: Comparison, options: CompileOptions): RawBuilder<SqlBool> {
  const { text, num } = resolveOperand(c.path, c.position, options);
  const isNumber = NUMBER.test(c.value);
  const numValue = isNumber ? Number(c.value) : undefined;
  switch (c.op) {
    case '=':
    case '!=': {
      const eq = isNumber
        ? sql<SqlBool>`(lower(${text}) = lower(${c.value}) or ${num} = ${numValue})`
        : sql<SqlBool>`lower(${text}) = lower(${c.value})`;
      return c.op === '='
        ? sql<SqlBool>`coalesce(${eq}, false)`
        : sql<SqlBool>`(${text} is null or not coalesce(${eq}, false))`;
    }
    case '~':
      return options.dialect === 'sqlite'
        ? sql<SqlBool>`coalesce(instr(lower(${text}), lower(${c.value})) > 0, 0)`
        : sql<SqlBool>`coalesce(strpos(lower(${text}), lower(${c.value})) > 0, false)`;
    default: {
      const op = sql.raw(c.op); // one of a fixed set of operator tokens, never user text
      return isNumber
        ? sql<SqlBool>`coalesce(${num} ${op} ${numValue}, ${falseLiteral(options)})`
        : sql<SqlBool>`coalesce(${text} ${op} ${c.value}, ${falseLiteral(options)})`;
    }
  }
}

const falseLiteral = (o: CompileOptions) => (o.dialect === 'sqlite' ? sql`0` : sql`false`);

/** The WHERE expression of a parsed query. */
export function compileQuery(ast: QueryNode, options: CompileOptions): RawBuilder<SqlBool> {
  if (ast.type === 'cmp') return comparison(ast, options);
  const left = compileQuery(ast.left, options);
  const right = compileQuery(ast.right, options);
  return ast.type === 'and' ? sql<SqlBool>`(${left} and ${right})` : sql<SqlBool>`(${left} or ${right})`;
}

export interface OrderTerm {
  expr: RawBuilder<unknown>;
  direction: 'asc' | 'desc';
}

/**
 * `orderBy=issueDate` / `orderBy=-issueDate` (comma-separated for several). Over a JSON column, values order by
 * their JSON type's natural order (numbers numerically).
 */
export function compileOrderBy(orderBy: string, options: CompileOptions): OrderTerm[] {
  const terms: OrderTerm[] = [];
  let offset = 0;
  for (const raw of orderBy.split(',')) {
    const part = raw.trim();
    const position = offset + raw.indexOf(part);
    offset += raw.length + 1;
    if (!part) continue;
    const direction = part.startsWith('-') ? 'desc' : 'asc';
    const name = part.replace(/^[-+]/, '');
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name))
      throw new QueryError(`orderBy: "${name}" is not a property name`, position);
    const path = name.split('.');
    const columns = options.columns ?? {};
    const spec = columns[name] ?? (path.length === 1 ? columns[path[0]] : undefined);
    let expr: RawBuilder<unknown>;
    if (spec) expr = typeof spec === 'string' ? sql`${sql.ref(spec)}` : sql`${spec.expr}`;
    else if (options.jsonColumn) {
      const col = typeof options.jsonColumn === 'string' ? sql.ref(options.jsonColumn) : options.jsonColumn;
      expr =
        options.dialect === 'sqlite'
          ? sql`json_extract(${col}, ${`$.${name}`})`
          : sql`(cast(${col} as jsonb) #> cast(${`{${path.join(',')}}`} as text[]))`;
    } else {
      throw new QueryError(
        `orderBy: unknown property "${name}"; you can order by: ${Object.keys(columns).sort().join(', ')}`,
        position,
      );
    }
    terms.push({ expr, direction });
  }
  return terms;
}

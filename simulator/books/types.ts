// The contract between the books and the simulator's HTTP layer (re-exported from index.ts).
import type { DemoCompany } from '../demo.ts';

export interface BookOptions {
  company: DemoCompany;
  seed: number;
  scale: number;
  /** YYYY-MM-DD: last day with generated documents */
  asOf: string;
}

/** Which nested keys a reader needs built (undefined = all). The others hold an empty placeholder (an object, or
 * null where the full row has null), or with `omit` are left out or undefined (still null where the full row has null), so
 * shaping, which drops unexpanded nested values, gives the same output. Collections may ignore it. */
export type Want =
  | {
      build(key: string): boolean;
      omit?: boolean;
      /** the only top-level fields the reader looks at (a `$select` and the key, or what $filter and $orderby
       * read); a collection may then leave every other field out */
      only?: ReadonlySet<string>;
    }
  | undefined;

export interface Collection {
  readonly resource: string;
  /** primary key field: 'id' for most; views use their own (e.g. posted_customer_transaction_id) */
  readonly key: string;
  size(): number;
  get(id: number, want?: Want): Record<string, unknown> | undefined;
  /** ascending key order; objects are FULL (every nested object/array present) unless `want` says otherwise;
   * fresh objects per call */
  scan(want?: Want): Iterable<Record<string, unknown>>;
  /** fast path for `$orderby=<key> asc&$skip&$top` without a filter */
  slice(offset: number, limit: number, want?: Want): Record<string, unknown>[];
}

/** Exact decimal strings (2dp) in base currency. */
export interface BookChecks {
  /** sum of all nominal balances (debit positive): "0.00" when the books balance */
  trialBalance: string;
  assets: string;
  liabilities: string;
  /** capital and reserves including the current year's profit */
  equity: string;
  /** current financial year's profit (income - expenses) */
  profit: string;
  /** assets - liabilities - equity: "0.00" except for the sandbox company */
  difference: string;
  postedTransactions: number;
  nominalPostings: number;
}

export interface Book {
  readonly company: DemoCompany;
  collection(resource: string): Collection | undefined;
  resources(): string[];
  create(resource: string, body: Record<string, unknown>, now: Date): Record<string, unknown>;
  update(resource: string, id: number, body: Record<string, unknown>, now: Date): Record<string, unknown>;
  remove(resource: string, id: number, now: Date): void;
  checks(): BookChecks;
}

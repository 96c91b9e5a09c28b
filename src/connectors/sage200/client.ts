// HTTP client for the Sage 200 API: headers, OData paging, bounded retries, token refresh after a 401.
// Talks only to the configured base URL, so the simulator and the real Sage API are interchangeable.
import { type ConnectionContext, ConnectorError } from '../connector.ts';
import { parseJsonBytes } from '../json-body.ts';
import { errorForStatus, parseErrorBody } from './errors.ts';

/** Sage's documented maximum for `$top` (Standard, and Professional after Feb 2019). */
export const MAX_PAGE_SIZE = 5000;
/** Our default: never rely on Sage's silent default of 500. */
export const DEFAULT_PAGE_SIZE = 1000;

export type Query = Record<string, string | number | boolean | undefined>;

export interface RetryPolicy {
  /** total tries per request, the first included */
  maxAttempts: number;
  /** give up rather than wait longer than this in total (backoff + Retry-After) */
  maxTotalWaitMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface Sage200ClientOptions {
  fetch?: typeof fetch;
  /** default page size for `pages()`, 1..5000 */
  pageSize?: number;
  /** per-request timeout (headers and body) */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** overrides ctx.credentials.apiBaseUrl (e.g. the Professional base for the edition check) */
  apiBaseUrl?: string;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface PagesOptions {
  orderBy: string;
  filter?: string;
  expand?: string;
  select?: string;
  pageSize?: number;
  /** resume point: the `nextSkip` of an earlier page */
  startSkip?: number;
}

export interface Page<T = unknown> {
  rows: T[];
  /** `$skip` for the page after this one (resume point) */
  nextSkip: number;
}

/** Which failures a write may retry: POST is not idempotent, so by default only a 429 (never processed) is retried. */
export type WriteRetry = 'throttle-only' | 'all';

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, maxTotalWaitMs: 60_000, baseDelayMs: 500, maxDelayMs: 15_000 };

/** `$filter` clause for incremental reads: Sage needs the UTC `Z` on datetimes. */
export function updatedSinceFilter(since: Date, field = 'date_time_updated'): string {
  return `${field} gt ${since.toISOString()}`;
}

/** An OData string literal with `'` escaped as `''`. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Encodes a query with `%20` for spaces and a literal `$`, as OData examples show it. */
export function buildQueryString(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(key).replace(/^%24/, '$')}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

type Attempt =
  | { ok: true; status: number; body: unknown }
  | { ok: false; retry: boolean; error: ConnectorError; waitMs?: number };

interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** GET /sites carries no X-Site/X-Company */
  siteHeaders: boolean;
  writeRetry: WriteRetry;
}

export class Sage200Client {
  readonly baseUrl: string;
  readonly pageSize: number;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(
    readonly ctx: ConnectionContext,
    opts: Sage200ClientOptions = {},
  ) {
    this.baseUrl = withSlash(opts.apiBaseUrl ?? ctx.credentials.apiBaseUrl);
    this.pageSize = clampPageSize(opts.pageSize ?? DEFAULT_PAGE_SIZE);
    this.fetchImpl = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
  }

  get<T = unknown>(path: string, query?: Query): Promise<T> {
    return this.request<T>({ method: 'GET', path, query, siteHeaders: true, writeRetry: 'all' });
  }

  /** GET without X-Site/X-Company (only `sites` needs that). */
  getUnscoped<T = unknown>(path: string, query?: Query): Promise<T> {
    return this.request<T>({ method: 'GET', path, query, siteHeaders: false, writeRetry: 'all' });
  }

  post<T = unknown>(path: string, body: unknown, opts: { retry?: WriteRetry; query?: Query } = {}): Promise<T> {
    const spec = { method: 'POST' as const, path, body, query: opts.query, siteHeaders: true };
    return this.request<T>({ ...spec, writeRetry: opts.retry ?? 'throttle-only' });
  }

  put<T = unknown>(path: string, body: unknown, opts: { retry?: WriteRetry; query?: Query } = {}): Promise<T> {
    const spec = { method: 'PUT' as const, path, body, query: opts.query, siteHeaders: true };
    return this.request<T>({ ...spec, writeRetry: opts.retry ?? 'all' });
  }

  delete<T = unknown>(path: string, opts: { retry?: WriteRetry } = {}): Promise<T> {
    return this.request<T>({ method: 'DELETE', path, siteHeaders: true, writeRetry: opts.retry ?? 'all' });
  }

  /**
   * Reads a collection page by page with `$orderby` + `$top` + `$skip`, ending at the first page shorter than `$top`.
   * The first page is yielded even when empty; later empty pages are not.
   */
  async *pages<T = unknown>(resource: string, options: PagesOptions): AsyncIterable<Page<T>> {
    if (!options.orderBy) throw new Error('pages() needs orderBy: Sage refuses $skip without $orderby');
    const top = clampPageSize(options.pageSize ?? this.pageSize);
    let skip = options.startSkip ?? 0;
    let first = true;
    for (;;) {
      const body = await this.get<unknown>(resource, {
        $orderby: options.orderBy,
        $filter: options.filter,
        $expand: options.expand,
        $select: options.select,
        $top: top,
        $skip: skip,
      });
      const rows = asRows<T>(body, resource);
      skip += rows.length;
      if (rows.length > 0 || first) yield { rows, nextSkip: skip };
      first = false;
      if (rows.length < top) return;
    }
  }

  private async request<T>(spec: RequestSpec): Promise<T> {
    const what = `${spec.method} ${spec.path.split('?')[0]}`;
    let token = await this.ctx.tokens.getAccessToken();
    let refreshed = false;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      this.ctx.signal?.throwIfAborted();
      const result = await this.attempt(spec, token, what);
      if (result.ok) return result.body as T;
      const { error } = result;
      if (error.details.sourceStatus === 401 && !refreshed) {
        // One refresh, then one more try; a second 401 is final.
        refreshed = true;
        this.ctx.logger.info({ connectionId: this.ctx.connectionId, what }, 'sage200: 401, refreshing access token');
        token = await this.ctx.tokens.refreshAfterUnauthorized(token);
        attempt--;
        continue;
      }
      const retryable = result.retry && (spec.writeRetry === 'all' || error.kind === 'RateLimitError');
      if (!retryable) throw error;
      const delay = result.waitMs ?? this.backoff(attempt);
      if (attempt >= this.retry.maxAttempts || waited + delay > this.retry.maxTotalWaitMs) {
        throw new ConnectorError(
          error.kind === 'RateLimitError' ? 'RateLimitError' : 'FetchError',
          `${error.message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`,
          { ...error.details, retryAfterSeconds: result.waitMs ? Math.ceil(result.waitMs / 1000) : undefined },
        );
      }
      this.ctx.logger.warn(
        { connectionId: this.ctx.connectionId, what, attempt, delayMs: delay, status: error.details.sourceStatus },
        `sage200: retrying after ${error.kind}`,
      );
      waited += delay;
      await this.sleep(delay, this.ctx.signal);
    }
  }

  private backoff(attempt: number): number {
    // Exponential with full jitter on the upper half, so parallel workers spread out.
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }

  private async attempt(spec: RequestSpec, token: string, what: string): Promise<Attempt> {
    const url = `${this.baseUrl}${spec.path.replace(/^\//, '')}${buildQueryString(spec.query)}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (spec.siteHeaders) {
      headers['X-Site'] = this.ctx.source.siteId;
      headers['X-Company'] = String(this.ctx.source.companyId);
    }
    const key = this.ctx.credentials.subscriptionKey;
    if (key) headers['Ocp-Apim-Subscription-Key'] = key;
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';

    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.ctx.signal ? AbortSignal.any([this.ctx.signal, timeout]) : timeout;
    let status: number;
    let bytes: Buffer;
    let retryAfter: string | null = null;
    try {
      const res = await this.fetchImpl(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if (this.ctx.signal?.aborted) throw this.ctx.signal.reason ?? err;
      const timedOut = timeout.aborted;
      const reason = timedOut ? `timed out after ${this.timeoutMs} ms` : describeNetworkError(err);
      return { ok: false, retry: true, error: new ConnectorError('FetchError', `Sage 200 ${what} failed: ${reason}`) };
    }

    if (status >= 200 && status < 300) {
      try {
        return { ok: true, status, body: parseJsonBytes(bytes) };
      } catch {
        // A truncated or garbled body: the data is incomplete, so fetch it again.
        return {
          ok: false,
          retry: true,
          error: new ConnectorError('FetchError', `Sage 200 ${what} returned an incomplete or invalid JSON body`, {
            sourceStatus: status,
          }),
        };
      }
    }
    const error = errorForStatus(status, bytes.toString('utf8'), what);
    if (status === 429) {
      return { ok: false, retry: true, error, waitMs: parseRetryAfter(retryAfter) };
    }
    if (status >= 500) return { ok: false, retry: true, error };
    return { ok: false, retry: false, error };
  }
}

function clampPageSize(n: number): number {
  if (!Number.isFinite(n)) return DEFAULT_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(n)));
}

/** Sage returns bare arrays; one client reports an OData `{value: [...]}` wrapper "sometimes", so accept both. */
function asRows<T>(body: unknown, resource: string): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object' && Array.isArray((body as { value?: unknown }).value)) {
    return (body as { value: T[] }).value;
  }
  throw new ConnectorError('FetchError', `Sage 200 GET ${resource} did not return a list`, {
    sourceMessage: parseErrorBody(JSON.stringify(body ?? null)),
  });
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return 'network error';
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${err.message} (${detail})` : err.message;
}

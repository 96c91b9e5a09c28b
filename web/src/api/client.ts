import type { ErrorBody, ValidationItem } from './types.ts';

// A thin fetch wrapper: API key from sessionStorage, Codat-shaped errors turned into ApiError, 401 -> sign-in.

const KEY_STORAGE = 'ledgerlink.apiKey';

export function getApiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody | null;
  constructor(status: number, message: string, body: ErrorBody | null) {
    super(message);
    this.status = status;
    this.body = body;
  }
  /** Field-level messages keyed by itemId (e.g. clientSecret -> "Client secret must not contain spaces"). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.body?.validation?.errors ?? []) {
      if (e.itemId && !out[e.itemId]) out[e.itemId] = e.message;
    }
    return out;
  }
  validationErrors(): ValidationItem[] {
    return this.body?.validation?.errors ?? [];
  }
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {};
export function setUnauthorizedHandler(fn: UnauthorizedHandler): void {
  onUnauthorized = fn;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  /** For the sign-in check: pass a key explicitly instead of the stored one, and do not bounce to sign-in. */
  apiKey?: string;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const key = opts.apiKey ?? getApiKey();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'Cannot reach the Ledgerlink server. Check that it is running, then try again.', null);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const body = (json && typeof json === 'object' ? json : null) as ErrorBody | null;
    const message =
      body?.error ??
      (body as { message?: string } | null)?.message ??
      `Request failed (${res.status} ${res.statusText})`;
    if (res.status === 401 && !opts.apiKey) onUnauthorized();
    throw new ApiError(res.status, message, body);
  }
  return json as T;
}

/** Public, unauthenticated JSON (e.g. /healthz, /portal-config); null when absent. */
export async function publicJson<T>(path: string): Promise<T | null> {
  try {
    const res = await fetch(path, { headers: { accept: 'application/json' } });
    if (!res.ok) return null;
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('json')) return null;
    return (await res.json()) as T;
  } catch {
    return null;
  }
}

// A small typed client for the platform endpoints (types derived from the same zod schemas the server validates
// with). Other resources can be reached with `request()`.
//
//   const ll = new LedgerlinkClient({ baseUrl: 'http://localhost:8080', apiKey });
//   const company = await ll.companies.create({ name: 'Hadley Engineering Ltd' });
import type { z } from 'zod';
import type { ErrorMessage } from './errors.ts';
import type {
  IntegrationSchema,
  IntegrationSettingsSchema,
  PatchIntegrationBody,
  SaveSettingsBody,
} from './routes/integrations.ts';
import type {
  ApiKeyDetailsSchema,
  CompanySchema,
  ConnectionSchema,
  CreateCompanyBody,
  CreatedApiKeySchema,
  PatchCompanyBody,
  UpdateCompanyBody,
} from './schemas/platform.ts';

export type Company = z.infer<typeof CompanySchema>;
export type Connection = z.infer<typeof ConnectionSchema>;
export type Integration = z.infer<typeof IntegrationSchema>;
export type IntegrationSettings = z.infer<typeof IntegrationSettingsSchema>;
export type ApiKeyDetails = z.infer<typeof ApiKeyDetailsSchema>;
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

export interface Page<T> {
  results: T[];
  pageNumber: number;
  pageSize: number;
  totalResults: number;
  _links: { self: { href: string }; current: { href: string }; next?: { href: string }; previous?: { href: string } };
}

export interface ListParams {
  page?: number;
  pageSize?: number;
  query?: string;
  orderBy?: string;
}

/** A non-2xx answer; `body` is the Codat error message. */
export class LedgerlinkError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorMessage,
  ) {
    super(`${status}: ${body.error}`);
    this.name = 'LedgerlinkError';
  }
}

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
}

export class LedgerlinkClient {
  private readonly baseUrl: string;
  private readonly auth: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.auth = `Basic ${Buffer.from(options.apiKey).toString('base64')}`;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Any endpoint: JSON in, JSON out; throws LedgerlinkError on a non-2xx answer. */
  async request<T>(method: string, path: string, options: { query?: object; body?: unknown } = {}): Promise<T> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== null) qs.set(k, String(v));
    const url = `${this.baseUrl}${path}${qs.size ? `?${qs}` : ''}`;
    const headers: Record<string, string> = { authorization: this.auth, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchImpl(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new LedgerlinkError(res.status, data as ErrorMessage);
    return data as T;
  }

  readonly integrations = {
    list: (params: ListParams = {}) => this.request<Page<Integration>>('GET', '/integrations', { query: params }),
    get: (platformKey: string) => this.request<Integration>('GET', `/integrations/${enc(platformKey)}`),
    update: (platformKey: string, body: z.input<typeof PatchIntegrationBody>) =>
      this.request<Integration>('PATCH', `/integrations/${enc(platformKey)}`, { body }),
    getSettings: (platformKey: string) =>
      this.request<IntegrationSettings>('GET', `/integrations/${enc(platformKey)}/settings`),
    saveSettings: (
      platformKey: string,
      environment: 'production' | 'sandbox',
      body: z.input<typeof SaveSettingsBody>,
    ) =>
      this.request<IntegrationSettings>('PUT', `/integrations/${enc(platformKey)}/settings/${environment}`, { body }),
  };

  readonly companies = {
    list: (params: ListParams & { tags?: string } = {}) =>
      this.request<Page<Company>>('GET', '/companies', { query: params }),
    get: (companyId: string) => this.request<Company>('GET', `/companies/${enc(companyId)}`),
    create: (body: z.input<typeof CreateCompanyBody>) => this.request<Company>('POST', '/companies', { body }),
    replace: (companyId: string, body: z.input<typeof UpdateCompanyBody>) =>
      this.request<Company>('PUT', `/companies/${enc(companyId)}`, { body }),
    update: (companyId: string, body: z.input<typeof PatchCompanyBody>) =>
      this.request<Company>('PATCH', `/companies/${enc(companyId)}`, { body }),
    delete: (companyId: string) => this.request<void>('DELETE', `/companies/${enc(companyId)}`),
  };

  readonly connections = {
    list: (companyId: string, params: ListParams = {}) =>
      this.request<Page<Connection>>('GET', `/companies/${enc(companyId)}/connections`, { query: params }),
    get: (companyId: string, connectionId: string) =>
      this.request<Connection>('GET', `/companies/${enc(companyId)}/connections/${enc(connectionId)}`),
    create: (companyId: string, platformKey: string) =>
      this.request<Connection>('POST', `/companies/${enc(companyId)}/connections`, { body: { platformKey } }),
    unlink: (companyId: string, connectionId: string) =>
      this.request<Connection>('PATCH', `/companies/${enc(companyId)}/connections/${enc(connectionId)}`, {
        body: { status: 'Unlinked' },
      }),
    delete: (companyId: string, connectionId: string) =>
      this.request<void>('DELETE', `/companies/${enc(companyId)}/connections/${enc(connectionId)}`),
  };

  readonly apiKeys = {
    list: () => this.request<{ results: ApiKeyDetails[] }>('GET', '/apiKeys'),
    create: (name?: string) => this.request<CreatedApiKey>('POST', '/apiKeys', { body: name ? { name } : {} }),
    delete: (apiKeyId: string) => this.request<void>('DELETE', `/apiKeys/${enc(apiKeyId)}`),
  };
}

const enc = encodeURIComponent;

// What every route can reach: `app.deps` (explicit dependencies, no globals) and the authenticated tenant.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../platform/ids.ts';
import type { Keyring } from '../platform/secrets.ts';
import type { Store } from '../store/index.ts';
import { ApiError } from './errors.ts';

export interface AppDeps {
  config: Config;
  store: Store;
  /** shorthand for store.db */
  db: Store['db'];
  logger: Logger;
  keyring: Keyring;
  clock: Clock;
  /**
   * Extra services wired in by `serve` or tests (e.g. a job queue); route plugins read them by name and must
   * cope with their absence. Keys are documented by the module that registers them.
   */
  services: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
  interface FastifyRequest {
    /** set by the auth plugin for authenticated requests */
    tenantId: string | null;
    /** name of the API key used (shown as createdByUserName) */
    apiKeyName: string | null;
  }
  interface FastifyContextConfig {
    /** true: no API key needed (health, docs, Link, OAuth callback, portal) */
    public?: boolean;
  }
}

/** The tenant of an authenticated request; throws 401 on a public route that has none. */
export function tenantOf(request: FastifyRequest): string {
  if (!request.tenantId) throw new ApiError(401, 'An API key is required for this request');
  return request.tenantId;
}

// Shared fixtures for sync tests: a tenant/company/connection in a real store, and a pipeline wired for tests.
import { randomUUID } from 'node:crypto';
import type { Connector } from '../../src/connectors/connector.ts';
import { createLogger } from '../../src/logger.ts';
import { createTenant } from '../../src/platform/tenants.ts';
import type { PipelineDeps } from '../../src/sync/pipeline.ts';
import type { Db } from '../../src/sync/tables.ts';

export async function seedCompany(db: Db, opts: { tenantId?: string; name?: string } = {}) {
  const tenantId = opts.tenantId ?? (await createTenant(db, 'Sync tenant')).id;
  const companyId = randomUUID();
  const connectionId = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('companies')
    .values({
      id: companyId,
      tenant_id: tenantId,
      name: opts.name ?? 'Hadley Engineering Ltd',
      description: null,
      created: now,
      created_by_user_name: null,
      last_sync: null,
      products: '[]',
      tags: '{"region":"uk"}',
    })
    .execute();
  await db
    .insertInto('connections')
    .values({
      id: connectionId,
      tenant_id: tenantId,
      company_id: companyId,
      platform_key: 'jcrp',
      integration_id: randomUUID(),
      source_id: 'site|1',
      source_type: 'Accounting',
      platform_name: 'Sage 200cloud',
      status: 'Linked',
      created: now,
      last_sync: null,
      connection_info: null,
      updated_at: now,
    })
    .execute();
  return { tenantId, companyId, connectionId };
}

export const quietLogger = () => createLogger({ level: 'silent' });

/** Pipeline deps around a connector, with fast timings for tests. */
export function testDeps(db: Db, connector: Connector, extra: Partial<PipelineDeps> = {}): PipelineDeps {
  return {
    db,
    logger: quietLogger(),
    resolveConnection: async (connectionId) => ({
      connector,
      ctx: {
        connectionId,
        credentials: {
          clientId: 'x',
          clientSecret: 'y',
          authBaseUrl: 'http://127.0.0.1:1',
          apiBaseUrl: 'http://127.0.0.1:1/',
        },
        tokens: { getAccessToken: async () => 't', refreshAfterUnauthorized: async () => 't' },
        source: { siteId: 's', companyId: '1' },
        logger: quietLogger(),
      },
    }),
    options: { heartbeatMs: 200, retryDelayMs: 50, maxAttempts: 1, overlapMs: 0, deletionCheckAfterMs: 0 },
    ...extra,
  };
}

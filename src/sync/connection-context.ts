// Builds what a connector needs for one connection: the integration credentials of its tenant, a token provider
// (refresh under a database lock, once across processes), and the Sage site/company chosen in Link.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { ConnectorError } from '../connectors/connector.ts';
import { getConnector } from '../connectors/registry.ts';
import { connectionLinkUrl } from '../link/urls.ts';
import type { EventBus } from '../platform/events.ts';
import { getIntegrationCredentials } from '../platform/integrations.ts';
import type { Keyring } from '../platform/secrets.ts';
import { createTokenProvider } from '../platform/tokens.ts';
import { fromJson } from '../store/json.ts';
import { createSnapshotStore } from './lookup-snapshots.ts';
import type { ResolvedConnection } from './pipeline.ts';
import type { Db } from './tables.ts';

export interface ConnectionResolverDeps {
  db: Db;
  keyring: Keyring;
  config: Pick<Config, 'sage' | 'publicUrl'> & { lookupCache?: Pick<Config['lookupCache'], 'snapshotMaxAgeMs'> };
  logger: Logger;
  events?: EventBus;
  clock?: () => Date;
}

export function createConnectionResolver(d: ConnectionResolverDeps) {
  return async (connectionId: string, signal?: AbortSignal): Promise<ResolvedConnection> => {
    const conn = await d.db
      .selectFrom('connections')
      .select(['id', 'tenant_id', 'company_id', 'platform_key', 'status', 'connection_info'])
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (!conn) throw new ConnectorError('NotFound', `Connection ${connectionId} no longer exists.`);
    const linkUrl = connectionLinkUrl(d.config.publicUrl, conn.company_id, conn.id);
    if (conn.status !== 'Linked') {
      throw new ConnectorError(
        'AuthError',
        `Connection ${connectionId} is ${conn.status}; the user must link it again via ${linkUrl}.`,
      );
    }
    const connector = await getConnector(conn.platform_key);
    if (!connector) throw new ConnectorError('NotSupported', `No connector for platform ${conn.platform_key}.`);
    const credentials = await getIntegrationCredentials(d.db, conn.tenant_id, conn.platform_key, {
      keyring: d.keyring,
      defaults: d.config.sage,
    });
    if (!credentials) {
      throw new ConnectorError(
        'AuthError',
        `The ${connector.name} integration has no credentials configured; set them under Accounting integrations.`,
      );
    }
    const info = fromJson<{ siteId?: string; companyId?: string | number }>(conn.connection_info, {});
    if (!info.siteId || info.companyId === undefined) {
      throw new ConnectorError(
        'AuthError',
        `Connection ${connectionId} has no Sage company chosen; link it again via ${linkUrl}.`,
      );
    }
    const logger = d.logger.child({ connectionId });
    const tokens = createTokenProvider(
      {
        db: d.db,
        keyring: d.keyring,
        refresh: connector.auth.refresh,
        credentials,
        clock: d.clock,
        logger,
        events: d.events,
        linkUrl,
      },
      connectionId,
    );
    return {
      connector,
      ctx: {
        connectionId,
        credentials,
        tokens,
        source: { siteId: info.siteId, companyId: String(info.companyId) },
        logger,
        signal,
        snapshots: createSnapshotStore(d.db, connectionId, {
          maxAgeMs: d.config.lookupCache?.snapshotMaxAgeMs ?? 0,
          logger,
          clock: d.clock,
        }),
      },
    };
  };
}

// Wires the push core to the platform: connections (credentials, tokens, Sage site) through the sync engine's
// connection resolver, write webhooks through the durable outbox, and a targeted sync after each write.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Keyring } from '../platform/secrets.ts';
import type { Database } from '../store/schema.ts';
import { createConnectionResolver } from '../sync/connection-context.ts';
import { DatasetInProgressError, queueDataset } from '../sync/datasets.ts';
import { recordEvent } from '../webhooks/outbox.ts';
import { type PushConnection, PushService, type PushServiceDeps } from './service.ts';
import { type PushRow, toApi } from './store.ts';

/** Data types whose records a write changes (a receipt also changes the invoices it pays). */
export const AFFECTED: Record<string, string[]> = {
  payments: ['payments', 'invoices', 'creditNotes'],
  billPayments: ['billPayments', 'bills', 'billCreditNotes'],
  creditNotes: ['creditNotes'],
  invoices: ['invoices'],
};

export interface PushPlatformDeps {
  db: Kysely<Database>;
  keyring: Keyring;
  config: Pick<Config, 'sage' | 'publicUrl'>;
  logger: Logger;
  clock?: () => Date;
  /** the sync service when wired (`services.sync`), else datasets are queued directly (the executor polls) */
  sync?: {
    queue(
      tenantId: string,
      companyId: string,
      dataType: string,
      opts?: { connectionId?: string; trigger?: string },
    ): Promise<unknown>;
  };
  overrides?: Partial<PushServiceDeps>;
}

export function createPushService(d: PushPlatformDeps): PushService {
  const resolve = createConnectionResolver({
    db: d.db,
    keyring: d.keyring,
    config: d.config,
    logger: d.logger,
    clock: d.clock,
  });
  const clock = d.clock ?? (() => new Date());

  async function loadConnection(
    tenantId: string,
    companyId: string,
    connectionId: string,
  ): Promise<PushConnection | undefined> {
    const row = await d.db
      .selectFrom('connections')
      .select(['id', 'company_id', 'status', 'platform_key'])
      .where('id', '=', connectionId)
      .where('company_id', '=', companyId)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!row) return undefined;
    const { getConnector } = await import('../connectors/registry.ts');
    const connector = await getConnector(row.platform_key);
    if (!connector) return undefined;
    return {
      connectionId: row.id,
      companyId: row.company_id,
      status: row.status,
      connector,
      context: async (signal) => (await resolve(connectionId, signal)).ctx,
    };
  }

  async function inTransaction(trx: Kysely<Database>, row: PushRow): Promise<void> {
    const ok = row.status === 'Success';
    const op = toApi(row);
    await recordEvent(trx, {
      tenantId: row.tenant_id,
      companyId: row.company_id,
      eventType: `${row.data_type}.write.${ok ? 'successful' : 'unsuccessful'}`,
      payload: {
        id: op.changes?.[0]?.recordRef.id ?? row.record_id ?? null,
        type:
          op.changes?.[0]?.type ??
          (row.operation === 'create' ? 'Created' : row.operation === 'update' ? 'Modified' : 'Deleted'),
        pushOperationKey: row.push_operation_key,
        companyId: row.company_id,
        dataConnectionKey: row.connection_id,
        dataType: row.data_type,
        status: row.status,
        statusCode: row.status_code,
        requestedOnUtc: row.requested_on_utc,
        completedOnUtc: row.completed_on_utc,
        ...(ok ? {} : { errorMessage: row.error_message, validation: op.validation }),
      },
      now: clock(),
    });
  }

  async function afterCommit(row: PushRow): Promise<void> {
    if (row.status !== 'Success' && !(row.changes && toApi(row).changes?.length)) return;
    for (const dataType of AFFECTED[row.data_type] ?? [row.data_type]) {
      try {
        if (d.sync) {
          await d.sync.queue(row.tenant_id, row.company_id, dataType, {
            connectionId: row.connection_id,
            trigger: 'push',
          });
        } else {
          await queueDataset(d.db, {
            tenantId: row.tenant_id,
            companyId: row.company_id,
            connectionId: row.connection_id,
            dataType,
            trigger: 'push',
            now: clock(),
          });
        }
      } catch (err) {
        // A sync of that type already queued or running will read the record too (or the next one will).
        if (err instanceof DatasetInProgressError || (err as { statusCode?: number })?.statusCode === 409) continue;
        d.logger.warn({ err, dataType }, 'push: could not queue the follow-up sync');
      }
    }
  }

  return new PushService({
    db: d.db,
    logger: d.logger,
    clock: d.clock,
    loadConnection,
    events: { inTransaction, afterCommit },
    ...d.overrides,
  });
}

// Data connections: one company's link to one accounting platform. Statuses PendingAuth -> Linked ->
// (Unlinked | Deauthorized); re-linking reuses the same connection (same id, data kept). Tokens live elsewhere
// (src/platform/tokens.ts); this repository holds status, connectionInfo and errors.
import type { Kysely } from 'kysely';
import { getDescriptor } from '../connectors/registry.ts';
import { ApiError } from '../http/errors.ts';
import { connectionLinkUrl } from '../link/urls.ts';
import { fromJson, toJson } from '../store/json.ts';
import type { ConnectionsTable, Database } from '../store/schema.ts';
import { type Clock, newId, newSortableId, systemClock } from './ids.ts';
import { getIntegrationState } from './integrations.ts';

export const CONNECTION_STATUSES = ['PendingAuth', 'Linked', 'Unlinked', 'Deauthorized'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
export const ACTIVE_STATUSES: ConnectionStatus[] = ['PendingAuth', 'Linked'];

export interface DataConnectionError {
  statusCode: string | null;
  statusText: string | null;
  errorMessage: string | null;
  erroredOnUtc: string;
  status: 'Active' | 'Resolved' | null;
  resolvedOnUtc: string | null;
}

/** The Codat Connection resource. */
export interface ConnectionView {
  id: string;
  integrationId: string;
  integrationKey: string;
  sourceId: string;
  sourceType: string;
  platformName: string;
  linkUrl: string;
  status: ConnectionStatus;
  lastSync: string | null;
  created: string;
  dataConnectionErrors: DataConnectionError[];
  connectionInfo: Record<string, unknown> | null;
}

export interface ConnectionRecord {
  id: string;
  tenantId: string;
  companyId: string;
  platformKey: string;
  status: ConnectionStatus;
  connectionInfo: Record<string, unknown> | null;
  created: string;
  lastSync: string | null;
}

const toRecord = (r: ConnectionsTable): ConnectionRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  companyId: r.company_id,
  platformKey: r.platform_key,
  status: r.status as ConnectionStatus,
  connectionInfo: fromJson<Record<string, unknown> | null>(r.connection_info, null),
  created: r.created,
  lastSync: r.last_sync,
});

/** Rows -> Codat Connections, with their errors (one query for all rows). */
export async function connectionViews(
  db: Kysely<Database>,
  rows: ConnectionsTable[],
  publicUrl: string,
): Promise<ConnectionView[]> {
  if (rows.length === 0) return [];
  const errors = await db
    .selectFrom('connection_errors')
    .selectAll()
    .where(
      'connection_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('errored_on_utc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    integrationId: r.integration_id,
    integrationKey: r.platform_key,
    sourceId: r.source_id,
    sourceType: r.source_type,
    platformName: r.platform_name,
    linkUrl: connectionLinkUrl(publicUrl, r.company_id, r.id),
    status: r.status as ConnectionStatus,
    lastSync: r.last_sync,
    created: r.created,
    dataConnectionErrors: errors
      .filter((e) => e.connection_id === r.id)
      .map((e) => ({
        statusCode: e.status_code,
        statusText: e.status_text,
        errorMessage: e.error_message,
        erroredOnUtc: e.errored_on_utc,
        status: e.status as 'Active' | 'Resolved' | null,
        resolvedOnUtc: e.resolved_on_utc,
      })),
    connectionInfo: fromJson<Record<string, unknown> | null>(r.connection_info, null),
  }));
}

/** A tenant's connection rows of some companies, oldest first. */
export async function connectionRowsOf(db: Kysely<Database>, tenantId: string, companyIds: string[]) {
  if (companyIds.length === 0) return [];
  return db
    .selectFrom('connections')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('company_id', 'in', companyIds)
    .orderBy('created')
    .orderBy('id')
    .execute();
}

export async function getConnectionRow(
  db: Kysely<Database>,
  tenantId: string,
  companyId: string,
  connectionId: string,
): Promise<ConnectionsTable | undefined> {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('company_id', '=', companyId)
    .where('id', '=', connectionId)
    .executeTakeFirst();
}

/** The connection by id, in any tenant (for the Link flow and workers, which start from a connection id). */
export async function getConnection(db: Kysely<Database>, connectionId: string): Promise<ConnectionRecord | undefined> {
  const row = await db.selectFrom('connections').selectAll().where('id', '=', connectionId).executeTakeFirst();
  return row && toRecord(row);
}

export interface CreateConnectionResult {
  row: ConnectionsTable;
  /** false when an existing connection to the same platform was returned */
  created: boolean;
}

/**
 * Creates a PendingAuth connection. Rules: the company must belong to the tenant (404); the integration must exist
 * (404) and be enabled (422). One accounting connection per company and platform: an existing one (any status) is
 * returned instead of a second (re-linking reuses it). An active (PendingAuth/Linked) connection to another
 * accounting platform is a 409.
 */
export async function createConnection(
  db: Kysely<Database>,
  input: { tenantId: string; companyId: string; platformKey: string },
  clock: Clock = systemClock,
): Promise<CreateConnectionResult> {
  const company = await db
    .selectFrom('companies')
    .select('id')
    .where('tenant_id', '=', input.tenantId)
    .where('id', '=', input.companyId)
    .executeTakeFirst();
  if (!company) throw ApiError.notFound(`Company ${input.companyId} not found`);
  const d = getDescriptor(input.platformKey);
  if (!d) throw ApiError.notFound(`Integration "${input.platformKey}" not found; see GET /integrations for the keys`);
  const state = await getIntegrationState(db, input.tenantId, d.platformKey);
  if (!state.enabled) {
    throw ApiError.unprocessable(
      `${d.name} is not enabled, so a connection to it cannot be created: ${
        state.configured ? '' : 'save its Client ID, Client secret and Subscription key, then '
      }enable it (PATCH /integrations/${d.platformKey} {"enabled": true}) or in the portal's Accounting integrations page`,
      [{ itemId: 'platformKey', message: `${d.name} is not enabled`, validatorName: 'IntegrationEnabled' }],
    );
  }
  const existing = await db
    .selectFrom('connections')
    .selectAll()
    .where('company_id', '=', input.companyId)
    .where('source_type', '=', d.sourceType)
    .orderBy('created', 'desc')
    .execute();
  const samePlatform = existing.find((r) => r.platform_key === d.platformKey);
  if (samePlatform) return { row: samePlatform, created: false };
  const otherActive = existing.find((r) => ACTIVE_STATUSES.includes(r.status as ConnectionStatus));
  if (otherActive) {
    throw ApiError.conflict(
      `This company already has an active accounting connection (${otherActive.platform_name}, ${otherActive.status}); a company can have one: unlink or delete connection ${otherActive.id} first`,
    );
  }
  const now = clock().toISOString();
  const row: ConnectionsTable = {
    id: newId(),
    tenant_id: input.tenantId,
    company_id: input.companyId,
    platform_key: d.platformKey,
    integration_id: d.integrationId,
    source_id: d.sourceId,
    source_type: d.sourceType,
    platform_name: d.name,
    status: 'PendingAuth',
    created: now,
    last_sync: null,
    connection_info: null,
    updated_at: now,
  };
  await db.insertInto('connections').values(row).execute();
  return { row, created: true };
}

/** Linked, with connectionInfo merged (site/company chosen, refresh-token expiry); active errors become Resolved. */
export async function markLinked(
  db: Kysely<Database>,
  connectionId: string,
  info: Record<string, unknown>,
  clock: Clock = systemClock,
): Promise<void> {
  const now = clock().toISOString();
  await db.transaction().execute(async (trx) => {
    const prev = await trx
      .selectFrom('connections')
      .select('connection_info')
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (!prev) throw ApiError.notFound(`Connection ${connectionId} not found`);
    const merged = { ...fromJson<Record<string, unknown>>(prev.connection_info, {}), ...info };
    await trx
      .updateTable('connections')
      .set({ status: 'Linked', connection_info: toJson(merged), updated_at: now })
      .where('id', '=', connectionId)
      .execute();
    await trx
      .updateTable('connection_errors')
      .set({ status: 'Resolved', resolved_on_utc: now })
      .where('connection_id', '=', connectionId)
      .where('status', '=', 'Active')
      .execute();
  });
}

/** Access lost (revoked consent, expired refresh token): Deauthorized plus an Active error saying to re-link. */
export async function markDeauthorized(
  db: Kysely<Database>,
  connectionId: string,
  reason: string,
  clock: Clock = systemClock,
): Promise<void> {
  const now = clock().toISOString();
  await db
    .updateTable('connections')
    .set({ status: 'Deauthorized', updated_at: now })
    .where('id', '=', connectionId)
    .execute();
  await addError(
    db,
    connectionId,
    { statusCode: '401', statusText: 'Unauthorized', errorMessage: reason, status: 'Active' },
    clock,
  );
}

export async function addError(
  db: Kysely<Database>,
  connectionId: string,
  error: {
    statusCode?: string | number;
    statusText?: string;
    errorMessage: string;
    status?: 'Active' | 'Resolved' | null;
  },
  clock: Clock = systemClock,
): Promise<void> {
  await db
    .insertInto('connection_errors')
    .values({
      id: newSortableId(),
      connection_id: connectionId,
      status_code: error.statusCode === undefined ? null : String(error.statusCode),
      status_text: error.statusText ?? null,
      error_message: error.errorMessage,
      errored_on_utc: clock().toISOString(),
      status: error.status === undefined ? 'Active' : error.status,
      resolved_on_utc: null,
    })
    .execute();
}

/** Records a completed sync on the connection and its company. */
export async function touchLastSync(db: Kysely<Database>, connectionId: string, at: Date): Promise<void> {
  const iso = at.toISOString();
  const row = await db.selectFrom('connections').select('company_id').where('id', '=', connectionId).executeTakeFirst();
  if (!row) return;
  await db.updateTable('connections').set({ last_sync: iso }).where('id', '=', connectionId).execute();
  await db.updateTable('companies').set({ last_sync: iso }).where('id', '=', row.company_id).execute();
}

/** PATCH {status: "Unlinked"}: only a Linked connection can be unlinked (409 otherwise). */
export async function unlinkConnection(
  db: Kysely<Database>,
  tenantId: string,
  companyId: string,
  connectionId: string,
  clock: Clock = systemClock,
): Promise<void> {
  const row = await getConnectionRow(db, tenantId, companyId, connectionId);
  if (!row) throw ApiError.notFound(`Connection ${connectionId} not found for company ${companyId}`);
  if (row.status !== 'Linked') {
    throw ApiError.conflict(
      `Only a Linked connection can be unlinked; this one is ${row.status}${
        row.status === 'PendingAuth' ? ' (delete it instead, or finish linking first)' : ''
      }`,
    );
  }
  await db
    .updateTable('connections')
    .set({ status: 'Unlinked', updated_at: clock().toISOString() })
    .where('id', '=', connectionId)
    .execute();
}

/** DELETE: removes the connection, its tokens and errors (irreversible); records synced stay under the company. */
export async function deleteConnection(
  db: Kysely<Database>,
  tenantId: string,
  companyId: string,
  connectionId: string,
): Promise<boolean> {
  const res = await db
    .deleteFrom('connections')
    .where('tenant_id', '=', tenantId)
    .where('company_id', '=', companyId)
    .where('id', '=', connectionId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

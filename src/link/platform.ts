// What the Link flow reads and writes in the platform's tables: the company behind a Link URL, its accounting
// connection, and the Linked transition. Creation and settings go through the platform's own repositories.
import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../store/json.ts';
import type { Database } from '../store/schema.ts';

export interface LinkCompany {
  id: string;
  tenantId: string;
  name: string;
}

export interface LinkConnection {
  id: string;
  tenantId: string;
  companyId: string;
  platformKey: string;
  status: 'PendingAuth' | 'Linked' | 'Unlinked' | 'Deauthorized' | string;
  connectionInfo: Record<string, unknown> | null;
}

/** The connection info Link writes once a Sage company is chosen (read by the API, portal and sync). */
export interface SageConnectionInfo {
  siteId: string;
  siteName: string;
  companyId: string;
  companyName: string;
  /** ISO; absolute (consent + lifetime), so the API and portal can warn before re-link is needed */
  refreshTokenExpiresAt: string | null;
  linkedAt: string;
  [key: string]: unknown;
}

const UULIKE = /^[A-Za-z0-9-]{1,64}$/;

export async function findCompany(db: Kysely<Database>, companyId: string): Promise<LinkCompany | undefined> {
  if (!UULIKE.test(companyId)) return undefined;
  const row = await db
    .selectFrom('companies')
    .select(['id', 'tenant_id', 'name'])
    .where('id', '=', companyId)
    .executeTakeFirst();
  return row ? { id: row.id, tenantId: row.tenant_id, name: row.name } : undefined;
}

function toConnection(row: {
  id: string;
  tenant_id: string;
  company_id: string;
  platform_key: string;
  status: string;
  connection_info: unknown;
}): LinkConnection {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    companyId: row.company_id,
    platformKey: row.platform_key,
    status: row.status,
    connectionInfo: fromJson<Record<string, unknown> | null>(row.connection_info, null),
  };
}

const connectionColumns = ['id', 'tenant_id', 'company_id', 'platform_key', 'status', 'connection_info'] as const;

export async function findConnection(
  db: Kysely<Database>,
  companyId: string,
  connectionId: string,
): Promise<LinkConnection | undefined> {
  if (!UULIKE.test(connectionId)) return undefined;
  const row = await db
    .selectFrom('connections')
    .select([...connectionColumns])
    .where('id', '=', connectionId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return row ? toConnection(row) : undefined;
}

/**
 * The company's existing connection to this platform, newest first, whatever its status: re-linking reuses it
 * (same id, data kept) rather than creating a second accounting connection.
 */
export async function findReusableConnection(
  db: Kysely<Database>,
  companyId: string,
  platformKey: string,
): Promise<LinkConnection | undefined> {
  const row = await db
    .selectFrom('connections')
    .select([...connectionColumns])
    .where('company_id', '=', companyId)
    .where('platform_key', '=', platformKey)
    .orderBy('created', 'desc')
    .executeTakeFirst();
  return row ? toConnection(row) : undefined;
}

/** Linked, with the chosen company in connectionInfo; earlier errors (e.g. the Deauthorized one) become Resolved. */
export async function markLinked(
  db: Kysely<Database>,
  connectionId: string,
  info: SageConnectionInfo,
  now: Date,
): Promise<void> {
  const previous = await db
    .selectFrom('connections')
    .select('connection_info')
    .where('id', '=', connectionId)
    .executeTakeFirst();
  const merged = { ...fromJson<Record<string, unknown>>(previous?.connection_info, {}), ...info };
  await db
    .updateTable('connections')
    .set({ status: 'Linked', connection_info: toJson(merged), updated_at: now.toISOString() })
    .where('id', '=', connectionId)
    .execute();
  await db
    .updateTable('connection_errors')
    .set({ status: 'Resolved', resolved_on_utc: now.toISOString() })
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'Active')
    .execute();
}

// The database schema as TypeScript types, for Kysely. Each module describes its own tables next to its
// migration and merges them into `Database` by declaration merging, so this file is never edited by others:
//
//   // src/sync/schema.ts
//   import type { Generated } from 'kysely';
//   declare module '../store/schema.ts' {
//     interface Database {
//       datasets: { id: string; company_id: string; status: string; ... };
//     }
//   }
//
// and `import './schema.ts'` (type-only side effect) from the module that queries those tables.
//
// Portable column conventions (both SQLite and PostgreSQL):
// - ids are text (uuid strings); timestamps are ISO 8601 UTC text (`new Date().toISOString()`), which sorts correctly;
// - booleans are integer 0/1 (use `toBool`/`fromBool` from ./json.ts);
// - JSON documents are text on SQLite and jsonb on PostgreSQL (`jsonType(db)` in migrations, `toJson`/`fromJson`);
// - a column whose name ends in `_enc` holds a ciphertext from src/platform/secrets.ts: `ledgerlink keys rotate`
//   finds and re-encrypts every such column in every table, no registration needed;
// - a table holding a company's data references `companies.id` with `on delete cascade`, so deleting a company
//   removes everything of it.

export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string | null;
  /** hex SHA-256 of the key; the key itself is never stored */
  key_hash: string;
  created_at: string;
}

export interface IntegrationSettingsTable {
  tenant_id: string;
  platform_key: string;
  enabled: number;
  active_environment: string;
  updated_at: string;
}

export interface IntegrationEnvironmentsTable {
  tenant_id: string;
  platform_key: string;
  environment: string;
  client_id: string;
  client_secret_enc: string;
  subscription_key_enc: string | null;
  auth_base_url: string | null;
  api_base_url: string | null;
  updated_at: string;
}

export interface CompaniesTable {
  id: string;
  tenant_id: string;
  name: string;
  description: string | null;
  created: string;
  created_by_user_name: string | null;
  last_sync: string | null;
  /** JSON array of strings */
  products: string;
  /** JSON object string -> string */
  tags: string;
}

export interface ConnectionsTable {
  id: string;
  tenant_id: string;
  company_id: string;
  platform_key: string;
  integration_id: string;
  source_id: string;
  source_type: string;
  platform_name: string;
  status: string;
  created: string;
  last_sync: string | null;
  /** JSON object or null */
  connection_info: string | null;
  updated_at: string;
}

export interface ConnectionErrorsTable {
  id: string;
  connection_id: string;
  status_code: string | null;
  status_text: string | null;
  error_message: string | null;
  errored_on_utc: string;
  status: string | null;
  resolved_on_utc: string | null;
}

export interface Database {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  integration_settings: IntegrationSettingsTable;
  integration_environments: IntegrationEnvironmentsTable;
  companies: CompaniesTable;
  connections: ConnectionsTable;
  connection_errors: ConnectionErrorsTable;
}

// Integration settings per tenant and environment (production, sandbox): client id, encrypted client secret and
// subscription key, base URLs; the enabled flag and active environment. Secrets leave this module only masked,
// except through getIntegrationCredentials (for the Link flow and connectors).
import type { Kysely } from 'kysely';
import type { IntegrationCredentials } from '../connectors/connector.ts';
import { ApiError } from '../http/errors.ts';
import { fromBool, toBool } from '../store/json.ts';
import type { Database } from '../store/schema.ts';
import type { Clock } from './ids.ts';
import { type Keyring, mask } from './secrets.ts';

export const ENVIRONMENTS = ['production', 'sandbox'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface EnvironmentView {
  configured: boolean;
  clientId: string | null;
  clientSecret: string | null;
  subscriptionKey: string | null;
  authBaseUrl: string;
  apiBaseUrl: string;
}

export interface IntegrationSettingsView {
  platformKey: string;
  enabled: boolean;
  activeEnvironment: Environment;
  redirectUri: string;
  environments: Record<Environment, EnvironmentView>;
}

export interface IntegrationDeps {
  db: Kysely<Database>;
  keyring: Keyring;
  /** base URLs used when an environment does not set its own (config.sage: Sage or the simulator) */
  defaults: { authBaseUrl: string; apiBaseUrl: string };
}

export interface SaveEnvironmentInput {
  clientId: string;
  clientSecret?: string;
  subscriptionKey?: string;
  authBaseUrl?: string;
  apiBaseUrl?: string;
}

type EnvRow = Database['integration_environments'];

async function envRows(db: Kysely<Database>, tenantId: string, platformKey: string): Promise<EnvRow[]> {
  return db
    .selectFrom('integration_environments')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('platform_key', '=', platformKey)
    .execute();
}

async function settingsRow(db: Kysely<Database>, tenantId: string, platformKey: string) {
  return db
    .selectFrom('integration_settings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('platform_key', '=', platformKey)
    .executeTakeFirst();
}

const isConfigured = (row: EnvRow | undefined): boolean =>
  !!row && !!row.client_id && !!row.client_secret_enc && !!row.subscription_key_enc;

function viewEnv(row: EnvRow | undefined, deps: IntegrationDeps): EnvironmentView {
  return {
    configured: isConfigured(row),
    clientId: row?.client_id ?? null,
    clientSecret: row ? mask(deps.keyring.decrypt(row.client_secret_enc)) : null,
    subscriptionKey: row?.subscription_key_enc ? mask(deps.keyring.decrypt(row.subscription_key_enc)) : null,
    authBaseUrl: row?.auth_base_url ?? deps.defaults.authBaseUrl,
    apiBaseUrl: row?.api_base_url ?? deps.defaults.apiBaseUrl,
  };
}

/** enabled / configured (active environment) / active environment, for lists and the Link flow. */
export async function getIntegrationState(
  db: Kysely<Database>,
  tenantId: string,
  platformKey: string,
): Promise<{ enabled: boolean; configured: boolean; activeEnvironment: Environment }> {
  const s = await settingsRow(db, tenantId, platformKey);
  const activeEnvironment = (s?.active_environment as Environment | undefined) ?? 'production';
  const rows = await envRows(db, tenantId, platformKey);
  return {
    enabled: toBool(s?.enabled),
    configured: isConfigured(rows.find((r) => r.environment === activeEnvironment)),
    activeEnvironment,
  };
}

export async function isIntegrationEnabled(
  db: Kysely<Database>,
  tenantId: string,
  platformKey: string,
): Promise<boolean> {
  return (await getIntegrationState(db, tenantId, platformKey)).enabled;
}

export async function getIntegrationSettings(
  deps: IntegrationDeps,
  tenantId: string,
  platformKey: string,
  redirectUri: string,
): Promise<IntegrationSettingsView> {
  const s = await settingsRow(deps.db, tenantId, platformKey);
  const rows = await envRows(deps.db, tenantId, platformKey);
  const byEnv = (e: Environment) =>
    viewEnv(
      rows.find((r) => r.environment === e),
      deps,
    );
  return {
    platformKey,
    enabled: toBool(s?.enabled),
    activeEnvironment: (s?.active_environment as Environment | undefined) ?? 'production',
    redirectUri,
    environments: { production: byEnv('production'), sandbox: byEnv('sandbox') },
  };
}

/**
 * Saves one environment. A secret left out keeps the stored one; on first save both secrets are required.
 * Throws ApiError 400 naming the missing fields.
 */
export async function saveEnvironment(
  deps: IntegrationDeps,
  tenantId: string,
  platformKey: string,
  environment: Environment,
  input: SaveEnvironmentInput,
  clock: Clock,
): Promise<void> {
  const now = clock().toISOString();
  const existing = (await envRows(deps.db, tenantId, platformKey)).find((r) => r.environment === environment);
  const missing = [
    !existing && !input.clientSecret ? { itemId: 'clientSecret', message: 'Client secret is required' } : undefined,
    !existing?.subscription_key_enc && !input.subscriptionKey
      ? { itemId: 'subscriptionKey', message: 'Subscription key is required' }
      : undefined,
  ].filter((x) => x !== undefined);
  if (missing.length > 0) {
    throw ApiError.badRequest(
      `${missing.map((m) => m.message).join('; ')} the first time you save the ${environment} settings`,
      missing.map((m) => ({ ...m, validatorName: 'Required' })),
    );
  }
  const row: EnvRow = {
    tenant_id: tenantId,
    platform_key: platformKey,
    environment,
    client_id: input.clientId,
    client_secret_enc: input.clientSecret ? deps.keyring.encrypt(input.clientSecret) : existing!.client_secret_enc,
    subscription_key_enc: input.subscriptionKey
      ? deps.keyring.encrypt(input.subscriptionKey)
      : (existing?.subscription_key_enc ?? null),
    auth_base_url: input.authBaseUrl ?? existing?.auth_base_url ?? null,
    api_base_url: input.apiBaseUrl ?? existing?.api_base_url ?? null,
    updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    if (existing) {
      await trx
        .updateTable('integration_environments')
        .set(row)
        .where('tenant_id', '=', tenantId)
        .where('platform_key', '=', platformKey)
        .where('environment', '=', environment)
        .execute();
    } else {
      await trx.insertInto('integration_environments').values(row).execute();
    }
    await ensureSettingsRow(trx, tenantId, platformKey, now);
  });
}

async function ensureSettingsRow(db: Kysely<Database>, tenantId: string, platformKey: string, now: string) {
  await db
    .insertInto('integration_settings')
    .values({
      tenant_id: tenantId,
      platform_key: platformKey,
      enabled: 0,
      active_environment: 'production',
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'platform_key']).doNothing())
    .execute();
}

/**
 * Enables/disables and/or switches the active environment. Enabling (or switching an enabled integration to) an
 * environment without saved credentials is refused with 422.
 */
export async function updateIntegration(
  db: Kysely<Database>,
  tenantId: string,
  platformKey: string,
  patch: { enabled?: boolean; activeEnvironment?: Environment },
  names: { name: string },
  clock: Clock,
): Promise<void> {
  const now = clock().toISOString();
  const state = await getIntegrationState(db, tenantId, platformKey);
  const enabled = patch.enabled ?? state.enabled;
  const activeEnvironment = patch.activeEnvironment ?? state.activeEnvironment;
  if (enabled) {
    const row = (await envRows(db, tenantId, platformKey)).find((r) => r.environment === activeEnvironment);
    if (!isConfigured(row)) {
      throw new ApiError(
        422,
        `${names.name} cannot be enabled yet: save Client ID, Client secret and Subscription key for the ${activeEnvironment} environment first (PUT /integrations/${platformKey}/settings/${activeEnvironment})`,
        { errors: [{ itemId: 'enabled', message: 'Integration is not configured', validatorName: 'Configured' }] },
      );
    }
  }
  await db.transaction().execute(async (trx) => {
    await ensureSettingsRow(trx, tenantId, platformKey, now);
    await trx
      .updateTable('integration_settings')
      .set({ enabled: fromBool(enabled), active_environment: activeEnvironment, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('platform_key', '=', platformKey)
      .execute();
  });
}

/**
 * The decrypted credentials of the tenant's active environment, for the Link flow and connectors; undefined when
 * that environment is not configured. Never log or return the result.
 */
export async function getIntegrationCredentials(
  db: Kysely<Database>,
  tenantId: string,
  platformKey: string,
  options: { keyring: Keyring; defaults: { authBaseUrl: string; apiBaseUrl: string }; environment?: Environment },
): Promise<IntegrationCredentials | undefined> {
  const state = await getIntegrationState(db, tenantId, platformKey);
  const environment = options.environment ?? state.activeEnvironment;
  const row = (await envRows(db, tenantId, platformKey)).find((r) => r.environment === environment);
  if (!row || !isConfigured(row)) return undefined;
  return {
    clientId: row.client_id,
    clientSecret: options.keyring.decrypt(row.client_secret_enc),
    subscriptionKey: row.subscription_key_enc ? options.keyring.decrypt(row.subscription_key_enc) : undefined,
    authBaseUrl: row.auth_base_url ?? options.defaults.authBaseUrl,
    apiBaseUrl: row.api_base_url ?? options.defaults.apiBaseUrl,
  };
}

// API keys: random 40-character keys shown once, stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { type Clock, newId, systemClock } from './ids.ts';
import { createTenant } from './tenants.ts';

export interface ApiKeyDetails {
  id: string;
  name: string | null;
  createdUtc: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 40 characters from a 62-letter alphabet (~238 bits), like Codat's keys; no padding or separators. */
export function generateApiKey(): string {
  const bytes = randomBytes(64);
  let out = '';
  for (const b of bytes) {
    if (b >= 248) continue; // 248 = 62*4: keeps the distribution uniform
    out += ALPHABET[b % 62];
    if (out.length === 40) return out;
  }
  return out + generateApiKey().slice(0, 40 - out.length);
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export async function createApiKey(
  db: Kysely<Database>,
  tenantId: string,
  name: string | null,
  clock: Clock = systemClock,
): Promise<ApiKeyDetails & { apiKey: string }> {
  const apiKey = generateApiKey();
  const row = {
    id: newId(),
    tenant_id: tenantId,
    name,
    key_hash: hashApiKey(apiKey),
    created_at: clock().toISOString(),
  };
  await db.insertInto('api_keys').values(row).execute();
  return { id: row.id, name, createdUtc: row.created_at, apiKey };
}

export async function listApiKeys(db: Kysely<Database>, tenantId: string): Promise<ApiKeyDetails[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdUtc: r.created_at }));
}

export async function countApiKeys(db: Kysely<Database>, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** true when a key was deleted; false when no such key exists for this tenant. */
export async function deleteApiKey(db: Kysely<Database>, tenantId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('api_keys').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The tenant a presented key belongs to, or undefined. */
export async function authenticateApiKey(
  db: Kysely<Database>,
  apiKey: string,
): Promise<{ tenantId: string; keyId: string; keyName: string | null } | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['tenant_id', 'id', 'name'])
    .where('key_hash', '=', hashApiKey(apiKey))
    .executeTakeFirst();
  return row ? { tenantId: row.tenant_id, keyId: row.id, keyName: row.name } : undefined;
}

/**
 * First start: when no tenant exists, creates the default tenant and its first key. Returns the key (to print
 * once) or undefined when the database was already initialised. Safe against two processes starting together.
 */
export async function bootstrapDefaultTenant(
  db: Kysely<Database>,
  clock: Clock = systemClock,
): Promise<{ tenantId: string; apiKey: string } | undefined> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('tenants').select('id').limit(1).executeTakeFirst();
    if (existing) return undefined;
    const tenant = await createTenant(trx, 'Default', clock);
    const key = await createApiKey(trx, tenant.id, 'default', clock);
    return { tenantId: tenant.id, apiKey: key.apiKey };
  });
}

// Idempotency-Key for POST/PUT pushes: kept 90 minutes per tenant. Same key + same request -> the same push
// operation (nothing sent twice); same key + another request -> 422; the first request still running -> 409.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import './schema.ts';

export const IDEMPOTENCY_TTL_MS = 90 * 60_000;
const MAX_KEY_LENGTH = 255;

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; pushOperationKey: string }
  | { kind: 'in-flight'; pushOperationKey: string }
  | { kind: 'mismatch'; pushOperationKey: string };

/** Canonical JSON (sorted keys) so the same body with keys in another order is the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(parts: { method: string; path: string; query?: Record<string, unknown>; body: unknown }) {
  return createHash('sha256')
    .update(
      `${parts.method.toUpperCase()} ${parts.path}\n${canonicalJson(parts.query ?? {})}\n${canonicalJson(parts.body)}`,
    )
    .digest('hex');
}

export function validIdempotencyKey(key: string): boolean {
  return key.length > 0 && key.length <= MAX_KEY_LENGTH && /^[\x21-\x7e]+$/.test(key);
}

export class IdempotencyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = IDEMPOTENCY_TTL_MS,
  ) {}

  /**
   * Reserves `key` for a new push (`pushOperationKey`), or tells what an earlier request with the key became.
   * The insert is the arbiter: two concurrent requests with one key cannot both get `new`.
   */
  async claim(
    tenantId: string,
    key: string,
    hash: string,
    pushOperationKey: string,
    now: Date,
  ): Promise<IdempotencyClaim> {
    const nowIso = now.toISOString();
    // Expired keys are forgotten (90 minutes), so the same key may start a new push afterwards.
    await this.db
      .deleteFrom('push_idempotency_keys')
      .where('tenant_id', '=', tenantId)
      .where('idempotency_key', '=', key)
      .where('expires_at', '<', nowIso)
      .execute();
    try {
      await this.db
        .insertInto('push_idempotency_keys')
        .values({
          tenant_id: tenantId,
          idempotency_key: key,
          request_hash: hash,
          push_operation_key: pushOperationKey,
          in_flight: 1,
          created_at: nowIso,
          expires_at: new Date(now.getTime() + this.ttlMs).toISOString(),
        })
        .execute();
      return { kind: 'new' };
    } catch (err) {
      const existing = await this.db
        .selectFrom('push_idempotency_keys')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      if (!existing) throw err;
      if (existing.request_hash !== hash) return { kind: 'mismatch', pushOperationKey: existing.push_operation_key };
      if (existing.in_flight) return { kind: 'in-flight', pushOperationKey: existing.push_operation_key };
      return { kind: 'replay', pushOperationKey: existing.push_operation_key };
    }
  }

  /** The request that created the key has answered: later requests with it replay the push operation. */
  async settle(tenantId: string, key: string): Promise<void> {
    await this.db
      .updateTable('push_idempotency_keys')
      .set({ in_flight: 0 })
      .where('tenant_id', '=', tenantId)
      .where('idempotency_key', '=', key)
      .execute();
  }

  /** Drops the key when the request failed before a push operation existed (e.g. a 404 company). */
  async forget(tenantId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('push_idempotency_keys')
      .where('tenant_id', '=', tenantId)
      .where('idempotency_key', '=', key)
      .execute();
  }

  async purgeExpired(now: Date): Promise<number> {
    const res = await this.db
      .deleteFrom('push_idempotency_keys')
      .where('expires_at', '<', now.toISOString())
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}

// OAuth tokens per connection: stored encrypted, refreshed ahead of expiry or after a 401, ONE refresh at a time per
// connection across processes and machines, the rotated refresh token persisted in the same statement as the new
// access token. invalid_grant => the connection becomes Deauthorized.
//
// Mutual exclusion is a lease in the token row, taken by one conditional UPDATE (owner + expiry, only if free and
// the row is still the version we read), rather than a database lock held during the call to Sage ID: on SQLite
// that lock is the single writer lock, so holding it across a network round trip would stall every other writer
// (and deadlock two stores in one process); on PostgreSQL it would pin a pooled connection in an open transaction.
// Waiters poll the row until the holder stores the new tokens; a crashed holder's lease simply expires.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  ConnectorError,
  type IntegrationCredentials,
  type TokenProvider,
  type TokenSet,
} from '../connectors/connector.ts';
import type { Database } from '../store/schema.ts';
import type { EventBus } from './events.ts';
import { type Clock, newId, systemClock } from './ids.ts';
import type { Keyring } from './secrets.ts';

declare module '../store/schema.ts' {
  interface Database {
    connection_tokens: {
      connection_id: string;
      access_token_enc: string;
      refresh_token_enc: string;
      access_token_expires_at: string;
      refresh_token_expires_at: string | null;
      consented_at: string;
      version: number;
      updated_at: string;
      refresh_lease_owner: string | null;
      refresh_lease_until: string | null;
    };
  }
}

/** Refresh when fewer than this many seconds of the access token remain. */
export const DEFAULT_REFRESH_MARGIN_SECONDS = 120;

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date | null;
  consentedAt: Date;
  /** bumped on every change (link or refresh) */
  version: number;
  /** real-time ms until which another refresher holds the lease, or 0 */
  leaseUntil: number;
}

export async function readTokens(
  db: Kysely<Database>,
  keyring: Keyring,
  connectionId: string,
): Promise<StoredTokens | undefined> {
  const row = await db
    .selectFrom('connection_tokens')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    accessToken: keyring.decrypt(row.access_token_enc),
    refreshToken: keyring.decrypt(row.refresh_token_enc),
    accessTokenExpiresAt: new Date(row.access_token_expires_at),
    refreshTokenExpiresAt: row.refresh_token_expires_at ? new Date(row.refresh_token_expires_at) : null,
    consentedAt: new Date(row.consented_at),
    version: Number(row.version),
    leaseUntil: row.refresh_lease_until ? Date.parse(row.refresh_lease_until) : 0,
  };
}

/**
 * Stores the tokens of a fresh consent (Link callback): replaces any earlier tokens of the connection and starts the
 * refresh-token lifetime again. Pass a transaction to make it atomic with the connection becoming Linked.
 */
export async function saveConsentTokens(
  db: Kysely<Database>,
  keyring: Keyring,
  connectionId: string,
  tokens: TokenSet,
  now: Date,
): Promise<void> {
  const existing = await db
    .selectFrom('connection_tokens')
    .select('version')
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  const values = {
    access_token_enc: keyring.encrypt(tokens.accessToken),
    refresh_token_enc: keyring.encrypt(tokens.refreshToken),
    access_token_expires_at: tokens.accessTokenExpiresAt.toISOString(),
    refresh_token_expires_at: tokens.refreshTokenExpiresAt?.toISOString() ?? null,
    consented_at: now.toISOString(),
    updated_at: now.toISOString(),
    refresh_lease_owner: null,
    refresh_lease_until: null,
  };
  if (existing) {
    await db
      .updateTable('connection_tokens')
      .set({ ...values, version: Number(existing.version) + 1 })
      .where('connection_id', '=', connectionId)
      .execute();
  } else {
    await db
      .insertInto('connection_tokens')
      .values({ connection_id: connectionId, ...values, version: 1 })
      .execute();
  }
}

export async function deleteTokens(db: Kysely<Database>, connectionId: string): Promise<void> {
  await db.deleteFrom('connection_tokens').where('connection_id', '=', connectionId).execute();
}

export interface TokenProviderDeps {
  db: Kysely<Database>;
  keyring: Keyring;
  /** the connector's refresh (e.g. sage200Connector.auth.refresh) */
  refresh: (credentials: IntegrationCredentials, refreshToken: string) => Promise<TokenSet>;
  /** credentials of the connection's integration (decrypted), read when a refresh is needed */
  credentials: IntegrationCredentials | (() => Promise<IntegrationCredentials>);
  /** the token's logical clock (expiry decisions); leases and waits use real time */
  clock?: Clock;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  events?: EventBus;
  refreshMarginSeconds?: number;
  /** the linkUrl to show in the Deauthorized error, e.g. `${PUBLIC_URL}/link/companies/{c}/connections/{id}/start` */
  linkUrl?: string;
  /** how long a refresher may hold the lease; longer than the token request timeout (30 s) */
  leaseMs?: number;
  /** how long a waiter waits for another refresher before giving up */
  maxWaitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A TokenProvider for one connection. Concurrent callers in this process share one refresh; callers in other
 * processes find the lease taken, wait, and read the refreshed token, so Sage ID sees one refresh and a
 * rotated-away refresh token is never sent again.
 */
export function createTokenProvider(deps: TokenProviderDeps, connectionId: string): TokenProvider {
  const clock = deps.clock ?? systemClock;
  const marginMs = (deps.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS) * 1000;
  const leaseMs = deps.leaseMs ?? 60_000;
  const maxWaitMs = deps.maxWaitMs ?? leaseMs + 15_000;
  let inflight: Promise<string> | undefined;
  /** the last fresh tokens read, and a read in progress that concurrent callers share */
  let held: StoredTokens | undefined;
  let reading: Promise<StoredTokens | undefined> | undefined;

  const fresh = (t: StoredTokens) => t.accessTokenExpiresAt.getTime() - clock().getTime() > marginMs;
  const notExpired = (t: StoredTokens) => t.accessTokenExpiresAt.getTime() > clock().getTime();
  const read = () => readTokens(deps.db, deps.keyring, connectionId);

  const noTokens = () =>
    new ConnectorError(
      'AuthError',
      `Connection ${connectionId} has no valid Sage authorisation. The user must link it again${
        deps.linkUrl ? ` via ${deps.linkUrl}` : ''
      }.`,
    );

  /** Takes the lease if it is free and the row is still `version`; true for exactly one caller. */
  async function claim(version: number): Promise<string | undefined> {
    const owner = newId();
    const nowIso = new Date().toISOString();
    const res = await deps.db
      .updateTable('connection_tokens')
      .set({ refresh_lease_owner: owner, refresh_lease_until: new Date(Date.now() + leaseMs).toISOString() })
      .where('connection_id', '=', connectionId)
      .where('version', '=', version)
      .where((eb) => eb.or([eb('refresh_lease_until', 'is', null), eb('refresh_lease_until', '<', nowIso)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1 ? owner : undefined;
  }

  async function release(owner: string): Promise<void> {
    await deps.db
      .updateTable('connection_tokens')
      .set({ refresh_lease_owner: null, refresh_lease_until: null })
      .where('connection_id', '=', connectionId)
      .where('refresh_lease_owner', '=', owner)
      .execute();
  }

  async function refreshAsOwner(current: StoredTokens, owner: string): Promise<string> {
    let next: TokenSet;
    try {
      const credentials = typeof deps.credentials === 'function' ? await deps.credentials() : deps.credentials;
      next = await deps.refresh(credentials, current.refreshToken);
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'AuthError') {
        const why = err.details.sourceMessage ?? 'the refresh token expired or was revoked';
        const deauthorized = await deps.db
          .transaction()
          .execute((trx) => markDeauthorized(trx, connectionId, why, clock(), deps.linkUrl));
        if (deauthorized.changed) {
          const { changed: _, ...payload } = deauthorized;
          await deps.events?.emit('connectionDeauthorized', { connectionId, ...payload });
        }
        throw new ConnectorError(
          'AuthError',
          `${err.message}${deps.linkUrl ? ` Re-link via ${deps.linkUrl}` : ''}`,
          err.details,
        );
      }
      await release(owner).catch(() => {});
      throw err;
    }
    // Rotation: new access and refresh token (and the lease release) in one statement; only while we hold the lease.
    const res = await deps.db
      .updateTable('connection_tokens')
      .set({
        access_token_enc: deps.keyring.encrypt(next.accessToken),
        refresh_token_enc: deps.keyring.encrypt(next.refreshToken),
        access_token_expires_at: next.accessTokenExpiresAt.toISOString(),
        version: current.version + 1,
        updated_at: clock().toISOString(),
        refresh_lease_owner: null,
        refresh_lease_until: null,
      })
      .where('connection_id', '=', connectionId)
      .where('refresh_lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      deps.logger?.error({ connectionId }, 'token refresh lease was lost before the new tokens could be stored');
    } else {
      deps.logger?.info({ connectionId, version: current.version + 1 }, 'access token refreshed');
    }
    return next.accessToken;
  }

  async function refresh(failedToken?: string): Promise<string> {
    const giveUpAt = Date.now() + maxWaitMs;
    let firstVersion: number | undefined;
    for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
      const current = await read();
      if (!current) throw noTokens();
      firstVersion ??= current.version;
      // Someone else (another caller, process or machine) may have refreshed already; a token refreshed while we
      // waited is taken as it is even when Sage's lifetime is shorter than our margin (no refresh storm).
      const refreshedMeanwhile = current.version > firstVersion && notExpired(current);
      if (
        refreshedMeanwhile ||
        (failedToken === undefined ? fresh(current) : current.accessToken !== failedToken && notExpired(current))
      ) {
        return current.accessToken;
      }
      if (current.leaseUntil < Date.now()) {
        const owner = await claim(current.version);
        if (owner) return refreshAsOwner(current, owner);
      }
      if (Date.now() > giveUpAt) {
        throw new ConnectorError('FetchError', `Timed out waiting for another process to refresh ${connectionId}`);
      }
      await sleep(pause);
    }
  }

  function singleFlight(failedToken?: string): Promise<string> {
    if (!inflight) {
      inflight = refresh(failedToken).finally(() => {
        inflight = undefined;
      });
    }
    return inflight;
  }

  return {
    async getAccessToken() {
      // Every Sage request asks; the row is read (and decrypted) only when the token held is no longer fresh. A
      // token another process refreshed meanwhile stays valid until it expires, and a 401 re-reads the row.
      if (held && fresh(held)) return held.accessToken;
      reading ??= read().finally(() => {
        reading = undefined;
      });
      const current = await reading;
      if (!current) throw noTokens();
      if (fresh(current)) {
        held = current;
        return current.accessToken;
      }
      return singleFlight();
    },
    async refreshAfterUnauthorized(failedToken: string) {
      held = undefined;
      return singleFlight(failedToken);
    },
  };
}

/**
 * Marks a connection Deauthorized with an active dataConnectionError telling the user to re-link; removes its dead
 * tokens so no caller tries them again. Returns what the connectionDeauthorized event needs.
 */
export async function markDeauthorized(
  db: Kysely<Database>,
  connectionId: string,
  reason: string,
  now: Date,
  linkUrl?: string,
): Promise<{ tenantId: string; companyId: string; platformKey: string; reason: string; changed: boolean }> {
  const conn = await db
    .selectFrom('connections')
    .select(['tenant_id', 'company_id', 'platform_key', 'status'])
    .where('id', '=', connectionId)
    .executeTakeFirst();
  const message = `Access to Sage 200 was lost: ${reason}. The user must link the company again using ${
    linkUrl ?? 'the connection linkUrl'
  }.`;
  const changed = !!conn && conn.status !== 'Deauthorized';
  if (changed) {
    await db
      .updateTable('connections')
      .set({ status: 'Deauthorized', updated_at: now.toISOString() })
      .where('id', '=', connectionId)
      .execute();
    await db
      .insertInto('connection_errors')
      .values({
        id: newId(),
        connection_id: connectionId,
        status_code: '401',
        status_text: 'Unauthorized',
        error_message: message,
        errored_on_utc: now.toISOString(),
        status: 'Active',
        resolved_on_utc: null,
      })
      .execute();
  }
  await deleteTokens(db, connectionId);
  return {
    tenantId: conn?.tenant_id ?? '',
    companyId: conn?.company_id ?? '',
    platformKey: conn?.platform_key ?? '',
    reason: message,
    changed,
  };
}

// The interface every accounting integration implements. The core (sync, push, link, platform) only talks to
// connectors through these types; a second accounting platform is a new folder beside sage200/.
import type { Logger } from 'pino';

/** Codat data-type keys (codat-model.md 1.5). URL segments differ for two of them: chartOfAccounts -> /data/accounts,
 * company -> /data/info. */
export const DATA_TYPES = [
  'company',
  'chartOfAccounts',
  'taxRates',
  'trackingCategories',
  'customers',
  'suppliers',
  'invoices',
  'creditNotes',
  'payments',
  'bills',
  'billCreditNotes',
  'billPayments',
  'bankAccounts',
  'bankTransactions',
  'items',
  'salesOrders',
  'purchaseOrders',
  'journalEntries',
  'balanceSheet',
  'profitAndLoss',
  'agedDebtor',
  'agedCreditor',
] as const;
export type DataType = (typeof DATA_TYPES)[number];

/** Settings of one integration environment, decrypted, as the connector needs them. */
export interface IntegrationCredentials {
  clientId: string;
  clientSecret: string;
  subscriptionKey?: string;
  /** e.g. https://id.sage.com, or the simulator's base URL */
  authBaseUrl: string;
  /** e.g. https://api.columbus.sage.com/uk/sage200/accounts/v1/ (Standard) */
  apiBaseUrl: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** absolute expiry of the access token */
  accessTokenExpiresAt: Date;
  /** absolute expiry of the refresh token, when the platform tracks it (e.g. 90 days from consent) */
  refreshTokenExpiresAt?: Date;
  idToken?: string;
  scope?: string;
}

/** One Sage 200 company the signed-in user can reach (Sage's GET /sites row), with our support verdict. */
export interface SourceCompany {
  siteId: string;
  siteName: string;
  companyId: string;
  companyName: string;
  /** false for e.g. a Sage 200 Professional site; `reason` then says why, in words for an end user */
  supported: boolean;
  reason?: string;
}

/**
 * Gives a connector a valid access token for one connection. Implemented by the platform: tokens are stored
 * encrypted, refreshed under a database lock (one refresh per connection across all processes), and the rotated
 * refresh token is persisted atomically with the access token.
 */
export interface TokenProvider {
  /** A token valid for at least a short margin; refreshes ahead of expiry. */
  getAccessToken(): Promise<string>;
  /** Called after a 401 with the token that failed; refreshes unless another caller already did. */
  refreshAfterUnauthorized(failedToken: string): Promise<string>;
}

/** Everything a connector needs to call the source for one linked connection. */
export interface ConnectionContext {
  connectionId: string;
  credentials: IntegrationCredentials;
  tokens: TokenProvider;
  /** the Sage 200 site and company chosen in Link */
  source: { siteId: string; companyId: string };
  logger: Logger;
  signal?: AbortSignal;
  /** Durable store for the connector's large reference data, shared by every process (absent: none kept). */
  snapshots?: SnapshotStore;
}

/**
 * Connector-owned snapshots of one connection's reference data (say, a ledger's URN map), kept in the database so a
 * process that never loaded a piece (another worker, a restart) starts from the snapshot and fetches only what
 * changed since its stamp, not the whole ledger. Opaque bytes to the platform; a failed save is logged, not thrown.
 */
export interface SnapshotStore {
  /**
   * the newest snapshot of `piece`, unless there is none, it is older than the configured maximum age, or (with
   * `newerThan`) its stamp is not later than that one (then nothing is transferred)
   */
  load(
    piece: string,
    newerThan?: string,
  ): Promise<{ stamp: string | null; payload: Uint8Array; savedAt: number } | undefined>;
  /** keeps `payload` unless a snapshot with a later stamp is already stored */
  save(piece: string, stamp: string | null, payload: Uint8Array): Promise<void>;
  /**
   * Runs `fn` while no other process runs an `exclusive` section for the same piece of this connection, so one
   * process reads a piece's changes from the source and the others then take them from the store. Best effort:
   * after waiting `waitMs` (or when the lock cannot be had at all) `fn` runs anyway. Absent: no such lock.
   */
  exclusive?<R>(piece: string, fn: () => Promise<R>, waitMs?: number): Promise<R>;
}

export interface ReadOptions {
  /** Only records changed after this instant (incremental); absent = full read. */
  modifiedSince?: Date;
  /** Resume point returned with an earlier page (crash-safe resume). */
  cursor?: string;
  pageSize?: number;
  /** Sync window: ignore documents dated before this (monthsToSync / syncFromUtc). */
  from?: Date;
  /**
   * Incremental read of an append-only source that has no update stamps: the `nextSync` token of the last complete
   * read; only what was added after it is read.
   */
  after?: string;
}

/** A record of the standard model: Codat field names, `id` always a string. */
export type StandardRecord = { id: string } & Record<string, unknown>;

export interface ReadPage {
  records: StandardRecord[];
  /** Opaque resume point *after* this page. Persist it with the page; pass it back to continue. */
  cursor: string;
  /** Append-only sources: where the next incremental read starts (pass it back as `ReadOptions.after`). */
  nextSync?: string;
}

export type PushOperationType = 'create' | 'update' | 'delete';

export interface PushResult {
  /** the record as it now stands in the standard model */
  record: StandardRecord;
}

export interface DataTypeSupport {
  dataType: DataType;
  read: boolean;
  create?: boolean;
  update?: boolean;
  delete?: boolean;
}

/** Errors a connector raises; the core maps them to dataset statuses, push statuses and HTTP errors. */
export type ConnectorErrorKind =
  | 'AuthError' // token revoked/expired: the connection becomes Deauthorized
  | 'RateLimitError'
  | 'NotSupported'
  | 'PermissionsError'
  | 'FetchError' // source unreachable, 5xx after retries, truncated body
  | 'ValidationError' // the source refused the input (400)
  | 'TrialAccount' // Sage trial accounts refuse create/update
  | 'NotFound';

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly details: { sourceStatus?: number; sourceMessage?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

export interface Connector {
  /** Codat platform key, e.g. 'jcrp' */
  platformKey: string;
  name: string;
  sourceType: 'Accounting';
  dataTypes: DataTypeSupport[];

  auth: {
    authorizeUrl(credentials: IntegrationCredentials, params: { state: string; redirectUri: string }): string;
    exchangeCode(credentials: IntegrationCredentials, params: { code: string; redirectUri: string }): Promise<TokenSet>;
    /** Throws ConnectorError('AuthError') on invalid_grant (revoked or expired refresh token). */
    refresh(credentials: IntegrationCredentials, refreshToken: string): Promise<TokenSet>;
    /** The companies the user may share, each with a support verdict (Professional refused). */
    listCompanies(credentials: IntegrationCredentials, accessToken: string): Promise<SourceCompany[]>;
  };

  /** Reads one data type page by page, in a stable order, resumable from a cursor. */
  read(ctx: ConnectionContext, dataType: DataType, options: ReadOptions): AsyncIterable<ReadPage>;

  /**
   * All ids currently in the source for a data type (deletion reconciliation), within the sync window `from` when
   * given. Absent = not supported; a type without a listing throws ConnectorError('NotSupported').
   */
  listIds?(ctx: ConnectionContext, dataType: DataType, options?: { from?: Date }): AsyncIterable<string[]>;
  /** Whether `listIds` can list this data type (absent: every type it is asked for). */
  canListIds?(dataType: DataType): boolean;

  /** Writes one record (standard model in, standard model out). */
  push?(
    ctx: ConnectionContext,
    dataType: DataType,
    operation: PushOperationType,
    body: Record<string, unknown>,
    recordId?: string,
    /** push key (no-double-post marker), attempt, concurrency inputs: src/push/types.ts PushCallOptions */
    options?: import('../push/types.ts').PushCallOptions,
  ): Promise<PushResult>;

  /** Codat's PushOption tree for a data type, with allowed values from the company's own data. */
  pushOptions?(ctx: ConnectionContext, dataType: DataType): Promise<import('../push/types.ts').PushOption>;
}

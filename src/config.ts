// Environment -> typed, validated configuration. Read once at start (or per test via overrides); nothing else in
// the code base reads process.env directly.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/**
 * A sync allocates pages that live a few ticks and then die in bulk; with V8's default growth the old space
 * reaches several times the live data (about 60 MB) before a full collection, so a process peaked near 440 MB
 * during a 1,000,000-record sync. Growing by 20% keeps it near 270 MB (docs/performance.md#memory).
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 60;

export const SAGE_DEFAULT_AUTH_BASE_URL = 'https://id.sage.com';
export const SAGE_DEFAULT_API_BASE_URL = 'https://api.columbus.sage.com/uk/sage200/accounts/v1/';

const base64Key = z
  .string()
  .trim()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 random bytes in base64 (generate one with: openssl rand -base64 32)',
  });

const url = (what: string) =>
  z
    .string()
    .trim()
    .url({ message: `${what} must be an absolute URL such as http://localhost:8080` });

const EnvSchema = z.object({
  PORT: z.coerce
    .number({ message: 'PORT must be a number' })
    .int()
    .min(0, 'PORT must be between 0 and 65535')
    .max(65535, 'PORT must be between 0 and 65535')
    .default(8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PUBLIC_URL: url('PUBLIC_URL').optional(),
  DATABASE_URL: z.string().trim().optional(),
  /** PostgreSQL only: the schema (search_path) to use, e.g. one per test run or per deployment */
  DATABASE_SCHEMA: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'DATABASE_SCHEMA must be a lower-case SQL identifier')
    .optional(),
  /** PostgreSQL only: connections each process keeps open while idle (above this, idle ones close after 10 s) */
  DATABASE_POOL_MIN: z.coerce
    .number({ message: 'DATABASE_POOL_MIN must be a whole number' })
    .int('DATABASE_POOL_MIN must be a whole number')
    .min(0, 'DATABASE_POOL_MIN must be 0 or more')
    .max(10, 'DATABASE_POOL_MIN must be at most 10 (the pool size)')
    .default(4),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  LEDGERLINK_MASTER_KEY: base64Key.optional(),
  /** Comma-separated older master keys (base64), kept only to decrypt values not yet rotated. */
  LEDGERLINK_OLD_MASTER_KEYS: z.string().trim().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SAGE_AUTH_BASE_URL: url('SAGE_AUTH_BASE_URL').default(SAGE_DEFAULT_AUTH_BASE_URL),
  SAGE_API_BASE_URL: url('SAGE_API_BASE_URL').default(SAGE_DEFAULT_API_BASE_URL),
  /** Largest accepted request body in bytes (413 above it). */
  BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  /** Requests per minute per tenant (429 above it); 0 = no limit. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number({ message: 'RATE_LIMIT_PER_MINUTE must be a number' }).int().min(0).default(0),
  /** A connection's cached Sage lookups are dropped this many seconds after their last use. */
  LOOKUP_CACHE_IDLE_SECONDS: z.coerce
    .number({ message: 'LOOKUP_CACHE_IDLE_SECONDS must be a number of seconds' })
    .int()
    .min(1, 'LOOKUP_CACHE_IDLE_SECONDS must be at least 1')
    .default(1800),
  /** At most this many connections keep cached lookups (least recently used dropped first). */
  LOOKUP_CACHE_MAX_CONNECTIONS: z.coerce
    .number({ message: 'LOOKUP_CACHE_MAX_CONNECTIONS must be a number' })
    .int()
    .min(1, 'LOOKUP_CACHE_MAX_CONNECTIONS must be at least 1')
    .default(8),
  /** Lookup snapshots in the database older than this many hours are ignored (and rebuilt); 0 = keep none. */
  LOOKUP_SNAPSHOT_MAX_AGE_HOURS: z.coerce
    .number({ message: 'LOOKUP_SNAPSHOT_MAX_AGE_HOURS must be a number of hours' })
    .min(0, 'LOOKUP_SNAPSHOT_MAX_AGE_HOURS must be 0 or more')
    .default(168),
  /** V8 grows the heap to live size x (1 + this / 100) before its next full collection; 0 = V8's own heuristic. */
  HEAP_GROWING_PERCENT: z.coerce
    .number({ message: 'HEAP_GROWING_PERCENT must be a number' })
    .int()
    .min(0, 'HEAP_GROWING_PERCENT must be 0 or more')
    .max(400, 'HEAP_GROWING_PERCENT must be at most 400')
    .default(DEFAULT_HEAP_GROWING_PERCENT),
});

export interface Config {
  port: number;
  host: string;
  /** Where users reach this server; used for Link URLs and the OAuth redirect URI. No trailing slash. */
  publicUrl: string;
  database:
    | { dialect: 'sqlite'; file: string }
    | {
        dialect: 'postgres';
        url: string;
        /** optional schema (search_path), used by tests */
        schema?: string;
        /** connections kept open while idle (DATABASE_POOL_MIN) */
        poolMin?: number;
      };
  dataDir: string;
  /**
   * Master key material. `current` encrypts; `old` only decrypts. When neither env var is set the key lives in
   * `keyFile` (generated on first use, mode 0600).
   */
  masterKey: { current?: string; old: string[]; keyFile: string };
  logLevel: string;
  sage: { authBaseUrl: string; apiBaseUrl: string };
  /** true for `serve --embedded` (`npm start`): simulator in-process, generated master key file */
  embedded: boolean;
  bodyLimit: number;
  /** requests per minute per tenant; 0 = unlimited */
  rateLimitPerMinute: number;
  /** connector lookups kept between syncs (docs/sync.md#lookups) */
  /** `snapshotMaxAgeMs`: lookup snapshots kept in the database (src/sync/lookup-snapshots.ts); 0 = none */
  lookupCache: { idleTtlMs: number; maxConnections: number; snapshotMaxAgeMs: number };
  /** V8 heap growth before a full collection, in percent (docs/performance.md#memory); 0 = V8's default */
  heapGrowingPercent: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type ConfigOverrides = Partial<Omit<Config, 'sage' | 'masterKey'>> & {
  sage?: Partial<Config['sage']>;
  masterKey?: Partial<Config['masterKey']>;
};

/** Parses and validates the environment once; throws ConfigError listing every problem with the variable name. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: ConfigOverrides = {},
): Config {
  // Empty strings count as unset, so `PORT= npm start` behaves like no PORT.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = overrides.dataDir ?? (isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(process.cwd(), e.DATA_DIR));
  const port = overrides.port ?? e.PORT;

  let database: Config['database'];
  if (e.DATABASE_URL && /^postgres(ql)?:\/\//.test(e.DATABASE_URL)) {
    database = {
      dialect: 'postgres',
      url: e.DATABASE_URL,
      ...(e.DATABASE_SCHEMA ? { schema: e.DATABASE_SCHEMA } : {}),
      poolMin: e.DATABASE_POOL_MIN,
    };
  } else if (e.DATABASE_URL && !/^(sqlite:|file:)/.test(e.DATABASE_URL)) {
    throw new ConfigError([
      'DATABASE_URL: must start with postgres:// (PostgreSQL) or sqlite: (a SQLite file path); leave it unset for DATA_DIR/ledgerlink.db',
    ]);
  } else {
    const file = e.DATABASE_URL
      ? e.DATABASE_URL.replace(/^(sqlite:|file:)(\/\/)?/, '')
      : resolve(dataDir, 'ledgerlink.db');
    database = { dialect: 'sqlite', file };
  }

  const oldKeys = (e.LEDGERLINK_OLD_MASTER_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of oldKeys) {
    if (!base64Key.safeParse(k).success)
      throw new ConfigError(['LEDGERLINK_OLD_MASTER_KEYS: every entry must be 32 bytes in base64']);
  }

  const config: Config = {
    port,
    host: overrides.host ?? e.HOST,
    publicUrl: (overrides.publicUrl ?? e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    database: overrides.database ?? database,
    dataDir,
    masterKey: {
      current: e.LEDGERLINK_MASTER_KEY,
      old: oldKeys,
      keyFile: resolve(dataDir, 'master.key'),
      ...overrides.masterKey,
    },
    logLevel: overrides.logLevel ?? e.LOG_LEVEL,
    sage: {
      authBaseUrl: overrides.sage?.authBaseUrl ?? e.SAGE_AUTH_BASE_URL,
      apiBaseUrl: overrides.sage?.apiBaseUrl ?? e.SAGE_API_BASE_URL,
    },
    embedded: overrides.embedded ?? false,
    bodyLimit: overrides.bodyLimit ?? e.BODY_LIMIT,
    rateLimitPerMinute: overrides.rateLimitPerMinute ?? e.RATE_LIMIT_PER_MINUTE,
    lookupCache: overrides.lookupCache ?? {
      idleTtlMs: e.LOOKUP_CACHE_IDLE_SECONDS * 1000,
      maxConnections: e.LOOKUP_CACHE_MAX_CONNECTIONS,
      snapshotMaxAgeMs: e.LOOKUP_SNAPSHOT_MAX_AGE_HOURS * 3_600_000,
    },
    heapGrowingPercent: overrides.heapGrowingPercent ?? e.HEAP_GROWING_PERCENT,
  };
  return config;
}
